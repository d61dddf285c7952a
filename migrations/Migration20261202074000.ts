import { Migration } from '@mikro-orm/migrations';

export class Migration20261202074000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "transfer_item" add column "resync_after_send" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "transfer_item" drop column "resync_after_send";`);
  }

}
