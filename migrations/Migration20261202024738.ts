import { Migration } from '@mikro-orm/migrations';

export class Migration20261202024738 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "timesheet_period" as enum ('WEEKLY', 'BI_WEEKLY', 'SEMI_MONTHLY');`);
    this.addSql(`create table "time_entry" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "resource_id" text not null, "date_worked" date not null, "hours_worked" numeric(8,4) not null, "organization_autotask_id" int null, "work_type_id" text null, "work_type_name" text null, "payroll_category_id" text null, "payroll_category_name" text null, "line_of_business_id" text null, "is_non_billable" boolean not null default false, "summary_notes" text null, constraint "time_entry_pkey" primary key ("id"));`);
    this.addSql(`alter table "time_entry" add constraint "time_entry_autotask_id_unique" unique ("autotask_id");`);
    this.addSql(`create index "time_entry_resource_id_date_worked_index" on "time_entry" ("resource_id", "date_worked");`);

    this.addSql(`create table "timesheet_approval" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "resource_id" text not null, "period_start" date not null, "period_end" date not null, "approved_by" text not null, "approved_at" timestamptz not null, constraint "timesheet_approval_pkey" primary key ("id"));`);
    this.addSql(`alter table "timesheet_approval" add constraint "timesheet_approval_resource_id_period_start_unique" unique ("resource_id", "period_start");`);

    this.addSql(`create table "time_activity" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "approval_id" text not null, "resource_id" text not null, "group_key" text not null, "date" date not null, "organization_id" text null, "work_type_id" text null, "work_type_name" text null, "payroll_category_id" text null, "payroll_category_name" text null, "line_of_business_id" text null, "billable" boolean not null, "hours" numeric(8,4) not null, "notes" text null, "time_entry_autotask_ids" jsonb not null, constraint "time_activity_pkey" primary key ("id"));`);
    this.addSql(`alter table "time_activity" add constraint "time_activity_approval_id_group_key_unique" unique ("approval_id", "group_key");`);

    this.addSql(`alter table "time_entry" add constraint "time_entry_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade;`);

    this.addSql(`alter table "timesheet_approval" add constraint "timesheet_approval_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade;`);

    this.addSql(`alter table "time_activity" add constraint "time_activity_approval_id_foreign" foreign key ("approval_id") references "timesheet_approval" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "time_activity" add constraint "time_activity_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade;`);
    this.addSql(`alter table "time_activity" add constraint "time_activity_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "connector" add column "timesheet_period" "timesheet_period" not null default 'WEEKLY', add column "timesheet_period_anchor" date not null default '2026-01-05';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'RESOURCE_EMPLOYEE' after 'TAXABILITY';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'RESOURCE_VENDOR' after 'RESOURCE_EMPLOYEE';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'PAYROLL_CATEGORY' after 'RESOURCE_VENDOR';`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'TIME_ACTIVITY' after 'INVOICE_VOID';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "time_activity" drop constraint "time_activity_approval_id_foreign";`);

    this.addSql(`drop table if exists "time_entry" cascade;`);

    this.addSql(`drop table if exists "timesheet_approval" cascade;`);

    this.addSql(`drop table if exists "time_activity" cascade;`);

    this.addSql(`alter table "connector" drop column "timesheet_period", drop column "timesheet_period_anchor";`);

    this.addSql(`drop type "timesheet_period";`);
  }

}
