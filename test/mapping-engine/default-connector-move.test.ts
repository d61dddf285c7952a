/**
 * Moving the default connector never duplicates customers: an organization invoiced through the old default
 * has a customer in its company file, so the move shows it and, on confirm, routes it to the old default.
 * Its next invoice goes to that customer (no CustomerAdd anywhere); an organization that never reached
 * QuickBooks follows the new default.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Route } from '../../src/modules/routing/route.entity.js';
import { DefaultConnectorMoveDocument, EffectiveConnectorsDocument, QueueTransfersDocument, SetDefaultConnectorDocument } from '../generated/graphql.js';
import { billingQuickBooks, mapBillingValues, pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { onlyError, startTestApp, type TestApp } from '../helpers/test-app.js';

let app: TestApp;
let fixture: Fixture;

beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, engine: true });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

test('moving the default shows and keeps organizations that have a customer in the old default; their next invoice adds no customer', async () => {
  const oldId = await createConnector(app, fixture, 'Old Books');
  const oldQwc = (await register(app, fixture, oldId)).qwc;
  await mapBillingValues(app, fixture.adminToken, oldId);
  const oldQb = billingQuickBooks('Old Books');
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 174, 'Contoso');
  await pushOrganization(em, 175, 'Fabrikam');
  const first = await pushInvoices(em, 174, [8101]);
  expect((await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: first } }, fixture.adminToken)).errors).toBeUndefined();
  const sent = await update(oldQwc, oldQb);
  expect(sent.lastError).toBeUndefined();
  expect(sent.requests.join('\n')).toContain('CustomerAddRq');
  const contosoCustomers = () => oldQb.company.customers.filter((c) => c.name === 'Contoso');
  expect(contosoCustomers()).toHaveLength(1);

  const newId = await createConnector(app, fixture, 'New Books');
  const newQwc = (await register(app, fixture, newId)).qwc;
  await mapBillingValues(app, fixture.adminToken, newId);
  const newQb = billingQuickBooks('New Books');

  // Shown before the move: Contoso (a customer in Old Books, no route); Fabrikam never reached QuickBooks.
  const plan = await app.gql(DefaultConnectorMoveDocument, { id: newId }, fixture.adminToken);
  expect(plan.errors).toBeUndefined();
  expect(plan.data!.defaultConnectorMove).toEqual({
    from: { id: oldId, name: 'Old Books' },
    to: { id: newId, name: 'New Books' },
    organizationsKeptOnCurrentDefault: [{ autotaskId: 174, name: 'Contoso' }],
  });
  const refused = onlyError(await app.gql(SetDefaultConnectorDocument, { id: newId, confirm: false }, fixture.adminToken));
  expect(refused.extensions).toMatchObject({ errorCode: 'DEFAULT_CONNECTOR_CHANGE_UNCONFIRMED' });
  expect(refused.message).toContain('1 organization(s) that already have a customer in "Old Books" will be routed to it');
  expect(await app.database.orm.em.fork().count(Route, {})).toBe(0);

  const moved = await app.gql(SetDefaultConnectorDocument, { id: newId, confirm: true }, fixture.adminToken);
  expect(moved.data?.setDefaultConnector).toMatchObject({ id: newId, isDefault: true });
  const effective = await app.gql(EffectiveConnectorsDocument, { subject: 'ORGANIZATION', autotaskIds: [174, 175] }, fixture.adminToken);
  expect(effective.data!.effectiveConnectors.map((e) => [e.autotaskId, e.routed, e.connector?.name])).toEqual([
    [174, true, 'Old Books'],
    [175, false, 'New Books'],
  ]);

  // The next invoices: Contoso's to its existing customer in Old Books, Fabrikam's to the new default.
  const next = [...(await pushInvoices(em, 174, [8102])), ...(await pushInvoices(em, 175, [8103]))];
  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: next } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  expect(queued.data!.queueTransfers.map((q) => q.connector.name).sort()).toEqual(['New Books', 'Old Books']);
  const again = await update(oldQwc, oldQb);
  expect(again.lastError).toBeUndefined();
  expect(again.requests.join('\n')).not.toContain('CustomerAddRq');
  expect(contosoCustomers()).toHaveLength(1);
  expect(oldQb.company.invoices).toHaveLength(2);
  const fresh = await update(newQwc, newQb);
  expect(fresh.lastError).toBeUndefined();
  expect(newQb.company.customers.map((c) => c.name)).toContain('Fabrikam');
  expect(newQb.company.customers.map((c) => c.name)).not.toContain('Contoso');

  // A later move back finds nothing left to keep: Contoso has its route, Fabrikam its customer in New Books only.
  const back = await app.gql(DefaultConnectorMoveDocument, { id: oldId }, fixture.adminToken);
  expect(back.data!.defaultConnectorMove.organizationsKeptOnCurrentDefault).toEqual([{ autotaskId: 175, name: 'Fabrikam' }]);
});
