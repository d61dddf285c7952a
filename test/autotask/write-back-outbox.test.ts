/**
 * The Autotask write-back outbox, driven by scheduler ticks against the fake Autotask: QuickBooks numbers after
 * a transfer SUCCEEDED, paid dates set and cleared, each written exactly once; failures recorded per invoice
 * (visible in GraphQL) and retried with a doubling wait; nothing written without an enabled connection.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/app/logger.js';
import { asActor, SYSTEM_ACTOR } from '../../src/modules/audit/actor.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import type { Connector } from '../../src/modules/connector/connector.entity.js';
import { enqueue, markSent, markSucceeded } from '../../src/modules/transfer/transfer-ledger.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import { AutotaskConnection } from '../../src/psa/autotask/autotask-connection.entity.js';
import { AutotaskInvoiceWriteBack } from '../../src/psa/autotask/invoice-write-back.entity.js';
import { toAutotaskDateTime } from '../../src/psa/autotask/mapping.js';
import { startAutotaskScheduler, type AutotaskScheduler } from '../../src/psa/autotask/scheduler.js';
import { SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { upsertProducts, upsertPurchaseOrders, upsertVendors } from '../../src/modules/purchasing/purchasing.service.js';
import { PurchaseOrder } from '../../src/modules/purchasing/purchase-order.entity.js';
import { ExpenseReport } from '../../src/modules/expenses/expense-report.entity.js';
import { upsertExpenseReports } from '../../src/modules/expenses/expenses.service.js';
import { upsertResources } from '../../src/modules/autotask/autotask.service.js';
import { company, invoice } from './helpers/fake-autotask.js';
import { connectionInput, seedConnectors, startAutotaskTestApp, type AutotaskTestApp } from './helpers/autotask-app.js';

const COMPANY = 29683700;
const INVOICES = [29685001, 29685002, 29685003, 29685004];
const MINUTE = 60_000;

let t: AutotaskTestApp;
let main: Connector;
let em: EntityManager;
let scheduler: AutotaskScheduler;
/** The write-back's clock (retry times). */
let now = new Date('2026-11-26T12:00:00Z');
let refNumber = 1000;

async function invoiceId(autotaskId: number): Promise<string> {
  return (await em.fork().findOneOrFail(Invoice, { autotaskId })).id;
}

/** The invoice's transfer to the main connector SUCCEEDED, as the Web Connector engine records it. */
async function transferred(autotaskId: number): Promise<{ refNumber: string; finishedAt: Date }> {
  const work = em.fork();
  const id = await invoiceId(autotaskId);
  const number = String(++refNumber);
  return asActor({ id: 'qbwc', name: 'Web Connector' }, async () => {
    const item = await enqueue(work, { connector: main, entityType: TransferEntityType.INVOICE, entityId: id, actor: { id: 'test', name: 'test' } });
    markSent(item, { requestId: `req-${autotaskId}`, ticket: 'ticket-1' });
    markSucceeded(item, { txnId: `TXN-${autotaskId}`, refNumber: number, editSequence: '1', statusCode: '0', message: 'Status OK' });
    await work.flush();
    return { refNumber: number, finishedAt: item.finishedAt! };
  });
}

/** What the paid-status source records when QuickBooks' status of the invoice changes. */
async function quickBooksShows(autotaskId: number, paidDate: string | null): Promise<void> {
  await em.fork().nativeUpdate(
    Invoice,
    { autotaskId },
    { qbIsPaid: paidDate !== null, qbPaidDate: paidDate, qbBalanceRemaining: paidDate ? '0.00' : '452.96', paidDate, qbPaidStatusChangedAt: new Date() },
  );
}

async function record(autotaskId: number): Promise<AutotaskInvoiceWriteBack> {
  return em.fork().findOneOrFail(AutotaskInvoiceWriteBack, { invoice: await invoiceId(autotaskId) });
}

function patches(autotaskId?: number) {
  return t.fake.calls('invoices', 'PATCH').filter((c) => autotaskId === undefined || (c.body as { id: number }).id === autotaskId);
}

