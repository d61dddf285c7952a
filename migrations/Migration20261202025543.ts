import { Migration } from '@mikro-orm/migrations';

export class Migration20261202025543 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "purchase_order_status" as enum ('NEW', 'SUBMITTED', 'RECEIVED_PARTIAL', 'RECEIVED_FULL', 'CANCELED');`);
    this.addSql(`create table "product" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "name" text not null, "description" text null, "sku" text null, "manufacturer_part_number" text null, "unit_cost" numeric(18,4) null, "unit_price" numeric(18,4) null, "billing_code_id" text null, "is_inventory" boolean not null default false, "quantity_on_hand" int null, constraint "product_pkey" primary key ("id"));`);
    this.addSql(`alter table "product" add constraint "product_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "vendor" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "name" text not null, "address_attention" text null, "address_line1" text null, "address_line2" text null, "address_city" text null, "address_state" text null, "address_postal_code" text null, "address_country" text null, "phone" text null, "fax" text null, constraint "vendor_pkey" primary key ("id"));`);
    this.addSql(`alter table "vendor" add constraint "vendor_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "purchase_order" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "purchase_order_number" text null, "status" "purchase_order_status" not null, "vendor_id" text not null, "purchase_for_id" text null, "order_date" date not null, "expected_date" date null, "ship_to_name" text null, "ship_to_attention" text null, "ship_to_line1" text null, "ship_to_line2" text null, "ship_to_city" text null, "ship_to_state" text null, "ship_to_postal_code" text null, "ship_to_country" text null, "memo" text null, "external_ponumber" text null, constraint "purchase_order_pkey" primary key ("id"));`);
    this.addSql(`alter table "purchase_order" add constraint "purchase_order_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "purchase_order_line" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "purchase_order_id" text not null, "autotask_id" int not null, "position" int not null, "product_id" text not null, "quantity" numeric(18,4) not null, "unit_cost" numeric(18,4) not null, "memo" text null, "line_of_business_id" text null, constraint "purchase_order_line_pkey" primary key ("id"));`);
    this.addSql(`alter table "purchase_order_line" add constraint "purchase_order_line_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "purchase_order_receipt" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "line_id" text not null, "quantity" numeric(18,4) not null, "receive_date" date not null, "vendor_invoice_number" text null, "is_cancelled" boolean not null default false, constraint "purchase_order_receipt_pkey" primary key ("id"));`);
    this.addSql(`alter table "purchase_order_receipt" add constraint "purchase_order_receipt_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`alter table "purchase_order" add constraint "purchase_order_vendor_id_foreign" foreign key ("vendor_id") references "vendor" ("id") on update cascade;`);
    this.addSql(`alter table "purchase_order" add constraint "purchase_order_purchase_for_id_foreign" foreign key ("purchase_for_id") references "organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "purchase_order_line" add constraint "purchase_order_line_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "purchase_order_line" add constraint "purchase_order_line_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`);

    this.addSql(`alter table "purchase_order_receipt" add constraint "purchase_order_receipt_line_id_foreign" foreign key ("line_id") references "purchase_order_line" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'VENDOR' after 'TAXABILITY';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'PRODUCT' after 'VENDOR';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'VENDOR' after 'TAXABILITY';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'PRODUCT' after 'VENDOR';`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'VENDOR' after 'INVOICE_VOID';`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'PURCHASE_ORDER' after 'VENDOR';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "purchase_order_line" drop constraint "purchase_order_line_product_id_foreign";`);

    this.addSql(`alter table "purchase_order" drop constraint "purchase_order_vendor_id_foreign";`);

    this.addSql(`alter table "purchase_order_line" drop constraint "purchase_order_line_purchase_order_id_foreign";`);

    this.addSql(`alter table "purchase_order_receipt" drop constraint "purchase_order_receipt_line_id_foreign";`);

    this.addSql(`drop table if exists "product" cascade;`);

    this.addSql(`drop table if exists "vendor" cascade;`);

    this.addSql(`drop table if exists "purchase_order" cascade;`);

    this.addSql(`drop table if exists "purchase_order_line" cascade;`);

    this.addSql(`drop table if exists "purchase_order_receipt" cascade;`);

    this.addSql(`drop type "purchase_order_status";`);
  }

}
