import { Migration } from '@mikro-orm/migrations';

export class Migration20261202004021 extends Migration {

  override async up(): Promise<void> {
    // The list sync mirrors other names (3100 collisions) and payment methods (payments send a known one).
    this.addSql(`alter type "quickbooks_list" add value if not exists 'OTHER_NAME' after 'PAYROLL_WAGE_ITEM';`);
    this.addSql(`alter type "quickbooks_list" add value if not exists 'PAYMENT_METHOD' after 'OTHER_NAME';`);
  }

  override async down(): Promise<void> {
    // PostgreSQL cannot drop enum values; rows of these lists are removed so older code never reads them.
    this.addSql(`delete from "quickbooks_list_element" where "list"::text in ('OTHER_NAME', 'PAYMENT_METHOD');`);
    this.addSql(`delete from "quickbooks_list_sync" where "list"::text in ('OTHER_NAME', 'PAYMENT_METHOD');`);
  }

}
