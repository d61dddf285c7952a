import { Migration } from '@mikro-orm/migrations';

export class Migration20261202012416 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "invoice_line" add column "sub_organization_name" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice_line" drop column "sub_organization_name";`);
  }

}
