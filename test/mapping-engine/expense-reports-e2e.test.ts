/**
 * Expense reports end to end, "several files, one accountant" (issue 14): two connectors (company files A, the
 * default, and B), resource R1 routed to B and R2 not. R1 has two approved reports (one with a billable taxi
 * ride for a customer and a cash advance), R2 one report and one whose cash advance exceeds its expenses. Each
 * report lands only in its resource's file: bills whose totals are Autotask's (items less the advance), a
 * vendor credit for the larger advance (F9), each resource's own vendor "v-Last, First" created once per file. The answer to
 * the first message with a bill is lost in each file and B's service restarts: the sweep finds the bills, and
 * no bill is in QuickBooks twice. One set-up shared by the steps (they run in order).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ExpenseReport } from '../../src/modules/expenses/expense-report.entity.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import type { VendorTxnRecord } from '../../src/simulator/company/types.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { billingQuickBooks, mapBillingValues, processOk, startListSyncingApp } from '../helpers/billing-fixture.js';
import { createConnector, losingFirst, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import type { TestApp } from '../helpers/test-app.js';

const R1 = 911; // Ray One, routed to B
const R2 = 912; // Rita Two, default connector (A)
const ORG = 511;

let app: TestApp;
let fixture: Fixture;
const files = {} as Record<'A' | 'B', { connectorId: string; qwc: string; qb: QuickBooksSimulator }>;

async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await app.gql<T, Record<string, unknown>>(query, variables, fixture.adminToken);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

const item = (autotaskId: number, amount: string, extra: Record<string, unknown> = {}) => ({
  autotaskId, expenseDate: '2026-11-10', description: `Expense ${autotaskId}`, expenseCategoryId: 'travel', expenseCategoryName: 'Travel', amount, ...extra,
});
const report = (autotaskId: number, resourceAutotaskId: number, items: unknown[], cashAdvanceAmount = '0') => ({
  autotaskId, name: `Report ${autotaskId}`, resourceAutotaskId, status: 'APPROVED_FOR_PAYMENT', weekEnding: '2026-11-14', approvedDate: '2026-11-16', cashAdvanceAmount, items,
});

const reportItems = async (connectorId: string) =>
  app.database.orm.em.fork().find(TransferItem, { connector: connectorId, entityType: TransferEntityType.EXPENSE_REPORT }, { orderBy: { id: 'asc' } });

/** Each bill (or credit) by RefNumber (the Autotask report id): its vendor's name and QuickBooks' total. */
function byReport(qb: QuickBooksSimulator, txns: readonly VendorTxnRecord[] | undefined): Record<string, { vendor: string; total: string }> {
  const vendorName = (id: string) => qb.company.vendors.find((v) => v.listId === id)?.name ?? id;
  return Object.fromEntries((txns ?? []).map((t) => [t.refNumber, { vendor: vendorName(t.vendorId), total: (t.totalAmountCents / 100).toFixed(2) }]));
}

