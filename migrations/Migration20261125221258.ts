import { Migration } from '@mikro-orm/migrations';

export class Migration20261125221258 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "invoice_numbering" as enum ('QUICKBOOKS', 'AUTOTASK');`);
    this.addSql(`create type "customer_name_collision" as enum ('FAIL', 'SUFFIX');`);
    this.addSql(`alter table "connector" add column "invoice_numbering" "invoice_numbering" not null default 'QUICKBOOKS', add column "customer_name_collision" "customer_name_collision" not null default 'FAIL';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "connector" drop column "invoice_numbering", drop column "customer_name_collision";`);

    this.addSql(`drop type "invoice_numbering";`);
    this.addSql(`drop type "customer_name_collision";`);
  }

}
