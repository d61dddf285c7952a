/**
 * Purchase orders end to end, through the real service and the Web Connector emulator against the simulated
 * QuickBooks: a 5-line purchase order pushed over GraphQL and queued by filter lands with its vendor and its
 * ship-to customer created first and its items created on the way; and with the answers of the vendor's and
 * the purchase order's adds lost (and the service restarted), QuickBooks still holds each exactly once.
 * One service and one company file for the whole file.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { update } from '../helpers/qbwc-fixture.js';
import { pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';
import { externalGuid } from '../../plugins/sdk/index.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import {
  QueueTransfersDocument, UpsertMappingsDocument, UpsertProductsDocument, UpsertPurchaseOrdersDocument, UpsertVendorsDocument, type PurchaseOrderInput,
} from '../generated/graphql.js';

let billing: BillingSetup;
beforeAll(async () => {
  billing = await startBillingSetup('Acme Supplies');
  billing.qb.company.preferences.inventoryEnabled = true;
  const { app, fixture, connectorId } = billing;
  await pushOrganization(app.database.orm.em.fork(), 174, 'Contoso Dental Group');
  const token = fixture.adminToken;
  expect((await app.gql(UpsertVendorsDocument, { input: { vendors: [{ autotaskId: 500, name: 'Ingram Micro', phone: '(714) 566-1000' }, { autotaskId: 501, name: 'TD Synnex' }] } }, token)).errors).toBeUndefined();
  expect((await app.gql(UpsertProductsDocument, {
    input: {
      products: [
        { autotaskId: 700, name: 'Dell Latitude 5440', isInventory: true, unitCost: '950', unitPrice: '1299' },
        { autotaskId: 701, name: 'USB-C Dock', isInventory: true, unitCost: '180' },
        { autotaskId: 702, name: 'Cat6 patch cable 3 ft' },
        { autotaskId: 703, name: 'Microsoft 365 Business Premium' },
        { autotaskId: 704, name: 'Rack shelf' },
      ],
    },
  }, token)).errors).toBeUndefined();
  // One product mapped to an item QuickBooks has; the others are created.
  expect((await app.gql(UpsertMappingsDocument, {
    input: { connectorId, mappings: [{ sourceKind: 'PRODUCT', sourceId: '704', sourceName: 'Rack shelf', target: { fullName: 'Hardware' }, itemType: 'NON_INVENTORY' }] },
  }, token)).errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await billing?.app.close();
});

const purchaseOrder = (autotaskId: number, vendorAutotaskId: number, orderDate: string, productIds: number[]): PurchaseOrderInput => ({
  autotaskId,
  purchaseOrderNumber: `PO-${autotaskId}`,
  status: 'SUBMITTED',
  vendorAutotaskId,
  purchaseForOrganizationAutotaskId: 174,
  orderDate,
  shipToName: 'Contoso Dental Group',
  shipToAddress: { line1: '1200 Harbor Blvd', city: 'Oxnard', state: 'CA', postalCode: '93035' },
  memo: 'Laptops for the new hygienists',
  lines: productIds.map((productAutotaskId, i) => ({ autotaskId: autotaskId * 10 + i + 1, productAutotaskId, quantity: String(i + 1), unitCost: '10.5', lineOfBusinessId: '7' })),
});

async function pushAndQueue(order: PurchaseOrderInput): Promise<string> {
  const { app, fixture } = billing;
  const pushed = await app.gql(UpsertPurchaseOrdersDocument, { input: { purchaseOrders: [order] } }, fixture.adminToken);
  expect(pushed.errors).toBeUndefined();
  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'PURCHASE_ORDER', filter: { dateFrom: order.orderDate, dateTo: order.orderDate } } }, fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  expect(queued.data!.queueTransfers).toHaveLength(1);
  return pushed.data!.upsertPurchaseOrders.purchaseOrders[0]!.id;
}

const ledger = () => billing.app.database.orm.em.fork().find(TransferItem, { connector: billing.connectorId }, { orderBy: { id: 'asc' } });

test('a 5-line purchase order lands with its vendor and customer created first and its items created on the way', { timeout: 300_000 }, async () => {
  const { qb, qwc, connectorId } = billing;
  const orderId = await pushAndQueue(purchaseOrder(9001, 500, '2026-11-10', [700, 701, 702, 703, 704]));
  const result = await update(qwc, qb);
  expect(result.outcome, result.lastError).toBe('completed');

  const vendors = qb.company.vendors.filter((v) => v.name === 'Ingram Micro');
  expect(vendors).toHaveLength(1);
  expect(vendors[0]!.fields).toMatchObject({ Phone: '(714) 566-1000', ExternalGUID: expect.any(String) });
  const orders = qb.company.purchaseOrders ?? [];
  expect(orders).toHaveLength(1);
  const order = orders[0]!;
  expect(order.vendorId).toBe(vendors[0]!.listId);
  expect(order.shipToEntityId).toBe(qb.companyFile.findByFullName('customers', 'Contoso Dental Group')?.listId);
  expect(order.fields.ExternalGUID).toBe(externalGuid({ id: connectorId }, 'PURCHASE_ORDER', orderId));
  expect(order.lines.map((l) => [qb.companyFile.findById('items', l.itemId!)?.name, l.quantity, l.fields.Other1])).toEqual([
    ['Dell Latitude 5440', '1', 'AT:90011'],
    ['USB-C Dock', '2', 'AT:90012'],
    ['Cat6 patch cable 3 ft', '3', 'AT:90013'],
    ['Microsoft 365 Business Premium', '4', 'AT:90014'],
    ['Hardware', '5', 'AT:90015'],
  ]);
  expect(order.lines.map((l) => qb.companyFile.findById('items', l.itemId!)?.type)).toEqual(['Inventory', 'Inventory', 'NonInventory', 'NonInventory', 'NonInventory']);

  const items = await ledger();
  expect(items.map((i) => [i.entityType, i.state])).toEqual([
    [TransferEntityType.PURCHASE_ORDER, TransferState.SUCCEEDED],
    [TransferEntityType.VENDOR, TransferState.SUCCEEDED],
    [TransferEntityType.ORGANIZATION, TransferState.SUCCEEDED],
  ]);
  expect(items[0]!.qbRefNumber).toBe(order.refNumber);
});

test('answers of the vendor and purchase order adds lost, and a restart: each is in QuickBooks exactly once', { timeout: 300_000 }, async () => {
  const { app, qb, qwc, connectorId } = billing;
  const orderId = await pushAndQueue(purchaseOrder(9002, 501, '2026-11-12', [700, 702]));
  let restarted: Promise<void> | undefined;
  const lostMessages: string[] = [];
  for (let run = 1; ; run++) {
    let current = '';
    let lost = false;
    // Each run loses the answer of the first message that adds a vendor or a purchase order.
    const lose = () => !lost && /<(Vendor|PurchaseOrder)AddRq /.test(current) && (lost = true);
    let responses = 0;
    const log = (line: string) => {
      if (line.includes('strRequestXML =')) current = line;
      if (run === 2 && line.includes('Received from receiveResponseXML') && ++responses === 1) restarted = app.restartServer();
    };
    const result = await update(qwc, qb, { faults: { loseResponseAfterProcessing: lose }, log, timeoutMs: 90_000 });
    await restarted;
    if (lost) lostMessages.push(current);
    if (result.outcome === 'completed' && !lost) break;
    expect(run, 'the transfer makes progress despite the faults').toBeLessThan(8);
  }
  expect(lostMessages.some((m) => m.includes('VendorAddRq')), 'the vendor add lost its answer').toBe(true);
  expect(lostMessages.some((m) => m.includes('PurchaseOrderAddRq')), 'the purchase order add lost its answer').toBe(true);
  expect(restarted).toBeDefined();
  expect(qb.company.vendors.filter((v) => v.name === 'TD Synnex')).toHaveLength(1);
  const guid = externalGuid({ id: connectorId }, 'PURCHASE_ORDER', orderId);
  expect((qb.company.purchaseOrders ?? []).filter((p) => p.fields.ExternalGUID === guid)).toHaveLength(1);
  expect(qb.company.purchaseOrders).toHaveLength(2);
  const items = await ledger();
  expect(items.every((i) => i.state === TransferState.SUCCEEDED), JSON.stringify(items.map((i) => [i.entityType, i.state, i.qbStatusMessage]))).toBe(true);
});
