/**
 * Mapping help: the Autotask values a connector's invoices and organizations use without a mapping, with
 * suggestions from the connector's synced QuickBooks lists, and picking them in bulk.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { Role } from '../../src/modules/user/role.js';
import { createListSyncSource } from '../../src/modules/quickbooks-lists/list-sync.source.js';
import { createCompanyFile, QuickBooksSimulator, SimulatedCompanyFile } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import {
  ApplyMappingSuggestionsDocument,
  SetRoutesDocument,
  UnmappedValuesDocument,
  UpsertExpenseReportsDocument,
  UpsertInvoicesDocument,
  UpsertMappingsDocument,
  UpsertOrganizationsDocument,
  UpsertResourcesDocument,
  type InvoiceLineInput,
  type UnmappedValuesQuery,
} from '../generated/graphql.js';

const env = {};
let app: TestApp;
let fixture: Fixture;
let viewer: { id: string; token: string };
let accountant: { id: string; token: string };
let main: string;
let second: string;

/** The standard company plus classes, a few more items and terms an MSP would have. */
function mspCompany(): QuickBooksSimulator {
  const data = createCompanyFile({ companyName: 'MSP', seed: 'standard', preferences: { salesTaxEnabled: true, classTrackingEnabled: true } });
  const file = new SimulatedCompanyFile(data);
  const managed = file.insert('classes', file.newListCore('Managed Services'));
  file.insert('classes', { ...file.newListCore('Monitoring'), parentId: managed.listId });
  const projects = file.insert('classes', file.newListCore('Projects'));
  file.insert('classes', { ...file.newListCore('Cloud Migration'), parentId: projects.listId });
  file.insert('classes', { ...file.newListCore('Hardware Resale'), isActive: false });
  const services = file.findByFullName('accounts', 'Services')!;
  file.insert('accounts', { ...file.newListCore('Managed Services Income'), accountType: 'Income' });
  file.insert('accounts', { ...file.newListCore('Travel Expense'), accountType: 'Expense' });
  const labor = file.insert('items', { ...file.newListCore('Labor', { SalesOrPurchase: { Desc: 'Labor', AccountRef: { $ref: services.listId } } }), type: 'Service' });
  file.insert('items', { ...file.newListCore('Onsite Support', { SalesOrPurchase: { Desc: 'Onsite hour', AccountRef: { $ref: services.listId } } }), type: 'Service', parentId: labor.listId });
  file.insert('items', { ...file.newListCore('Backup Monitoring', { SalesOrPurchase: { Desc: 'Backup monitoring per device', AccountRef: { $ref: services.listId } } }), type: 'Service' });
  file.insert('terms', { ...file.newListCore('Net 45', { StdDueDays: '45' }), kind: 'Standard' });
  return new QuickBooksSimulator({ validator, company: file, companyFilePath: 'C:\\QB\\MSP.QBW' });
}

type LineExtra = Omit<InvoiceLineInput, 'description' | 'quantity' | 'rate' | 'amount' | 'taxable'> & { taxable?: boolean };
const line = (n: number, extra: LineExtra): InvoiceLineInput => ({
  description: `Line ${n}`, quantity: '1', rate: '10', amount: '10.00', taxable: false, ...extra,
});

beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, env, workSources: [createListSyncSource(loadConfig(env))] });
  fixture = await createFixture(app);
  viewer = await app.createUser(Role.VIEWER, 'Vic');
  accountant = await app.createUser(Role.ACCOUNTANT, 'Carla');
  main = await createConnector(app, fixture, 'Main');
  second = await createConnector(app, fixture, 'Second');
  const { qwc } = await register(app, fixture, main);
  expect((await update(qwc, mspCompany())).outcome).toBe('completed');

  const admin = fixture.adminToken;
  const orgs = await app.gql(UpsertOrganizationsDocument, { input: { organizations: [
    { autotaskId: 174, name: 'Contoso', paymentTermId: '3', paymentTermName: 'Net 30' },
    { autotaskId: 175, name: 'Fabrikam', paymentTermId: '9', paymentTermName: 'Net 45 days' },
    { autotaskId: 176, name: 'Routed Elsewhere', paymentTermId: '11', paymentTermName: 'Due on receipt' },
  ] } }, admin);
  expect(orgs.errors).toBeUndefined();
  expect((await app.gql(SetRoutesDocument, { input: { routes: [{ subject: 'ORGANIZATION', autotaskId: 176, connectorId: second }] } }, admin)).errors).toBeUndefined();
  const invoices = await app.gql(UpsertInvoicesDocument, { input: { invoices: [
    { autotaskId: 1001, organizationAutotaskId: 174, invoiceDate: '2026-01-31', total: '40.00', lines: [
      line(1, { billingItemKind: 'WORK_TYPE', billingItemId: '29682801', billingItemName: 'Remote Support', billingCodeId: '29682801', workTypeName: 'Remote Support', lineOfBusinessId: '7', lineOfBusinessName: 'Managed Services' }),
      line(2, { billingItemKind: 'WORK_TYPE', billingItemId: '29682801', billingItemName: 'Remote Support', billingCodeId: '29682801', workTypeName: 'Remote Support', lineOfBusinessId: '7', lineOfBusinessName: 'Managed Services' }),
      line(3, { billingItemKind: 'SERVICE', billingItemId: 's-55', billingItemName: 'Backup Monitoring Service', lineOfBusinessId: '7', lineOfBusinessName: 'Managed Services' }),
      line(4, { billingItemKind: 'MATERIAL', billingItemId: 'p-9', billingItemName: 'Hardware', taxable: true, lineOfBusinessId: '8', lineOfBusinessName: 'Project' }),
      line(5, { billingItemKind: 'WORK_TYPE', billingItemId: '29682802', billingItemName: 'Consulting', billingCodeId: '29682802', workTypeName: 'Consulting' }),
    ] },
    { autotaskId: 1002, organizationAutotaskId: 175, invoiceDate: '2026-01-31', total: '10.00', paymentTermId: '9', paymentTermName: 'Net 45 days', lines: [
      line(1, { billingItemKind: 'RECURRING_SERVICE', billingItemId: 'rs-1', billingItemName: 'Onsite Support Hours' }),
    ] },
    { autotaskId: 1003, organizationAutotaskId: 176, invoiceDate: '2026-01-31', total: '10.00', lines: [
      line(1, { billingItemKind: 'MATERIAL', billingItemId: 'p-77', billingItemName: 'Elsewhere Widget', lineOfBusinessId: '99', lineOfBusinessName: 'Elsewhere' }),
    ] },
  ] } }, admin);
  expect(invoices.errors).toBeUndefined();
  // Consulting is mapped already.
  const mapped = await app.gql(UpsertMappingsDocument, { input: { connectorId: main, mappings: [
    { sourceKind: 'WORK_TYPE', sourceId: '29682802', sourceName: 'Consulting', target: { fullName: 'Consulting' }, itemType: 'SERVICE' },
  ] } }, admin);
  expect(mapped.errors).toBeUndefined();
});
afterAll(async () => {
  await app?.close();
});

type Unmapped = UnmappedValuesQuery['unmappedValues'][number];

async function unmapped(connectorId: string): Promise<Unmapped[]> {
  const res = await app.gql(UnmappedValuesDocument, { connectorId }, viewer.token);
  expect(res.errors).toBeUndefined();
  return res.data!.unmappedValues;
}

const key = (u: Pick<Unmapped, 'sourceKind' | 'sourceId'>) => `${u.sourceKind}:${u.sourceId}`;
const best = (u: Unmapped | undefined) => u?.suggestions[0] && [u.suggestions[0].element.fullName, u.suggestions[0].score];

