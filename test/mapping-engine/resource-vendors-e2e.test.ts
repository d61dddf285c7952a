/**
 * Each resource owns its vendor (issue 14): two resources of one name, Sam Lee and Sam Lee, each get a vendor
 * of their own ("v-Lee, Sam" and "v-Lee, Sam (2)"), and a resource whose "v-" name a QuickBooks customer holds
 * gets the next numbered name. The answer to the message with the VendorAdds is lost after QuickBooks applied
 * them and the service restarts: the vendor that was added is found by its ExternalGUID and not added again,
 * and nobody takes another's. Every bill lands on its own resource's vendor; a later report of a resource
 * reuses the vendor remembered for it. One set-up shared by the steps (they run in order).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExpenseReport } from '../../src/modules/expenses/expense-report.entity.js';
import { Resource } from '../../src/modules/autotask/resource.entity.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { billingQuickBooks, mapBillingValues, processOk, startListSyncingApp } from '../helpers/billing-fixture.js';
import { createConnector, losingFirst, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import type { TestApp } from '../helpers/test-app.js';

const SAM_1 = 921; // Sam Lee
const SAM_2 = 922; // another Sam Lee
const KIM = 923; // Kim Park: a customer "v-Park, Kim" is in the company file
const PAT_1 = 924; // Pat Kim: a vendor "Pat Kim" someone made by hand is in the company file
const PAT_2 = 925; // another Pat Kim

let app: TestApp;
let fixture: Fixture;
let connectorId: string;
let qwc: string;
let qb: QuickBooksSimulator;

async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await app.gql<T, Record<string, unknown>>(query, variables, fixture.adminToken);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

const report = (autotaskId: number, resourceAutotaskId: number, amount: string) => ({
  autotaskId, name: `Report ${autotaskId}`, resourceAutotaskId, status: 'APPROVED_FOR_PAYMENT', weekEnding: '2026-11-14', approvedDate: '2026-11-16', cashAdvanceAmount: '0',
  items: [{ autotaskId: autotaskId * 10 + 1, expenseDate: '2026-11-10', description: `Expense of ${autotaskId}`, expenseCategoryId: 'travel', expenseCategoryName: 'Travel', amount }],
});

async function pushAndQueue(reports: unknown[]): Promise<void> {
  await gql(`mutation($input: UpsertExpenseReportsInput!) { upsertExpenseReports(input: $input) { created } }`, { input: { expenseReports: reports } });
  const em = app.database.orm.em.fork();
  const ids = (await em.find(ExpenseReport, { autotaskId: { $in: reports.map((r) => (r as { autotaskId: number }).autotaskId) } })).map((r) => r.id);
  await gql(`mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }`, { input: { entityType: 'EXPENSE_REPORT', entityIds: ids } });
}

const ledger = (entityType: TransferEntityType) =>
  app.database.orm.em.fork().find(TransferItem, { connector: connectorId, entityType }, { orderBy: { id: 'asc' } });

/** The ListID of each resource's own vendor, as the ledger remembers it (by Autotask resource id). */
async function vendorOfResource(): Promise<Record<number, string | null>> {
  const resources = new Map((await app.database.orm.em.fork().find(Resource, {})).map((r) => [r.id, r.autotaskId]));
  return Object.fromEntries((await ledger(TransferEntityType.RESOURCE_VENDOR)).map((i) => [resources.get(i.entityId)!, i.qbListId]));
}

/**
 * Waits until the restarted service answers its health check: the first request after a restart may meet a
 * keep-alive connection of the stopped server in this process's fetch pool and fail on it.
 */
