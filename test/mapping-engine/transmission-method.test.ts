/**
 * Per-organization transmission method, end to end: pulled from Autotask (Companies.invoiceMethod, read
 * through its picklist labels) and sent as QuickBooks' IsToBePrinted / IsToBeEmailed; an invoice to be
 * e-mailed to an organization without an e-mail address fails with that reason before anything is sent.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import { PullFromAutotaskDocument, QueueTransfersDocument, SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { billingQuickBooks, mapBillingValues, pushInvoices } from '../helpers/billing-fixture.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { connectionInput, startAutotaskTestApp, type AutotaskTestApp } from '../autotask/helpers/autotask-app.js';
import { company } from '../autotask/helpers/fake-autotask.js';

let t: AutotaskTestApp;
let fixture: Fixture;

beforeAll(async () => {
  t = await startAutotaskTestApp({ app: { reachableQwc: true, engine: true } });
  t.fake.fieldInfo.set('companies', [
    { name: 'invoiceMethod', isPickList: true, picklistValues: [{ value: '1', label: 'Print' }, { value: '2', label: 'Email' }, { value: '3', label: 'Print and Email' }] },
  ]);
  t.fake.put('companies', [
    company(601, 'Print Co', { invoiceMethod: 1 }),
    company(602, 'Mail Co', { invoiceMethod: 2 }),
    company(603, 'Both Co', { invoiceMethod: 3 }),
    company(604, 'Plain Co', { invoiceMethod: null }),
  ]);
  fixture = await createFixture(t.app);
});
afterAll(async () => {
  await t?.close();
});

test('the organization\'s transmission method is pulled and sent; e-mailing without an address fails before sending', async () => {
  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { pullAllCompanies: true }) }, t.admin);
  expect(set.errors).toBeUndefined();
  const pulled = await t.app.gql(PullFromAutotaskDocument, {}, t.admin);
  expect(pulled.errors).toBeUndefined();
  const em = t.app.database.orm.em.fork();
  const methods = await em.find(Organization, { autotaskId: { $in: [601, 602, 603, 604] } }, { orderBy: { autotaskId: 'asc' } });
  expect(methods.map((o) => [o.autotaskId, o.transmissionMethod])).toEqual([
    [601, 'PRINT'],
    [602, 'EMAIL'],
    [603, 'BOTH'],
    [604, null],
  ]);
  // Autotask companies carry no e-mail: Both Co gets one the way a script or the customer import gives it.
  await em.nativeUpdate(Organization, { autotaskId: 603 }, { email: 'ap@both.example' });

  const connectorId = await createConnector(t.app, fixture, 'Transmission Books');
  const qwc = (await register(t.app, fixture, connectorId)).qwc;
  await mapBillingValues(t.app, fixture.adminToken, connectorId);
  const qb = billingQuickBooks('Transmission Books');
  const invoiceIds = [
    ...(await pushInvoices(em, 601, [9601])),
    ...(await pushInvoices(em, 602, [9602])),
    ...(await pushInvoices(em, 603, [9603])),
    ...(await pushInvoices(em, 604, [9604])),
  ];
  const queued = await t.app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  const run = await update(qwc, qb);
  expect(run.lastError).toBeUndefined();

  const flags = (po: string) => {
    const invoice = qb.company.invoices.find((i) => i.fields['PONumber'] === po);
    return invoice && [invoice.isToBePrinted, invoice.isToBeEmailed];
  };
  expect(flags('PO-9601')).toEqual([true, false]);
  expect(flags('PO-9603')).toEqual([true, true]);
  expect(flags('PO-9604')).toEqual([false, false]); // the connector's default, NONE
  expect(flags('PO-9602')).toBeUndefined();
  expect(run.requests.filter((r) => r.includes('PO-9602'))).toEqual([]);
  const failed = await t.app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.INVOICE, entityId: invoiceIds[1]! });
  expect(failed).toMatchObject({ state: 'FAILED', qbStatusCode: 'DATA_PROBLEMS' });
  expect(failed.qbStatusMessage).toContain('organization.email: The invoice is to be e-mailed (EMAIL), but organization "Mail Co" has no e-mail address');
});