describe.sequential('mapping help', () => {
  test("lists what the connector's invoices and organizations use without a mapping, with suggestions from its lists", async () => {
    const values = await unmapped(main);
    const byKey = new Map(values.map((v) => [key(v), v]));
    expect([...byKey.keys()].sort()).toEqual([
      'BILLING_CODE:29682801', 'BILLING_CODE:29682802', 'LINE_OF_BUSINESS:7', 'LINE_OF_BUSINESS:8', 'MATERIAL:p-9',
      'PAYMENT_TERM:3', 'PAYMENT_TERM:9', 'RECURRING_SERVICE:rs-1', 'SERVICE:s-55', 'TAXABILITY:NON_TAXABLE', 'TAXABILITY:TAXABLE',
      'WORK_TYPE:29682801',
    ]);
    expect(byKey.get('WORK_TYPE:29682801')).toMatchObject({ sourceName: 'Remote Support', targetList: 'ITEM', quickBooksList: 'ITEM', occurrences: 2 });
    expect(best(byKey.get('WORK_TYPE:29682801'))).toEqual(['Remote Support', 1]);
    expect(best(byKey.get('SERVICE:s-55'))![0]).toBe('Backup Monitoring');
    expect(best(byKey.get('RECURRING_SERVICE:rs-1'))![0]).toBe('Labor:Onsite Support');
    expect(best(byKey.get('MATERIAL:p-9'))).toEqual(['Hardware', 1]);
    expect(best(byKey.get('LINE_OF_BUSINESS:7'))).toEqual(['Managed Services', 1]);
    expect(best(byKey.get('LINE_OF_BUSINESS:8'))![0]).toBe('Projects');
    expect(best(byKey.get('PAYMENT_TERM:3'))).toEqual(['Net 30', 1]);
    expect(byKey.get('PAYMENT_TERM:9')).toMatchObject({ sourceName: 'Net 45 days', occurrences: 2 });
    expect(best(byKey.get('PAYMENT_TERM:9'))![0]).toBe('Net 45');
    expect(best(byKey.get('TAXABILITY:TAXABLE'))![0]).toBe('Tax');
    expect(best(byKey.get('TAXABILITY:NON_TAXABLE'))![0]).toBe('Non');
    // Billing codes map to income accounts: only those are suggested.
    expect(byKey.get('BILLING_CODE:29682801')).toMatchObject({ targetList: 'ACCOUNT', quickBooksList: 'ACCOUNT' });
    for (const v of values) {
      expect(v.suggestions.length).toBeLessThanOrEqual(3);
      const scores = v.suggestions.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      if (v.targetList === 'ACCOUNT') expect(v.suggestions.every((s) => s.element.type === 'Income')).toBe(true);
      if (v.targetList === 'ITEM') expect(v.suggestions.every((s) => !['SalesTax', 'Subtotal', 'Discount'].includes(s.element.type ?? ''))).toBe(true);
      // Inactive elements are never suggested.
      expect(v.suggestions.map((s) => s.element.fullName)).not.toContain('Hardware Resale');
    }
  });

  test('values of organizations routed to another connector are that connector\'s; a never-synced connector gets no suggestions', async () => {
    const values = await unmapped(second);
    expect(values.map(key).sort()).toEqual(['LINE_OF_BUSINESS:99', 'MATERIAL:p-77', 'PAYMENT_TERM:11', 'TAXABILITY:NON_TAXABLE']);
    expect(values.every((v) => v.suggestions.length === 0)).toBe(true);
    const only = await app.gql(UnmappedValuesDocument, { connectorId: main, sourceKinds: ['LINE_OF_BUSINESS'], suggestions: 1 }, viewer.token);
    expect(only.data!.unmappedValues.map((v) => [v.sourceId, v.suggestions.length])).toEqual([['7', 1], ['8', 1]]);
  });

  test('applying picked suggestions creates the mappings in one go; they are no longer unmapped', async () => {
    const values = await unmapped(main);
    const picks = values
      .filter((v) => v.suggestions.length > 0)
      .map((v) => ({ sourceKind: v.sourceKind, sourceId: v.sourceId, sourceName: v.sourceName, listId: v.suggestions[0]!.element.listId }));
    expect(picks.length).toBeGreaterThanOrEqual(10);

    expect(onlyError(await app.gql(ApplyMappingSuggestionsDocument, { connectorId: main, picks }, accountant.token)).extensions?.code).toBe('FORBIDDEN');
    const res = await app.gql(ApplyMappingSuggestionsDocument, { connectorId: main, picks }, fixture.adminToken);
    expect(res.errors).toBeUndefined();
    const mappings = res.data!.applyMappingSuggestions;
    expect(mappings).toHaveLength(picks.length);
    expect(mappings.find((m) => m.sourceId === '29682801' && m.sourceKind === 'WORK_TYPE')).toMatchObject({
      targetList: 'ITEM', itemType: 'SERVICE', autoCreate: false, target: { fullName: 'Remote Support', listId: expect.stringMatching(/^[0-9A-F]+-\d+$/) },
    });
    expect(mappings.find((m) => m.sourceKind === 'LINE_OF_BUSINESS' && m.sourceId === '7')).toMatchObject({ targetList: 'CLASS', itemType: null, target: { fullName: 'Managed Services' } });
    const left = (await unmapped(main)).map(key);
    for (const pick of picks) expect(left).not.toContain(key(pick));
  });

  test('a pick must name an active element of the right synced list; nothing is written otherwise', async () => {
    const before = (await unmapped(main)).length;
    const apply = (picks: Array<Record<string, string>>) =>
      app.gql(ApplyMappingSuggestionsDocument, { connectorId: main, picks: picks as never }, fixture.adminToken);
    expect(onlyError(await apply([])).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'picks' }] });
    const notAListId = await apply([{ sourceKind: 'WORK_TYPE', sourceId: 'w-new', sourceName: 'New work', listId: 'nonsense' }]);
    expect(onlyError(notAListId).extensions?.code).toBe('BAD_USER_INPUT');
    // A class offered for an item; an element the connector never synced.
    const classes = await app.gql(UnmappedValuesDocument, { connectorId: main, sourceKinds: ['LINE_OF_BUSINESS'] }, viewer.token);
    expect(classes.data!.unmappedValues).toEqual([]);
    const wrong = await apply([
      { sourceKind: 'MATERIAL', sourceId: 'p-new', sourceName: 'New material', listId: await listIdOf('CLASS', 'Projects') },
      { sourceKind: 'MATERIAL', sourceId: 'p-other', sourceName: 'Other material', listId: '80000999-1' },
      { sourceKind: 'LINE_OF_BUSINESS', sourceId: '12', sourceName: 'Old', listId: await listIdOf('CLASS', 'Hardware Resale') },
    ]);
    expect(onlyError(wrong).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'picks.0.listId', message: expect.stringMatching(/synced QuickBooks ITEM list/) },
        { field: 'picks.1.listId', message: expect.stringMatching(/synced QuickBooks ITEM list/) },
        { field: 'picks.2.listId', message: expect.stringMatching(/inactive/) },
      ],
    });
    expect((await unmapped(main)).length).toBe(before);
  });

  test("the expense categories of the connector's resources' expense reports are listed, billable and reimbursable apart, with expense accounts suggested", async () => {
    const admin = fixture.adminToken;
    expect((await app.gql(UpsertResourcesDocument, { input: { resources: [{ autotaskId: 931, firstName: 'Ella', lastName: 'Spender' }] } }, admin)).errors).toBeUndefined();
    const item = (autotaskId: number, expenseCategoryId: string, expenseCategoryName: string, extra: Record<string, unknown> = {}) => ({
      autotaskId, expenseDate: '2026-11-10', description: `Expense ${autotaskId}`, expenseCategoryId, expenseCategoryName, amount: '10.00', ...extra,
    });
    const pushed = await app.gql(UpsertExpenseReportsDocument, { input: { expenseReports: [{
      autotaskId: 7001, name: 'November', resourceAutotaskId: 931, status: 'APPROVED_FOR_PAYMENT', weekEnding: '2026-11-14', cashAdvanceAmount: '0',
      items: [
        item(70011, 'travel', 'Travel', { isBillableToCompany: true, organizationAutotaskId: 174 }),
        item(70012, 'travel', 'Travel'),
        item(70013, 'travel', 'Travel'),
        item(70014, 'meals', 'Meals'),
      ],
    }] } }, admin);
    expect(pushed.errors).toBeUndefined();
    const expenses = (await unmapped(main)).filter((v) => v.sourceKind.startsWith('EXPENSE_ACCOUNT'));
    expect(expenses.map((v) => [key(v), v.sourceName, v.occurrences, v.targetList])).toEqual([
      ['EXPENSE_ACCOUNT_BILLABLE:travel', 'Travel', 1, 'ACCOUNT'],
      ['EXPENSE_ACCOUNT_REIMBURSABLE:meals', 'Meals', 1, 'ACCOUNT'],
      ['EXPENSE_ACCOUNT_REIMBURSABLE:travel', 'Travel', 2, 'ACCOUNT'],
    ]);
    expect(best(expenses[2])![0]).toBe('Travel Expense');
    // Bill lines post to expense accounts: income accounts are not suggested for them.
    for (const v of expenses) expect(v.suggestions.every((s) => ['Expense', 'OtherExpense', 'CostOfGoodsSold'].includes(s.element.type ?? ''))).toBe(true);
    // Routed to the second connector, the resource's categories are that connector's.
    expect((await app.gql(SetRoutesDocument, { input: { routes: [{ subject: 'RESOURCE', autotaskId: 931, connectorId: second }] } }, admin)).errors).toBeUndefined();
    expect((await unmapped(main)).filter((v) => v.sourceKind.startsWith('EXPENSE_ACCOUNT'))).toEqual([]);
    expect((await unmapped(second)).filter((v) => v.sourceKind.startsWith('EXPENSE_ACCOUNT')).map(key)).toEqual([
      'EXPENSE_ACCOUNT_BILLABLE:travel', 'EXPENSE_ACCOUNT_REIMBURSABLE:meals', 'EXPENSE_ACCOUNT_REIMBURSABLE:travel',
    ]);
  });
});

async function listIdOf(list: string, fullName: string): Promise<string> {
  const rows: Array<{ list_id: string }> = await app.database.orm.em
    .fork()
    .getConnection()
    .execute('select list_id from quickbooks_list_element where connector_id = ? and list = ? and full_name = ?', [main, list, fullName]);
  return rows[0]!.list_id;
}
