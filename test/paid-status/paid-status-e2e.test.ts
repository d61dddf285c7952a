/**
 * End to end: invoices transferred through the Web Connector to the simulated QuickBooks, payments received
 * in QuickBooks, and the next Web Connector updates bringing the paid status back onto our invoices; then the
 * Autotask scheduler writing the QuickBooks numbers and paid dates back to a fake Autotask.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/app/logger.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { PaidStatusSync } from '../../src/modules/paid-status/paid-status-sync.entity.js';
import { PaidStatusSource } from '../../src/modules/paid-status/paid-status.source.js';
import { fromModifiedDate } from '../../src/modules/quickbooks-lists/qb-time.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { AutotaskConnection } from '../../src/psa/autotask/autotask-connection.entity.js';
import { startAutotaskScheduler } from '../../src/psa/autotask/scheduler.js';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { connectionInput, TEST_KEY } from '../autotask/helpers/autotask-app.js';
import { company as atCompany, FakeAutotask, invoice as atInvoice } from '../autotask/helpers/fake-autotask.js';
import { mapBillingValues, pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { validator } from '../helpers/spec.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const OVERLAP_MINUTES = 10;
const AUTOTASK_IDS = [9101, 9102, 9103];

let app: TestApp;
let fake: FakeAutotask;
let fixture: Fixture;
let connectorId: string;
let qwc: string;
let qb: QuickBooksSimulator;
/** QuickBooks' clock: moved forward between steps so TimeModified tells the steps apart. */
let qbNow = Date.now();
/** Our invoice id and QuickBooks TxnID, by Autotask id. */
const ids = new Map<number, { invoiceId: string; txnId: string }>();

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await app.gql(query, variables, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, never>;
}

function qbxml(body: string): void {
  const result = qb.process(`<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${body}</QBXMLMsgsRq></QBXML>`);
  expect(result.kind).toBe('response');
  if (result.kind === 'response') expect(result.responseXml).toContain('statusCode="0"');
}

/** A payment received in QuickBooks (as a person would enter it there), applied to one invoice. */
function receivePayment(autotaskId: number, amount: string, txnDate: string): void {
  qbNow += 60 * 60_000;
  const invoice = qb.company.invoices.find((i) => i.txnId === ids.get(autotaskId)!.txnId)!;
  qbxml(
    `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><ListID>${invoice.customerId}</ListID></CustomerRef><TxnDate>${txnDate}</TxnDate>` +
      `<RefNumber>CHK-${autotaskId}</RefNumber><TotalAmount>${amount}</TotalAmount>` +
      `<AppliedToTxnAdd><TxnID>${invoice.txnId}</TxnID><PaymentAmount>${amount}</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd></ReceivePaymentAddRq>`,
  );
}

async function ourInvoice(autotaskId: number): Promise<Invoice> {
  return app.database.orm.em.fork().findOneOrFail(Invoice, { autotaskId });
}

async function checkState(): Promise<PaidStatusSync> {
  return app.database.orm.em.fork().findOneOrFail(PaidStatusSync, { connector: connectorId });
}

/** The qbXML requests of the check in a run's messages, e.g. `InvoiceQueryRq` elements. */
function sent(run: { requests: readonly string[] }, type: string): string[] {
  return run.requests.flatMap((m) => m.match(new RegExp(`<${type} [^>]*requestID="paid:[^"]*"[^>]*>.*?</${type}>`, 'gs')) ?? []);
}

