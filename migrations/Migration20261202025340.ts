import { Migration } from '@mikro-orm/migrations';

export class Migration20261202025340 extends Migration {

  override async up(): Promise<void> {
    // Organizations carry their account manager, classification and invoice template (mapped to a sales rep, customer type, template).
    this.addSql(`alter table "organization" add column "owner_resource_id" int null, add column "classification_id" text null, add column "invoice_template_id" text null;`);
    this.addSql(`alter type "mapping_source_kind" add value if not exists 'ACCOUNT_MANAGER' after 'TAXABILITY';`);
    this.addSql(`alter type "mapping_source_kind" add value if not exists 'CLASSIFICATION' after 'ACCOUNT_MANAGER';`);
    this.addSql(`alter type "mapping_source_kind" add value if not exists 'INVOICE_TEMPLATE' after 'CLASSIFICATION';`);
    // The list sync mirrors the lists those mappings point into.
    this.addSql(`alter type "quickbooks_list" add value if not exists 'SALES_REP' after 'PAYMENT_METHOD';`);
    this.addSql(`alter type "quickbooks_list" add value if not exists 'CUSTOMER_TYPE' after 'SALES_REP';`);
    this.addSql(`alter type "quickbooks_list" add value if not exists 'TEMPLATE' after 'CUSTOMER_TYPE';`);
  }

  override async down(): Promise<void> {
    // PostgreSQL cannot drop enum values; rows using them are removed so older code never reads them.
    this.addSql(`delete from "quickbooks_list_element" where "list"::text in ('SALES_REP', 'CUSTOMER_TYPE', 'TEMPLATE');`);
    this.addSql(`delete from "quickbooks_list_sync" where "list"::text in ('SALES_REP', 'CUSTOMER_TYPE', 'TEMPLATE');`);
    this.addSql(`delete from "mapping" where "source_kind"::text in ('ACCOUNT_MANAGER', 'CLASSIFICATION', 'INVOICE_TEMPLATE');`);
    this.addSql(`alter table "organization" drop column "owner_resource_id", drop column "classification_id", drop column "invoice_template_id";`);
  }

}
