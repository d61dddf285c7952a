import { Migration } from '@mikro-orm/migrations';

export class Migration20261202184000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "transfer_item_transferred_invoice" on "transfer_item" ("connector_id", "finished_at") where "entity_type" = 'INVOICE' and "state" = 'SUCCEEDED' and "qb_txn_id" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "transfer_item_transferred_invoice";`);
  }

}
