import { Migration } from '@mikro-orm/migrations';

export class Migration20261125221228 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "quickbooks_list" as enum ('ACCOUNT', 'CLASS', 'ITEM', 'TERMS', 'SALES_TAX_CODE', 'CUSTOMER', 'VENDOR', 'EMPLOYEE', 'PAYROLL_WAGE_ITEM');`);
    this.addSql(`create type "quickbooks_list_sync_kind" as enum ('FULL', 'INCREMENTAL');`);
    this.addSql(`create type "quickbooks_list_sync_outcome" as enum ('OK', 'FAILED', 'INTERRUPTED');`);
    this.addSql(`create table "quickbooks_list_element" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "list" "quickbooks_list" not null, "list_id" text not null, "full_name" text not null, "name" text not null, "type" text null, "sub_type" text null, "parent_list_id" text null, "parent_full_name" text null, "sublevel" int not null default 0, "is_active" boolean not null default true, "edit_sequence" text null, "time_modified" text null, "time_modified_at" timestamptz null, "details" jsonb not null, "last_seen_run" text null, constraint "quickbooks_list_element_pkey" primary key ("id"));`);
    this.addSql(`create index "quickbooks_list_element_connector_id_list_full_name_index" on "quickbooks_list_element" ("connector_id", "list", "full_name");`);
    this.addSql(`alter table "quickbooks_list_element" add constraint "quickbooks_list_element_connector_id_list_list_id_unique" unique ("connector_id", "list", "list_id");`);

    this.addSql(`create table "quickbooks_list_sync" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "list" "quickbooks_list" not null, "refresh_requested_at" timestamptz null, "full_refresh_requested" boolean not null default false, "run_id" text null, "run_session_id" text null, "run_kind" "quickbooks_list_sync_kind" null, "run_started_at" timestamptz null, "run_from_modified" text null, "run_max_time_modified" text null, "run_pages" int not null default 0, "run_received" int not null default 0, "run_written" int not null default 0, "last_attempt_at" timestamptz null, "last_attempt_session_id" text null, "last_kind" "quickbooks_list_sync_kind" null, "last_outcome" "quickbooks_list_sync_outcome" null, "last_status_code" int null, "last_error" text null, "last_received" int null, "last_written" int null, "last_from_modified" text null, "last_full_sync_at" timestamptz null, "last_incremental_sync_at" timestamptz null, "high_water_mark" text null, constraint "quickbooks_list_sync_pkey" primary key ("id"));`);
    this.addSql(`alter table "quickbooks_list_sync" add constraint "quickbooks_list_sync_connector_id_list_unique" unique ("connector_id", "list");`);

    this.addSql(`alter table "quickbooks_list_element" add constraint "quickbooks_list_element_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "quickbooks_list_sync" add constraint "quickbooks_list_sync_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "quickbooks_list_element" cascade;`);

    this.addSql(`drop table if exists "quickbooks_list_sync" cascade;`);

    this.addSql(`drop type "quickbooks_list";`);
    this.addSql(`drop type "quickbooks_list_sync_kind";`);
    this.addSql(`drop type "quickbooks_list_sync_outcome";`);
  }

}
