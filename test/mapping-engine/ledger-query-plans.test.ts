/**
 * The ledger's Web Connector hot path reads by index, not by scanning the table: with 5 000 finished rows
 * (kept for history) and a few queued ones, the queries of mapping-engine/ledger-source.ts (whether anything
 * is left, the next window of every type in one statement, the pending count at authenticate) are planned on the partial index
 * transfer_item_pending. An invoice's lines are read by invoice_line_invoice_id_index (the upsert's comparison,
 * the invoices the engine translates). Checked with EXPLAIN on the real database, as PostgreSQL would run them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openTestDatabase } from '../helpers/test-database.js';
import type { Database } from '../../src/db/database.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { Invoice, InvoiceLine } from '../../src/modules/autotask/invoice.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { LedgerSource, pendingWindow } from '../../src/mapping-engine/ledger-source.js';
import { executeBound } from '../../src/db/rows.js';
import { TRANSFERRED_IDS_SQL } from '../../src/mapping-engine/translation-context.js';
import { STORED_FOR_ENQUEUE_SQL } from '../../src/modules/transfer/transfer-ledger.js';

let db: Database;
let connectorId: string;
const FINISHED = 5_000;
const QUEUED = 30;
/** Invoices of 10 lines each, so that reading a few invoices' lines by scanning would read thousands of rows. */
const INVOICES = 3_000;

beforeAll(async () => {
  db = await openTestDatabase();
  const em = db.orm.em.fork();
  const [busy, other] = [new Connector('Busy'), new Connector('Other')];
  await asActor({ id: 'test', name: 'plans' }, () => em.persist([busy, other]).flush());
  connectorId = busy.id;
  // Set-based: the history of two connectors, then a short queue of each type.
  await em.execute(
    `insert into transfer_item (id, created_at, updated_at, connector_id, entity_type, entity_id, state)
     select 'xfer_done_' || n, now(), now(), case when n % 2 = 0 then ? else ? end, 'INVOICE', 'inv_' || n, 'SUCCEEDED'
     from generate_series(1, ?) as n`,
    [busy.id, other.id, FINISHED],
  );
  await em.execute(
    `insert into transfer_item (id, created_at, updated_at, connector_id, entity_type, entity_id, state)
     select 'xfer_q_' || n, now(), now(), ?, case when n % 3 = 0 then 'ORGANIZATION' else 'INVOICE' end::transfer_entity_type, 'q_' || n,
            case when n % 5 = 0 then 'NEEDS_RECONCILE' else 'QUEUED' end::transfer_state
     from generate_series(1, ?) as n`,
    [busy.id, QUEUED],
  );
  await em.execute('analyze transfer_item');
  await em.execute(
    `insert into organization (id, created_at, updated_at, autotask_id, name) values ('org_plans', now(), now(), 1, 'Plans')`,
  );
  await em.execute(
    `insert into invoice (id, created_at, updated_at, autotask_id, organization_id, invoice_date, total)
     select 'inv_' || n, now(), now(), n, 'org_plans', '2026-01-31', 100 from generate_series(1, ?) as n`,
    [INVOICES],
  );
  await em.execute(
    `insert into invoice_line (id, created_at, updated_at, invoice_id, position, billing_item_kind, description, quantity, rate, amount, taxable)
     select 'invl_' || n || '_' || p, now(), now(), 'inv_' || n, p, 'WORK_TYPE', 'work', 1, 10, 10, false
     from generate_series(1, ?) as n, generate_series(1, 10) as p`,
    [INVOICES],
  );
  await em.execute('analyze invoice, invoice_line');
}, 120_000);
afterAll(async () => {
  await db?.close();
});

