/**
 * Sales reps, customer types and invoice templates, through the real service, the list sync and the simulated
 * QuickBooks: the organization's account manager goes as SalesRepRef on its customer and invoices, its
 * classification as the customer's CustomerTypeRef, its invoice template (else the connector's default) as the
 * invoice's TemplateRef. Mapping targets are checked against the synced lists; a mapped or default element
 * the fresh list lacks fails the transfer before sending (NOT_IN_QUICKBOOKS_LIST, never QuickBooks' 3140), and
 * an unmapped value follows the kind's unmapped policy.
 */
import { expect, test } from 'vitest';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { QueueTransfersDocument, RefreshQuickBooksListsDocument, UpdateConnectorDocument, UpsertMappingsDocument } from '../generated/graphql.js';
import { billingQuickBooks, listSyncingAppPerFile, mapBillingValues, pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, register, update } from '../helpers/qbwc-fixture.js';
import { onlyError } from '../helpers/test-app.js';

const started = listSyncingAppPerFile();
const ACCOUNT_MANAGER = 29682885;

/** A connector whose lists one session has synced, with its QuickBooks and QWC file. */
async function syncedConnector(name: string): Promise<{ connectorId: string; qwc: string; qb: QuickBooksSimulator }> {
  const { app, fixture } = started;
  const connectorId = await createConnector(app, fixture, name);
  const qwc = (await register(app, fixture, connectorId)).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  const qb = billingQuickBooks(name);
  const synced = await update(qwc, qb);
  expect(synced.lastError).toBeUndefined();
  const sent = synced.requests.join('\n');
  for (const query of ['SalesRepQueryRq', 'CustomerTypeQueryRq', 'TemplateQueryRq']) expect(sent).toContain(query);
  return { connectorId, qwc, qb };
}

async function mappings(connectorId: string, list: ReadonlyArray<{ sourceKind: string; sourceId: string; sourceName: string; target: { fullName: string } }>) {
  const { app, fixture } = started;
  return app.gql(UpsertMappingsDocument, { input: { connectorId, mappings: list as never } }, fixture.adminToken);
}

/** Queues to this connector (the file's first connector is the default one). */
async function queue(connectorId: string, entityType: 'INVOICE' | 'ORGANIZATION', entityIds: string[]): Promise<void> {
  const { app, fixture } = started;
  expect((await app.gql(QueueTransfersDocument, { input: { connectorId, entityType, entityIds } }, fixture.adminToken)).errors).toBeUndefined();
}

async function organizationId(autotaskId: number): Promise<string> {
  return (await started.app.database.orm.em.fork().findOneOrFail(Organization, { autotaskId })).id;
}

const transferOf = (entityType: TransferEntityType, entityId: string) => started.app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType, entityId });

test('account manager, classification and invoice template reach QuickBooks as SalesRepRef, CustomerTypeRef and TemplateRef', async () => {
  const { app, fixture } = started;
  const { connectorId, qwc, qb } = await syncedConnector('Rep Books');

  // Targets are checked against the synced lists: no such rep; a credit memo's template is not an invoice's.
  const refused = onlyError(
    await mappings(connectorId, [
      { sourceKind: 'ACCOUNT_MANAGER', sourceId: String(ACCOUNT_MANAGER), sourceName: 'Jane Doe', target: { fullName: 'ZZ' } },
      { sourceKind: 'INVOICE_TEMPLATE', sourceId: '102', sourceName: 'Standard', target: { fullName: 'Custom Credit Memo' } },
    ]),
  );
  expect(refused.extensions?.errorCode).toBe('VALIDATION_FAILED');
  expect(refused.extensions?.fields).toEqual([
    expect.objectContaining({ field: 'mappings.0.target', message: expect.stringContaining('no sales rep "ZZ"') }),
    expect.objectContaining({ field: 'mappings.1.target', message: expect.stringContaining('"Custom Credit Memo" is a CreditMemo template, not an Invoice template') }),
  ]);

  const mapped = await mappings(connectorId, [
    { sourceKind: 'ACCOUNT_MANAGER', sourceId: String(ACCOUNT_MANAGER), sourceName: 'Jane Doe', target: { fullName: 'JD' } },
    { sourceKind: 'CLASSIFICATION', sourceId: '2', sourceName: 'Managed client', target: { fullName: 'Commercial:Managed Services' } },
    { sourceKind: 'INVOICE_TEMPLATE', sourceId: '102', sourceName: 'Professional', target: { fullName: 'Intuit Professional Invoice' } },
  ]);
  expect(mapped.errors).toBeUndefined();
  // The connector's template for every invoice whose organization's template is not mapped.
  const policy = await app.gql(
    UpdateConnectorDocument,
    { id: connectorId, input: { unmappedPolicies: [{ kind: 'INVOICE_TEMPLATE', onUnmapped: 'USE_DEFAULT', default: { fullName: 'Intuit Service Invoice' } }] } },
    fixture.adminToken,
  );
  expect(policy.errors).toBeUndefined();

  const em = app.database.orm.em.fork();
  await pushOrganization(em, 601, 'Northwind', { ownerResourceId: ACCOUNT_MANAGER, classificationId: '2', invoiceTemplateId: '102' });
  await pushOrganization(em, 602, 'Contoso', { ownerResourceId: ACCOUNT_MANAGER });
  const invoiceIds = [...(await pushInvoices(em, 601, [9601])), ...(await pushInvoices(em, 602, [9602]))];
  await queue(connectorId, 'INVOICE', invoiceIds);
  const run = await update(qwc, qb);
  expect(run.lastError).toBeUndefined();

  const file = qb.companyFile;
  const id = (list: 'salesReps' | 'customerTypes' | 'templates', name: string) => file.findByFullName(list, name)!.listId;
  const sent = run.requests.join('\n');
  // Sent by ListID, from the synced lists.
  expect(sent).toContain(`<SalesRepRef><ListID>${id('salesReps', 'JD')}</ListID></SalesRepRef>`);
  expect(sent).toContain(`<CustomerTypeRef><ListID>${id('customerTypes', 'Commercial:Managed Services')}</ListID></CustomerTypeRef>`);
  const northwind = qb.company.customers.find((c) => c.name === 'Northwind')!;
  const contoso = qb.company.customers.find((c) => c.name === 'Contoso')!;
  expect(northwind.fields).toMatchObject({ SalesRepRef: { $ref: id('salesReps', 'JD') }, CustomerTypeRef: { $ref: id('customerTypes', 'Commercial:Managed Services') } });
  expect(contoso.fields['SalesRepRef']).toEqual({ $ref: id('salesReps', 'JD') });
  expect(contoso.fields['CustomerTypeRef']).toBeUndefined();
  const invoiceOf = (customerId: string) => qb.company.invoices.find((i) => i.customerId === customerId)!;
  expect(invoiceOf(northwind.listId).fields).toMatchObject({ TemplateRef: { $ref: id('templates', 'Intuit Professional Invoice') }, SalesRepRef: { $ref: id('salesReps', 'JD') } });
  expect(invoiceOf(contoso.listId).fields).toMatchObject({ TemplateRef: { $ref: id('templates', 'Intuit Service Invoice') }, SalesRepRef: { $ref: id('salesReps', 'JD') } });
  for (const invoiceId of invoiceIds) expect((await transferOf(TransferEntityType.INVOICE, invoiceId)).state).toBe('SUCCEEDED');
});

