import { Migration } from '@mikro-orm/migrations';

export class Migration20261201232456 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "long_name_policy" as enum ('SHORTEN', 'FAIL');`);
    this.addSql(`create table "transfer_prerequisite" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "key" text not null, "list_id" text null, constraint "transfer_prerequisite_pkey" primary key ("id"));`);
    this.addSql(`alter table "transfer_prerequisite" add constraint "transfer_prerequisite_connector_id_key_unique" unique ("connector_id", "key");`);

    this.addSql(`alter table "transfer_prerequisite" add constraint "transfer_prerequisite_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "connector" add column "long_name_policy" "long_name_policy" not null default 'SHORTEN';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "transfer_prerequisite" cascade;`);

    this.addSql(`alter table "connector" drop column "long_name_policy";`);

    this.addSql(`drop type "long_name_policy";`);
  }

}
