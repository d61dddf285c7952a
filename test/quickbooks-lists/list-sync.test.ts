/**
 * The QuickBooks list sync end to end: the real service, the Web Connector emulator and the simulated
 * QuickBooks. A first session fills every list (iterators where the query has them); the next pulls only
 * what changed (FromModifiedDate, ActiveStatus All) and writes only changed rows; refresh on demand, stale
 * lists, interrupted pulls, payroll refused; the GraphQL search for mapping pickers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { Role } from '../../src/modules/user/role.js';
import { createListSyncSource } from '../../src/modules/quickbooks-lists/list-sync.source.js';
import { formatDateTime } from '../../src/simulator/company/ids.js';
import type { ListRecord } from '../../src/simulator/company/types.js';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { startTestApp, onlyError, type GraphQLResponse, type TestApp } from '../helpers/test-app.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import {
  ClearCompanyBindingDocument,
  ConnectorQuickBooksListsDocument,
  QuickBooksListElementsDocument,
  QuickBooksListStatusDocument,
  RefreshQuickBooksListsDocument,
  type QuickBooksListElementsQuery,
  type QuickBooksListStatusQuery,
} from '../generated/graphql.js';
import { growCompany, newestTimeModified, type TestCompany } from './helpers.js';

const PAGE_SIZE = 250;
const env = { LIST_SYNC_PAGE_SIZE: String(PAGE_SIZE) };

let app: TestApp;
let fixture: Fixture;
let accountant: { id: string; token: string };
let viewer: { id: string; token: string };
let connectorId: string;
let qwc: string;
let company: TestCompany;

beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, env, workSources: [createListSyncSource(loadConfig(env))] });
  fixture = await createFixture(app);
  accountant = await app.createUser(Role.ACCOUNTANT, 'Carla');
  viewer = await app.createUser(Role.VIEWER, 'Vic');
  connectorId = await createConnector(app, fixture, 'Acme Holdings');
  qwc = (await register(app, fixture, connectorId)).qwc;
  company = growCompany({ customers: 2500, items: 400 });
});
afterAll(async () => {
  await app?.close();
});

type Status = QuickBooksListStatusQuery['quickBooksListStatus'][number];

async function statuses(): Promise<Record<string, Status>> {
  const res = await app.gql(QuickBooksListStatusDocument, { connectorId }, viewer.token);
  expect(res.errors).toBeUndefined();
  return Object.fromEntries(res.data!.quickBooksListStatus.map((s) => [s.list, s]));
}

interface StoredRow {
  list_id: string;
  full_name: string;
  name: string;
  is_active: boolean;
  edit_sequence: string;
  type: string | null;
  updated_at: Date | string;
}

async function stored(list: string): Promise<StoredRow[]> {
  return app.database.orm.em
    .fork()
    .getConnection()
    .execute('select list_id, full_name, name, is_active, edit_sequence, type, updated_at from quickbooks_list_element where connector_id = ? and list = ?', [
      connectorId,
      list,
    ]);
}

/** The stored copy of a list equals the company file's list: same elements, full names, active flags, edit sequences. */
async function expectMirrors(list: string, records: readonly ListRecord[], fullName: (r: ListRecord) => string): Promise<void> {
  const rows = await stored(list);
  const actual = new Map(rows.map((r) => [r.list_id, { fullName: r.full_name, isActive: r.is_active, editSequence: r.edit_sequence }]));
  const expected = new Map(records.map((r) => [r.listId, { fullName: fullName(r), isActive: r.isActive, editSequence: r.editSequence }]));
  expect(actual.size).toBe(expected.size);
  expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
}

function queries(requests: readonly string[], type: string): string[] {
  return requests.flatMap((message) => message.match(new RegExp(`<${type}[ >][\\s\\S]*?</${type}>`, 'g')) ?? []);
}

