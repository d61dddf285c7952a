/**
 * Pushing Autotask data: idempotent bulk upserts keyed by Autotask id (payments by external id), with
 * field-level validation, all-or-nothing calls, and no writes (nor audit entries) for unchanged data.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Invoice, InvoiceLine } from '../../src/modules/autotask/invoice.entity.js';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { Payment } from '../../src/modules/autotask/payment.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import {
  CreateConnectorDocument,
  InvoiceDocument,
  QueueTransfersDocument,
  OrganizationsDocument,
  UpsertInvoicesDocument,
  UpsertOrganizationsDocument,
  UpsertPaymentsDocument,
  UpsertResourcesDocument,
  type InvoiceInput,
  type InvoiceLineInput,
  type OrganizationInput,
} from '../generated/graphql.js';

let app: TestApp;
let accountant: { id: string; token: string };
let viewer: { id: string; token: string };
beforeAll(async () => {
  app = await startTestApp();
  accountant = await app.createUser(Role.ACCOUNTANT, 'Ann');
  viewer = await app.createUser(Role.VIEWER, 'Vera');
});
afterAll(async () => {
  await app?.close();
});

const organization = (autotaskId: number, extra: Partial<OrganizationInput> = {}): OrganizationInput => ({
  autotaskId,
  name: `Organization ${autotaskId}`,
  ...extra,
});

const line = (extra: Partial<InvoiceLineInput> = {}): InvoiceLineInput => ({
  billingItemKind: 'WORK_TYPE',
  billingItemId: '29682801',
  billingItemName: 'Remote Support',
  description: 'Printer fixed',
  quantity: '1.5',
  rate: '120',
  amount: '180',
  taxable: false,
  ...extra,
});

const invoice = (autotaskId: number, organizationAutotaskId: number, extra: Partial<InvoiceInput> = {}): InvoiceInput => ({
  autotaskId,
  organizationAutotaskId,
  invoiceDate: '2026-01-31',
  total: '180',
  lines: [line()],
  ...extra,
});

const count = (entity: typeof AuditEntry | typeof Organization | typeof Invoice | typeof InvoiceLine | typeof Payment | typeof TransferItem, where = {}) =>
  app.database.orm.em.fork().count(entity as typeof AuditEntry, where);

function fieldsOf(error: { extensions?: Record<string, unknown> }): string[] {
  return (error.extensions?.fields as Array<{ field: string }>).map((f) => f.field).sort();
}

test('organizations: created, then unchanged when pushed again (no writes, no audit entries), then updated', async () => {
  const pushed = [
    organization(101, {
      parentAutotaskId: 100,
      phone: '555-0101',
      email: 'ap@acme.test',
      taxExempt: true,
      paymentTermId: '3',
      paymentTermName: 'Net 30',
      address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
      billingAddress: { line1: 'PO Box 9', city: 'Springfield' },
    }),
    organization(102, { address: { line1: '', city: null }, email: '' }),
  ];
  const first = await app.gql(UpsertOrganizationsDocument, { input: { organizations: pushed } }, accountant.token);
  expect(first.errors).toBeUndefined();
  const created = first.data!.upsertOrganizations;
  expect(created).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
  expect(created.organizations[0]).toMatchObject({
    autotaskId: 101, name: 'Organization 101', parentAutotaskId: 100, phone: '555-0101', taxExempt: true, paymentTermName: 'Net 30',
    address: { line1: '1 Main St', line2: null, city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
    billingAddress: { line1: 'PO Box 9', city: 'Springfield' },
  });
  // An address whose every part is empty is no address.
  expect(created.organizations[1]).toMatchObject({ autotaskId: 102, address: null, email: null, taxExempt: false, phone: null });

  const auditBefore = await count(AuditEntry);
  const again = await app.gql(UpsertOrganizationsDocument, { input: { organizations: pushed } }, accountant.token);
  expect(again.data!.upsertOrganizations).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  expect(again.data!.upsertOrganizations.organizations.map((o) => [o.id, o.updatedAt])).toEqual(
    created.organizations.map((o) => [o.id, o.updatedAt]),
  );
  expect(await count(AuditEntry)).toBe(auditBefore);
  expect(await count(Organization, { autotaskId: { $in: [101, 102] } })).toBe(2);

  const changed = await app.gql(
    UpsertOrganizationsDocument,
    { input: { organizations: [{ ...pushed[0]!, name: 'Acme Holdings' }, pushed[1]!] } },
    accountant.token,
  );
  expect(changed.data!.upsertOrganizations).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  expect(changed.data!.upsertOrganizations.organizations[0]).toMatchObject({ id: created.organizations[0]!.id, name: 'Acme Holdings' });
  const entries = await app.database.orm.em.fork().find(AuditEntry, { entityType: 'Organization', action: 'update' });
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ entityId: created.organizations[0]!.id, actorName: 'Ann', changes: { name: 'Acme Holdings' } });
  expect(Object.keys(entries[0]!.changes).sort()).toEqual(['name', 'updatedAt']);

  // Omitting an optional field on a later push clears it: every push carries the whole record.
  const cleared = await app.gql(UpsertOrganizationsDocument, { input: { organizations: [organization(101, { name: 'Acme Holdings' })] } }, accountant.token);
  expect(cleared.data!.upsertOrganizations.organizations[0]).toMatchObject({ phone: null, address: null, taxExempt: false, parentAutotaskId: null });
});

test('resources: created, unchanged, updated', async () => {
  const pushed = [{ autotaskId: 29682885, firstName: 'Tara', lastName: 'Tech', email: 'tara@msp.test' }, { autotaskId: 29682886, firstName: 'Bo', lastName: 'Bench' }];
  const first = await app.gql(UpsertResourcesDocument, { input: { resources: pushed } }, accountant.token);
  expect(first.data!.upsertResources).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
  expect(first.data!.upsertResources.resources[1]).toMatchObject({ email: null, active: true });
  const auditBefore = await count(AuditEntry);
  const again = await app.gql(UpsertResourcesDocument, { input: { resources: pushed } }, accountant.token);
  expect(again.data!.upsertResources).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  expect(await count(AuditEntry)).toBe(auditBefore);
  const inactive = await app.gql(UpsertResourcesDocument, { input: { resources: [{ ...pushed[1]!, active: false }] } }, accountant.token);
  expect(inactive.data!.upsertResources).toMatchObject({ updated: 1, resources: [{ id: first.data!.upsertResources.resources[1]!.id, active: false }] });
});

test('invoices: stored in canonical form, unchanged when pushed again, lines replaced as a whole', async () => {
  await app.gql(UpsertOrganizationsDocument, { input: { organizations: [organization(201), organization(202)] } }, accountant.token);
  const pushed = invoice(5001, 201, {
    invoiceNumber: 'INV-5001',
    poNumber: 'PO-7',
    transmissionMethod: 'EMAIL',
    total: '0397.5',
    taxTotal: '17.5',
    lines: [
      line({ serviceDate: '2026-01-15', lineOfBusinessId: '7', lineOfBusinessName: 'Managed Services' }),
      line({ billingItemKind: 'MATERIAL', description: 'Toner', quantity: '2', rate: '50.125', amount: '100.25', taxable: true, subOrganizationName: 'Contoso West' }),
      line({ billingItemKind: 'SERVICE', description: 'Backup', quantity: '-1', rate: '100', amount: '-100.00', roleName: null }),
    ],
  });
  const first = await app.gql(UpsertInvoicesDocument, { input: { invoices: [pushed] } }, accountant.token);
  expect(first.errors).toBeUndefined();
  const stored = first.data!.upsertInvoices.invoices[0]!;
  expect(first.data!.upsertInvoices).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
  expect(stored).toMatchObject({
    autotaskId: 5001, invoiceNumber: 'INV-5001', invoiceDate: '2026-01-31', poNumber: 'PO-7', transmissionMethod: 'EMAIL',
    total: '397.50', taxTotal: '17.50', paidDate: null, organization: { autotaskId: 201 },
  });
  expect(stored.lines).toMatchObject([
    { position: 1, billingItemKind: 'WORK_TYPE', quantity: '1.5000', rate: '120.0000', amount: '180.00', serviceDate: '2026-01-15', lineOfBusinessName: 'Managed Services', subOrganizationName: null },
    { position: 2, billingItemKind: 'MATERIAL', quantity: '2.0000', rate: '50.1250', amount: '100.25', taxable: true, serviceDate: null, subOrganizationName: 'Contoso West' },
    { position: 3, billingItemKind: 'SERVICE', quantity: '-1.0000', amount: '-100.00' },
  ]);

  // The same data, written differently ("397.50" for "0397.5"), is still unchanged: nothing is written.
  const auditBefore = await count(AuditEntry);
  const same = await app.gql(
    UpsertInvoicesDocument,
    { input: { invoices: [{ ...pushed, total: '397.50', taxTotal: '17.50', lines: pushed.lines.map((l) => ({ ...l, rate: l.rate.includes('.') ? `${l.rate}0` : `${l.rate}.00` })) }] } },
    accountant.token,
  );
  expect(same.data!.upsertInvoices).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
  expect(await count(AuditEntry)).toBe(auditBefore);

  // Fewer lines: the invoice keeps exactly the pushed ones, no orphans are left behind.
  const lineIds = (await app.database.orm.em.fork().find(InvoiceLine, { invoice: stored.id }, { orderBy: { position: 'asc' } })).map((l) => l.id);
  const fewer = await app.gql(
    UpsertInvoicesDocument,
    { input: { invoices: [{ ...pushed, organizationAutotaskId: 202, lines: [line({ description: 'Only line' })] }] } },
    accountant.token,
  );
  expect(fewer.data!.upsertInvoices).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
  expect(fewer.data!.upsertInvoices.invoices[0]).toMatchObject({ id: stored.id, organization: { autotaskId: 202 }, lines: [{ position: 1, description: 'Only line' }] });
  expect(await count(InvoiceLine, { invoice: stored.id })).toBe(1);
  // Audited as the flush subscriber records changes (the changed fields and updatedAt), with what they were before
  // (`previous`); each surplus line's deletion with the values it had. The invoice and the lines it was pushed with
  // are one creation, one entry, naming the lines; each line changed later has its own.
  const audited = await app.database.orm.em.fork().find(AuditEntry, { entityId: { $in: [stored.id, ...lineIds] } }, { orderBy: { id: 'asc' } });
  expect(audited.map((e) => [e.action, e.entityType, e.actorName])).toEqual([
    ['create', 'Invoice', 'Ann'], ['update', 'Invoice', 'Ann'], ['update', 'InvoiceLine', 'Ann'], ['delete', 'InvoiceLine', 'Ann'], ['delete', 'InvoiceLine', 'Ann'],
  ]);
  expect(audited[0]!.changes).toMatchObject({ id: stored.id, autotaskId: 5001, total: '397.50', invoiceDate: '2026-01-31', qbIsPaid: null });
  // Timestamps as the stored ones, in the audit entry's columns and in its changes (ISO text, as a Date is written in JSON).
  const invoiceRow = await app.database.orm.em.fork().findOneOrFail(Invoice, stored.id);
  expect(audited[0]!.changes).toMatchObject({ createdAt: invoiceRow.createdAt.toISOString() });
  expect(audited[0]!.createdAt.toISOString()).toBe(audited[0]!.updatedAt.toISOString());
  // A new row's entry is built by the database from the row it inserted: every property, as the row was written (JSON
  // of it); the lines pushed with the invoice named in its `lines`, in position order.
  expect(audited[0]!.changes.lines).toEqual(lineIds);
  const organization201 = (await app.database.orm.em.fork().findOneOrFail(Organization, { autotaskId: 201 })).id;
  expect(audited[1]!.changes).toEqual({ organization: invoiceRow.organization.id, updatedAt: invoiceRow.updatedAt.toISOString(), previous: { organization: organization201 } });
  // The line's values before the change, typed as its creation would have held them (a line's own creation entry:
  // test/db/plain-rows.test.ts), so the log still holds every value the line was pushed with.
  expect(audited[2]!.changes).toEqual({
    description: 'Only line', lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null, updatedAt: invoiceRow.updatedAt.toISOString(),
    previous: { description: 'Printer fixed', lineOfBusinessId: '7', lineOfBusinessName: 'Managed Services', serviceDate: '2026-01-15' },
  });
  // A removed line's entry: every property it last had, the invoice it belonged to included.
  expect(audited[3]!.changes).toEqual({
    id: lineIds[1], createdAt: invoiceRow.createdAt.toISOString(), updatedAt: invoiceRow.createdAt.toISOString(), invoice: stored.id, position: 2,
    billingItemKind: 'MATERIAL', billingItemId: '29682801', billingItemName: 'Remote Support', billingCodeId: null, roleName: null, workTypeName: null,
    description: 'Toner', quantity: '2.0000', rate: '50.1250', amount: '100.25', taxable: true, lineOfBusinessId: null,
    lineOfBusinessName: null, serviceDate: null, subOrganizationName: 'Contoso West',
  });
  expect(audited[4]!.changes).toMatchObject({ id: lineIds[2], position: 3, description: 'Backup', quantity: '-1.0000', amount: '-100.00' });

  // More lines again, read back through the query: ordered by position.
  const more = await app.gql(
    UpsertInvoicesDocument,
    { input: { invoices: [{ ...pushed, lines: ['a', 'b', 'c', 'd'].map((d) => line({ description: d })) }] } },
    accountant.token,
  );
  expect(more.data!.upsertInvoices.updated).toBe(1);
  const read = await app.gql(InvoiceDocument, { autotaskId: 5001 }, viewer.token);
  expect(read.data!.invoice!.lines.map((l) => [l.position, l.description])).toEqual([[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]);
  // Lines added to a stored invoice are a change of their own: each has its creation entry, naming its invoice.
  const added = await app.database.orm.em.fork().find(InvoiceLine, { invoice: stored.id, position: { $gt: 1 } }, { orderBy: { position: 'asc' } });
  const addedEntries = await app.database.orm.em.fork().find(AuditEntry, { entityId: { $in: added.map((l) => l.id) } }, { orderBy: { id: 'asc' } });
  expect(addedEntries.map((e) => [e.action, e.entityType, e.entityId, e.changes.invoice, e.changes.description])).toEqual(
    added.map((l) => ['create', 'InvoiceLine', l.id, stored.id, l.description]),
  );
  expect(await count(InvoiceLine, { invoice: stored.id })).toBe(4);
  expect(await count(Invoice, { autotaskId: 5001 })).toBe(1);
});

test('an upsert asking only for the ids answers them without reading the invoices back; asking for more reads them', async () => {
  await app.gql(UpsertOrganizationsDocument, { input: { organizations: [organization(361)] } }, accountant.token);
  const batch = [6301, 6302].map((autotaskId) => invoice(autotaskId, 361));
  type Answer = { data?: { upsertInvoices: { created: number; unchanged: number; invoices: Array<Record<string, unknown>> } }; errors?: unknown };
  const push = (selection: string) =>
    app.gql(`mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { created unchanged invoices { ${selection} } } }${selection.includes('...Ids') ? ' fragment Ids on Invoice { id __typename }' : ''}`,
      { input: { invoices: batch } }, accountant.token) as unknown as Promise<Answer>;
  const ids = await push('id');
  expect(ids.errors).toBeUndefined();
  const stored = await app.database.orm.em.fork().find(Invoice, { autotaskId: { $in: [6301, 6302] } });
  const idOf = (autotaskId: number) => stored.find((i) => i.autotaskId === autotaskId)!.id;
  expect(ids.data!.upsertInvoices).toEqual({ created: 2, unchanged: 0, invoices: [{ id: idOf(6301) }, { id: idOf(6302) }] });
  const viaFragment = await push('...Ids');
  expect(viaFragment.data!.upsertInvoices.invoices).toEqual([{ id: idOf(6301), __typename: 'Invoice' }, { id: idOf(6302), __typename: 'Invoice' }]);
  const more = await push('... on Invoice { id autotaskId organization { autotaskId } lines { position } }');
  expect(more.errors).toBeUndefined();
  expect(more.data!.upsertInvoices.invoices).toEqual([6301, 6302].map((autotaskId) => ({
    id: idOf(autotaskId), autotaskId, organization: { autotaskId: 361 }, lines: [{ position: 1 }],
  })));
});

test('a batch pushed again unchanged writes nothing and leaves the ledger alone; a void in it settles only that invoice, once', async () => {
  const admin = await app.createUser(Role.ADMIN, 'Adam');
  const connector = await app.gql(CreateConnectorDocument, { input: { name: 'Batch Company' } }, admin.token);
  await app.gql(UpsertOrganizationsDocument, { input: { organizations: [organization(351)] } }, accountant.token);
  const batch = [6201, 6202, 6203].map((autotaskId) => invoice(autotaskId, 351, { lines: [line(), line({ description: `Extra ${autotaskId}` })] }));
  const first = await app.gql(UpsertInvoicesDocument, { input: { invoices: batch } }, accountant.token);
  expect(first.data!.upsertInvoices).toMatchObject({ created: 3, updated: 0, unchanged: 0 });
  const ids = first.data!.upsertInvoices.invoices.map((i) => i.id);
  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: ids, connectorId: connector.data!.createConnector.id } }, accountant.token);
  expect(queued.data!.queueTransfers.map((t) => t.state)).toEqual(['QUEUED', 'QUEUED', 'QUEUED']);
  const ledger = async () =>
    (await app.database.orm.em.fork().find(TransferItem, { entityId: { $in: ids } }, { orderBy: { id: 'asc' } }))
      .map((t) => ({ entityType: t.entityType, entityId: t.entityId, state: t.state, stepCount: t.stepCount, updatedAt: t.updatedAt.toISOString() }));
  const stored = async () =>
    (await app.database.orm.em.fork().find(Invoice, { id: { $in: ids } }, { orderBy: { id: 'asc' } })).map((i) => [i.id, i.isVoided, i.updatedAt.toISOString()]);

  // The same batch again: unchanged, no write (updatedAt kept), no audit entry, the ledger as it was.
  const [auditBefore, ledgerBefore, invoicesBefore] = [await count(AuditEntry), await ledger(), await stored()];
  const again = await app.gql(UpsertInvoicesDocument, { input: { invoices: batch } }, accountant.token);
  expect(again.data!.upsertInvoices).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  expect(again.data!.upsertInvoices.invoices.map((i) => i.id)).toEqual(ids);
  expect(await count(AuditEntry)).toBe(auditBefore);
  expect(await ledger()).toEqual(ledgerBefore);
  expect(await stored()).toEqual(invoicesBefore);

  // The last one voided in Autotask: only it changes; its transfer, queued and never sent, is withdrawn.
  const auditIds = async () => (await app.database.orm.em.fork().find(AuditEntry, {}, { fields: ['id'] })).map((e) => e.id);
  const earlier = new Set(await auditIds());
  const voided = batch.map((i) => (i.autotaskId === 6203 ? { ...i, isVoided: true } : i));
  const withVoid = await app.gql(UpsertInvoicesDocument, { input: { invoices: voided } }, accountant.token);
  expect(withVoid.data!.upsertInvoices).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
  const audited = await app.database.orm.em.fork().find(AuditEntry, { id: { $nin: [...earlier] }, entityType: { $in: ['Invoice', 'InvoiceLine'] } });
  expect(audited.map((e) => [e.action, e.entityType, e.entityId, Object.keys(e.changes).sort()])).toEqual([['update', 'Invoice', ids[2], ['isVoided', 'previous', 'updatedAt']]]);
  // The previous value as JSON holds a boolean, not the text the stored row was compared as.
  expect(audited[0]!.changes).toMatchObject({ isVoided: true, previous: { isVoided: false } });
  const afterVoid = await ledger();
  expect(afterVoid.map((t) => [t.entityType, t.state])).toEqual([['INVOICE', 'QUEUED'], ['INVOICE', 'QUEUED'], ['INVOICE', 'CANCELLED']]);
  expect(afterVoid.slice(0, 2)).toEqual(ledgerBefore.slice(0, 2));

  // Pushed again still voided: unchanged, and the void is not settled a second time.
  const auditAfterVoid = await count(AuditEntry);
  const voidedAgain = await app.gql(UpsertInvoicesDocument, { input: { invoices: voided } }, accountant.token);
  expect(voidedAgain.data!.upsertInvoices).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  expect(await count(AuditEntry)).toBe(auditAfterVoid);
  expect(await ledger()).toEqual(afterVoid);
  expect(await count(TransferItem, { entityType: 'INVOICE_VOID' })).toBe(0);
});

test('an invoice for an organization never pushed: BAD_USER_INPUT naming it, and nothing from the call is written', async () => {
  const auditBefore = await count(AuditEntry);
  const res = await app.gql(
    UpsertInvoicesDocument,
    { input: { invoices: [invoice(6001, 999_999), invoice(6002, 201)] } },
    accountant.token,
  );
  const error = onlyError(res);
  expect(error.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    errorCode: 'VALIDATION_FAILED',
    fields: [{ field: 'invoices.0.organizationAutotaskId', message: expect.stringContaining('no organization has Autotask id 999999') }],
  });
  expect(await count(Invoice, { autotaskId: { $in: [6001, 6002] } })).toBe(0);
  expect(await count(AuditEntry)).toBe(auditBefore);
});

test('bad values: BAD_USER_INPUT naming every field, and nothing is written', async () => {
  const auditBefore = await count(AuditEntry);
  const res = await app.gql(
    UpsertInvoicesDocument,
    {
      input: {
        invoices: [
          invoice(0, 201, { invoiceDate: '2026-02-30', total: '12.345' }),
          invoice(6101, 201, { paidDate: '31/01/2026', lines: [line({ quantity: '1.23456', amount: '1e3', serviceDate: '2026-13-01' }), line({ description: '' })] }),
        ],
      },
    },
    accountant.token,
  );
  const error = onlyError(res);
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  expect(fieldsOf(error)).toEqual([
    'invoices.0.autotaskId',
    'invoices.0.invoiceDate',
    'invoices.0.total',
    'invoices.1.lines.0.amount',
    'invoices.1.lines.0.quantity',
    'invoices.1.lines.0.serviceDate',
    'invoices.1.lines.1.description',
    'invoices.1.paidDate',
  ]);
  expect(error.message).toContain('invoices.1.lines.0.quantity: must be a number written like 1.25 (at most 14 digits before the point and 4 after)');
  expect(error.message).toContain('invoices.0.invoiceDate: must be a real date written YYYY-MM-DD');

  const orgs = onlyError(
    await app.gql(
      UpsertOrganizationsDocument,
      { input: { organizations: [organization(301, { name: '' }), organization(302, { email: 'not-an-email' }), organization(301), organization(-4)] } },
      accountant.token,
    ),
  );
  expect(fieldsOf(orgs)).toEqual(['organizations.0.name', 'organizations.1.email', 'organizations.3.autotaskId']);

  // Batch checks, once every value is well-formed: the same key twice in one call.
  const twice = onlyError(
    await app.gql(UpsertOrganizationsDocument, { input: { organizations: [organization(301), organization(302), organization(301)] } }, accountant.token),
  );
  expect(twice.extensions?.fields).toEqual([{ field: 'organizations.2.autotaskId', message: 'repeats 301, already pushed at organizations.0' }]);

  const empty = onlyError(await app.gql(UpsertOrganizationsDocument, { input: { organizations: [] } }, accountant.token));
  expect(empty.extensions?.fields).toEqual([{ field: 'organizations', message: 'must hold at least one organization' }]);
  const tooMany = Array.from({ length: 1001 }, (_, i) => organization(10_000 + i));
  const limit = onlyError(await app.gql(UpsertOrganizationsDocument, { input: { organizations: tooMany } }, accountant.token));
  expect(limit.extensions?.fields).toEqual([{ field: 'organizations', message: 'must hold at most 1000 organizations per call' }]);

  expect(await count(Organization, { autotaskId: { $in: [301, 302, 10_000] } })).toBe(0);
  expect(await count(Invoice, { autotaskId: 6101 })).toBe(0);
  expect(await count(AuditEntry)).toBe(auditBefore);
});

test('payments: keyed by external id, invoice by Autotask id; unknown invoice and bad amounts are refused', async () => {
  const pushed = [
    { externalId: 'stripe_ch_1', invoiceAutotaskId: 5001, amount: '100', paymentDate: '2026-02-10', paymentMethod: 'Visa', reference: 'ch_1' },
    { externalId: 'check-2044', invoiceAutotaskId: 5001, amount: '297.5', paymentDate: '2026-02-11', depositAccount: 'Checking' },
  ];
  const first = await app.gql(UpsertPaymentsDocument, { input: { payments: pushed } }, accountant.token);
  expect(first.errors).toBeUndefined();
  expect(first.data!.upsertPayments).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
  expect(first.data!.upsertPayments.payments[1]).toMatchObject({ amount: '297.50', depositAccount: 'Checking', paymentMethod: null, invoice: { autotaskId: 5001 } });

  const auditBefore = await count(AuditEntry);
  const again = await app.gql(UpsertPaymentsDocument, { input: { payments: pushed } }, accountant.token);
  expect(again.data!.upsertPayments).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  expect(await count(AuditEntry)).toBe(auditBefore);

  const moved = await app.gql(UpsertPaymentsDocument, { input: { payments: [{ ...pushed[0]!, amount: '90.00' }] } }, accountant.token);
  expect(moved.data!.upsertPayments).toMatchObject({ updated: 1, payments: [{ id: first.data!.upsertPayments.payments[0]!.id, amount: '90.00' }] });

  const unknown = onlyError(
    await app.gql(UpsertPaymentsDocument, { input: { payments: [{ ...pushed[0]!, externalId: 'new-1' }, { ...pushed[0]!, externalId: 'new-2', invoiceAutotaskId: 424242 }] } }, accountant.token),
  );
  expect(unknown.extensions?.fields).toEqual([{ field: 'payments.1.invoiceAutotaskId', message: 'no invoice has Autotask id 424242; push it with upsertInvoices first' }]);
  const bad = onlyError(
    await app.gql(UpsertPaymentsDocument, { input: { payments: [{ ...pushed[0]!, externalId: 'new-3', amount: '0' }, { ...pushed[0]!, externalId: 'new-3', paymentDate: '2026-02-29' }] } }, accountant.token),
  );
  expect(fieldsOf(bad)).toEqual(['payments.1.paymentDate']);
  const zero = onlyError(await app.gql(UpsertPaymentsDocument, { input: { payments: [{ ...pushed[0]!, externalId: 'new-3', amount: '0' }] } }, accountant.token));
  expect(zero.extensions?.fields).toEqual([{ field: 'payments.0.amount', message: 'must be more than 0' }]);
  expect(await count(Payment, { externalId: { $like: 'new-%' } })).toBe(0);
});

test('pushing needs the ACCOUNTANT role: a viewer gets FORBIDDEN, no token UNAUTHENTICATED; a viewer may read', async () => {
  const input = { organizations: [organization(401)] };
  expect(onlyError(await app.gql(UpsertOrganizationsDocument, { input }, viewer.token)).extensions).toMatchObject({ code: 'FORBIDDEN' });
  expect(onlyError(await app.gql(UpsertOrganizationsDocument, { input })).extensions?.code).toBe('UNAUTHENTICATED');
  expect(onlyError(await app.gql(UpsertInvoicesDocument, { input: { invoices: [invoice(7001, 201)] } }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(UpsertResourcesDocument, { input: { resources: [{ autotaskId: 1, firstName: 'A', lastName: 'B' }] } }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(UpsertPaymentsDocument, { input: { payments: [{ externalId: 'x', invoiceAutotaskId: 5001, amount: '1', paymentDate: '2026-01-01' }] } }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(OrganizationsDocument, {})).extensions?.code).toBe('UNAUTHENTICATED');
  expect(await count(Organization, { autotaskId: 401 })).toBe(0);
  const read = await app.gql(OrganizationsDocument, { search: 'organization 10' }, viewer.token);
  expect(read.data!.organizations.nodes.map((o) => o.autotaskId)).toEqual([102]);
});

test('the invoice list filters by invoice date; a wrong date or range is refused naming the argument', async () => {
  await app.gql(UpsertOrganizationsDocument, { input: { organizations: [organization(260)] } }, accountant.token);
  const pushed = await app.gql(UpsertInvoicesDocument, {
    input: { invoices: [invoice(6001, 260, { invoiceDate: '2026-03-01' }), invoice(6002, 260, { invoiceDate: '2026-03-15' }), invoice(6003, 260, { invoiceDate: '2026-03-31' })] },
  }, accountant.token);
  expect(pushed.errors).toBeUndefined();
  const list = (args: string) => app.gql<{ invoices: { nodes: Array<{ autotaskId: number }> } }, Record<string, never>>(`{ invoices(first: 10, ${args}) { nodes { autotaskId } } }`, {}, viewer.token);
  const ids = async (args: string) => (await list(args)).data!.invoices.nodes.map((i) => i.autotaskId).filter((id) => id > 6000 && id < 6100);
  expect(await ids('dateFrom: "2026-03-02"')).toEqual([6002, 6003]);
  expect(await ids('dateFrom: "2026-03-15", dateTo: "2026-03-15"')).toEqual([6002]);
  expect(await ids('dateTo: "2026-03-14"')).toEqual([6001]);
  const range = onlyError(await list('dateFrom: "2026-03-20", dateTo: "2026-03-01"'));
  expect(range.extensions?.code).toBe('BAD_USER_INPUT');
  expect(range.extensions?.fields).toEqual([{ field: 'dateTo', message: 'is before dateFrom (2026-03-20)' }]);
  const written = onlyError(await list('dateFrom: "March 1"'));
  expect(written.extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(written.extensions?.fields)).toContain('must be a date written YYYY-MM-DD');
});
