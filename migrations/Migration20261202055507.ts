import { Migration } from '@mikro-orm/migrations';

export class Migration20261202055507 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "company_paid_expenses" as enum ('EXCLUDE', 'INCLUDE');`);
    this.addSql(`create type "expense_report_status" as enum ('IN_PROGRESS', 'AWAITING_APPROVAL', 'APPROVED_FOR_PAYMENT', 'REJECTED', 'PAID', 'TRANSFERRED_TO_QUICKBOOKS');`);
    this.addSql(`create table "expense_report" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "name" text not null, "resource_id" text not null, "status" "expense_report_status" not null, "week_ending" date not null, "approved_date" date null, "cash_advance_amount" numeric(14,4) not null default '0', "line_of_business_id" text null, "quick_books_reference_number" text null, constraint "expense_report_pkey" primary key ("id"));`);
    this.addSql(`alter table "expense_report" add constraint "expense_report_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "expense_item" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "report_id" text not null, "autotask_id" int not null, "position" int not null, "expense_date" date not null, "description" text not null, "expense_category_id" text not null, "expense_category_name" text null, "payment_type_id" text null, "payment_type_name" text null, "billable" boolean not null, "reimbursable" boolean not null, "organization_id" text null, "amount" numeric(14,4) not null, "miles" numeric(10,2) null, "origin" text null, "destination" text null, constraint "expense_item_pkey" primary key ("id"));`);
    this.addSql(`alter table "expense_item" add constraint "expense_item_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`alter table "expense_report" add constraint "expense_report_resource_id_foreign" foreign key ("resource_id") references "resource" ("id") on update cascade;`);

    this.addSql(`alter table "expense_item" add constraint "expense_item_report_id_foreign" foreign key ("report_id") references "expense_report" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "expense_item" add constraint "expense_item_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "connector" add column "cash_advance_account_list_id" text null, add column "cash_advance_account_full_name" text null, add column "transfer_expense_class" boolean not null default false, add column "company_paid_expenses" "company_paid_expenses" not null default 'EXCLUDE';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'EXPENSE_ACCOUNT_BILLABLE' after 'PRODUCT';`);

    this.addSql(`alter type "mapping_source_kind" add value if not exists 'EXPENSE_ACCOUNT_REIMBURSABLE' after 'EXPENSE_ACCOUNT_BILLABLE';`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'EXPENSE_REPORT' after 'PURCHASE_ORDER';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "expense_item" drop constraint "expense_item_report_id_foreign";`);

    this.addSql(`drop table if exists "expense_report" cascade;`);

    this.addSql(`drop table if exists "expense_item" cascade;`);

    this.addSql(`alter table "connector" drop column "cash_advance_account_list_id", drop column "cash_advance_account_full_name", drop column "transfer_expense_class", drop column "company_paid_expenses";`);

    this.addSql(`drop type "company_paid_expenses";`);
    this.addSql(`drop type "expense_report_status";`);
  }

}
