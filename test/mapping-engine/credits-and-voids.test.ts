/**
 * Transfer fidelity for credits and voids, through the real service, the Web Connector emulator and the
 * QuickBooks simulator, on a default install (built-in plugins only, no PLUGINS):
 *
 * - a credit invoice (negative total) lands as a credit memo; one that names the invoice it credits is then
 *   applied to it (ReceivePaymentAdd with SetCredit): the invoice's balance drops, the memo's credit is used;
 * - an invoice voided in Autotask after its transfer becomes a TxnVoid in the company file, shown in the ledger
 *   as an INVOICE_VOID item of its own; a partly paid one is not voided and its ledger item says why;
 * - a lost answer to the SetCredit or the TxnVoid never applies or voids twice: the next update reads
 *   QuickBooks' state before sending anything again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { PaidStatusSource } from '../../src/modules/paid-status/paid-status.source.js';
import { creditRemainingCents, invoiceBalanceCents } from '../../src/simulator/company/company-file.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { pushCreditInvoice, pushInvoices, pushOrganization, pushPayment, startBillingSetup } from '../helpers/billing-fixture.js';
import { update, type Fixture } from '../helpers/qbwc-fixture.js';
import type { TestApp } from '../helpers/test-app.js';

let app: TestApp;
let fixture: Fixture;
let connectorId: string;
let qwc: string;
let qb: QuickBooksSimulator;

beforeAll(async () => {
  // Paid status read at every session: a voided invoice must not be taken for a paid one.
  const paidStatus = new PaidStatusSource({ everyMinutes: 0, pageSize: 50, overlapMinutes: 10 });
  ({ app, fixture, connectorId, qwc, qb } = await startBillingSetup('Globex Books', { workSources: [paidStatus] }));
}, 60_000);
afterAll(async () => {
  await app?.close();
});

async function queue(entityType: string, entityIds: string[]): Promise<void> {
  const res = await app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType, entityIds } }, fixture.adminToken);
  expect(res.errors).toBeUndefined();
}

/** One update that completes. */
async function run(): Promise<Awaited<ReturnType<typeof update>>> {
  const result = await update(qwc, qb);
  expect(result.outcome, result.lastError).toBe('completed');
  return result;
}

/** One update in which the Web Connector dies right after QuickBooks processed the first message matching `lost`. */
async function runLosing(lost: RegExp): Promise<void> {
  let current = '';
  let hit = false;
  const result = await update(qwc, qb, {
    log: (line) => {
      if (line.includes('strRequestXML =')) current = line;
    },
    faults: { loseResponseAfterProcessing: () => !hit && lost.test(current) && (hit = true) },
  });
  expect(hit).toBe(true);
  expect(result.outcome).toBe('aborted');
}

function ledger(entityType: TransferEntityType, entityId: string): Promise<TransferItem> {
  return app.database.orm.em.fork().findOneOrFail(TransferItem, { connector: connectorId, entityType, entityId });
}

const invoiceOf = (autotaskId: number) => qb.company.invoices.find((i) => i.fields['Other'] === `AT:${autotaskId}`)!;
const memoOf = (autotaskId: number) => qb.company.creditMemos.find((m) => m.fields['Other'] === `AT:${autotaskId}`)!;
/** How many `type` requests the ledger item sent (its requestIDs start with its id). */
const sent = (requests: readonly string[], item: TransferItem, type: string) => requests.filter((r) => r.includes(`<${type} requestID="${item.id}:`)).length;

test('upsertInvoices takes which invoice a credit credits and whether an invoice is voided', async () => {
  await pushOrganization(app.database.orm.em.fork(), 900, 'Globex Holdings');
  const line = { billingItemKind: 'WORK_TYPE', billingItemId: '29682801', description: 'Remote support', quantity: '1', rate: '95.00', amount: '95.00', taxable: false };
  const invoice = (autotaskId: number, total: string, extra: Record<string, unknown>) => ({
    autotaskId, organizationAutotaskId: 900, invoiceDate: '2026-11-20', total, lines: [{ ...line, amount: total, rate: total.replace('-', '') }], ...extra,
  });
  const pushed = await app.gql(
    'mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { invoices { autotaskId isVoided creditsInvoiceAutotaskId } } }',
    { input: { invoices: [invoice(9101, '95.00', { isVoided: true }), invoice(9102, '-95.00', { creditsInvoiceAutotaskId: 9101 })] } },
    fixture.adminToken,
  );
  expect(pushed.errors).toBeUndefined();
  expect((pushed.data as { upsertInvoices: { invoices: unknown[] } }).upsertInvoices.invoices).toEqual([
    { autotaskId: 9101, isVoided: true, creditsInvoiceAutotaskId: null },
    { autotaskId: 9102, isVoided: false, creditsInvoiceAutotaskId: 9101 },
  ]);
});

