/**
 * Invoices queued without their organizations (the customers are queued by the ledger when an invoice waits for
 * one), all of them waiting at first. The customers a round's invoices wait for go out in
 * the same message, so the session never answers NoOp (about 5 s of the Web Connector's pause each, and a session
 * ends after 12 in a row) and everything lands in one update. Invoices of a customer whose transfer was cancelled
 * all fail, naming it, in the same round.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { update } from '../helpers/qbwc-fixture.js';
import { pushInvoices, pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';

let billing: BillingSetup;
/**
 * With 10 requests per message a message looks at up to 80 candidates, 10 a round: 60 invoices of 60 new
 * organizations all wait, so a message that did not send the customers they queue would carry nothing.
 */
const ORGANIZATIONS = 60;

beforeAll(async () => {
  billing = await startBillingSetup('Rounds Books', { env: { QBWC_MAX_REQUESTS_PER_MESSAGE: '10' } });
}, 60_000);
afterAll(async () => {
  await billing?.app.close();
});

test('invoices waiting for customers not queued yet send those customers in the same message: no NoOp, one update', { timeout: 300_000 }, async () => {
  const { app, fixture, qwc, qb, connectorId } = billing;
  const em = app.database.orm.em.fork();
  const invoiceIds: string[] = [];
  for (let i = 0; i < ORGANIZATIONS; i++) {
    await pushOrganization(em, 7000 + i, `Rounds Customer ${i}`);
    invoiceIds.push(...(await pushInvoices(em, 7000 + i, [70_000 + i])));
  }
  const queued = await app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();

  const run = await update(qwc, qb, { timeoutMs: 240_000, maxCalls: 1_000 });
  expect(run.outcome, run.lastError).toBe('completed');
  expect(run.calls.filter((c) => c.operation === 'getLastError').map((c) => c.result)).toEqual([]);
  // The first message of work already carries customers (the first window's invoices all wait for theirs).
  const firstWork = run.requests.find((r) => r.includes('<CustomerQueryRq') || r.includes('<InvoiceAddRq'));
  expect(firstWork).toContain('<CustomerQueryRq');

  const items = await app.database.orm.em.fork().find(TransferItem, { connector: connectorId });
  expect(items.filter((i) => i.entityType === 'ORGANIZATION' && i.state === TransferState.SUCCEEDED)).toHaveLength(ORGANIZATIONS);
  expect(items.filter((i) => i.entityType === 'INVOICE' && i.state === TransferState.SUCCEEDED)).toHaveLength(ORGANIZATIONS);
  expect(qb.company.invoices).toHaveLength(ORGANIZATIONS);
  expect(qb.company.customers.filter((c) => c.name.startsWith('Rounds Customer'))).toHaveLength(ORGANIZATIONS);
});

test('several invoices of one customer whose transfer was cancelled fail in one round, naming it', { timeout: 300_000 }, async () => {
  const { app, fixture, qwc, qb, connectorId } = billing;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 7900, 'Rounds Cancelled');
  const invoiceIds = await pushInvoices(em, 7900, [79_001, 79_002, 79_003]);
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const res = await app.gql<Record<string, unknown>, Record<string, unknown>>(query, variables, fixture.adminToken);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const organizationId = ((await gql('query { organization(autotaskId: 7900) { id } }'))['organization'] as { id: string }).id;
  const queuedOrganization = await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'ORGANIZATION', entityIds: [organizationId] } });
  await gql('mutation($id: ID!) { cancelTransfer(id: $id) { id state } }', { id: (queuedOrganization['queueTransfers'] as Array<{ id: string }>)[0]!.id });
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: invoiceIds } });

  const run = await update(qwc, qb, { timeoutMs: 120_000 });
  expect(run.outcome, run.lastError).toBe('completed');
  const items = await app.database.orm.em.fork().find(TransferItem, { connector: connectorId, entityId: { $in: invoiceIds } });
  expect(items.map((i) => [i.state, i.qbStatusCode])).toEqual(invoiceIds.map(() => [TransferState.FAILED, 'DEPENDENCY_FAILED']));
  for (const item of items) expect(item.qbStatusMessage).toContain('cancelled');
  expect(run.requests.join('')).not.toContain('Rounds Cancelled');
});
