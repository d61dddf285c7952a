/**
 * The paid-status source's run bookkeeping, driven directly with QuickBooks-shaped answers (the end-to-end
 * test covers the happy paths through the Web Connector): refused queries, unknown outcomes, answers for runs
 * that are over, and the high-water mark moving only on success.
 */
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/app/logger.js';
import type { Database } from '../../src/db/database.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { PaidStatusSync } from '../../src/modules/paid-status/paid-status-sync.entity.js';
import { PaidStatusSource } from '../../src/modules/paid-status/paid-status.source.js';
import { paidStatusFacts } from '../../src/modules/paid-status/paid-status.store.js';
import { fromModifiedDate } from '../../src/modules/quickbooks-lists/qb-time.js';
import { enqueue, markSent, markSucceeded } from '../../src/modules/transfer/transfer-ledger.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import type { QbxmlResponseItem } from '../../src/qbwc/qbxml-message.js';
import type { QbwcSession } from '../../src/qbwc/session/qbwc-session.entity.js';
import type { OutboundRequest, SentRequest, WorkContext } from '../../src/qbwc/work/work-source.js';
import { pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { openTestDatabase } from '../helpers/test-database.js';

const MINUTE = 60_000;
const logger = createLogger({ logLevel: 'silent' });

let db: Database;
let connector: Connector;
let invoiceId: string;
let now = new Date('2026-11-26T12:00:00Z');
const source = new PaidStatusSource({ everyMinutes: 60, pageSize: 100, overlapMinutes: 10 }, () => now);

function ctx(sessionId: string): WorkContext {
  return { em: db.orm.em.fork() as EntityManager, connector, session: { id: sessionId } as QbwcSession, qbxmlVersion: '13.0', logger };
}

function sentAs(request: OutboundRequest): SentRequest {
  return { ...request, source: source.id };
}

function answer(request: OutboundRequest, over: Partial<QbxmlResponseItem> = {}): QbxmlResponseItem {
  return { type: request.type.replace(/Rq$/, 'Rs'), requestId: request.requestId, statusCode: 0, statusSeverity: 'Info', statusMessage: 'Status OK', iteratorId: undefined, iteratorRemainingCount: undefined, body: {}, ...over };
}

async function state(): Promise<PaidStatusSync> {
  return db.orm.em.fork().findOneOrFail(PaidStatusSync, { connector });
}

beforeAll(async () => {
  db = await openTestDatabase();
  const em = db.orm.em.fork() as EntityManager;
  connector = new Connector('Books');
  await asActor({ id: 'test', name: 'test' }, async () => {
    em.persist(connector);
    await em.flush();
  });
  await pushOrganization(em, 700, 'Hooli');
  [invoiceId] = await pushInvoices(em, 700, [9700]);
  await asActor({ id: 'qbwc', name: 'Web Connector' }, async () => {
    const item = await enqueue(em, { connector, entityType: TransferEntityType.INVOICE, entityId: invoiceId!, actor: { id: 'test', name: 'test' } });
    markSent(item, { requestId: 'r1', ticket: 't1' });
    markSucceeded(item, { txnId: 'TXN-9700', refNumber: '77', editSequence: '1', statusCode: '0', message: 'Status OK' });
    await em.flush();
  });
});
afterAll(async () => {
  await db?.close();
});

test('a refused query is recorded as FAILED, keeps no mark, and waits until the check is due again', async () => {
  expect(await source.pendingCount({ em: db.orm.em.fork() as EntityManager, connector, logger })).toBe(1);
  const c = ctx('ses_1');
  const [query] = await source.nextRequests(c, { count: 10 });
  expect(query!.type).toBe('InvoiceQueryRq');
  expect(await source.handleResponse(c, sentAs(query!), answer(query!, { statusCode: 3250, statusSeverity: 'Error', statusMessage: 'This feature is not enabled' }))).toEqual([]);
  expect(await state()).toMatchObject({ lastOutcome: 'FAILED', lastStatusCode: 3250, highWaterMark: null, runId: null });
  expect((await state()).lastError).toContain('status 3250: This feature is not enabled');

  expect(await source.nextRequests(ctx('ses_1'), { count: 10 })).toEqual([]); // once per session
  expect(await source.nextRequests(ctx('ses_2'), { count: 10 })).toEqual([]); // not due again yet
  now = new Date(now.getTime() + 60 * MINUTE);
  expect(await source.pendingCount({ ...ctx('ses_3'), session: undefined } as never)).toBe(1);
});

test('a successful check records the status and moves the mark; answers for a run that is over are ignored', async () => {
  const c = ctx('ses_3');
  const [query] = await source.nextRequests(c, { count: 10 });
  const paid = {
    InvoiceRet: [
      { TxnID: 'TXN-9700', TimeModified: '2026-11-26T08:00:00-05:00', TxnDate: '2026-11-20', BalanceRemaining: '0.00', IsPaid: 'true', LinkedTxn: { TxnID: 'P', TxnType: 'ReceivePayment', TxnDate: '2026-11-25', Amount: '-332.50' } },
      { TxnID: 'NOT-OURS', TimeModified: '2026-11-26T09:00:00-05:00', TxnDate: '2026-11-20', BalanceRemaining: '10.00', IsPaid: 'false' },
    ],
  };
  expect(await source.handleResponse(c, sentAs(query!), answer(query!, { body: paid }))).toEqual([]);
  expect(await state()).toMatchObject({ lastOutcome: 'OK', highWaterMark: '2026-11-26T09:00:00-05:00', lastReceived: 2, lastUpdated: 1 });
  expect(await db.orm.em.fork().findOneOrFail(Invoice, { id: invoiceId })).toMatchObject({ qbIsPaid: true, qbBalanceRemaining: '0.00', qbPaidDate: '2026-11-25', paidDate: '2026-11-25' });

  // The same answer again (a duplicate post): the run is over, nothing changes.
  const before = await state();
  expect(await source.handleResponse(ctx('ses_3'), sentAs(query!), answer(query!, { body: { InvoiceRet: { ...paid.InvoiceRet[0], TimeModified: '2026-11-27T00:00:00-05:00' } } }))).toEqual([]);
  expect((await state()).highWaterMark).toBe(before.highWaterMark);
});

test('an unknown outcome interrupts the run without moving the mark; the next session runs it again from the same point', async () => {
  now = new Date(now.getTime() + 60 * MINUTE);
  const c = ctx('ses_4');
  const [query] = await source.nextRequests(c, { count: 10 });
  const from = fromModifiedDate('2026-11-26T09:00:00-05:00', 10);
  expect(query!.innerXml).toContain(`<FromModifiedDate>${from}</FromModifiedDate>`);
  // Incremental: the invoices' first page brings the payments query along.
  const followUps = await source.handleResponse(c, sentAs(query!), answer(query!, { iteratorId: '{IT}', iteratorRemainingCount: 1, body: {} }));
  expect(followUps.map((f) => f.type).sort()).toEqual(['InvoiceQueryRq', 'ReceivePaymentQueryRq']);
  expect((await state()).runOutstanding).toBe(2);

  await source.handleUnknownOutcome(c, followUps.map(sentAs), 'the response was lost');
  expect(await state()).toMatchObject({ lastOutcome: 'INTERRUPTED', highWaterMark: '2026-11-26T09:00:00-05:00', runId: null });
  expect((await state()).lastError).toContain('the response was lost');
  expect(await source.nextRequests(ctx('ses_4'), { count: 10 })).toEqual([]);

  const [again] = await source.nextRequests(ctx('ses_5'), { count: 10 });
  expect(again!.innerXml).toContain(`<FromModifiedDate>${from}</FromModifiedDate>`);
});

test('a run left open by an abandoned update makes the next authenticate report work', async () => {
  // ses_5's run is open (its answer never came) and ses_5 is not an active session any more.
  expect((await state()).runSessionId).toBe('ses_5');
  expect(await source.pendingCount({ em: db.orm.em.fork() as EntityManager, connector, logger })).toBe(1);
  // Asked within that same session, it is its own run: nothing more to do.
  expect(await source.pendingCount(ctx('ses_5'))).toBe(0);
});

test('whether the check is due is one statement; after an answer that read the state, none', async () => {
  const em = db.orm.em.fork() as EntityManager;
  const facts = await paidStatusFacts(em, connector.id);
  // The state row read along as JSON is the entity a findOne reads (dates as dates).
  const found = await db.orm.em.fork().findOneOrFail(PaidStatusSync, { connector });
  expect(facts.state).toMatchObject({ id: found.id, runId: found.runId, runStartedAt: found.runStartedAt, lastAttemptAt: found.lastAttemptAt, lastOutcome: found.lastOutcome });
  expect(facts.state!.lastAttemptAt).toBeInstanceOf(Date);
  expect(facts.transferred.any).toBe(true);

  const statements = vi.spyOn(db.orm.em.getConnection(), 'execute');
  try {
    const c = ctx('ses_6');
    const [query] = await source.nextRequests(c, { count: 10 }); // ses_5's run was left open
    // One read (the facts); the rest write the run's start (and its audit entry).
    expect(statements.mock.calls.filter(([sql]) => /^\s*select/i.test(String(sql)))).toHaveLength(1);
    const answered = ctx('ses_6');
    const followUps = await source.handleResponse(answered, sentAs(query!), answer(query!, { body: {} }));
    expect(followUps.map((f) => f.type)).toEqual(['ReceivePaymentQueryRq']);
    statements.mockClear();
    expect(await source.hasPending(answered)).toBe(false); // its own run is going on
    expect(statements).not.toHaveBeenCalled();
    expect(await source.hasPending(ctx('ses_6'))).toBe(false); // a call that read nothing yet: the facts
    expect(statements).toHaveBeenCalledTimes(1);
  } finally {
    statements.mockRestore();
  }
});