beforeAll(async () => {
  ({ app, fixture } = await startListSyncingApp());
  for (const name of ['A', 'B'] as const) {
    const connectorId = await createConnector(app, fixture, `File ${name}`);
    const qwc = (await register(app, fixture, connectorId, `Carl ${name}`)).qwc;
    await mapBillingValues(app, fixture.adminToken, connectorId);
    const qb = billingQuickBooks(`File ${name}`);
    for (const [account, type] of [['Travel Expense', 'Expense'], ['Reimbursable Expenses', 'Expense'], ['Employee Advances', 'OtherCurrentAsset']]) {
      processOk(qb, `<AccountAddRq><AccountAdd><Name>${account}</Name><AccountType>${type}</AccountType></AccountAdd></AccountAddRq>`);
    }
    // An employee named like R1: the vendor is "v-One, Ray", not a second "Ray One" (one name list in QuickBooks).
    processOk(qb, '<EmployeeAddRq><EmployeeAdd><FirstName>Ray</FirstName><LastName>One</LastName></EmployeeAdd></EmployeeAddRq>');
    files[name] = { connectorId, qwc, qb };
    // The accountant's first Web Connector run: the accounts the mappings name reach qbd-bridge.
    expect((await update(qwc, qb)).outcome).toMatch(/completed|no-work/);
    await gql(`mutation($id: ID!) { updateConnector(id: $id, input: { cashAdvanceAccount: { fullName: "Employee Advances" }, transferExpenseClass: false }) { id } }`, { id: connectorId });
    await gql(`mutation($input: UpsertMappingsInput!) { upsertMappings(input: $input) { id } }`, {
      input: {
        connectorId,
        mappings: [
          { sourceKind: 'EXPENSE_ACCOUNT_REIMBURSABLE', sourceId: 'travel', sourceName: 'Travel', target: { fullName: 'Travel Expense' } },
          { sourceKind: 'EXPENSE_ACCOUNT_BILLABLE', sourceId: 'travel', sourceName: 'Travel', target: { fullName: 'Reimbursable Expenses' } },
        ],
      },
    });
  }
  await gql(`mutation($input: SetRoutesInput!) { setRoutes(input: $input) { id } }`, { input: { routes: [{ subject: 'RESOURCE', autotaskId: R1, connectorId: files.B.connectorId }] } });
  await gql(`mutation { upsertOrganizations(input: { organizations: [{ autotaskId: ${ORG}, name: "Contoso Dental" }] }) { created } }`);
  await gql(`mutation { upsertResources(input: { resources: [{ autotaskId: ${R1}, firstName: "Ray", lastName: "One" }, { autotaskId: ${R2}, firstName: "Rita", lastName: "Two" }] }) { created } }`);
  const pushed = await gql<{ upsertExpenseReports: { created: number } }>(
    `mutation($input: UpsertExpenseReportsInput!) { upsertExpenseReports(input: $input) { created } }`,
    {
      input: {
        expenseReports: [
          // R1: a billable taxi ride for Contoso, a hotel night, a company-card lunch (excluded), 50.00 advance → 121.50.
          report(6001, R1, [
            item(60011, '42.50', { isBillableToCompany: true, organizationAutotaskId: ORG }),
            item(60012, '129.00'),
            item(60013, '80.00', { paymentTypeName: 'Company Credit Card', isReimbursable: false }),
          ], '50.00'),
          report(6002, R1, [item(60021, '18.25'), item(60022, '6.7550')]),
          // R2: 60.00; and 20.00 of expenses against a 100.00 advance → a vendor credit of 80.00.
          report(6003, R2, [item(60031, '60.00')]),
          report(6004, R2, [item(60041, '20.00')], '100.00'),
        ],
      },
    },
  );
  expect(pushed.upsertExpenseReports.created).toBe(4);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

test("queued expense reports go to their resource's connector: R1's to B, R2's to the default A", async () => {
  const reports = await app.database.orm.em.fork().find(ExpenseReport, {}, { orderBy: { autotaskId: 'asc' } });
  const queued = await gql<{ queueTransfers: Array<{ connector: { name: string } }> }>(
    `mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { connector { name } } }`,
    { input: { entityType: 'EXPENSE_REPORT', entityIds: reports.map((r) => r.id) } },
  );
  expect(queued.queueTransfers.map((q) => q.connector.name)).toEqual(['File B', 'File B', 'File A', 'File A']);
  // The preview follows the route too: B's file, where the bill waits for R1's own vendor, looked up as "v-One, Ray".
  const preview = (input: Record<string, string>) =>
    gql(`query($input: PreviewTransferInput!) { previewTransfer(input: $input) { plugin outcome reason qbxml connector { name } } }`, { input });
  expect((await preview({ entityType: 'EXPENSE_REPORT', entityId: reports[1]!.id })).previewTransfer).toMatchObject({
    plugin: 'expense-reports', outcome: 'WAIT_FOR', reason: expect.stringContaining('no vendor of its own'), connector: { name: 'File B' },
  });
  const vendor = (await preview({ entityType: 'RESOURCE_VENDOR', entityId: reports[1]!.resource.id })).previewTransfer;
  expect(vendor).toMatchObject({ plugin: 'resource-vendors', outcome: 'REQUESTS', connector: { name: 'File B' } });
  expect(vendor.qbxml).toContain('<FullName>v-One, Ray</FullName>');
});

test('answers lost after QuickBooks applied them, and a restart: every report lands once, in its file only, with Autotask\'s totals', async () => {
  for (const name of ['B', 'A'] as const) {
    const { qb, qwc, connectorId } = files[name];
    const lost = await update(qwc, qb, losingFirst(/<(Bill|VendorCredit)AddRq /));
    expect(lost.outcome).toBe('aborted');
    expect(lost.requests.at(-1)).toMatch(/<(Bill|VendorCredit)AddRq /);
    if (name === 'B') await app.restartServer();
    for (let run = 0; run < 4 && (await reportItems(connectorId)).some((i) => i.state !== TransferState.SUCCEEDED); run++) {
      expect((await update(qwc, qb)).outcome).toBe('completed');
    }
    const settled = await reportItems(connectorId);
    expect(settled.map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // The lost add was looked up, found, and not sent again.
    expect(settled.map((i) => i.qbStatusMessage)).toContain('found in QuickBooks: it had been recorded');
  }
  const { A, B } = files;
  // 0 duplicates: one QuickBooks transaction per report.
  expect(B.qb.company.bills).toHaveLength(2);
  expect((A.qb.company.bills ?? []).length + (A.qb.company.vendorCredits ?? []).length).toBe(2);
  // R1's bills only in B: 42.50 + 129.00 − 50.00 advance (the company-card lunch left off), and 18.25 + 6.76.
  expect(byReport(B.qb, B.qb.company.bills)).toEqual({ 6001: { vendor: 'v-One, Ray', total: '121.50' }, 6002: { vendor: 'v-One, Ray', total: '25.01' } });
  expect(B.qb.company.vendorCredits ?? []).toHaveLength(0);
  // R2's only in A: a bill, and a vendor credit for the advance that exceeds the expenses.
  expect(byReport(A.qb, A.qb.company.bills)).toEqual({ 6003: { vendor: 'v-Two, Rita', total: '60.00' } });
  expect(byReport(A.qb, A.qb.company.vendorCredits)).toEqual({ 6004: { vendor: 'v-Two, Rita', total: '80.00' } });
  // Each vendor created once, in its resource's file only.
  expect(B.qb.company.vendors.filter((v) => v.name.startsWith('v-')).map((v) => v.name)).toEqual(['v-One, Ray']);
  expect(A.qb.company.vendors.filter((v) => v.name.startsWith('v-')).map((v) => v.name)).toEqual(['v-Two, Rita']);
  // The billable ride carries its customer (transferred to B first for it) and the billable account.
  const ride = B.qb.company.bills!.find((b) => b.refNumber === '6001')!.lines[0]!;
  const contoso = B.qb.company.customers.find((c) => c.name === 'Contoso Dental')!;
  expect(ride).toMatchObject({ customerId: contoso.listId, amountCents: 4250, fields: { BillableStatus: 'Billable' } });
  expect(ride.accountId).toBe(B.qb.company.accounts.find((a) => a.name === 'Reimbursable Expenses')!.listId);
  expect(A.qb.company.customers.find((c) => c.name === 'Contoso Dental')).toBeUndefined();
  // The ledger points at the QuickBooks transactions (the TxnID is what Autotask's quickBooksReferenceNumber gets).
  const ledger = await reportItems(B.connectorId);
  expect(new Set(ledger.map((i) => i.qbTxnId))).toEqual(new Set(B.qb.company.bills!.map((b) => b.txnId)));
});
