/**
 * What the extension puts on the invoice (issue #16, item 10), through the real service, the Web Connector
 * emulator and the simulated company file (which computes amounts as QuickBooks does: Quantity × Rate rounded
 * half away from zero per line):
 *  - the connector's lineGrouping merges lines as Autotask's invoice template does, totals unchanged;
 *  - under SEND_RATE_AND_QUANTITY QuickBooks computes 3 × 33.3333 = 100.00 where Autotask posted 3 × 33.33 =
 *    99.99: the invoice SUCCEEDS, with a TOTAL_MISMATCH alert on its ledger item and among the connector's alerts;
 *    under ROUND_EACH_LINE the same lines land at Autotask's 99.99 and carry no alert.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { update } from '../helpers/qbwc-fixture.js';
import { pushInvoicesWithLines, pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';

let billing: BillingSetup;

beforeAll(async () => {
  billing = await startBillingSetup('Rounding Books');
  await pushOrganization(billing.app.database.orm.em.fork(), 1601, 'Rounding Rentals');
}, 60_000);
afterAll(async () => {
  await billing?.app.close();
});

async function gql<T = Record<string, never>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await billing.app.gql(query, variables, billing.fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data as T;
}

/** An hour of Remote Support (mapped to the QuickBooks item "Remote Support") at 33.3333, posted by Autotask as 33.33. */
function backupCheck(serviceDate: string, overrides: Record<string, string> = {}) {
  return {
    billingItemKind: 'WORK_TYPE', billingItemId: '29682801', billingItemName: 'Remote Support', billingCodeId: '29682801', description: `Backup check ${serviceDate}`,
    quantity: '1', rate: '33.3333', amount: '33.33', taxable: false, lineOfBusinessId: '7', serviceDate, ...overrides,
  };
}

/** Sets the connector's grouping and rounding, pushes and queues one invoice, and runs the Web Connector once. */
async function transfer(autotaskId: number, lines: ReturnType<typeof backupCheck>[], settings: { lineGrouping: string; roundingPolicy: string }) {
  const { app, connectorId, qwc, qb } = billing;
  await gql('mutation($id: ID!, $input: UpdateConnectorInput!) { updateConnector(id: $id, input: $input) { id } }', { id: connectorId, input: settings });
  const [invoiceId] = await pushInvoicesWithLines(app.database.orm.em.fork(), 1601, [autotaskId], lines);
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: [invoiceId] } });
  const run = await update(qwc, qb);
  expect(run.outcome, run.lastError).toBe('completed');
  const { transferItems } = await gql<{ transferItems: { nodes: Array<{ state: string; qbStatusMessage: string; alerts: Array<Record<string, string>> }> } }>(
    'query($filter: TransferItemFilter) { transferItems(filter: $filter) { nodes { state qbStatusMessage alerts { code message autotaskAmount quickBooksAmount } } } }',
    { filter: { entityType: 'INVOICE', entityId: invoiceId } },
  );
  const invoice = qb.company.invoices.find((i) => i.fields['PONumber'] === `PO-${autotaskId}`);
  return { item: transferItems.nodes[0]!, invoice, run };
}

async function connectorAlerts(): Promise<Array<{ kind: string; message: string; details: Record<string, unknown> }>> {
  const data = await gql<{ connector: { alerts: Array<{ kind: string; message: string; details: Record<string, unknown> }> } }>(
    'query($id: ID!) { connector(id: $id) { alerts { kind message details } } }',
    { id: billing.connectorId },
  );
  return data.connector.alerts;
}

test('SEND_RATE_AND_QUANTITY: QuickBooks computes 3 × 33.3333 = 100.00 against Autotask\'s 99.99; the invoice succeeds with a TOTAL_MISMATCH alert', async () => {
  const { item, invoice, run } = await transfer(16001, [backupCheck('2026-11-17'), backupCheck('2026-11-18'), backupCheck('2026-11-19')], {
    lineGrouping: 'BY_BILLING_ITEM', roundingPolicy: 'SEND_RATE_AND_QUANTITY',
  });
  expect(run.requests.join('')).toMatch(/<Quantity>3<\/Quantity>\s*<Rate>33.3333<\/Rate>/);
  expect(invoice?.lines.map((l) => [l.quantity, l.rate, l.amountCents])).toEqual([['3', '33.3333', 10000]]);
  expect(invoice?.subtotalCents).toBe(10000);
  expect(item.state).toBe('SUCCEEDED');
  expect(item.alerts).toEqual([
    { code: 'TOTAL_MISMATCH', message: expect.stringContaining("QuickBooks total 100.00 differs from Autotask's 99.99 by 0.01"), autotaskAmount: '99.99', quickBooksAmount: '100.00' },
  ]);
  const alerts = await connectorAlerts();
  expect(alerts).toEqual([
    { kind: 'TRANSFER_ALERT', message: expect.stringContaining("differs from Autotask's 99.99"), details: expect.objectContaining({ code: 'TOTAL_MISMATCH', entityType: 'INVOICE', autotaskAmount: '99.99', quickBooksAmount: '100.00' }) },
  ]);
});

test('ROUND_EACH_LINE: the same lines land at Autotask\'s 99.99 (Rate 33.33 = 99.99 / 3), no alert', async () => {
  const before = (await connectorAlerts()).length;
  const { item, invoice } = await transfer(16002, [backupCheck('2026-11-17'), backupCheck('2026-11-18'), backupCheck('2026-11-19')], {
    lineGrouping: 'BY_BILLING_ITEM', roundingPolicy: 'ROUND_EACH_LINE',
  });
  expect(invoice?.lines.map((l) => [l.quantity, l.rate, l.amountCents])).toEqual([['3', '33.33', 9999]]);
  expect(invoice?.subtotalCents).toBe(9999);
  expect(item).toMatchObject({ state: 'SUCCEEDED', alerts: [] });
  expect(await connectorAlerts()).toHaveLength(before);
});

test('ONE_LINE_PER_GROUP: two labour billing items become one "Labor" line (the item created once), at Autotask\'s total', async () => {
  const onsite = backupCheck('2026-11-20', { billingItemId: '29682802', billingItemName: 'Onsite Support', description: 'Rack install', quantity: '2', rate: '125', amount: '250.00' });
  const { item, invoice, run } = await transfer(16003, [backupCheck('2026-11-19'), onsite], { lineGrouping: 'ONE_LINE_PER_GROUP', roundingPolicy: 'ROUND_EACH_LINE' });
  expect(run.requests.join('')).toMatch(/<ItemServiceAdd>\s*<Name>Labor<\/Name>/);
  const labor = billing.qb.company.items.find((i) => i.name === 'Labor');
  expect(labor?.type).toBe('Service');
  expect(invoice?.lines.map((l) => [l.itemId, l.desc, l.quantity, l.amountCents])).toEqual([[labor!.listId, 'Backup check 2026-11-19; Rack install', '3', 28333]]);
  expect(invoice?.subtotalCents).toBe(28333);
  expect(item).toMatchObject({ state: 'SUCCEEDED', alerts: [] });
});
