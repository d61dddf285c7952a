import { Migration } from '@mikro-orm/migrations';

export class Migration20261201232021 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "invoice" add column "credits_invoice_autotask_id" int null, add column "is_voided" boolean not null default false;`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'CREDIT_APPLICATION' after 'PAYMENT';`);

    this.addSql(`alter type "transfer_entity_type" add value if not exists 'INVOICE_VOID' after 'CREDIT_APPLICATION';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice" drop column "credits_invoice_autotask_id", drop column "is_voided";`);
  }

}
