/**
 * The acceptance run of the customer import, end to end: a QuickBooks company file with customers → a Web
 * Connector update (the list sync copies the customer list) → preview → apply (a match linked, a new
 * organization created in the fake Autotask) → invoices for both organizations queued → another update: the
 * invoices land on the existing customers, and no customer is added, looked up by name or changed.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { Organization, OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';
import { createListSyncSource } from '../../src/modules/quickbooks-lists/list-sync.source.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { ApplyCustomerImportDocument, CustomerImportPreviewDocument, QueueTransfersDocument, SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { billingQuickBooks, mapBillingValues, processOk, pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { connectionInput, startAutotaskTestApp, type AutotaskTestApp } from '../autotask/helpers/autotask-app.js';
import { company } from '../autotask/helpers/fake-autotask.js';

let t: AutotaskTestApp;
let fixture: Fixture;
let connectorId: string;
let qwc: string;
let qb: QuickBooksSimulator;

beforeAll(async () => {
  t = await startAutotaskTestApp({ app: { reachableQwc: true, engine: true, workSources: [createListSyncSource(loadConfig({}))] } });
  t.fake.put('companies', [company(0, 'Example MSP')]);
  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { newCompanyOwnerResourceId: 29682885 }) }, t.admin);
  expect(set.errors).toBeUndefined();

  fixture = await createFixture(t.app);
  connectorId = await createConnector(t.app, fixture, 'Acme Books');
  qwc = (await register(t.app, fixture, connectorId)).qwc;
  await mapBillingValues(t.app, fixture.adminToken, connectorId);
  // The standard file has "Acme Corporation" (with a job) and "Globex Inc"; two more customers to import.
  qb = billingQuickBooks('Acme Books');
  processOk(qb, '<CustomerAddRq><CustomerAdd><Name>Initech, Inc.</Name><CompanyName>Initech Inc</CompanyName><Phone>512-555-0147</Phone></CustomerAdd></CustomerAddRq>');
  // Hooli is complete: bill address, fax, e-mail and a non-taxable sales tax code all reach the new Autotask company.
  qb.company.preferences.salesTaxEnabled = true;
  processOk(qb, '<SalesTaxCodeAddRq><SalesTaxCodeAdd><Name>Non</Name><IsTaxable>false</IsTaxable></SalesTaxCodeAdd></SalesTaxCodeAddRq>');
  processOk(
    qb,
    '<CustomerAddRq><CustomerAdd><Name>Hooli</Name><BillAddress><Addr1>1401 N Shoreline Blvd</Addr1><Addr2>Building 3</Addr2><City>Mountain View</City>' +
      '<State>CA</State><PostalCode>94043</PostalCode></BillAddress><Phone>650-555-0100</Phone><Fax>650-555-0199</Fax><Email>ap@hooli.example</Email>' +
      '<SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef></CustomerAdd></CustomerAddRq>',
  );
  // Already in Autotask, named without the comma: QuickBooks would not find "Initech Inc" by name.
  await pushOrganization(t.app.database.orm.em.fork(), 601, 'Initech Inc');
});
afterAll(async () => {
  await t?.close();
});

test('import preview → apply links by ListID; the next invoices go to the existing customers without CustomerAdd', async () => {
  const sync = await update(qwc, qb);
  expect(sync.lastError).toBeUndefined();
  expect(sync.outcome).toBe('completed');

  const previewed = await t.app.gql(CustomerImportPreviewDocument, { connectorIds: [connectorId] }, fixture.adminToken);
  expect(previewed.errors).toBeUndefined();
  const preview = previewed.data!.customerImportPreview;
  expect(preview.rows.map((r) => [r.fullName, r.verdict, r.organization?.autotaskId ?? null])).toEqual([
    ['Acme Corporation', 'NEW', null],
    ['Globex Inc', 'NEW', null],
    ['Hooli', 'NEW', null],
    ['Initech, Inc.', 'MATCH', 601],
  ]);
  expect(preview.connectors).toEqual([expect.objectContaining({ jobsSkipped: 1, customersSyncedAt: expect.any(String) })]);
  expect(preview.warnings).toEqual([]);
  const listIdOf = (name: string) => qb.company.customers.find((c) => c.name === name)!.listId;

  const applied = await t.app.gql(
    ApplyCustomerImportDocument,
    {
      input: {
        connectorIds: [connectorId],
        createNew: true,
        decisions: ['Acme Corporation', 'Globex Inc'].map((name) => ({ connectorId, listId: listIdOf(name), action: 'SKIP' as const })),
      },
    },
    fixture.adminToken,
  );
  expect(applied.errors).toBeUndefined();
  const result = applied.data!.applyCustomerImport;
  expect(result).toMatchObject({ linked: 1, created: 1, skipped: 2, failed: 0 });
  const hooli = result.rows.find((r) => r.fullName === 'Hooli')!.organization!;
  expect(t.fake.record('companies', hooli.autotaskId)).toMatchObject({
    companyName: 'Hooli',
    phone: '650-555-0100',
    fax: '650-555-0199',
    address1: '1401 N Shoreline Blvd',
    address2: 'Building 3',
    city: 'Mountain View',
    state: 'CA',
    postalCode: '94043',
    isTaxExempt: true,
    isActive: true,
  });
  // Autotask companies have no e-mail field: the address becomes an invoice e-mail recipient, and the organization keeps it.
  expect(t.fake.invoiceSettings.get(hooli.autotaskId)).toMatchObject({ otherEmails: 'ap@hooli.example' });
  expect(t.fake.calls('companies', 'PUT').map((r) => r.body)).toEqual([expect.not.objectContaining({ contactRecipients: expect.anything() })]);
  expect(await t.app.database.orm.em.fork().findOneOrFail(Organization, { autotaskId: hooli.autotaskId })).toMatchObject({ email: 'ap@hooli.example' });
  const links = await t.app.database.orm.em.fork().find(OrganizationQbLink, { connector: connectorId }, { populate: ['organization'], orderBy: { fullName: 'asc' } });
  expect(links.map((l) => [l.organization.autotaskId, l.listId])).toEqual([
    [hooli.autotaskId, listIdOf('Hooli')],
    [601, listIdOf('Initech, Inc.')],
  ]);

  const em = t.app.database.orm.em.fork();
  const invoiceIds = [...(await pushInvoices(em, 601, [9101])), ...(await pushInvoices(em, hooli.autotaskId, [9102]))];
  const queued = await t.app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();

  const customersBefore = qb.company.customers.length;
  const run = await update(qwc, qb);
  expect(run.lastError).toBeUndefined();
  expect(run.outcome).toBe('completed');
  const sent = run.requests.join('\n');
  expect(sent).toContain('InvoiceAddRq');
  expect(sent).not.toContain('CustomerAddRq');
  // Linked by ListID: not even looked up by name or modified first (the engine never sent the organizations).
  expect(sent).not.toMatch(/CustomerQueryRq|CustomerModRq/);
  expect(qb.company.customers).toHaveLength(customersBefore);

  const ledger = await t.app.database.orm.em.fork().find(TransferItem, { connector: connectorId });
  expect(ledger.map((i) => [i.entityType, i.state])).toEqual([
    ['INVOICE', TransferState.SUCCEEDED],
    ['INVOICE', TransferState.SUCCEEDED],
  ]);
  expect(qb.company.invoices.filter((i) => i.customerId === listIdOf('Initech, Inc.'))).toHaveLength(1);
  expect(qb.company.invoices.filter((i) => i.customerId === listIdOf('Hooli'))).toHaveLength(1);
});
