import { Migration } from '@mikro-orm/migrations';

export class Migration20261202134830 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "autotask_connection" add column "time_entries_pulled_through" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "autotask_connection" drop column "time_entries_pulled_through";`);
  }

}