describe.sequential('list sync through the Web Connector', () => {
  let hwm: { customers: string; items: string };

  test('a first session fills every list, through iterators where QuickBooks has them', async () => {
    const before = await statuses();
    expect(Object.values(before).every((s) => s.state === 'NEVER_SYNCED' && s.dueReason === 'NEVER_SYNCED' && s.count === 0)).toBe(true);

    const run = await update(qwc, company.qb);
    expect(run.lastError).toBeUndefined();
    expect(run.outcome).toBe('completed');

    // 2,500 customers in pages of 250: Start, then 9 Continues with the iterator QuickBooks handed out.
    const customerQueries = queries(run.requests, 'CustomerQueryRq');
    expect(customerQueries).toHaveLength(10);
    expect(customerQueries[0]).toMatch(/^<CustomerQueryRq requestID="[^"]+" iterator="Start">/);
    expect(customerQueries.slice(1).every((q) => /iterator="Continue" iteratorID="\{[0-9a-fA-F-]+\}"/.test(q))).toBe(true);
    expect(queries(run.requests, 'ItemQueryRq')).toHaveLength(2);
    expect(queries(run.requests, 'VendorQueryRq')).toHaveLength(1);
    for (const type of [
      'AccountQueryRq', 'ClassQueryRq', 'TermsQueryRq', 'SalesTaxCodeQueryRq', 'EmployeeQueryRq', 'PayrollItemWageQueryRq', 'OtherNameQueryRq', 'PaymentMethodQueryRq',
      'SalesRepQueryRq', 'CustomerTypeQueryRq', 'TemplateQueryRq',
    ]) {
      const [query, ...more] = queries(run.requests, type);
      expect(more).toEqual([]);
      expect(query).not.toContain('iterator=');
      expect(query).not.toContain('<MaxReturned>');
    }
    const all = run.requests.join('');
    const listQueries = all.match(/<\w+QueryRq requestID="lists:[\s\S]*?<\/\w+QueryRq>/g)!;
    // TemplateQuery takes no filters (qbXML's TemplateQuery group is IncludeRetElement only): it returns every template.
    const [templateQuery] = queries(run.requests, 'TemplateQueryRq');
    expect(templateQuery).not.toContain('ActiveStatus');
    expect(templateQuery).toContain('<IncludeRetElement>TemplateType</IncludeRetElement>');
    const filtered = listQueries.filter((q) => !q.startsWith('<TemplateQueryRq'));
    expect(filtered).toHaveLength(listQueries.length - 1);
    expect(filtered.every((q) => q.includes('<ActiveStatus>All</ActiveStatus>') && q.includes('<IncludeRetElement>ListID</IncludeRetElement>'))).toBe(true);
    expect(all).not.toContain('FromModifiedDate');

    const data = company.qb.company;
    const full = (list: Parameters<typeof company.file.fullName>[0]) => (r: ListRecord) => company.file.fullName(list, r);
    await expectMirrors('CUSTOMER', data.customers, full('customers'));
    await expectMirrors('ITEM', data.items, full('items'));
    await expectMirrors('ACCOUNT', data.accounts, full('accounts'));
    await expectMirrors('CLASS', data.classes, full('classes'));
    await expectMirrors('TERMS', data.terms, full('terms'));
    await expectMirrors('SALES_TAX_CODE', data.salesTaxCodes, full('salesTaxCodes'));
    await expectMirrors('VENDOR', data.vendors, full('vendors'));
    await expectMirrors('EMPLOYEE', data.employees, full('employees'));
    await expectMirrors('OTHER_NAME', data.otherNames, full('otherNames'));
    await expectMirrors('PAYMENT_METHOD', data.paymentMethods, full('paymentMethods'));
    await expectMirrors('SALES_REP', data.salesReps, full('salesReps'));
    await expectMirrors('CUSTOMER_TYPE', data.customerTypes, full('customerTypes'));
    await expectMirrors('TEMPLATE', data.templates, full('templates'));
    // Sales reps are named by their initials; customer types keep their hierarchy; templates their type.
    expect((await stored('SALES_REP')).map((r) => [r.full_name, r.is_active]).sort()).toEqual([['JD', true], ['MS', true], ['XR', false]]);
    expect((await stored('CUSTOMER_TYPE')).map((r) => r.full_name)).toEqual(expect.arrayContaining(['Commercial:Managed Services', 'Commercial:Healthcare', 'Referral']));
    expect(Object.fromEntries((await stored('TEMPLATE')).map((r) => [r.full_name, r.type]))).toMatchObject({ 'Intuit Service Invoice': 'Invoice', 'Custom Credit Memo': 'CreditMemo' });
    expect(data.otherNames.length).toBeGreaterThan(0);
    expect(data.paymentMethods.length).toBeGreaterThan(0);
    expect(data.customers).toHaveLength(2500);
    expect(data.items).toHaveLength(400);

    const after = await statuses();
    for (const list of ['ACCOUNT', 'CLASS', 'ITEM', 'TERMS', 'SALES_TAX_CODE', 'CUSTOMER', 'VENDOR', 'EMPLOYEE', 'OTHER_NAME', 'PAYMENT_METHOD', 'SALES_REP', 'CUSTOMER_TYPE', 'TEMPLATE']) {
      expect(after[list], list).toMatchObject({ state: 'OK', dueReason: null, lastKind: 'FULL', lastOutcome: 'OK', lastError: null });
      expect(after[list]!.lastRefreshedAt, list).not.toBeNull();
    }
    expect(after['CUSTOMER']).toMatchObject({ count: 2500, activeCount: data.customers.filter((c) => c.isActive).length, lastReceived: 2500, lastWritten: 2500 });
    expect(after['ITEM']).toMatchObject({ count: 400, lastReceived: 400, lastWritten: 400 });
    // QuickBooks without payroll refuses the wage item query: recorded for that list, the session went on.
    expect(after['PAYROLL_WAGE_ITEM']).toMatchObject({ state: 'FAILED', lastOutcome: 'FAILED', lastStatusCode: 3250, count: 0, dueReason: null });
    expect(after['PAYROLL_WAGE_ITEM']!.lastError).toMatch(/PayrollItemWageQueryRs with status 3250/);
    hwm = { customers: newestTimeModified(data.customers), items: newestTimeModified(data.items) };
    expect(after['CUSTOMER']!.highWaterMark).toBe(hwm.customers);

    // The same, batched, as a connector field.
    const connectors = await app.gql(ConnectorQuickBooksListsDocument, {}, viewer.token);
    const mine = connectors.data!.connectors.nodes.find((c) => c.id === connectorId)!;
    expect(mine.quickBooksLists.find((l) => l.list === 'CUSTOMER')).toEqual({ list: 'CUSTOMER', state: 'OK', count: 2500, dueReason: null });
  });

  test('right after, nothing is due: the Web Connector is told there is no work', async () => {
    const run = await update(qwc, company.qb);
    expect(run.outcome).toBe('no-work');
  });

  test('refresh on demand: the next session pulls only what changed since the last pull and writes only changed rows', async () => {
    const { file, clock } = company;
    clock.set(new Date(Date.parse(hwm.customers) + 2 * 86_400_000), 1000);
    const customer = (name: string) => file.findByFullName('customers', name)!;
    const item = (name: string) => file.findByFullName('items', name)!;
    const added = file.insert('customers', file.newListCore('Zeta Newco', { CompanyName: 'Zeta Newco' }));
    const renamed = customer('Customer 0002');
    renamed.name = 'Customer 0002 (renamed)';
    file.touch(renamed);
    const deactivated = customer('Customer 0003');
    deactivated.isActive = false;
    file.touch(deactivated);
    const acme = customer('Acme Corporation');
    acme.name = 'Acme Corp'; // its job is not touched: QuickBooks leaves children alone
    file.touch(acme);
    const job = customer('Acme Corp:Network Upgrade');
    const newItem = file.insert('items', { ...file.newListCore('Cloud Backup', { SalesOrPurchase: { Desc: 'Backup', Price: '30.00' } }), type: 'Service' });
    const renamedItem = item('Service 0001');
    renamedItem.name = 'Managed Backup';
    file.touch(renamedItem);
    const deactivatedItem = item('Service 0002');
    deactivatedItem.isActive = false;
    file.touch(deactivatedItem);

    expect(onlyError(await app.gql(RefreshQuickBooksListsDocument, { connectorId }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
    const refreshed = await app.gql(RefreshQuickBooksListsDocument, { connectorId }, accountant.token);
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data!.refreshQuickBooksLists.every((s) => s.dueReason === 'REQUESTED' && s.refreshRequestedAt !== null)).toBe(true);

    const startedAt = new Date();
    const run = await update(qwc, company.qb);
    expect(run.lastError).toBeUndefined();
    expect(run.outcome).toBe('completed');

    // FromModifiedDate: the newest TimeModified QuickBooks returned, in its own offset, minus the 10-minute overlap.
    const since = (hwmText: string) => formatDateTime(new Date(Date.parse(hwmText) - 10 * 60_000), -300);
    const [customerQuery, ...moreCustomerQueries] = queries(run.requests, 'CustomerQueryRq');
    expect(moreCustomerQueries).toEqual([]);
    expect(customerQuery).toContain(`<ActiveStatus>All</ActiveStatus><FromModifiedDate>${since(hwm.customers)}</FromModifiedDate>`);
    expect(queries(run.requests, 'ItemQueryRq')[0]).toContain(`<FromModifiedDate>${since(hwm.items)}</FromModifiedDate>`);
    expect(queries(run.requests, 'AccountQueryRq')[0]).toContain('<FromModifiedDate>');
    // Templates cannot be asked for what changed: always the whole list.
    expect(queries(run.requests, 'TemplateQueryRq')[0]).not.toContain('FromModifiedDate');

    const written = async (list: string) =>
      (await stored(list))
        .filter((r) => new Date(r.updated_at).getTime() >= startedAt.getTime())
        .map((r) => r.list_id)
        .sort();
    // Only the changed customers (and the job whose parent was renamed) and items were written.
    expect(await written('CUSTOMER')).toEqual([added.listId, renamed.listId, deactivated.listId, acme.listId, job.listId].sort());
    expect(await written('ITEM')).toEqual([newItem.listId, renamedItem.listId, deactivatedItem.listId].sort());
    for (const list of ['ACCOUNT', 'CLASS', 'TERMS', 'SALES_TAX_CODE', 'VENDOR', 'EMPLOYEE']) expect(await written(list), list).toEqual([]);

    const after = await statuses();
    expect(after['CUSTOMER']).toMatchObject({ state: 'OK', lastKind: 'INCREMENTAL', lastWritten: 4, count: 2501, lastFromModifiedDate: since(hwm.customers) });
    // A few unchanged ones come back through the overlap; nothing like the whole list.
    expect(after['CUSTOMER']!.lastReceived).toBeGreaterThanOrEqual(4);
    expect(after['CUSTOMER']!.lastReceived).toBeLessThan(10);
    expect(after['CUSTOMER']!.highWaterMark).toBe(newestTimeModified(company.qb.company.customers));
    expect(after['ITEM']).toMatchObject({ state: 'OK', lastKind: 'INCREMENTAL', lastWritten: 3, count: 401 });
    expect(after['ACCOUNT']).toMatchObject({ state: 'OK', lastKind: 'INCREMENTAL', lastWritten: 0 });
    expect(after['SALES_REP']).toMatchObject({ state: 'OK', lastKind: 'INCREMENTAL', lastWritten: 0 });
    expect(after['TEMPLATE']).toMatchObject({ state: 'OK', lastKind: 'FULL', lastWritten: 0 });
    expect(after['PAYROLL_WAGE_ITEM']).toMatchObject({ state: 'FAILED', lastStatusCode: 3250 });

    // The stored copy is right, to the last element.
    const data = company.qb.company;
    await expectMirrors('CUSTOMER', data.customers, (r) => company.file.fullName('customers', r));
    await expectMirrors('ITEM', data.items, (r) => company.file.fullName('items', r));
    const rows = new Map((await stored('CUSTOMER')).map((r) => [r.list_id, r]));
    expect(rows.get(job.listId)).toMatchObject({ full_name: 'Acme Corp:Network Upgrade', name: 'Network Upgrade' });
    expect(rows.get(deactivated.listId)).toMatchObject({ is_active: false, edit_sequence: deactivated.editSequence });
    expect(rows.get(added.listId)).toMatchObject({ full_name: 'Zeta Newco', is_active: true, type: 'Customer' });
  });

  test('a stale list is pulled again at the next session, and only that one', async () => {
    // 25 hours later (the company file was first seen before that).
    const db = app.database.orm.em.fork().getConnection();
    await db.execute(`update company set first_contact_at = first_contact_at - interval '2 days' where id = (select company_id from connector where id = ?)`, [connectorId]);
    await db.execute(`update quickbooks_list_sync set last_attempt_at = last_attempt_at - interval '25 hours' where connector_id = ? and list = 'CLASS'`, [connectorId]);
    expect((await statuses())['CLASS']!.dueReason).toBe('STALE');
    const security = company.file.insert('classes', company.file.newListCore('Security'));

    const run = await update(qwc, company.qb);
    expect(run.outcome).toBe('completed');
    const sent = run.requests.join('');
    expect(sent).toContain('<ClassQueryRq');
    expect(sent).not.toMatch(/<(Customer|Item|Account|Vendor)QueryRq/);
    const after = await statuses();
    expect(after['CLASS']).toMatchObject({ state: 'OK', dueReason: null, lastKind: 'INCREMENTAL', lastWritten: 1 });
    expect((await stored('CLASS')).map((r) => r.list_id)).toContain(security.listId);
  });

  test('a pull whose answer is lost is marked interrupted and pulled again at the next session', async () => {
    await app.gql(RefreshQuickBooksListsDocument, { connectorId, lists: ['VENDOR'] }, accountant.token);
    // Message 1 is the identity check, message 2 the vendor query: a modal dialog keeps QuickBooks from answering.
    const failed = await update(qwc, company.qb, { faults: { modalDialog: 2 } });
    expect(failed.outcome).toBe('error');
    const interrupted = (await statuses())['VENDOR']!;
    expect(interrupted).toMatchObject({ state: 'INTERRUPTED', lastOutcome: 'INTERRUPTED', dueReason: 'INTERRUPTED' });
    expect(interrupted.lastError).toMatch(/interrupted/);

    const vendor = company.file.insert('vendors', company.file.newListCore('Vendor New'));
    const run = await update(qwc, company.qb);
    expect(run.outcome).toBe('completed');
    expect(queries(run.requests, 'VendorQueryRq')).toHaveLength(1);
    expect((await statuses())['VENDOR']).toMatchObject({ state: 'OK', dueReason: null, lastWritten: 1, count: 21 });
    expect((await stored('VENDOR')).map((r) => r.list_id)).toContain(vendor.listId);
  });

  test('a full refresh on demand notices elements deleted in QuickBooks', async () => {
    const data = company.qb.company;
    const gone = data.terms.find((t) => t.name === 'Net 45')!;
    data.terms.splice(data.terms.indexOf(gone), 1);
    const res = await app.gql(RefreshQuickBooksListsDocument, { connectorId, lists: ['TERMS'], full: true }, accountant.token);
    expect(res.data!.refreshQuickBooksLists.find((s) => s.list === 'TERMS')).toMatchObject({ dueReason: 'REQUESTED', fullRefreshRequested: true });
    const run = await update(qwc, company.qb);
    expect(run.outcome).toBe('completed');
    expect(queries(run.requests, 'TermsQueryRq')[0]).not.toContain('FromModifiedDate');
    expect((await statuses())['TERMS']).toMatchObject({ lastKind: 'FULL', fullRefreshRequested: false, count: data.terms.length });
    expect((await stored('TERMS')).map((r) => r.list_id)).not.toContain(gone.listId);
  });
});

describe('the stored lists in GraphQL', () => {
  test('search by name or full name, case-insensitively, page by page in full-name order', async () => {
    const data = company.qb.company;
    const expected = data.items
      .filter((i) => i.isActive)
      .map((i) => company.file.fullName('items', i))
      .filter((n) => n.toLowerCase().includes('labor'))
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
    expect(expected.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: GraphQLResponse<QuickBooksListElementsQuery> = await app.gql(
        QuickBooksListElementsDocument, { connectorId, list: 'ITEM', search: 'LaBoR', first: 20, after }, viewer.token);
      expect(res.errors).toBeUndefined();
      const { nodes, pageInfo, totalCount } = res.data!.quickBooksListElements;
      expect(totalCount).toBe(expected.length);
      seen.push(...nodes.map((n) => n.fullName));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  test('elements carry type, hierarchy and details; inactive ones only on request', async () => {
    const res = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'CLASS', search: 'servers' }, viewer.token);
    expect(res.data!.quickBooksListElements.nodes).toEqual([
      expect.objectContaining({ fullName: 'Managed Services:Monitoring:Servers', name: 'Servers', sublevel: 2, parentFullName: 'Managed Services:Monitoring', isActive: true }),
    ]);
    const inactive = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'CLASS', search: 'old division' }, viewer.token);
    expect(inactive.data!.quickBooksListElements.totalCount).toBe(0);
    const all = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'CLASS', search: 'old division', activeOnly: false }, viewer.token);
    expect(all.data!.quickBooksListElements.nodes.map((n) => [n.fullName, n.isActive])).toEqual([['Old Division', false]]);

    const income = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'ACCOUNT', types: ['Income'], first: 50 }, viewer.token);
    expect(income.data!.quickBooksListElements.nodes.map((n) => n.fullName)).toEqual([
      'Autotask Other', 'Hardware Sales', 'Managed Services Income', 'Reimbursed Expenses', 'Sales', 'Services', 'Services:Labor',
    ]);
    const consulting = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'ITEM', search: 'consulting' }, viewer.token);
    expect(consulting.data!.quickBooksListElements.nodes[0]).toMatchObject({
      type: 'Service',
      details: { description: 'Consulting services', price: '150.00', incomeAccount: { fullName: 'Services' }, salesTaxCode: { fullName: 'Non' } },
    });
    const terms = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'TERMS', search: 'net 30' }, viewer.token);
    expect(terms.data!.quickBooksListElements.nodes[0]).toMatchObject({ type: 'Standard', details: { stdDueDays: '30' } });
    // LIKE wildcards in the search text are plain characters.
    const percent = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'ITEM', search: '%' }, viewer.token);
    expect(percent.data!.quickBooksListElements.nodes.map((n) => n.fullName)).toEqual(['Discount 10%']);
    const underscore = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'ITEM', search: '_' }, viewer.token);
    expect(underscore.data!.quickBooksListElements.totalCount).toBe(0);
  });

  test('reading needs a token, a bad cursor is a field error', async () => {
    const anonymous = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'ITEM' }, undefined);
    expect(onlyError(anonymous).extensions?.code).toBe('UNAUTHENTICATED');
    const bad = await app.gql(QuickBooksListElementsDocument, { connectorId, list: 'ITEM', after: 'nonsense' }, viewer.token);
    expect(onlyError(bad).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
    const unknown = await app.gql(QuickBooksListStatusDocument, { connectorId: 'conn_nope' }, viewer.token);
    expect(onlyError(unknown).extensions?.code).toBe('NOT_FOUND');
  });
});