test('a mapped sales rep QuickBooks no longer has fails before sending; an unmapped classification under FAIL names what to map', async () => {
  const { app, fixture } = started;
  const { connectorId, qwc, qb } = await syncedConnector('Gone Rep Books');
  expect((await mappings(connectorId, [{ sourceKind: 'ACCOUNT_MANAGER', sourceId: '111', sourceName: 'Mo Smith', target: { fullName: 'MS' } }])).errors).toBeUndefined();
  const policy = await app.gql(UpdateConnectorDocument, { id: connectorId, input: { unmappedPolicies: [{ kind: 'CLASSIFICATION', onUnmapped: 'FAIL' }] } }, fixture.adminToken);
  expect(policy.errors).toBeUndefined();

  // Someone makes the rep inactive in QuickBooks; the next session's list sync sees it.
  const rep = qb.companyFile.findByFullName('salesReps', 'MS')!;
  rep.isActive = false;
  qb.companyFile.touch(rep);
  expect((await app.gql(RefreshQuickBooksListsDocument, { connectorId, lists: ['SALES_REP'] }, fixture.adminToken)).errors).toBeUndefined();
  expect((await update(qwc, qb)).requests.join('\n')).toContain('SalesRepQueryRq');

  const em = app.database.orm.em.fork();
  await pushOrganization(em, 701, 'Fourth Coffee', { ownerResourceId: 111 });
  await pushOrganization(em, 702, 'Litware', { classificationId: '9' });
  const [fourth, litware] = [await organizationId(701), await organizationId(702)];
  await queue(connectorId, 'ORGANIZATION', [fourth, litware]);
  const run = await update(qwc, qb);
  expect(run.lastError).toBeUndefined();
  expect(run.requests.join('\n')).not.toMatch(/CustomerAddRq|CustomerQueryRq/);
  expect(qb.company.customers.map((c) => c.name)).not.toEqual(expect.arrayContaining(['Fourth Coffee']));

  const goneRep = await transferOf(TransferEntityType.ORGANIZATION, fourth);
  expect(goneRep).toMatchObject({ state: 'FAILED', qbStatusCode: 'NOT_IN_QUICKBOOKS_LIST' });
  expect(goneRep.qbStatusMessage).toContain('ownerResourceId: the sales rep "MS" is inactive in QuickBooks (mapped for account manager (resource 111))');
  expect(goneRep.hint).toMatch(/^Map account manager \(resource 111\) to a QuickBooks sales rep that exists/);
  const unmapped = await transferOf(TransferEntityType.ORGANIZATION, litware);
  expect(unmapped).toMatchObject({ state: 'FAILED', qbStatusCode: 'DATA_PROBLEMS' });
  expect(unmapped.qbStatusMessage).toContain('classificationId: Map the classification to a QuickBooks customer type (classification 9)');
});
