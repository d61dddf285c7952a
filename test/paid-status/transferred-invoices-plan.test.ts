/**
 * The paid-status check asks at every Web Connector call whether the connector has transferred invoices and since
 * when (paid-status.store.ts paidStatusFacts, with its check state and binding). With a long history that is one probe of the partial index
 * transfer_item_transferred_invoice, not a count over every finished row. Checked with EXPLAIN on the real database.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDatabase } from '../helpers/test-database.js';
import type { Database } from '../../src/db/database.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { paidStatusFacts, paidStatusFactsQuery } from '../../src/modules/paid-status/paid-status.store.js';

let db: Database;
let busyId: string;
let idleId: string;
const HISTORY = 6_000;

beforeAll(async () => {
  db = await openTestDatabase();
  const em = db.orm.em.fork();
  const [busy, idle] = [new Connector('Busy'), new Connector('Idle')];
  await asActor({ id: 'test', name: 'plans' }, () => em.persist([busy, idle]).flush());
  [busyId, idleId] = [busy.id, idle.id];
  // A long history of transferred invoices (the earliest on day 1), some customers, and queued work on the idle one.
  await em.execute(
    `insert into transfer_item (id, created_at, updated_at, connector_id, entity_type, entity_id, state, qb_txn_id, finished_at)
     select 'xfer_' || n, now(), now(), ?, case when n % 4 = 0 then 'ORGANIZATION' else 'INVOICE' end::transfer_entity_type, 'e_' || n,
            'SUCCEEDED', 'TXN-' || n, timestamptz '2026-01-01' + make_interval(hours => n)
     from generate_series(1, ?) as n`,
    [busy.id, HISTORY],
  );
  await em.execute(
    `insert into transfer_item (id, created_at, updated_at, connector_id, entity_type, entity_id, state)
     select 'xfer_q_' || n, now(), now(), ?, 'INVOICE', 'q_' || n, 'QUEUED' from generate_series(1, 20) as n`,
    [idle.id],
  );
  await em.execute('analyze transfer_item');
}, 120_000);
afterAll(async () => {
  await db?.close();
});

test('since when a connector has transferred invoices: the earliest, read from the partial index', async () => {
  const em = db.orm.em.fork();
  expect((await paidStatusFacts(em, busyId)).transferred).toEqual({ any: true, firstFinishedAt: new Date('2026-01-01T01:00:00Z') });
  expect((await paidStatusFacts(em, idleId)).transferred).toEqual({ any: false, firstFinishedAt: null });

  // The statement the service runs, explained with this connector.
  const { sql, params } = paidStatusFactsQuery(busyId);
  const rows: Array<{ 'QUERY PLAN': string }> = await em.execute(`explain ${sql}`, params);
  const text = rows.map((r) => r['QUERY PLAN']).join('\n');
  expect(text).toContain('transfer_item_transferred_invoice');
  expect(text).not.toMatch(/Seq Scan on transfer_item|Sort/);
});
