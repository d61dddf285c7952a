/**
 * Inventory on-hand sync end to end, through the real service and the Web Connector emulator against two
 * simulated QuickBooks company files (the default connector's and a second one): the default connector's flag
 * sets QuickBooks' on-hand of every stocked product to Autotask's total at its next session, clears itself and
 * records the run; the second file is never adjusted. With the default file open in multi-user mode, QuickBooks
 * refuses the adjustments (F3): they fail with the single-user hint and the invoices of the same session land.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createConnector, register, update } from '../helpers/qbwc-fixture.js';
import { billingQuickBooks, mapBillingValues, processOk, pushInvoices, pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';
import { InventoryAdjustment } from '../../src/modules/inventory/inventory-adjustment.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { SINGLE_USER_HINT } from '../../plugins/inventory-adjustments/index.js';
import {
  InventoryAdjustmentsDocument, PreviewInventoryAdjustmentDocument, QueueTransfersDocument, SetInventorySyncDocument, UpsertProductsDocument,
} from '../generated/graphql.js';

let billing: BillingSetup;
let second: { connectorId: string; qwc: string; qb: QuickBooksSimulator };

/** A company file with inventory on, an "Inventory Adjustment" account and two inventory parts (on hand 2 and 10). */
function inventoryFile(qb: QuickBooksSimulator): QuickBooksSimulator {
  qb.company.preferences.inventoryEnabled = true;
  processOk(qb, '<AccountAddRq><AccountAdd><Name>Inventory Adjustment</Name><AccountType>CostOfGoodsSold</AccountType></AccountAdd></AccountAddRq>');
  for (const [name, onHand] of [['Dell Latitude 5440', '2'], ['USB-C Dock', '10']]) {
    processOk(qb, `<ItemInventoryAddRq><ItemInventoryAdd><Name>${name}</Name><IncomeAccountRef><FullName>Services</FullName></IncomeAccountRef><PurchaseCost>100</PurchaseCost>` +
      '<COGSAccountRef><FullName>Cost of Goods Sold</FullName></COGSAccountRef><AssetAccountRef><FullName>Inventory Asset</FullName></AssetAccountRef>' +
      `<QuantityOnHand>${onHand}</QuantityOnHand></ItemInventoryAdd></ItemInventoryAddRq>`);
  }
  return qb;
}

const onHand = (qb: QuickBooksSimulator) =>
  ['Dell Latitude 5440', 'USB-C Dock'].map((name) => qb.companyFile.findByFullName('items', name)?.fields['QuantityOnHand']);

const inventoryItems = () =>
  billing.app.database.orm.em.fork().find(TransferItem, { entityType: TransferEntityType.INVENTORY_ADJUSTMENT }, { orderBy: { id: 'asc' } });

async function setSync(connectorId: string, input: Record<string, unknown>) {
  return billing.app.gql(SetInventorySyncDocument, { id: connectorId, input }, billing.fixture.adminToken);
}

beforeAll(async () => {
  billing = await startBillingSetup('Acme Supplies');
  inventoryFile(billing.qb);
  const { app, fixture } = billing;
  const connectorId = await createConnector(app, fixture, 'Contoso Holdings');
  await mapBillingValues(app, fixture.adminToken, connectorId);
  second = { connectorId, qwc: (await register(app, fixture, connectorId, 'Dana')).qwc, qb: inventoryFile(billingQuickBooks('Contoso Holdings')) };
  expect((await app.gql(UpsertProductsDocument, {
    input: {
      products: [
        { autotaskId: 700, name: 'Dell Latitude 5440', isInventory: true, quantityOnHand: 7 },
        { autotaskId: 701, name: 'USB-C Dock', isInventory: true, quantityOnHand: 3 },
        { autotaskId: 702, name: 'Cat6 patch cable 3 ft' },
      ],
    },
  }, fixture.adminToken)).errors).toBeUndefined();
  for (const id of [billing.connectorId, second.connectorId]) expect((await setSync(id, { inventoryAdjustmentAccount: { fullName: 'Inventory Adjustment' } })).errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await billing?.app.close();
});

test('only the default connector syncs inventory: its flag is refused on another connector', async () => {
  const refused = await setSync(second.connectorId, { syncInventoryAtNextSession: true });
  expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(refused.errors?.[0]?.extensions)).toContain('default connector only');
});

