import { Migration } from '@mikro-orm/migrations';

export class Migration20261202061508 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter type "transfer_entity_type" add value if not exists 'ITEM_RECEIPT' after 'PURCHASE_ORDER';`);

    this.addSql(`alter table "transfer_item" add column "qb_line_ids" jsonb not null default '{}', add column "needs_resync" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "transfer_item" drop column "qb_line_ids", drop column "needs_resync";`);
  }

}
