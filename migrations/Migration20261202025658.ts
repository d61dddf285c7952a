import { Migration } from '@mikro-orm/migrations';

export class Migration20261202025658 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "transfer_item_pending" on "transfer_item" ("connector_id", "entity_type", "id") where "state" in ('QUEUED', 'NEEDS_RECONCILE');`);

    this.addSql(`alter table "qbwc_session" add column "identity_checks_unanswered" int not null default 0, add column "pending_at_start" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "qbwc_session" drop column "identity_checks_unanswered", drop column "pending_at_start";`);

    this.addSql(`drop index "transfer_item_pending";`);
  }

}
