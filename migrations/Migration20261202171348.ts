import { Migration } from '@mikro-orm/migrations';

/**
 * A session's in-flight requests become rows of their own (qbwc_in_flight_request) instead of the session's
 * in_flight JSON, which every call rewrote and audited. Requests in flight at the upgrade move over (without
 * their qbXML, which is not needed again), so their answers or their reconciliation still find them.
 */
export class Migration20261202171348 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "qbwc_in_flight_request" ("session_id" text not null, "position" int not null, "request" jsonb not null, constraint "qbwc_in_flight_request_pkey" primary key ("session_id", "position"));`);

    this.addSql(`alter table "qbwc_in_flight_request" add constraint "qbwc_in_flight_request_session_id_foreign" foreign key ("session_id") references "qbwc_session" ("id") on update cascade on delete cascade;`);

    this.addSql(`insert into "qbwc_in_flight_request" ("session_id", "position", "request")
      select s."id", r.position - 1, r.request - 'innerXml' - 'attributes'
      from "qbwc_session" s cross join lateral jsonb_array_elements(s."in_flight") with ordinality as r(request, position)
      where jsonb_typeof(s."in_flight") = 'array';`);

    this.addSql(`alter table "qbwc_session" drop column "in_flight";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "qbwc_session" add column "in_flight" jsonb not null default '[]';`);

    // The qbXML of requests in flight is gone: it was only ever sent, never read back.
    this.addSql(`update "qbwc_session" s set "in_flight" = r.requests
      from (select "session_id", jsonb_agg("request" || '{"innerXml": ""}' order by "position") as requests from "qbwc_in_flight_request" group by "session_id") r
      where s."id" = r."session_id";`);

    this.addSql(`alter table "qbwc_session" alter column "in_flight" drop default;`);

    this.addSql(`drop table if exists "qbwc_in_flight_request" cascade;`);
  }

}
