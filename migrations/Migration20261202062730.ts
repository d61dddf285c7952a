import { Migration } from '@mikro-orm/migrations';

export class Migration20261202062730 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "inventory_adjustment" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "product_id" text not null, "quantity" int not null, "run_at" timestamptz not null, constraint "inventory_adjustment_pkey" primary key ("id"));`);
    this.addSql(`create index "inventory_adjustment_connector_id_run_at_index" on "inventory_adjustment" ("connector_id", "run_at");`);

    this.addSql(`alter table "inventory_adjustment" add constraint "inventory_adjustment_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "inventory_adjustment" add constraint "inventory_adjustment_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "connector" add column "sync_inventory_at_next_session" boolean not null default false, add column "inventory_synced_at" timestamptz null, add column "inventory_adjustment_account_list_id" text null, add column "inventory_adjustment_account_full_name" text null;`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'INVENTORY_ADJUSTMENT' after 'PURCHASE_ORDER';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "inventory_adjustment" cascade;`);

    this.addSql(`alter table "connector" drop column "sync_inventory_at_next_session", drop column "inventory_synced_at", drop column "inventory_adjustment_account_list_id", drop column "inventory_adjustment_account_full_name";`);
  }

}