test("the flag sets the default file's on-hand to Autotask's totals at its next session, clears itself and records the run; the second file is untouched", { timeout: 300_000 }, async () => {
  const { app, qb, qwc, connectorId, fixture } = billing;
  const set = await setSync(connectorId, { syncInventoryAtNextSession: true });
  expect(set.data!.updateConnector).toMatchObject({ isDefault: true, syncInventoryAtNextSession: true, inventorySyncedAt: null });

  const result = await update(qwc, qb);
  expect(result.outcome, result.lastError).toBe('completed');
  expect(onHand(qb)).toEqual(['7', '3']);
  expect((qb.company.inventoryAdjustments ?? []).map((a) => a.lines.map((l) => l.quantityDifference))).toEqual([['5'], ['-7']]);
  const items = await inventoryItems();
  expect(items.map((i) => [i.state, i.connector.id])).toEqual([[TransferState.SUCCEEDED, connectorId], [TransferState.SUCCEEDED, connectorId]]);

  const after = await setSync(connectorId, {});
  expect(after.data!.updateConnector.syncInventoryAtNextSession).toBe(false);
  expect(after.data!.updateConnector.inventorySyncedAt).not.toBeNull();
  const history = await app.gql(InventoryAdjustmentsDocument, { connectorId }, fixture.adminToken);
  expect(history.data!.inventoryAdjustments.nodes.map((n) => [n.product.autotaskId, n.quantity, n.transfers[0]?.state])).toEqual([[700, 7, 'SUCCEEDED'], [701, 3, 'SUCCEEDED']]);
  // The exact qbXML an adjustment sends (the preview is the same translation the session used).
  const preview = await app.gql(PreviewInventoryAdjustmentDocument, { input: { entityType: 'INVENTORY_ADJUSTMENT', entityId: history.data!.inventoryAdjustments.nodes[0]!.id } }, fixture.adminToken);
  expect(preview.data!.previewTransfer).toMatchObject({ outcome: 'REQUESTS', plugin: 'inventory-adjustments' });
  expect(preview.data!.previewTransfer.qbxml).toContain('<QuantityAdjustment><NewQuantity>7</NewQuantity></QuantityAdjustment>');

  // A session of the second connector adjusts nothing, and a second session of the default one neither.
  expect((await update(second.qwc, second.qb)).outcome).not.toBe('failed');
  expect(onHand(second.qb)).toEqual(['2', '10']);
  expect(second.qb.company.inventoryAdjustments ?? []).toHaveLength(0);
  expect(await app.database.orm.em.fork().count(InventoryAdjustment, { connector: second.connectorId })).toBe(0);
  await update(qwc, qb);
  expect(qb.company.inventoryAdjustments).toHaveLength(2);
});

test('a file in multi-user mode: the adjustments fail with the single-user hint and the invoices of the same session land', { timeout: 300_000 }, async () => {
  const { app, qb, qwc, connectorId, fixture } = billing;
  await pushOrganization(app.database.orm.em.fork(), 174, 'Contoso Dental Group');
  const invoiceIds = await pushInvoices(app.database.orm.em.fork(), 174, [30001, 30002]);
  expect((await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken)).errors).toBeUndefined();
  expect((await app.gql(UpsertProductsDocument, { input: { products: [{ autotaskId: 700, name: 'Dell Latitude 5440', isInventory: true, quantityOnHand: 4 }] } }, fixture.adminToken)).errors).toBeUndefined();
  expect((await setSync(connectorId, { syncInventoryAtNextSession: true })).errors).toBeUndefined();
  qb.companyFile.openInMultiUserMode = true;
  const invoicesBefore = qb.company.invoices.length;

  const result = await update(qwc, qb);
  expect(result.outcome, result.lastError).toBe('completed');
  expect(qb.company.invoices.length - invoicesBefore).toBe(2);
  expect(onHand(qb)).toEqual(['7', '3']);
  const failed = (await inventoryItems()).slice(2);
  expect(failed.map((i) => [i.state, i.qbStatusCode, i.hint])).toEqual([
    [TransferState.FAILED, '3180', SINGLE_USER_HINT],
    [TransferState.FAILED, '3180', SINGLE_USER_HINT],
  ]);
  const invoices = await app.database.orm.em.fork().find(TransferItem, { entityType: TransferEntityType.INVOICE, entityId: { $in: invoiceIds } });
  expect(invoices.map((i) => i.state)).toEqual([TransferState.SUCCEEDED, TransferState.SUCCEEDED]);
  expect((await setSync(connectorId, {})).data!.updateConnector.syncInventoryAtNextSession).toBe(false);
});
