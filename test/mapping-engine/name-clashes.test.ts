/**
 * A new customer named like a vendor, employee or other name fails in QuickBooks with 3100 (one name space):
 * the list sync mirrors those lists, so the clash is caught before sending under the FAIL policy, and under
 * SUFFIX the customer is added as "<name> (C)" without first provoking the 3100.
 */
import { expect, test } from 'vitest';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType } from '../../src/modules/transfer/transfer-state.js';
import { QueueTransfersDocument, UpdateConnectorDocument } from '../generated/graphql.js';
import { billingQuickBooks, listSyncingAppPerFile, mapBillingValues, processOk, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, register, update } from '../helpers/qbwc-fixture.js';

const started = listSyncingAppPerFile();

/** Pushes an organization, queues its transfer and returns its id. */
async function queueOrganization(autotaskId: number, name: string): Promise<string> {
  const { app, fixture } = started;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, autotaskId, name);
  const id = (await em.findOneOrFail(Organization, { autotaskId })).id;
  expect((await app.gql(QueueTransfersDocument, { input: { entityType: 'ORGANIZATION', entityIds: [id] } }, fixture.adminToken)).errors).toBeUndefined();
  return id;
}

test('a customer named like an other name fails before sending; under SUFFIX one named like a vendor is added suffixed at once', async () => {
  const { app, fixture } = started;
  const connectorId = await createConnector(app, fixture, 'Name Books');
  const qwc = (await register(app, fixture, connectorId)).qwc;
  await mapBillingValues(app, fixture.adminToken, connectorId);
  const qb = billingQuickBooks('Name Books');
  processOk(qb, '<OtherNameAddRq><OtherNameAdd><Name>Tailspin Toys</Name></OtherNameAdd></OtherNameAddRq>');
  processOk(qb, '<VendorAddRq><VendorAdd><Name>Fabrikam</Name></VendorAdd></VendorAddRq>');
  const synced = await update(qwc, qb);
  expect(synced.lastError).toBeUndefined();
  expect(synced.requests.join('\n')).toContain('OtherNameQueryRq');

  const tailspin = await queueOrganization(501, 'tailspin toys'); // QuickBooks compares names case-insensitively
  const first = await update(qwc, qb);
  expect(first.lastError).toBeUndefined();
  expect(first.requests.join('\n')).not.toContain('CustomerAddRq');
  const failed = await app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.ORGANIZATION, entityId: tailspin });
  expect(failed).toMatchObject({ state: 'FAILED', qbStatusCode: 'DATA_PROBLEMS' });
  expect(failed.qbStatusMessage).toContain('name: The name "tailspin toys" is already used in QuickBooks by the other name "Tailspin Toys"');

  const updated = await app.gql(UpdateConnectorDocument, { id: connectorId, input: { customerNameCollision: 'SUFFIX' } }, fixture.adminToken);
  expect(updated.errors).toBeUndefined();
  const fabrikam = await queueOrganization(502, 'Fabrikam');
  const second = await update(qwc, qb);
  expect(second.lastError).toBeUndefined();
  const sent = second.requests.join('\n');
  expect(sent.match(/<CustomerAddRq/g)).toHaveLength(1);
  expect(sent).toContain('<Name>Fabrikam (C)</Name>');
  const names = qb.company.customers.map((c) => c.name.toLowerCase());
  expect(names.filter((n) => n.startsWith('fabrikam') || n.startsWith('tailspin'))).toEqual(['fabrikam (c)']);
  const customer = qb.company.customers.find((c) => c.name === 'Fabrikam (C)')!;
  const added = await app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.ORGANIZATION, entityId: fabrikam });
  expect(added).toMatchObject({ state: 'SUCCEEDED', qbListId: customer.listId });
});
