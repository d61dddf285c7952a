import { Migration } from '@mikro-orm/migrations';

export class Migration20261125221404 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "autotask_invoice_selection" as enum ('UNPROCESSED', 'BATCH');`);
    this.addSql(`create type "autotask_pull_outcome" as enum ('SUCCEEDED', 'PARTIAL', 'FAILED', 'SKIPPED');`);
    this.addSql(`create table "autotask_connection" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "slot" text not null default 'default', "user_name" text not null, "integration_code" text not null, "secret_encrypted" text not null, "secret_updated_at" timestamptz not null, "zone_name" text null, "zone_url" text null, "web_url" text null, "invoice_selection" "autotask_invoice_selection" not null default 'UNPROCESSED', "invoice_batch_id" int null, "invoices_from" date null, "write_back_invoice_number" boolean not null default true, "pull_resources" boolean not null default true, "pull_all_companies" boolean not null default false, "billing_item_kinds" jsonb not null, "new_company_type" int not null default 1, "new_company_owner_resource_id" int null, "enabled" boolean not null default true, "pull_every_minutes" int not null default 60, "last_pull_started_at" timestamptz null, "last_pull_finished_at" timestamptz null, "last_pull_outcome" "autotask_pull_outcome" null, "last_pull_message" text null, "last_pull_summary" jsonb null, constraint "autotask_connection_pkey" primary key ("id"));`);
    this.addSql(`alter table "autotask_connection" add constraint "autotask_connection_slot_unique" unique ("slot");`);

    this.addSql(`create table "job_lock" ("name" text not null, "holder" text null, "acquired_at" timestamptz null, "locked_until" timestamptz null, constraint "job_lock_pkey" primary key ("name"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "autotask_connection" cascade;`);

    this.addSql(`drop table if exists "job_lock" cascade;`);

    this.addSql(`drop type "autotask_invoice_selection";`);
    this.addSql(`drop type "autotask_pull_outcome";`);
  }

}
