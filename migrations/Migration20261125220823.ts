import { Migration } from '@mikro-orm/migrations';

export class Migration20261125220823 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "qbwc_session" add column "no_op_count" int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "qbwc_session" drop column "no_op_count";`);
  }

}