describe('credit memos by default', () => {
  test('a credit invoice lands as a credit memo with the built-in plugins alone', async () => {
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 901, 'Globex Dental');
    const creditId = await pushCreditInvoice(em, 901, 9201);
    await queue('INVOICE', [creditId]);
    await run();

    const memo = memoOf(9201);
    expect(memo.subtotalCents).toBe(14250); // credited amounts are positive on the memo
    expect(creditRemainingCents(memo)).toBe(14250); // it names no invoice: the credit stays open
    const item = await ledger(TransferEntityType.INVOICE, creditId);
    expect([item.state, item.qbTxnId]).toEqual([TransferState.SUCCEEDED, memo.txnId]);
    // Nothing to apply it to, so no application was queued.
    expect(await app.database.orm.em.fork().count(TransferItem, { entityType: TransferEntityType.CREDIT_APPLICATION, entityId: creditId })).toBe(0);
  });

  test('a credit memo whose answer was lost is found by its ExternalGUID although a user retyped its Other field (soak seed 2)', async () => {
    // What `npm run soak -- --faults 20 --seed 2` did: QuickBooks added the credit memo, the answer was lost, and
    // before the next update a user cleared `Other` on it (or typed another credit's stamp). Keyed on `Other`
    // alone, the lookup found nothing and the memo was added a second time.
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 901, 'Globex Dental');
    const creditId = await pushCreditInvoice(em, 901, 9211);
    await queue('INVOICE', [creditId]);
    await runLosing(/<CreditMemoAddRq /);
    const added = qb.company.creditMemos.filter((m) => m.fields['Other'] === 'AT:9211');
    expect(added).toHaveLength(1);
    added[0]!.fields['Other'] = 'AT:9201';

    const result = await run();
    expect(result.requests.some((r) => r.includes('<CreditMemoAddRq ')), 'nothing is added again').toBe(false);
    const memos = qb.company.creditMemos.filter((m) => m.txnId === added[0]!.txnId || m.fields['Other'] === 'AT:9211');
    expect(memos).toHaveLength(1);
    const item = await ledger(TransferEntityType.INVOICE, creditId);
    expect([item.state, item.qbTxnId]).toEqual([TransferState.SUCCEEDED, added[0]!.txnId]);
  });

  test('a credit that names the invoice it credits is applied to it: the balance drops and the credit is used', async () => {
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 901, 'Globex Dental');
    const [invoiceId] = await pushInvoices(em, 901, [9202]);
    const creditId = await pushCreditInvoice(em, 901, 9203, { creditsInvoiceAutotaskId: 9202 });
    await queue('INVOICE', [creditId, invoiceId]);
    const result = await run();

    const invoice = invoiceOf(9202);
    const memo = memoOf(9203);
    expect(invoiceBalanceCents(invoice)).toBe(33250 - 14250);
    expect(creditRemainingCents(memo)).toBe(0);
    const [payment] = qb.company.receivePayments.filter((p) => p.applications.some((a) => a.credits?.some((c) => c.creditTxnId === memo.txnId)));
    expect(payment?.totalAmountCents).toBe(0);
    expect(payment?.applications).toEqual([{ txnId: invoice.txnId, amountCents: 0, discountCents: 0, credits: [{ creditTxnId: memo.txnId, amountCents: 14250 }] }]);
    const application = await ledger(TransferEntityType.CREDIT_APPLICATION, creditId);
    // The invoice was read before the credit was applied.
    expect(sent(result.requests, application, 'InvoiceQueryRq')).toBe(1);
    expect(sent(result.requests, application, 'ReceivePaymentAddRq')).toBe(1);
    expect([application.state, application.qbTxnId]).toEqual([TransferState.SUCCEEDED, payment!.txnId]);
  });

  test('a lost answer to the SetCredit is reconciled: the credit is applied once', async () => {
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 901, 'Globex Dental');
    const [invoiceId] = await pushInvoices(em, 901, [9204]);
    const creditId = await pushCreditInvoice(em, 901, 9205, { creditsInvoiceAutotaskId: 9204 });
    await queue('INVOICE', [invoiceId, creditId]);
    await runLosing(/<ReceivePaymentAddRq /);
    const memo = memoOf(9205);
    expect(creditRemainingCents(memo)).toBe(0); // QuickBooks applied it; the service does not know yet
    // Its answer was lost: the outcome is unknown (SENT until the next session settles it as NEEDS_RECONCILE).
    expect((await ledger(TransferEntityType.CREDIT_APPLICATION, creditId)).state).toBe(TransferState.SENT);

    const second = await run();
    const application = await ledger(TransferEntityType.CREDIT_APPLICATION, creditId);
    expect(sent(second.requests, application, 'InvoiceQueryRq')).toBeGreaterThanOrEqual(1); // looked up, not re-sent
    expect(sent(second.requests, application, 'ReceivePaymentAddRq')).toBe(0);
    expect(invoiceBalanceCents(invoiceOf(9204))).toBe(33250 - 14250);
    expect(qb.company.receivePayments.filter((p) => p.applications.some((a) => a.credits?.some((c) => c.creditTxnId === memo.txnId)))).toHaveLength(1);
    expect(application.state).toBe(TransferState.SUCCEEDED);
  });
});

