import { Migration } from '@mikro-orm/migrations';

/** transfer_item.waits_for: the ledger item a queued item last waited for (ledger-source.ts, pendingWindow). */
export class Migration20261203080000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "transfer_item" add column "waits_for" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "transfer_item" drop column "waits_for";`);
  }

}
