/**
 * Items the company file already has are not created again (issue #16, defect 4): an item the connector's
 * synced item list holds (pulled by the list sync, as in production) is used by name, with no ItemServiceAdd.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createListSyncSource } from '../../src/modules/quickbooks-lists/list-sync.source.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';
import { update } from '../helpers/qbwc-fixture.js';
import { processOk, pushInvoicesWithLines, pushOrganization, startBillingSetup, unmappedLabourLine, type BillingSetup } from '../helpers/billing-fixture.js';

let billing: BillingSetup;

beforeAll(async () => {
  billing = await startBillingSetup('Synced Books', { workSources: [createListSyncSource(loadConfig({}))] });
}, 60_000);
afterAll(async () => {
  await billing?.app.close();
});

test('an item in the synced list is used, not added again', { timeout: 300_000 }, async () => {
  const { app, fixture, connectorId, qwc, qb } = billing;
  // Someone created the item in QuickBooks; the first update (nothing queued yet) syncs the lists.
  processOk(qb, '<ItemServiceAddRq><ItemServiceAdd><Name>Onsite Visit</Name><SalesOrPurchase><AccountRef><FullName>Services</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>');
  const sync = await update(qwc, qb, { timeoutMs: 90_000 });
  expect(sync.outcome, sync.lastError).toBe('completed');
  expect(sync.requests.join('')).toContain('<ItemQueryRq');

  const em = app.database.orm.em.fork();
  await pushOrganization(em, 951, 'Wayne Enterprises');
  const [invoiceId] = await pushInvoicesWithLines(em, 951, [45_001], [unmappedLabourLine('9601', 'Onsite Visit')]);
  const queued = await app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: [invoiceId] } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  const run = await update(qwc, qb, { timeoutMs: 90_000 });
  expect(run.outcome, run.lastError).toBe('completed');
  expect(run.requests.join('')).not.toContain('<ItemServiceAdd>');
  const item = await app.database.orm.em.fork().findOneOrFail(TransferItem, { connector: connectorId, entityId: invoiceId! });
  expect(item.state, item.qbStatusMessage ?? '').toBe(TransferState.SUCCEEDED);
  const onsite = qb.company.items.find((i) => i.name === 'Onsite Visit')!;
  expect(qb.company.invoices.find((i) => i.txnId === item.qbTxnId)?.lines.map((l) => l.itemId)).toEqual([onsite.listId]);
});