beforeAll(async () => {
  fake = await new FakeAutotask().start();
  app = await startTestApp({
    reachableQwc: true,
    engine: true,
    // Page size 2: three transferred invoices take an iterator continuation. Due at every session.
    workSources: [new PaidStatusSource({ everyMinutes: 0, pageSize: 2, overlapMinutes: OVERLAP_MINUTES })],
    env: { AUTOTASK_ZONE_LOOKUP_URL: fake.zoneUrl, AUTOTASK_CREDENTIALS_KEY: TEST_KEY },
  });
  fixture = await createFixture(app);
  connectorId = await createConnector(app, fixture, 'Acme Books');
  qwc = (await register(app, fixture, connectorId)).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  const clock = () => new Date(qbNow);
  qb = new QuickBooksSimulator({ validator, clock, company: createCompanyFile({ seed: 'standard', companyName: 'Acme Books', clock }) });
  qbxml('<ClassAddRq><ClassAdd><Name>Managed</Name></ClassAdd></ClassAddRq>');
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

test('transferred invoices start unpaid with their full balance; the first check reads from the day before the first transfer', async () => {
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 601, 'Initech');
  const invoiceIds = await pushInvoices(em, 601, AUTOTASK_IDS);
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: invoiceIds } });

  const run = await update(qwc, qb);
  expect(run.outcome).toBe('completed');
  const items = await app.database.orm.em.fork().find(TransferItem, { entityType: TransferEntityType.INVOICE }, { orderBy: { id: 'asc' } });
  expect(items.map((i) => i.state)).toEqual([TransferState.SUCCEEDED, TransferState.SUCCEEDED, TransferState.SUCCEEDED]);
  for (const item of items) {
    const invoice = await app.database.orm.em.fork().findOneOrFail(Invoice, { id: item.entityId });
    ids.set(invoice.autotaskId, { invoiceId: invoice.id, txnId: item.qbTxnId! });
  }

  // The check ran in the same session, once the invoices were in QuickBooks: page 1 of 2, then the continuation.
  const queries = sent(run, 'InvoiceQueryRq');
  expect(queries).toHaveLength(2);
  const firstDay = new Date(Math.min(...items.map((i) => i.finishedAt!.getTime())) - 24 * 3_600_000).toISOString().slice(0, 10);
  expect(queries[0]).toContain(`<ModifiedDateRangeFilter><FromModifiedDate>${firstDay}</FromModifiedDate></ModifiedDateRangeFilter>`);
  expect(queries[0]).toMatch(/iterator="Start"/);
  expect(queries[0]).toContain('<MaxReturned>2</MaxReturned>');
  expect(queries[0]).toContain('<IncludeLinkedTxns>true</IncludeLinkedTxns>');
  expect(queries[0]).toContain('<IncludeRetElement>BalanceRemaining</IncludeRetElement>');
  expect(queries[1]).toMatch(/iterator="Continue"/);
  // A first check reads every invoice since the first transfer anyway: no payments query.
  expect(sent(run, 'ReceivePaymentQueryRq')).toEqual([]);

  for (const autotaskId of AUTOTASK_IDS) {
    expect(await ourInvoice(autotaskId)).toMatchObject({ qbIsPaid: false, qbBalanceRemaining: '332.50', qbPaidDate: null, paidDate: null });
  }
  const state = await checkState();
  expect(state).toMatchObject({ lastOutcome: 'OK', lastReceived: 3, lastUpdated: 3, runId: null });
  const newest = qb.company.invoices.map((i) => i.timeModified).sort().at(-1);
  expect(state.highWaterMark).toBe(newest);
});

