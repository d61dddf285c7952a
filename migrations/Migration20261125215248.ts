import { Migration } from '@mikro-orm/migrations';

export class Migration20261125215248 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "connector_alert_kind" as enum ('WRONG_COMPANY_FILE', 'QUICKBOOKS_UNREACHABLE', 'QUICKBOOKS_ERROR');`);
    this.addSql(`create type "qbwc_session_state" as enum ('ACTIVE', 'CLOSED', 'FAILED', 'EXPIRED');`);
    this.addSql(`create type "qbwc_session_phase" as enum ('VERIFYING_COMPANY', 'WORKING', 'FINISHED');`);
    this.addSql(`create table "qbwc_auth_throttle" ("key" text not null, "failures" int not null default 0, "window_started_at" timestamptz not null, "blocked_until" timestamptz null, constraint "qbwc_auth_throttle_pkey" primary key ("key"));`);

    this.addSql(`create table "connector_alert" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "connector_id" text not null, "kind" "connector_alert_kind" not null, "message" text not null, "details" jsonb not null, "resolved_at" timestamptz null, constraint "connector_alert_pkey" primary key ("id"));`);

    this.addSql(`create table "qbwc_session" ("id" text not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "ticket" text not null, "registration_id" text not null, "connector_id" text not null, "state" "qbwc_session_state" not null default 'ACTIVE', "phase" "qbwc_session_phase" not null default 'VERIFYING_COMPANY', "last_call_at" timestamptz not null, "closed_at" timestamptz null, "company_file_path" text null, "bound_path_given" boolean not null default false, "open_file_retried" boolean not null default false, "qbxml_version" text null, "host" jsonb null, "in_flight" jsonb not null, "follow_ups" jsonb not null, "sent_count" int not null default 0, "succeeded_count" int not null default 0, "failed_count" int not null default 0, "last_error" text null, "outcome" text null, constraint "qbwc_session_pkey" primary key ("id"));`);
    this.addSql(`alter table "qbwc_session" add constraint "qbwc_session_ticket_unique" unique ("ticket");`);
    this.addSql(`create unique index "qbwc_session_one_active_per_connector" on "qbwc_session" ("connector_id") where "state" = 'ACTIVE';`);

    this.addSql(`alter table "connector_alert" add constraint "connector_alert_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "qbwc_session" add constraint "qbwc_session_registration_id_foreign" foreign key ("registration_id") references "registration" ("id") on update cascade;`);
    this.addSql(`alter table "qbwc_session" add constraint "qbwc_session_connector_id_foreign" foreign key ("connector_id") references "connector" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "qbwc_auth_throttle" cascade;`);

    this.addSql(`drop table if exists "connector_alert" cascade;`);

    this.addSql(`drop table if exists "qbwc_session" cascade;`);

    this.addSql(`drop type "connector_alert_kind";`);
    this.addSql(`drop type "qbwc_session_state";`);
    this.addSql(`drop type "qbwc_session_phase";`);
  }

}
