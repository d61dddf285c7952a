import { Migration } from '@mikro-orm/migrations';

export class Migration20261202141239 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "invoice_line_invoice_id_index" on "invoice_line" ("invoice_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "invoice_line_invoice_id_index";`);
  }

}
