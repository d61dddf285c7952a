import { Migration } from '@mikro-orm/migrations';

export class Migration20261125213621 extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table "transfer_item" add column "step_count" int not null default 0, add column "request_id" text null, add column "ticket" text null, add column "sent_at" timestamptz null;`);

    this.addSql(`alter table "transfer_attempt" add column "request_id" text null;`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table "transfer_attempt" drop column "request_id";`);

    this.addSql(`alter table "transfer_item" drop column "step_count", drop column "request_id", drop column "ticket", drop column "sent_at";`);
  }

}
