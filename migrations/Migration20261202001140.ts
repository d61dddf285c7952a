import { Migration } from '@mikro-orm/migrations';

export class Migration20261202001140 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter type "transmission_method" add value if not exists 'BOTH' after 'EMAIL';`);

    this.addSql(`alter table "organization" add column "transmission_method" "transmission_method" null;`);
  }

  override async down(): Promise<void> {
    // PostgreSQL cannot drop an enum value; BOTH stays in the type.
    this.addSql(`alter table "organization" drop column "transmission_method";`);
  }

}
