import { Migration } from '@mikro-orm/migrations';

export class Migration20261202025530 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "line_grouping" as enum ('NONE', 'BY_BILLING_ITEM', 'BY_LINE_OF_BUSINESS', 'ONE_LINE_PER_GROUP');`);
    this.addSql(`create type "rounding_policy" as enum ('ROUND_EACH_LINE', 'SEND_RATE_AND_QUANTITY');`);
    this.addSql(`alter table "connector" add column "line_grouping" "line_grouping" not null default 'NONE', add column "rounding_policy" "rounding_policy" not null default 'ROUND_EACH_LINE';`);

    this.addSql(`alter type "connector_alert_kind" add value if not exists 'TRANSFER_ALERT' after 'QUICKBOOKS_ERROR';`);

    this.addSql(`alter table "transfer_item" add column "alerts" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "connector" drop column "line_grouping", drop column "rounding_policy";`);

    this.addSql(`alter table "transfer_item" drop column "alerts";`);

    this.addSql(`drop type "line_grouping";`);
    this.addSql(`drop type "rounding_policy";`);
  }

}