beforeAll(async () => {
  t = await startAutotaskTestApp();
  ({ main } = await seedConnectors(t.app));
  em = t.app.database.orm.em.fork() as EntityManager;
  t.fake.put('companies', [company(COMPANY, 'Vandelay Industries')]);
  t.fake.put('invoices', INVOICES.map((id) => invoice(id, COMPANY)));
  await pushOrganization(em.fork(), COMPANY, 'Vandelay Industries');
  await pushInvoices(em.fork(), COMPANY, INVOICES);
  scheduler = startAutotaskScheduler({
    orm: t.app.database.orm as MikroORM,
    config: t.app.config,
    logger: createLogger({ logLevel: 'silent' }),
    tickSeconds: 3600,
    http: t.runtime.http,
    now: () => now,
  });
});
afterAll(async () => {
  await scheduler?.stop();
  await t?.close();
});
afterEach(() => {
  expect(t.fake.violations).toEqual([]);
});

test('nothing is written without an Autotask connection, nor while it is disabled', async () => {
  await transferred(29685001);
  t.fake.resetLog();
  expect(await scheduler.tick()).toBeNull();
  expect(scheduler.lastWriteBack).toBeNull();

  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { enabled: false, pullEveryMinutes: 1440 }) }, t.admin);
  expect(set.errors).toBeUndefined();
  t.fake.resetLog();
  await scheduler.tick();
  expect(scheduler.lastWriteBack).toBeNull();
  expect(t.fake.requests).toEqual([]);
});

test('after a transfer SUCCEEDED, a tick PATCHes the QuickBooks number and webServiceDate exactly once', async () => {
  await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { enabled: true, lastPullStartedAt: new Date() });
  const { refNumber: number, finishedAt } = await transferred(29685002);
  t.fake.resetLog();

  expect(await scheduler.tick()).toBeNull(); // no pull was due
  expect(scheduler.lastWriteBack).toMatchObject({ ran: true, numbersWritten: 2, paidDatesWritten: 0, failed: 0 });
  const [patch] = patches(29685002);
  expect(patch!.body).toEqual({ id: 29685002, invoiceNumber: number, webServiceDate: toAutotaskDateTime(finishedAt) });
  expect(t.fake.record('invoices', 29685002)).toMatchObject({ invoiceNumber: number, webServiceDate: toAutotaskDateTime(finishedAt) });
  expect(patches(29685001)).toHaveLength(1);
  expect(await record(29685002)).toMatchObject({ invoiceNumberWritten: number, failures: 0, lastError: null });

  await scheduler.tick();
  expect(scheduler.lastWriteBack).toMatchObject({ ran: true, numbersWritten: 0, paidDatesWritten: 0, paidDatesCleared: 0, failed: 0 });
  expect(patches()).toHaveLength(2);
});

test('a paid date from QuickBooks is written once, and cleared when QuickBooks no longer shows the invoice paid', async () => {
  await quickBooksShows(29685002, '2026-11-24');
  t.fake.resetLog();
  await scheduler.tick();
  expect(patches().map((p) => p.body)).toEqual([{ id: 29685002, paidDate: '2026-11-24T00:00:00' }]);
  expect(t.fake.record('invoices', 29685002)!.paidDate).toBe('2026-11-24T00:00:00');
  await scheduler.tick();
  expect(patches()).toHaveLength(1);

  await quickBooksShows(29685002, null);
  await scheduler.tick();
  expect(patches().map((p) => p.body)).toEqual([
    { id: 29685002, paidDate: '2026-11-24T00:00:00' },
    { id: 29685002, paidDate: null },
  ]);
  expect(t.fake.record('invoices', 29685002)!.paidDate).toBeNull();
  expect(await record(29685002)).toMatchObject({ paidDateWritten: null, paidClearRefused: false });
  await scheduler.tick();
  expect(patches()).toHaveLength(2);
});

