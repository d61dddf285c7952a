/**
 * Default-or-fail for classes, terms, tax codes and income accounts, through the service and the simulator:
 * mapping targets are checked against the synced QuickBooks lists (refused when the list is fresh, accepted
 * with a warning before it was ever synced), and an unmapped line of business fails the invoice under FAIL,
 * or sends the named default class under USE_DEFAULT.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import { DeleteMappingsDocument, QueueTransfersDocument, RetryTransferDocument, UpdateConnectorDocument, UpsertMappingsDocument } from '../generated/graphql.js';
import { billingQuickBooks, mapBillingValues, startListSyncingApp, pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { onlyError, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let fixture: Fixture;

beforeAll(async () => {
  ({ app, fixture } = await startListSyncingApp());
});
afterAll(async () => {
  await app?.close();
});

const lob = (target: string, sourceId = '8') => ({ sourceKind: 'LINE_OF_BUSINESS' as const, sourceId, sourceName: 'Security', target: { fullName: target } });

test('mapping targets are checked against the synced lists; unmapped lines of business fail or get the default class', async () => {
  const connectorId = await createConnector(app, fixture, 'Policy Books');
  const qwc = (await register(app, fixture, connectorId)).qwc;
  const qb = billingQuickBooks('Policy Books');

  // Never synced: accepted, with a warning saying why it was not checked.
  const early = await app.gql(UpsertMappingsDocument, { input: { connectorId, mappings: [lob('NoSuchClass')] } }, fixture.adminToken);
  expect(early.errors).toBeUndefined();
  expect(early.data!.upsertMappings[0]!.warnings).toEqual([expect.stringMatching(/no class "NoSuchClass".*has never been synced/)]);
  await mapBillingValues(app, fixture.adminToken, connectorId);
  const removed = await app.gql(DeleteMappingsDocument, { ids: [early.data!.upsertMappings[0]!.id] }, fixture.adminToken);
  expect(removed.data?.deleteMappings).toBe(1);

  const synced = await update(qwc, qb);
  expect(synced.lastError).toBeUndefined();

  // Fresh lists: an unknown class is refused with the field; an existing one (any case) is accepted without warnings.
  const refused = onlyError(await app.gql(UpsertMappingsDocument, { input: { connectorId, mappings: [lob('managed'), lob('NoSuchClass', '9')] } }, fixture.adminToken));
  expect(refused.extensions).toMatchObject({
    errorCode: 'VALIDATION_FAILED',
    fields: [{ field: 'mappings.1.target', message: expect.stringContaining('no class "NoSuchClass"') }],
  });
  const accepted = await app.gql(UpsertMappingsDocument, { input: { connectorId, mappings: [lob('managed')] } }, fixture.adminToken);
  expect(accepted.errors).toBeUndefined();
  expect(accepted.data!.upsertMappings[0]!.warnings).toEqual([]);

  // The billing fixture's line of business 7 loses its mapping; the invoice fails under FAIL, naming the line.
  const mappings = await app.database.orm.em.fork().getConnection().execute<{ id: string }[]>(
    `select id from mapping where connector_id = ? and source_kind = 'LINE_OF_BUSINESS' and source_id = '7'`,
    [connectorId],
  );
  expect((await app.gql(DeleteMappingsDocument, { ids: mappings.map((m) => m.id) }, fixture.adminToken)).data?.deleteMappings).toBe(1);
  const failPolicy = await app.gql(
    UpdateConnectorDocument,
    { id: connectorId, input: { unmappedPolicies: [{ kind: 'LINE_OF_BUSINESS', onUnmapped: 'FAIL' }] } },
    fixture.adminToken,
  );
  expect(failPolicy.errors).toBeUndefined();
  expect(failPolicy.data!.updateConnector.unmappedPolicies).toEqual([
    { kind: 'LINE_OF_BUSINESS', onUnmapped: 'FAIL', default: null },
    { kind: 'PAYMENT_TERM', onUnmapped: 'OMIT', default: null },
    { kind: 'TAXABILITY', onUnmapped: 'OMIT', default: null },
    { kind: 'BILLING_CODE', onUnmapped: 'USE_DEFAULT', default: { listId: null, fullName: 'Services' } },
    { kind: 'ACCOUNT_MANAGER', onUnmapped: 'OMIT', default: null },
    { kind: 'CLASSIFICATION', onUnmapped: 'OMIT', default: null },
    { kind: 'INVOICE_TEMPLATE', onUnmapped: 'OMIT', default: null },
    { kind: 'PAYROLL_CATEGORY', onUnmapped: 'OMIT', default: null },
    { kind: 'EXPENSE_CATEGORY', onUnmapped: 'FAIL', default: null },
  ]);
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 301, 'Northwind');
  const invoiceIds = await pushInvoices(em, 301, [7301]);
  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  const failed = await update(qwc, qb);
  expect(failed.requests.join('\n')).not.toContain('InvoiceAddRq');
  const item = await app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.INVOICE, entityId: invoiceIds[0]! });
  expect(item).toMatchObject({ state: 'FAILED', qbStatusCode: 'DATA_PROBLEMS' });
  expect(item.qbStatusMessage).toContain('lines[0].lineOfBusinessId: Map the line of business to a QuickBooks class (line of business 7)');
  expect(item.qbStatusMessage).toContain('lines[1].lineOfBusinessId');

  // USE_DEFAULT needs the default named; with it, the retried invoice's lines carry the default class.
  const missing = onlyError(
    await app.gql(UpdateConnectorDocument, { id: connectorId, input: { unmappedPolicies: [{ kind: 'LINE_OF_BUSINESS', onUnmapped: 'USE_DEFAULT' }] } }, fixture.adminToken),
  );
  expect(missing.extensions).toMatchObject({ errorCode: 'VALIDATION_FAILED', fields: [{ field: 'unmappedPolicies.0.default' }] });
  const defaulted = await app.gql(
    UpdateConnectorDocument,
    { id: connectorId, input: { unmappedPolicies: [{ kind: 'LINE_OF_BUSINESS', onUnmapped: 'USE_DEFAULT', default: { fullName: 'Managed' } }] } },
    fixture.adminToken,
  );
  expect(defaulted.errors).toBeUndefined();
  expect((await app.gql(RetryTransferDocument, { id: item.id }, fixture.adminToken)).errors).toBeUndefined();
  const sent = await update(qwc, qb);
  expect(sent.lastError).toBeUndefined();
  const managed = qb.company.classes.find((c) => c.name === 'Managed')!;
  const invoice = qb.company.invoices.find((i) => i.refNumber !== undefined && i.fields['PONumber'] === 'PO-7301');
  expect(invoice?.lines.map((l) => l.classId)).toEqual([managed.listId, managed.listId]);
});
