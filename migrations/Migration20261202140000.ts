import { Migration } from '@mikro-orm/migrations';

/** A resource's own vendor is a ledger item of its own (RESOURCE_VENDOR), as an organization's customer is. */
export class Migration20261202140000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter type "transfer_entity_type" add value if not exists 'RESOURCE_VENDOR' after 'EXPENSE_REPORT';`);
  }

  override async down(): Promise<void> {
    // PostgreSQL cannot drop an enum value; nothing uses it once the code that writes it is gone.
  }

}