test('an Autotask failure is recorded on the invoice and retried after a wait that doubles, until it succeeds', async () => {
  const { refNumber: number } = await transferred(29685003);
  // Autotask is down: every attempt of the client's bounded retries gets a 503.
  t.fake.fault({ method: 'PATCH', entity: 'invoices', status: 503, times: 6 });
  t.fake.resetLog();
  const start = now;
  await scheduler.tick();
  expect(scheduler.lastWriteBack).toMatchObject({ failed: 1 });
  expect(await record(29685003)).toMatchObject({
    failures: 1,
    lastFailedStep: 'INVOICE_NUMBER',
    lastErrorCode: 'AUTOTASK_UNAVAILABLE',
    nextAttemptAt: new Date(start.getTime() + 5 * MINUTE),
  });
  const shown = await t.app.gql(
    'query($id: ID!) { invoice(id: $id) { autotaskWriteBack { failures lastErrorCode lastError nextAttemptAt numberWrittenAt } } }',
    { id: await invoiceId(29685003) },
    t.admin,
  );
  expect(shown.errors).toBeUndefined();
  expect(shown.data).toMatchObject({
    invoice: { autotaskWriteBack: { failures: 1, lastErrorCode: 'AUTOTASK_UNAVAILABLE', lastError: expect.any(String), numberWrittenAt: null } },
  });

  // Not before its time.
  const attempts = patches(29685003).length;
  now = new Date(start.getTime() + 4 * MINUTE);
  await scheduler.tick();
  expect(patches(29685003)).toHaveLength(attempts);

  // Second failure: the wait doubles.
  now = new Date(start.getTime() + 5 * MINUTE);
  await scheduler.tick();
  expect(await record(29685003)).toMatchObject({ failures: 2, nextAttemptAt: new Date(now.getTime() + 10 * MINUTE) });

  now = new Date(now.getTime() + 10 * MINUTE);
  await scheduler.tick();
  expect(scheduler.lastWriteBack).toMatchObject({ numbersWritten: 1, failed: 0 });
  expect(t.fake.record('invoices', 29685003)!.invoiceNumber).toBe(number);
  expect(await record(29685003)).toMatchObject({ failures: 0, nextAttemptAt: null, lastErrorCode: null, lastError: null, invoiceNumberWritten: number });
});

test('Autotask refusing to clear a paid date is recorded for a person to act on, and not retried', async () => {
  await transferred(29685004);
  await quickBooksShows(29685004, '2026-11-20');
  await scheduler.tick();
  expect(t.fake.record('invoices', 29685004)!.paidDate).toBe('2026-11-20T00:00:00');

  await quickBooksShows(29685004, null);
  t.fake.fault({ method: 'PATCH', entity: 'invoices', status: 500, body: { errors: ['Value for field [paidDate] cannot be null.'] } });
  t.fake.resetLog();
  await scheduler.tick();
  expect(await record(29685004)).toMatchObject({
    paidClearRefused: true,
    paidDateWritten: '2026-11-20',
    lastFailedStep: 'PAID_DATE',
    lastErrorCode: 'AUTOTASK_PAID_DATE_CLEAR_REFUSED',
    lastError: expect.stringContaining('clear "Paid Date" in Autotask by hand'),
    nextAttemptAt: null,
  });
  now = new Date(now.getTime() + 24 * 60 * MINUTE);
  await scheduler.tick();
  expect(patches(29685004)).toHaveLength(1);
  expect(await record(29685004)).toMatchObject({ paidClearRefused: true, lastErrorCode: 'AUTOTASK_PAID_DATE_CLEAR_REFUSED' });

  // Paid again in QuickBooks: written as usual, and the refusal is history.
  await quickBooksShows(29685004, '2026-11-28');
  await scheduler.tick();
  expect(t.fake.record('invoices', 29685004)!.paidDate).toBe('2026-11-28T00:00:00');
  expect(await record(29685004)).toMatchObject({ paidClearRefused: false, paidDateWritten: '2026-11-28', lastError: null });
});