test('a payment in full: the next update shows the paid date and a zero balance, reading only what changed since the last check', async () => {
  const before = await checkState();
  const untouched = await ourInvoice(9102);
  receivePayment(9101, '332.50', '2026-11-24');

  const run = await update(qwc, qb);
  expect(run.outcome).toBe('completed');
  const [query] = sent(run, 'InvoiceQueryRq');
  expect(query).toContain(`<FromModifiedDate>${fromModifiedDate(before.highWaterMark!, OVERLAP_MINUTES)}</FromModifiedDate>`);
  expect(sent(run, 'ReceivePaymentQueryRq')).toHaveLength(1);

  expect(await ourInvoice(9101)).toMatchObject({ qbIsPaid: true, qbBalanceRemaining: '0.00', qbPaidDate: '2026-11-24', paidDate: '2026-11-24' });
  // The other invoices were not modified since the last check: not returned, not rewritten.
  const state = await checkState();
  // Received: the three invoices modified within the overlap before the mark, and 9101 again by TxnID (its payment changed).
  expect(state).toMatchObject({ lastOutcome: 'OK', lastReceived: 4, lastUpdated: 1 });
  expect((await ourInvoice(9102)).qbPaidStatusChangedAt).toEqual(untouched.qbPaidStatusChangedAt);
  expect(state.highWaterMark! > before.highWaterMark!).toBe(true);

  const data = await gql('query($id: ID!) { invoice(id: $id) { paidDate qbIsPaid qbBalanceRemaining qbPaidDate } paidStatusCheck(connectorId: "' + connectorId + '") { lastOutcome highWaterMark } }', {
    id: ids.get(9101)!.invoiceId,
  });
  expect(data).toEqual({
    invoice: { paidDate: '2026-11-24', qbIsPaid: true, qbBalanceRemaining: '0.00', qbPaidDate: '2026-11-24' },
    paidStatusCheck: { lastOutcome: 'OK', highWaterMark: state.highWaterMark },
  });
});

test('a partial payment: the balance follows, the invoice stays unpaid', async () => {
  receivePayment(9102, '100.00', '2026-11-25');
  expect((await update(qwc, qb)).outcome).toBe('completed');
  expect(await ourInvoice(9102)).toMatchObject({ qbIsPaid: false, qbBalanceRemaining: '232.50', qbPaidDate: null, paidDate: null });
  // Only what changed since the mark (9101's payment) minus the overlap: invoices 9101 and 9102, and both again by
  // TxnID for their payments (9101's is within the overlap); 9103, unchanged since the first check, is not read.
  expect((await checkState()).lastReceived).toBe(4);
});

test("a payment that leaves the invoice's own TimeModified alone is found through the payments query", async () => {
  const invoice = qb.company.invoices.find((i) => i.txnId === ids.get(9103)!.txnId)!;
  const { timeModified, editSequence } = invoice;
  receivePayment(9103, '332.50', '2026-11-26');
  Object.assign(invoice, { timeModified, editSequence });

  const run = await update(qwc, qb);
  expect(run.outcome).toBe('completed');
  const byId = sent(run, 'InvoiceQueryRq').filter((q) => q.includes('<TxnID>'));
  expect(byId).toHaveLength(1);
  expect(byId[0]).toContain(`<TxnID>${invoice.txnId}</TxnID>`);
  expect(await ourInvoice(9103)).toMatchObject({ qbIsPaid: true, qbBalanceRemaining: '0.00', qbPaidDate: '2026-11-26', paidDate: '2026-11-26' });
});

test('a payment deleted in QuickBooks: the invoice is unpaid again and its paid date is cleared', async () => {
  qbNow += 60 * 60_000;
  const invoice = qb.company.invoices.find((i) => i.txnId === ids.get(9101)!.txnId)!;
  const index = qb.company.receivePayments.findIndex((p) => p.applications.some((a) => a.txnId === invoice.txnId));
  const [payment] = qb.company.receivePayments.splice(index, 1);
  // What QuickBooks does on deleting a payment: the invoice's applied amount goes back, the invoice changes.
  for (const app of payment!.applications) invoice.appliedAmountCents += app.amountCents + app.discountCents;
  qb.companyFile.touch(invoice);

  expect((await update(qwc, qb)).outcome).toBe('completed');
  expect(await ourInvoice(9101)).toMatchObject({ qbIsPaid: false, qbBalanceRemaining: '332.50', qbPaidDate: null, paidDate: null });
});