/** An invoice of Globex Labs (Autotask organization 902) pushed and transferred; our id. */
async function transferredInvoice(autotaskId: number): Promise<string> {
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 902, 'Globex Labs');
  const [invoiceId] = await pushInvoices(em, 902, [autotaskId]);
  await queue('INVOICE', [invoiceId]);
  await run();
  return invoiceId;
}

/** The same invoice pushed again, voided in Autotask. */
async function voidInAutotask(autotaskId: number): Promise<void> {
  await pushInvoices(app.database.orm.em.fork(), 902, [autotaskId], { isVoided: true });
}

describe('voids', () => {
  test('an invoice voided in Autotask after its transfer is voided in QuickBooks and the ledger shows it', async () => {
    const invoiceId = await transferredInvoice(9301);
    expect(invoiceOf(9301).subtotalCents).toBe(33250);

    await voidInAutotask(9301);
    expect((await ledger(TransferEntityType.INVOICE_VOID, invoiceId)).state).toBe(TransferState.QUEUED);
    const result = await run();
    const voided = await ledger(TransferEntityType.INVOICE_VOID, invoiceId);
    expect(sent(result.requests, voided, 'TxnVoidRq')).toBe(1);

    const invoice = invoiceOf(9301);
    expect(invoice.subtotalCents).toBe(0);
    expect(String(invoice.fields['Memo'])).toMatch(/^VOID:/);
    expect([voided.state, voided.qbTxnId]).toEqual([TransferState.SUCCEEDED, invoice.txnId]);
    // The invoice's own transfer stays what it was: it did reach QuickBooks.
    expect((await ledger(TransferEntityType.INVOICE, invoiceId)).state).toBe(TransferState.SUCCEEDED);
    // QuickBooks shows the voided invoice as paid (nothing due); that is not a payment to write back to Autotask.
    await run();
    const ours = await app.database.orm.em.fork().findOneOrFail(Invoice, { id: invoiceId });
    expect([ours.paidDate, ours.qbPaidDate]).toEqual([null, null]);

    const listed = await app.gql(
      '{ transferItems(filter: { entityType: INVOICE_VOID }) { nodes { entityId state qbStatusMessage } } }',
      {},
      fixture.adminToken,
    );
    expect(listed.errors).toBeUndefined();
    expect((listed.data as { transferItems: { nodes: unknown[] } }).transferItems.nodes).toContainEqual({ entityId: invoiceId, state: 'SUCCEEDED', qbStatusMessage: expect.stringContaining('Voided') });
  });

  test('a lost answer to the TxnVoid is reconciled: the invoice is voided once', async () => {
    const invoiceId = await transferredInvoice(9302);
    await voidInAutotask(9302);
    await runLosing(/<TxnVoidRq /);
    expect(invoiceOf(9302).subtotalCents).toBe(0);
    expect((await ledger(TransferEntityType.INVOICE_VOID, invoiceId)).state).toBe(TransferState.SENT);

    const second = await run();
    const voided = await ledger(TransferEntityType.INVOICE_VOID, invoiceId);
    expect(sent(second.requests, voided, 'InvoiceQueryRq')).toBeGreaterThanOrEqual(1); // looked up, not re-sent
    expect(sent(second.requests, voided, 'TxnVoidRq')).toBe(0);
    expect(voided.state).toBe(TransferState.SUCCEEDED);
  });

  test('a partly paid invoice is not voided, and its ledger item says why', async () => {
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 902, 'Globex Labs');
    const [invoiceId] = await pushInvoices(em, 902, [9303]);
    const paymentId = await pushPayment(em, 'pay-9303', 9303, '100.00');
    await queue('INVOICE', [invoiceId]);
    await queue('PAYMENT', [paymentId]);
    await run();
    expect(invoiceBalanceCents(invoiceOf(9303))).toBe(23250);

    await voidInAutotask(9303);
    const result = await run();
    const refused = await ledger(TransferEntityType.INVOICE_VOID, invoiceId);
    expect(sent(result.requests, refused, 'TxnVoidRq')).toBe(0);
    expect(invoiceOf(9303).subtotalCents).toBe(33250);
    expect(refused.state).toBe(TransferState.FAILED);
    expect(refused.qbStatusCode).toBe('INVOICE_PAID');
    expect(refused.qbStatusMessage).toMatch(/partly paid.*100\.00/);
    expect(refused.hint).toMatch(/payments/);
  });

  test('an invoice voided before it was sent is withdrawn, not sent and voided', async () => {
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 902, 'Globex Labs');
    const [invoiceId] = await pushInvoices(em, 902, [9304]);
    await queue('INVOICE', [invoiceId]);
    await voidInAutotask(9304);
    expect((await ledger(TransferEntityType.INVOICE, invoiceId)).state).toBe(TransferState.CANCELLED);
    await update(qwc, qb);
    expect(qb.company.invoices.some((i) => i.fields['Other'] === 'AT:9304')).toBe(false);
    expect(await app.database.orm.em.fork().count(TransferItem, { entityType: TransferEntityType.INVOICE_VOID, entityId: invoiceId })).toBe(0);
  });
});