test('the QuickBooks number of a transferred purchase order is written to Autotask\'s externalPONumber once', async () => {
  await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { enabled: true, lastPullStartedAt: new Date() });
  t.fake.put('purchaseorders', [{ id: 9001, vendorID: 500, status: 2, externalPONumber: null }]);
  await upsertVendors(em.fork(), { vendors: [{ autotaskId: 500, name: 'Ingram Micro' }] } as never);
  await upsertProducts(em.fork(), { products: [{ autotaskId: 700, name: 'USB-C Dock' }] } as never);
  await upsertPurchaseOrders(em.fork(), {
    purchaseOrders: [{ autotaskId: 9001, status: 'SUBMITTED', vendorAutotaskId: 500, orderDate: '2026-11-10', lines: [{ autotaskId: 90011, productAutotaskId: 700, quantity: '2', unitCost: '180' }] }],
  } as never, SYSTEM_ACTOR);
  const order = await em.fork().findOneOrFail(PurchaseOrder, { autotaskId: 9001 });
  const work = em.fork();
  await asActor({ id: 'qbwc', name: 'Web Connector' }, async () => {
    const item = await enqueue(work, { connector: main, entityType: TransferEntityType.PURCHASE_ORDER, entityId: order.id, actor: { id: 'test', name: 'test' } });
    markSent(item, { requestId: 'req-po', ticket: 'ticket-1' });
    markSucceeded(item, { txnId: 'TXN-PO', refNumber: '7', editSequence: '1', statusCode: '0', message: 'Status OK' });
    await work.flush();
  });
  t.fake.resetLog();
  await scheduler.tick();
  expect(t.fake.calls('purchaseorders', 'PATCH').map((c) => c.body)).toEqual([{ id: 9001, externalPONumber: '7' }]);
  expect(t.fake.table('purchaseorders')[0]!['externalPONumber']).toBe('7');
  expect((await em.fork().findOneOrFail(PurchaseOrder, { id: order.id })).externalPONumber).toBe('7');
  t.fake.resetLog();
  await scheduler.tick();
  expect(t.fake.calls('purchaseorders', 'PATCH')).toEqual([]);
});

test("the QuickBooks TxnID of a transferred expense report is written to Autotask's quickBooksReferenceNumber once", async () => {
  await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { enabled: true, lastPullStartedAt: new Date() });
  t.fake.put('expensereports', [{ id: 4401, submitterID: 901, status: 3, quickBooksReferenceNumber: null }]);
  await upsertResources(em.fork(), { resources: [{ autotaskId: 901, firstName: 'Ray', lastName: 'One' }] } as never);
  await upsertExpenseReports(em.fork(), {
    expenseReports: [{ autotaskId: 4401, name: 'Onsite', resourceAutotaskId: 901, status: 'APPROVED_FOR_PAYMENT', weekEnding: '2026-11-14', items: [{ autotaskId: 44011, expenseDate: '2026-11-10', description: 'Taxi', expenseCategoryId: 'travel', amount: '42.50' }] }],
  } as never);
  const report = await em.fork().findOneOrFail(ExpenseReport, { autotaskId: 4401 });
  const work = em.fork();
  await asActor({ id: 'qbwc', name: 'Web Connector' }, async () => {
    const item = await enqueue(work, { connector: main, entityType: TransferEntityType.EXPENSE_REPORT, entityId: report.id, actor: { id: 'test', name: 'test' } });
    markSent(item, { requestId: 'req-exr', ticket: 'ticket-1' });
    markSucceeded(item, { txnId: '2A-1716229700', refNumber: '4401', editSequence: '1', statusCode: '0', message: 'Status OK' });
    await work.flush();
  });
  t.fake.resetLog();
  await scheduler.tick();
  expect(t.fake.calls('expensereports', 'PATCH').map((c) => c.body)).toEqual([{ id: 4401, quickBooksReferenceNumber: '2A-1716229700' }]);
  expect(t.fake.table('expensereports')[0]!['quickBooksReferenceNumber']).toBe('2A-1716229700');
  expect((await em.fork().findOneOrFail(ExpenseReport, { id: report.id })).quickBooksReferenceNumber).toBe('2A-1716229700');
  t.fake.resetLog();
  await scheduler.tick();
  expect(t.fake.calls('expensereports', 'PATCH')).toEqual([]);
});