async function plan(em: EntityManager, sql: string): Promise<string> {
  const rows: Array<{ 'QUERY PLAN': string }> = await em.execute(`explain ${sql}`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

function expectIndexed(text: string): void {
  expect(text).toContain('transfer_item_pending');
  expect(text).not.toMatch(/Seq Scan on transfer_item/);
}

test('whether anything is left (after every answer) reads one row of the partial index', async () => {
  const em = db.orm.em.fork();
  const source = new LedgerSource(null as never, { maxRequestsPerMessage: 50, maxMessageBytes: 2_000_000 });
  const connector = em.getReference(Connector, connectorId);
  expect(await source.hasPending({ em, connector })).toBe(true);
  // The statement hasPending runs (ledger-source.ts), explained with this connector.
  expectIndexed(await plan(em, `select 1 from transfer_item where connector_id = '${connectorId}' and state in ('QUEUED', 'NEEDS_RECONCILE') limit 1`));
  expect(await source.hasPending({ em, connector: em.getReference(Connector, 'conn_none') })).toBe(false);
});

test('the pending count is planned on the partial index', async () => {
  const em = db.orm.em.fork();
  const pendingStates = { $in: [TransferState.QUEUED, TransferState.NEEDS_RECONCILE] };
  // The same filter as LedgerSource.pendingCount, rendered by the ORM.
  const count = em.createQueryBuilder(TransferItem).count().where({ connector: connectorId, state: pendingStates });
  expectIndexed(await plan(em, count.getFormattedQuery()));
  const source = new LedgerSource(null as never, { maxRequestsPerMessage: 50, maxMessageBytes: 2_000_000 });
  expect(await source.pendingCount({ em, connector: em.getReference(Connector, connectorId) })).toBe(QUEUED);
});

test("a batch's invoice lines are read by the invoice_line.invoice_id index, not by scanning every line", async () => {
  const em = db.orm.em.fork();
  const ids = Array.from({ length: 20 }, (_, i) => `'inv_${i * 37 + 1}'`).join(', ');
  const expectLinesIndexed = (text: string) => {
    expect(text).toContain('invoice_line_invoice_id_index');
    expect(text).not.toMatch(/Seq Scan on invoice_line/);
  };
  // upsertInvoices' read of the stored lines (selectRowsAsText with t.invoice_id = any(?), autotask.service.ts).
  expectLinesIndexed(await plan(em, `select t.* from invoice_line t where t.invoice_id = any(array[${ids}]) order by t.invoice_id, t.position`));
  // The lines of the invoices the engine translates, each invoice's with it (translation-context.ts: selectRowsAsTextWith).
  const asJson = JSON.stringify(ids.split(', ').map((id) => id.slice(1, -1)));
  expectLinesIndexed(await plan(em, `select t.id, (select coalesce(json_agg(json_build_array(c.id::text, c.position::text) order by c.position), '[]')
    from invoice_line c where c.invoice_id = t.id) as lines from invoice t where t.id::text = any(array(select jsonb_array_elements_text('${asJson}'::jsonb))) order by t.id`));
  const invoices = await em.find(Invoice, { id: { $in: ['inv_1', 'inv_38'] } }, { populate: ['lines'] });
  expect(invoices.map((i) => i.lines.length)).toEqual([10, 10]);
  expect(await em.count(InvoiceLine, { invoice: 'inv_1' })).toBe(10);
});

test("a message's ledger steps (writeSteps: one update of its rows, guarded by the state each was read in) reach the rows by primary key", async () => {
  const em = db.orm.em.fork();
  const rows = JSON.stringify([{ id: 'xfer_q_1', state: 'SENT' }, { id: 'xfer_q_2', state: 'SENT' }]);
  const expected = JSON.stringify({ xfer_q_1: 'QUEUED', xfer_q_2: 'QUEUED' });
  // The statement updateRows (src/db/rows.ts) builds for writeSteps, explained (not run).
  const text = await plan(em, `update "transfer_item" t set "state" = r."state" from json_populate_recordset(null::"transfer_item", '${rows}'::json) r
    where t.id = r.id and (t.id = any(array(select jsonb_object_keys('${expected}'::jsonb))) and t.state::text = ('${expected}'::jsonb ->> t.id)) returning t.id`);
  expect(text).toContain('transfer_item_pkey');
  expect(text).not.toMatch(/Seq Scan on transfer_item/);
});

test('the next window of every type (one statement a round: a branch per type, after its cursor) reads each branch by the partial index', async () => {
  const em = db.orm.em.fork();
  // An invoice waiting for an organization still queued is left out; one whose dependency succeeded is not.
  await em.execute(`update transfer_item set waits_for = 'xfer_q_3' where id = 'xfer_q_10'`);
  await em.execute(`update transfer_item set waits_for = 'xfer_done_2' where id = 'xfer_q_11'`);
  const types = [TransferEntityType.ORGANIZATION, TransferEntityType.INVOICE, TransferEntityType.PAYMENT];
  const cursors = new Map([[TransferEntityType.INVOICE, 'xfer_q_1']]);
  const window = pendingWindow(connectorId, types, cursors, 12);
  // Explained with its parameters bound, as LedgerSource.candidates runs it (executeBound).
  const rows = await executeBound<{ 'QUERY PLAN': string }>(em, `explain ${window.sql}`, window.params);
  const text = rows.map((r) => r['QUERY PLAN']).join('\n');
  expectIndexed(text);
  // The types with queued rows by the branches of the partial index; one with no rows at all by the statistics
  // (PAYMENT here) may be probed by the (entity_type, entity_id, connector_id) index instead: never a scan either.
  expect(text.match(/Index Scan using transfer_item_pending/g)).toHaveLength(2);
  // The dependency of a row that waited is probed by its primary key.
  expect(text).toContain('transfer_item_pkey');
  // Its rows: the types in the order given, each in id order after its cursor, cut to the limit.
  const got = await executeBound<{ id: string; entity_type: string }>(em, window.sql, window.params);
  const expected = [];
  for (const entityType of types) {
    const after = cursors.get(entityType);
    expected.push(...(await em.find(TransferItem, {
      connector: connectorId, entityType, state: { $in: [TransferState.QUEUED, TransferState.NEEDS_RECONCILE] }, ...(after ? { id: { $gt: after } } : {}),
    }, { orderBy: { id: 'asc' }, limit: 13 })).map((i) => i.id).filter((id) => id !== 'xfer_q_10').slice(0, 12));
  }
  expect(got.map((r) => r.id)).toContain('xfer_q_11');
  expect(got.map((r) => r.id)).toEqual(expected.slice(0, 12));
  expect(new Set(got.map((r) => r.entity_type))).toEqual(new Set(['ORGANIZATION', 'INVOICE']));
});

test("a batch's transferred ids (translation-context.ts: pairs of type and id) probe the unique index, not every finished row", async () => {
  const em = db.orm.em.fork();
  // The statement loadTransferred runs, explained with its parameters bound.
  const rows = await executeBound<{ 'QUERY PLAN': string }>(em, `explain ${TRANSFERRED_IDS_SQL}`, [['INVOICE', 'INVOICE', 'ORGANIZATION'], ['inv_2', 'inv_4', 'org_plans'], connectorId]);
  const text = rows.map((r) => r['QUERY PLAN']).join('\n');
  expect(text).toContain('transfer_item_entity_type_entity_id_connector_id_unique');
  expect(text).not.toMatch(/Seq Scan on transfer_item/);
});

test("queueTransfers' read of the batch's existing rows (transfer-ledger.ts: type, id and connector) probes the unique index", async () => {
  const em = db.orm.em.fork();
  // The statement enqueueBatch runs, explained with a batch of 1000 triples bound (most of them not in the ledger).
  const wanted = Array.from({ length: 1000 }, (_, n) => ({ entity_type: 'INVOICE', entity_id: `inv_${n * 2}`, connector_id: connectorId }));
  const rows = await executeBound<{ 'QUERY PLAN': string }>(em, `explain ${STORED_FOR_ENQUEUE_SQL}`, [JSON.stringify(wanted)]);
  const text = rows.map((r) => r['QUERY PLAN']).join('\n');
  expect(text).toContain('transfer_item_entity_type_entity_id_connector_id_unique');
  expect(text).not.toMatch(/Seq Scan on transfer_item/);
});
