/**
 * End to end: Autotask data pushed through the services, queued through GraphQL, sent by the mapping engine
 * through the Web Connector endpoint to the emulated Web Connector and the simulated QuickBooks company file.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { billingQuickBooks, mapBillingValues, pushInvoices, pushOrganization, pushPayment } from '../helpers/billing-fixture.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';
import { OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';

let app: TestApp;
let fixture: Fixture;
let connectorId: string;
let qwc: string;
let qb: QuickBooksSimulator;

async function gql(query: string, variables: Record<string, unknown>) {
  const res = await app.gql(query, variables, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, never>;
}

async function ledger(): Promise<TransferItem[]> {
  return app.database.orm.em.fork().find(TransferItem, { connector: connectorId }, { orderBy: { id: 'asc' } });
}

beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, engine: true });
  fixture = await createFixture(app);
  connectorId = await createConnector(app, fixture, 'Acme Books');
  qwc = (await register(app, fixture, connectorId)).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  qb = billingQuickBooks('Acme Books');
});
afterAll(async () => {
  await app?.close();
});

test('invoices for a new customer land with their lines, class, terms and QuickBooks numbers', async () => {
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 501, 'Globex Industrial');
  const invoiceIds = await pushInvoices(em, 501, [9001, 9002]);
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id state } }', {
    input: { entityType: 'INVOICE', entityIds: invoiceIds },
  });

  const run = await update(qwc, qb);
  expect(run.lastError).toBeUndefined();
  expect(run.outcome).toBe('completed');

  const items = await ledger();
  expect(items.map((i) => [i.entityType, i.state])).toEqual([
    ['INVOICE', TransferState.SUCCEEDED],
    ['INVOICE', TransferState.SUCCEEDED],
    ['ORGANIZATION', TransferState.SUCCEEDED],
  ]);
  const customer = qb.company.customers.find((c) => c.name === 'Globex Industrial');
  expect(customer).toBeDefined();
  const link = await app.database.orm.em.fork().findOneOrFail(OrganizationQbLink, { connector: connectorId });
  expect(link.listId).toBe(customer!.listId);

  const invoices = qb.company.invoices.filter((i) => i.customerId === customer!.listId);
  expect(invoices).toHaveLength(2);
  for (const invoice of invoices) {
    expect(invoice.lines.map((l) => [l.quantity, l.amountCents])).toEqual([['1.5', 14250], ['2', 19000]]);
  }
  // QuickBooks numbered them, and the numbers came back to the ledger.
  const invoiceItems = items.filter((i) => i.entityType === 'INVOICE');
  expect(invoiceItems.map((i) => i.qbRefNumber).sort()).toEqual(invoices.map((i) => i.refNumber).sort());
  expect(invoiceItems.every((i) => i.qbTxnId)).toBe(true);
});

test('an organization whose customer already exists in QuickBooks is matched by name, not added again', async () => {
  const existing = qb.company.customers[0]!;
  const before = qb.company.customers.length;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 502, existing.name);
  const [invoiceId] = await pushInvoices(em, 502, [9003]);
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: [invoiceId] } });
  expect((await update(qwc, qb)).outcome).toBe('completed');
  expect(qb.company.customers).toHaveLength(before);
  expect(qb.company.invoices.filter((i) => i.customerId === existing.listId)).toHaveLength(1);
});

test('a partial payment is applied to the transferred invoice', async () => {
  const em = app.database.orm.em.fork();
  const paymentId = await pushPayment(em, 'portal-77', 9001, '100.00');
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'PAYMENT', entityIds: [paymentId] } });
  expect((await update(qwc, qb)).outcome).toBe('completed');
  const invoiceItem = (await ledger()).find((i) => i.entityType === 'INVOICE')!;
  const invoice = qb.company.invoices.find((i) => i.txnId === invoiceItem.qbTxnId)!;
  expect(qb.company.receivePayments).toHaveLength(1);
  expect(qb.company.receivePayments[0]!.applications).toEqual([expect.objectContaining({ txnId: invoice.txnId, amountCents: 10000 })]);
});