test('a response lost after QuickBooks answered does not move the high-water mark; the check runs again from the same point', async () => {
  const before = await checkState();
  receivePayment(9102, '232.50', '2026-11-27');
  // Nothing else is queued: after the company-file identity check, the check's invoice query is the session's second message.
  const lost = await update(qwc, qb, { faults: { loseResponseAfterProcessing: 2 } });
  expect(lost.outcome).toBe('aborted');
  expect(sent(lost, 'InvoiceQueryRq')).toHaveLength(1);
  expect((await checkState()).highWaterMark).toBe(before.highWaterMark);
  expect((await ourInvoice(9102)).qbIsPaid).toBe(false);

  // The run is still open: the next update supersedes the abandoned one, which reports its requests as
  // unknown (the run is INTERRUPTED), and runs the check again from the same, unmoved mark.
  expect((await checkState()).runId).not.toBeNull();
  const retry = await update(qwc, qb);
  expect(retry.outcome).toBe('completed');
  const [again] = sent(retry, 'InvoiceQueryRq');
  expect(again).toContain(`<FromModifiedDate>${fromModifiedDate(before.highWaterMark!, OVERLAP_MINUTES)}</FromModifiedDate>`);
  expect(await ourInvoice(9102)).toMatchObject({ qbIsPaid: true, qbBalanceRemaining: '0.00', qbPaidDate: '2026-11-27' });
  expect((await checkState()).lastOutcome).toBe('OK');
});

test('the scheduler writes the QuickBooks numbers and paid dates back to Autotask, once', async () => {
  fake.put('companies', [atCompany(601, 'Initech')]);
  fake.put('invoices', AUTOTASK_IDS.map((id) => atInvoice(id, 601)));
  const set = await app.gql(SetAutotaskConnectionDocument, { input: connectionInput(fake, { pullEveryMinutes: 1440 }) }, fixture.adminToken);
  expect(set.errors).toBeUndefined();
  // The pull is not due: only the write-back runs.
  await app.database.orm.em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { lastPullStartedAt: new Date() });
  fake.resetLog();

  const scheduler = startAutotaskScheduler({
    orm: app.database.orm as MikroORM,
    config: app.config,
    logger: createLogger({ logLevel: 'silent' }),
    tickSeconds: 3600,
    http: { retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 } },
  });
  try {
    expect(await scheduler.tick()).toBeNull();
    expect(scheduler.lastWriteBack).toMatchObject({ ran: true, numbersWritten: 3, paidDatesWritten: 2, paidDatesCleared: 0, failed: 0 });
    for (const autotaskId of AUTOTASK_IDS) {
      const qbInvoice = qb.company.invoices.find((i) => i.txnId === ids.get(autotaskId)!.txnId)!;
      expect(fake.record('invoices', autotaskId)).toMatchObject({ invoiceNumber: qbInvoice.refNumber, webServiceDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    }
    // 9101's payment was deleted before any write-back: Autotask never had a paid date for it.
    expect(fake.record('invoices', 9101)!.paidDate).toBeNull();
    expect(fake.record('invoices', 9102)!.paidDate).toBe('2026-11-27T00:00:00');
    expect(fake.record('invoices', 9103)!.paidDate).toBe('2026-11-26T00:00:00');
    expect(fake.calls('invoices', 'PATCH')).toHaveLength(5);

    await scheduler.tick();
    expect(fake.calls('invoices', 'PATCH')).toHaveLength(5);
    const data = await gql('query($id: ID!) { invoice(id: $id) { autotaskWriteBack { invoiceNumberWritten paidDateWritten failures lastError } } }', { id: ids.get(9102)!.invoiceId });
    const refNumber = qb.company.invoices.find((i) => i.txnId === ids.get(9102)!.txnId)!.refNumber;
    expect(data).toEqual({ invoice: { autotaskWriteBack: { invoiceNumberWritten: refNumber, paidDateWritten: '2026-11-27', failures: 0, lastError: null } } });
  } finally {
    await scheduler.stop();
  }
});