describe('another company file', () => {
  test("after the binding is cleared, the next file's lists are pulled in full and the old file's elements go", async () => {
    const cleared = await app.gql(ClearCompanyBindingDocument, { connectorId }, fixture.adminToken);
    expect(cleared.errors).toBeUndefined();
    // Unbound: the copy belongs to no file the connector knows, so the Web Connector has work.
    expect(Object.values(await statuses()).filter((s) => s.state === 'OK').every((s) => s.dueReason === 'COMPANY_FILE_CHANGED')).toBe(true);

    const other = new QuickBooksSimulator({ validator, company: createCompanyFile({ seed: 'standard' }), companyFilePath: 'C:\\QB\\Other.QBW' });
    const run = await update(qwc, other);
    expect(run.lastError).toBeUndefined();
    expect(run.outcome).toBe('completed');
    expect(run.requests.join('')).not.toContain('FromModifiedDate');
    const after = await statuses();
    expect(after['CUSTOMER']).toMatchObject({ state: 'OK', lastKind: 'FULL', dueReason: null, count: 3 });
    // The mark is the new file's, not the (later) one of the file before.
    expect(after['CUSTOMER']!.highWaterMark).toBe(newestTimeModified(other.company.customers));
    await expectMirrors('CUSTOMER', other.company.customers, (r) => other.companyFile.fullName('customers', r));
    await expectMirrors('ITEM', other.company.items, (r) => other.companyFile.fullName('items', r));
    await expectMirrors('CLASS', other.company.classes, (r) => other.companyFile.fullName('classes', r));
    expect((await update(qwc, other)).outcome).toBe('no-work');
  });
});
