import { Migration } from '@mikro-orm/migrations';

export class Migration20261126012716 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "autotask_write_back_step" as enum ('INVOICE_NUMBER', 'PAID_DATE');`);
    this.addSql(`create type "paid_status_outcome" as enum ('OK', 'FAILED', 'INTERRUPTED');`);
    this.addSql(`create table "autotask_invoice_write_back" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "invoice_id" text not null, "number_transfer_item_id" text null, "number_written_at" timestamptz null, "invoice_number_written" text null, "web_service_date_written" text null, "paid_written_at" timestamptz null, "paid_date_written" date null, "paid_clear_refused" boolean not null default false, "failures" int not null default 0, "next_attempt_at" timestamptz null, "last_attempt_at" timestamptz null, "last_failed_step" "autotask_write_back_step" null, "last_error_code" text null, "last_error" text null, constraint "autotask_invoice_write_back_pkey" primary key ("id"));`);
    this.addSql(`alter table "autotask_invoice_write_back" add constraint "autotask_invoice_write_back_invoice_id_unique" unique ("invoice_id");`);

    this.addSql(`create table "paid_status_sync" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "run_id" text null, "run_session_id" text null, "run_started_at" timestamptz null, "run_from_modified" text null, "run_max_time_modified" text null, "run_outstanding" int not null default 0, "run_pages" int not null default 0, "run_received" int not null default 0, "run_updated" int not null default 0, "last_attempt_at" timestamptz null, "last_attempt_session_id" text null, "last_outcome" "paid_status_outcome" null, "last_status_code" int null, "last_error" text null, "last_from_modified" text null, "last_received" int null, "last_updated" int null, "last_success_at" timestamptz null, "high_water_mark" text null, constraint "paid_status_sync_pkey" primary key ("id"));`);
    this.addSql(`alter table "paid_status_sync" add constraint "paid_status_sync_connector_id_unique" unique ("connector_id");`);

    this.addSql(`alter table "autotask_invoice_write_back" add constraint "autotask_invoice_write_back_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "paid_status_sync" add constraint "paid_status_sync_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "invoice" add column "qb_balance_remaining" numeric(15,2) null, add column "qb_is_paid" boolean null, add column "qb_paid_date" date null, add column "qb_paid_status_changed_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "autotask_invoice_write_back" cascade;`);

    this.addSql(`drop table if exists "paid_status_sync" cascade;`);

    this.addSql(`alter table "invoice" drop column "qb_balance_remaining", drop column "qb_is_paid", drop column "qb_paid_date", drop column "qb_paid_status_changed_at";`);

    this.addSql(`drop type "autotask_write_back_step";`);
    this.addSql(`drop type "paid_status_outcome";`);
  }

}
