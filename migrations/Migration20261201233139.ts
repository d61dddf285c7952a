import { Migration } from '@mikro-orm/migrations';

export class Migration20261201233139 extends Migration {

  override async up(): Promise<void> {
    // Existing connectors get no stored policies (every kind keeps today's behaviour); the entity sets it from then on.
    this.addSql(`alter table "connector" add column "unmapped_policies" jsonb not null default '{}';`);
    this.addSql(`alter table "connector" alter column "unmapped_policies" drop default;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "connector" drop column "unmapped_policies";`);
  }

}
