import { Migration } from '@mikro-orm/migrations';

export class Migration20261125211946 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "item_naming_convention" as enum ('BILLING_ITEM_NAME', 'ROLE_AND_WORK_TYPE', 'LINE_DESCRIPTION');`);
    this.addSql(`create type "transmission_method" as enum ('NONE', 'PRINT', 'EMAIL');`);
    this.addSql(`create type "tax_mode" as enum ('QUICKBOOKS_CALCULATES', 'PSA_TAX_AS_LINE');`);
    this.addSql(`create type "missing_mapping_policy" as enum ('AUTO_CREATE', 'FAIL');`);
    this.addSql(`create type "mapping_source_kind" as enum ('WORK_TYPE', 'ROLE', 'MATERIAL', 'SERVICE', 'SERVICE_BUNDLE', 'EXPENSE_CATEGORY', 'RECURRING_SERVICE', 'MILESTONE', 'SHIPPING', 'TAX', 'BILLING_CODE', 'LINE_OF_BUSINESS', 'PAYMENT_TERM', 'TAXABILITY');`);
    this.addSql(`create type "qb_item_type" as enum ('SERVICE', 'NON_INVENTORY', 'OTHER_CHARGE', 'INVENTORY', 'SALES_TAX', 'DISCOUNT', 'SUBTOTAL', 'GROUP');`);
    this.addSql(`create type "route_subject" as enum ('ORGANIZATION', 'RESOURCE');`);
    this.addSql(`create type "transfer_entity_type" as enum ('ORGANIZATION', 'INVOICE', 'PAYMENT');`);
    this.addSql(`create type "transfer_state" as enum ('QUEUED', 'SENT', 'SUCCEEDED', 'FAILED', 'NEEDS_RECONCILE', 'CANCELLED');`);
    this.addSql(`create type "role" as enum ('ADMIN', 'ACCOUNTANT', 'VIEWER');`);
    this.addSql(`create table "api_credential" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "user_name" text not null, "password_hash" text not null, "active" boolean not null default true, "rotated_at" timestamptz null, constraint "api_credential_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_credential" add constraint "api_credential_user_name_unique" unique ("user_name");`);

    this.addSql(`create table "audit_entry" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "actor_id" text not null, "actor_name" text not null, "action" text not null, "entity_type" text not null, "entity_id" text not null, "changes" jsonb not null, constraint "audit_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_entry_entity_type_entity_id_index" on "audit_entry" ("entity_type", "entity_id");`);

    this.addSql(`create table "company" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "company_name" text null, "file_path" text null, "file_id" text null, "product_name" text null, "product_version" text null, "supported_qbxml_versions" jsonb not null, "country" text null, "first_contact_at" timestamptz null, "last_contact_at" timestamptz null, "unbound_at" timestamptz null, constraint "company_pkey" primary key ("id"));`);

    this.addSql(`create table "connector" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" text not null, "is_default" boolean not null default false, "enabled" boolean not null default true, "run_every_minutes" int not null default 60, "qbxml_version_cap" text not null default '13.0', "file_id" text not null, "item_naming_convention" "item_naming_convention" not null default 'BILLING_ITEM_NAME', "default_transmission_method" "transmission_method" not null default 'NONE', "tax_mode" "tax_mode" not null default 'QUICKBOOKS_CALCULATES', "psa_tax_item_list_id" text null, "psa_tax_item_full_name" text null, "no_lob_class_list_id" text null, "no_lob_class_full_name" text null, "missing_mapping_policy" "missing_mapping_policy" not null default 'AUTO_CREATE', "default_income_account_list_id" text null, "default_income_account_full_name" text not null, "company_id" text null, constraint "connector_pkey" primary key ("id"));`);
    this.addSql(`alter table "connector" add constraint "connector_name_unique" unique ("name");`);
    this.addSql(`alter table "connector" add constraint "connector_file_id_unique" unique ("file_id");`);
    this.addSql(`alter table "connector" add constraint "connector_company_id_unique" unique ("company_id");`);
    this.addSql(`create unique index "connector_single_default" on "connector" ("is_default") where "is_default";`);

    this.addSql(`create table "mapping" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "source_kind" "mapping_source_kind" not null, "source_id" text not null, "source_name" text not null, "target_list_id" text null, "target_full_name" text null, "item_type" "qb_item_type" null, "auto_create" boolean not null default false, constraint "mapping_pkey" primary key ("id"));`);
    this.addSql(`alter table "mapping" add constraint "mapping_connector_id_source_kind_source_id_unique" unique ("connector_id", "source_kind", "source_id");`);

    this.addSql(`create table "organization" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "name" text not null, "parent_autotask_id" int null, "address_attention" text null, "address_line1" text null, "address_line2" text null, "address_city" text null, "address_state" text null, "address_postal_code" text null, "address_country" text null, "billing_attention" text null, "billing_line1" text null, "billing_line2" text null, "billing_city" text null, "billing_state" text null, "billing_postal_code" text null, "billing_country" text null, "phone" text null, "fax" text null, "email" text null, "tax_exempt" boolean not null default false, "payment_term_id" text null, "payment_term_name" text null, constraint "organization_pkey" primary key ("id"));`);
    this.addSql(`alter table "organization" add constraint "organization_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "invoice" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "organization_id" text not null, "invoice_number" text null, "invoice_date" date not null, "po_number" text null, "payment_term_id" text null, "payment_term_name" text null, "transmission_method" "transmission_method" null, "total" numeric(15,2) not null, "tax_total" numeric(15,2) not null default '0.00', "paid_date" date null, constraint "invoice_pkey" primary key ("id"));`);
    this.addSql(`alter table "invoice" add constraint "invoice_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "invoice_line" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "invoice_id" text not null, "position" int not null, "billing_item_kind" "mapping_source_kind" not null, "billing_item_id" text null, "billing_item_name" text null, "billing_code_id" text null, "role_name" text null, "work_type_name" text null, "description" text not null, "quantity" numeric(18,4) not null, "rate" numeric(18,4) not null, "amount" numeric(15,2) not null, "taxable" boolean not null, "line_of_business_id" text null, "line_of_business_name" text null, "service_date" date null, constraint "invoice_line_pkey" primary key ("id"));`);

    this.addSql(`create table "organization_qb_link" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" text not null, "connector_id" text not null, "list_id" text not null, "full_name" text not null, "edit_sequence" text null, constraint "organization_qb_link_pkey" primary key ("id"));`);
    this.addSql(`alter table "organization_qb_link" add constraint "organization_qb_link_organization_id_connector_id_unique" unique ("organization_id", "connector_id");`);

    this.addSql(`create table "payment" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "external_id" text not null, "invoice_id" text not null, "amount" numeric(15,2) not null, "payment_date" date not null, "payment_method" text null, "deposit_account" text null, "reference" text null, constraint "payment_pkey" primary key ("id"));`);
    this.addSql(`alter table "payment" add constraint "payment_external_id_unique" unique ("external_id");`);

    this.addSql(`create table "resource" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "autotask_id" int not null, "first_name" text not null, "last_name" text not null, "email" text null, "active" boolean not null default true, constraint "resource_pkey" primary key ("id"));`);
    this.addSql(`alter table "resource" add constraint "resource_autotask_id_unique" unique ("autotask_id");`);

    this.addSql(`create table "route" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "subject" "route_subject" not null, "autotask_id" int not null, "connector_id" text not null, constraint "route_pkey" primary key ("id"));`);
    this.addSql(`alter table "route" add constraint "route_subject_autotask_id_unique" unique ("subject", "autotask_id");`);

    this.addSql(`create table "transfer_item" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "entity_type" "transfer_entity_type" not null, "entity_id" text not null, "state" "transfer_state" not null default 'QUEUED', "attempt_count" int not null default 0, "reconcile_before_send" boolean not null default false, "qb_status_code" text null, "qb_status_message" text null, "hint" text null, "qb_list_id" text null, "qb_txn_id" text null, "qb_ref_number" text null, "qb_edit_sequence" text null, "queued_by" text null, "finished_at" timestamptz null, constraint "transfer_item_pkey" primary key ("id"));`);
    this.addSql(`alter table "transfer_item" add constraint "transfer_item_entity_type_entity_id_connector_id_unique" unique ("entity_type", "entity_id", "connector_id");`);

    this.addSql(`create table "transfer_attempt" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "item_id" text not null, "number" int not null, "state" "transfer_state" not null, "qb_status_code" text null, "message" text null, "actor" text null, constraint "transfer_attempt_pkey" primary key ("id"));`);

    this.addSql(`create table "app_user" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" text not null, "email" text null, "role" "role" not null, "active" boolean not null default true, constraint "app_user_pkey" primary key ("id"));`);

    this.addSql(`create table "registration" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "user_id" text not null, "credential_id" text not null, "label" text null, "owner_id" text not null, "revoked_at" timestamptz null, constraint "registration_pkey" primary key ("id"));`);
    this.addSql(`alter table "registration" add constraint "registration_owner_id_unique" unique ("owner_id");`);

    this.addSql(`create table "api_token" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "user_id" text not null, "label" text not null, "secret_hash" text not null, "display_prefix" text not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_token_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_token" add constraint "api_token_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(`alter table "connector" add constraint "connector_company_id_foreign" foreign key ("company_id") references "company" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "mapping" add constraint "mapping_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade;`);

    this.addSql(`alter table "invoice" add constraint "invoice_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade;`);

    this.addSql(`alter table "invoice_line" add constraint "invoice_line_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "organization_qb_link" add constraint "organization_qb_link_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade;`);
    this.addSql(`alter table "organization_qb_link" add constraint "organization_qb_link_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade;`);

    this.addSql(`alter table "payment" add constraint "payment_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`);

    this.addSql(`alter table "route" add constraint "route_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade;`);

    this.addSql(`alter table "transfer_item" add constraint "transfer_item_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade;`);

    this.addSql(`alter table "transfer_attempt" add constraint "transfer_attempt_item_id_foreign" foreign key ("item_id") references "transfer_item" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "registration" add constraint "registration_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade;`);
    this.addSql(`alter table "registration" add constraint "registration_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`);
    this.addSql(`alter table "registration" add constraint "registration_credential_id_foreign" foreign key ("credential_id") references "api_credential" ("id") on update cascade;`);

    this.addSql(`alter table "api_token" add constraint "api_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade;`);
  }

}
