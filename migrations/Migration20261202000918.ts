import { Migration } from '@mikro-orm/migrations';

export class Migration20261202000918 extends Migration {

  override async up(): Promise<void> {
    // Sign-in throttling now counts per client address and per credential user name: the old
    // per-registration counters mean nothing any more.
    this.addSql(`delete from "qbwc_auth_throttle" where "key" not like 'address:%' and "key" not like 'user:%';`);
    this.addSql(`create index "qbwc_auth_throttle_window_started_at_index" on "qbwc_auth_throttle" ("window_started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "qbwc_auth_throttle_window_started_at_index";`);
  }

}