async function answering(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if ((await fetch(`${app.url}/healthz`)).ok) return;
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

/** Each bill's vendor ListID, by RefNumber (the Autotask report id). */
const billVendors = () => Object.fromEntries((qb.company.bills ?? []).map((b) => [b.refNumber, b.vendorId]));
const ourVendors = () => qb.company.vendors.filter((v) => v.name.startsWith('v-Lee') || v.name.startsWith('v-Park')).map((v) => v.name).sort();

beforeAll(async () => {
  ({ app, fixture } = await startListSyncingApp());
  connectorId = await createConnector(app, fixture, 'File A');
  qwc = (await register(app, fixture, connectorId, 'Carl A')).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  qb = billingQuickBooks('File A');
  processOk(qb, '<AccountAddRq><AccountAdd><Name>Travel Expense</Name><AccountType>Expense</AccountType></AccountAdd></AccountAddRq>');
  // A customer holds Kim's "v-" name: QuickBooks' one name list refuses a vendor of that name (3100).
  processOk(qb, '<CustomerAddRq><CustomerAdd><Name>v-Park, Kim</Name></CustomerAdd></CustomerAddRq>');
  processOk(qb, '<VendorAddRq><VendorAdd><Name>Pat Kim</Name></VendorAdd></VendorAddRq>');
  expect((await update(qwc, qb)).outcome).toMatch(/completed|no-work/);
  await gql(`mutation($input: UpsertMappingsInput!) { upsertMappings(input: $input) { id } }`, {
    input: { connectorId, mappings: [{ sourceKind: 'EXPENSE_ACCOUNT_REIMBURSABLE', sourceId: 'travel', sourceName: 'Travel', target: { fullName: 'Travel Expense' } }] },
  });
  await gql(`mutation { upsertResources(input: { resources: [
    { autotaskId: ${SAM_1}, firstName: "Sam", lastName: "Lee" }, { autotaskId: ${SAM_2}, firstName: "Sam", lastName: "Lee" }, { autotaskId: ${KIM}, firstName: "Kim", lastName: "Park" },
    { autotaskId: ${PAT_1}, firstName: "Pat", lastName: "Kim" }, { autotaskId: ${PAT_2}, firstName: "Pat", lastName: "Kim" }
  ] }) { created } }`);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

test("two resources of one name get a vendor each, a name a customer holds is numbered; the lost VendorAdd answer is found, not added again; each bill is on its own resource's vendor", async () => {
  await pushAndQueue([report(8001, SAM_1, '10.00'), report(8002, SAM_2, '20.00'), report(8003, KIM, '30.00')]);
  // The message with the VendorAdds is processed by QuickBooks, its answer lost; the service restarts.
  const lost = await update(qwc, qb, losingFirst(/<VendorAddRq /));
  expect(lost.outcome).toBe('aborted');
  expect(lost.requests.at(-1)).toContain('<VendorAddRq ');
  expect(qb.company.vendors.filter((v) => v.name === 'v-Lee, Sam')).toHaveLength(1);
  await app.restartServer();
  for (let run = 0; run < 5 && (await ledger(TransferEntityType.EXPENSE_REPORT)).some((i) => i.state !== TransferState.SUCCEEDED); run++) {
    expect((await update(qwc, qb)).outcome).toBe('completed');
  }
  expect((await ledger(TransferEntityType.EXPENSE_REPORT)).map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  const vendorItems = await ledger(TransferEntityType.RESOURCE_VENDOR);
  expect(vendorItems.map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  // The vendor whose answer was lost was looked up and found by its ExternalGUID.
  expect(vendorItems.map((i) => i.qbStatusMessage)).toContain('found in QuickBooks: it had been recorded');

  // Each vendor created once: no second "v-Lee, Sam", Kim's numbered past the customer's name.
  expect(ourVendors()).toEqual(['v-Lee, Sam', 'v-Lee, Sam (2)', 'v-Park, Kim (2)']);
  expect(qb.company.customers.filter((c) => c.name === 'v-Park, Kim')).toHaveLength(1);
  // Three resources, three vendors; each bill on its own resource's.
  const owned = await vendorOfResource();
  expect(new Set(Object.values(owned)).size).toBe(3);
  expect(billVendors()).toEqual({ 8001: owned[SAM_1], 8002: owned[SAM_2], 8003: owned[KIM] });
  const nameOf = (listId: string | null | undefined) => qb.company.vendors.find((v) => v.listId === listId)?.name;
  expect(nameOf(owned[KIM])).toBe('v-Park, Kim (2)');
  expect([nameOf(owned[SAM_1]), nameOf(owned[SAM_2])].sort()).toEqual(['v-Lee, Sam', 'v-Lee, Sam (2)']);
});

test("a later report of a resource, after a restart, goes to the vendor remembered for it: nothing is looked up or added", async () => {
  const before = await vendorOfResource();
  const vendorCount = qb.company.vendors.length;
  // A new process: what it knows of the vendor is what the ledger stored.
  await app.restartServer();
  await answering();
  await pushAndQueue([report(8004, SAM_2, '40.00')]);
  const run = await update(qwc, qb);
  expect(run.outcome, run.lastError).toBe('completed');
  expect(run.requests.join('\n')).not.toMatch(/<Vendor(Add|Query)Rq /);
  expect((await ledger(TransferEntityType.EXPENSE_REPORT)).map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  expect(billVendors()['8004']).toBe(before[SAM_2]);
  expect(qb.company.vendors).toHaveLength(vendorCount);
  expect(await vendorOfResource()).toEqual(before);
  // One bill per report.
  expect((qb.company.bills ?? []).map((b) => b.refNumber).sort()).toEqual(['8001', '8002', '8003', '8004']);
});

test('two resources of one name and a vendor named like them, looked up in one message: one links to it, the other gets a vendor of its own', async () => {
  await pushAndQueue([report(8005, PAT_1, '50.00'), report(8006, PAT_2, '60.00')]);
  const runs = [];
  for (let run = 0; run < 4 && (await ledger(TransferEntityType.EXPENSE_REPORT)).some((i) => i.state !== TransferState.SUCCEEDED); run++) {
    const result = await update(qwc, qb);
    expect(result.outcome).toBe('completed');
    runs.push(...result.requests);
  }
  // Both looked "Pat Kim" up in the same message.
  expect(runs.some((message) => message.split('<FullName>Pat Kim</FullName>').length === 3)).toBe(true);
  const owned = await vendorOfResource();
  expect(owned[PAT_1]).not.toBe(owned[PAT_2]);
  const nameOf = (listId: string | null | undefined) => qb.company.vendors.find((v) => v.listId === listId)?.name;
  expect([nameOf(owned[PAT_1]), nameOf(owned[PAT_2])].sort()).toEqual(['Pat Kim', 'v-Kim, Pat']);
  expect(qb.company.vendors.filter((v) => v.name.includes('Kim, Pat') || v.name === 'Pat Kim').map((v) => v.name).sort()).toEqual(['Pat Kim', 'v-Kim, Pat']);
  expect(billVendors()).toMatchObject({ 8005: owned[PAT_1], 8006: owned[PAT_2] });
});
