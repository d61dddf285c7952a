/**
 * The Autotask pull brings purchasing and inventory in: purchase orders of any status but Canceled (the
 * status picklist read by label), their items and receipts, the vendors and the organizations they are for,
 * the products they buy and the products Autotask stocks, with on-hand totals over the active inventory
 * locations; a second pull of unchanged records writes nothing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { Product } from '../../src/modules/purchasing/product.entity.js';
import { PurchaseOrder } from '../../src/modules/purchasing/purchase-order.entity.js';
import { Vendor } from '../../src/modules/purchasing/vendor.entity.js';
import { PullFromAutotaskDocument, SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { company, seedTenant } from './helpers/fake-autotask.js';
import { connectionInput, seedConnectors, startAutotaskTestApp, type AutotaskTestApp } from './helpers/autotask-app.js';

let t: AutotaskTestApp;
let em: EntityManager;

const purchaseOrder = (id: number, status: number, over: Record<string, unknown> = {}) => ({
  id, purchaseOrderNumber: `PO-${id}`, status, vendorID: 900, purchaseForCompanyID: null, shipToName: 'Main warehouse',
  shipToAddress1: '12 Depot Rd', shipToAddress2: null, shipToCity: 'Columbus', shipToState: 'OH', shipToPostalCode: '43004',
  generalMemo: 'Quarterly restock', createDateTime: '2026-11-02T15:00:00.000', submitDateTime: '2026-11-03T09:30:00.000',
  latestEstimatedArrivalDate: '2026-11-20T00:00:00.000', externalPONumber: null, ...over,
});
const product = (id: number, name: string, over: Record<string, unknown> = {}) => ({
  id, name, description: `${name} (Autotask)`, sku: `SKU-${id}`, manufacturerProductName: null, unitCost: 95.5, unitPrice: 149, productBillingCodeID: 29682950, isActive: true, ...over,
});

beforeAll(async () => {
  t = await startAutotaskTestApp();
  // A little billing too: the pull reads invoices first (and the fake knows an entity's fields from its records).
  seedTenant(t.fake, { companies: 1, invoices: 1 });
  await seedConnectors(t.app);
  em = t.app.database.orm.em.fork() as EntityManager;
  t.fake.fieldInfo.set('purchaseorders', [
    { name: 'status', isPickList: true, picklistValues: [{ value: '1', label: 'New' }, { value: '2', label: 'Submitted' }, { value: '3', label: 'Received Partial' }, { value: '4', label: 'Received Full' }, { value: '5', label: 'Canceled' }, { value: '6', label: 'Waiting for vendor' }] },
  ]);
  t.fake.put('companies', [company(900, 'Ingram Micro', { companyType: 7, phone: '(714) 566-1000' }), company(901, 'TD Synnex', { companyType: 7 }), company(174, 'Contoso Dental Group')]);
  t.fake.put('purchaseorders', [
    purchaseOrder(5001, 2),
    purchaseOrder(5002, 3, { vendorID: 901, purchaseForCompanyID: 174 }),
    purchaseOrder(5003, 5, { vendorID: 901 }),
    purchaseOrder(5004, 6),
  ]);
  t.fake.put('purchaseorderitems', [
    { id: 60011, orderID: 5001, productID: 700, inventoryLocationID: 1, quantity: 4, unitCost: 95.5, memo: null },
    { id: 60012, orderID: 5001, productID: 702, inventoryLocationID: 1, quantity: 10, unitCost: 2.25, memo: 'patch cables' },
    { id: 60021, orderID: 5002, productID: 700, inventoryLocationID: 2, quantity: 2, unitCost: 95.5, memo: null },
    { id: 60031, orderID: 5003, productID: 703, inventoryLocationID: 1, quantity: 1, unitCost: 10, memo: null },
    { id: 60041, orderID: 5004, productID: 702, inventoryLocationID: 1, quantity: 5, unitCost: 2.25, memo: null },
  ]);
  t.fake.put('purchaseorderitemreceiving', [
    { id: 70001, purchaseOrderItemID: 60021, quantityNowReceiving: 1, quantityPreviouslyReceived: 0, quantityBackOrdered: 1, receiveDate: '2026-11-10T00:00:00.000', vendorInvoiceNumber: 'INV-88', serialNumber: null },
  ]);
  t.fake.put('products', [product(700, 'UPS Battery RBC7'), product(701, 'USB-C Dock', { unitCost: 180 }), product(702, 'Cat6 patch cable 3 ft', { unitCost: 2.25 }), product(703, 'Never pulled')]);
  t.fake.put('inventorylocations', [
    { id: 1, locationName: 'Main warehouse', isActive: true, isDefault: true, resourceID: null },
    { id: 2, locationName: 'Van 1', isActive: true, isDefault: false, resourceID: 29682885 },
    { id: 3, locationName: 'Old store', isActive: false, isDefault: false, resourceID: null },
  ]);
  t.fake.put('inventoryitems', [
    { id: 81, productID: 700, inventoryLocationID: 1, quantityOnHand: 5, quantityOnOrder: 4, quantityPicked: 0, quantityReserved: 0, backOrderQuantity: 0 },
    { id: 82, productID: 700, inventoryLocationID: 2, quantityOnHand: 2, quantityOnOrder: 0, quantityPicked: 0, quantityReserved: 0, backOrderQuantity: 0 },
    { id: 83, productID: 700, inventoryLocationID: 3, quantityOnHand: 40, quantityOnOrder: 0, quantityPicked: 0, quantityReserved: 0, backOrderQuantity: 0 },
    { id: 84, productID: 701, inventoryLocationID: 1, quantityOnHand: 3, quantityOnOrder: 0, quantityPicked: 0, quantityReserved: 0, backOrderQuantity: 0 },
  ]);
  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { pullEveryMinutes: 60 }) }, t.admin);
  expect(set.errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function pull() {
  const res = await t.app.gql(PullFromAutotaskDocument, {}, t.admin);
  expect(res.errors).toBeUndefined();
  return res.data!.pullFromAutotask;
}

test('purchase orders (not Canceled) with items and receipts, vendors, organizations, products and on-hand totals land in the database', { timeout: 120_000 }, async () => {
  const summary = await pull();
  expect(summary.outcome, JSON.stringify(summary.errors)).toBe('SUCCEEDED');
  expect(summary.purchaseOrders).toEqual({ created: 3, updated: 0, unchanged: 0 });
  expect(summary.vendors).toEqual({ created: 2, updated: 0, unchanged: 0 });

  const orders = await em.fork().find(PurchaseOrder, {}, { populate: ['vendor', 'purchaseFor', 'lines.product', 'lines.receipts'], orderBy: { autotaskId: 'asc' } });
  expect(orders.map((o) => [o.autotaskId, o.status, o.vendor.autotaskId, o.purchaseFor?.autotaskId ?? null, o.orderDate])).toEqual([
    [5001, 'SUBMITTED', 900, null, '2026-11-03'],
    [5002, 'RECEIVED_PARTIAL', 901, 174, '2026-11-03'],
    [5004, 'SUBMITTED', 900, null, '2026-11-03'],
  ]);
  expect(orders[0]!.lines.getItems().map((l) => [l.autotaskId, l.product.autotaskId, Number(l.quantity), Number(l.unitCost), l.memo])).toEqual([
    [60011, 700, 4, 95.5, null],
    [60012, 702, 10, 2.25, 'patch cables'],
  ]);
  expect(orders[0]!.shipToAddress).toMatchObject({ line1: '12 Depot Rd', city: 'Columbus', postalCode: '43004' });
  expect(orders[1]!.lines.getItems()[0]!.receipts.getItems().map((r) => [r.autotaskId, Number(r.quantity), r.receiveDate, r.vendorInvoiceNumber])).toEqual([[70001, 1, '2026-11-10', 'INV-88']]);

  expect((await em.fork().find(Vendor, {}, { orderBy: { autotaskId: 'asc' } })).map((v) => [v.autotaskId, v.name, v.phone])).toEqual([
    [900, 'Ingram Micro', '(714) 566-1000'],
    [901, 'TD Synnex', '614-555-0100'],
  ]);
  expect(await em.fork().count(Organization, { autotaskId: 174 })).toBe(1);
  // Stocked products carry Autotask's total over the active locations (the inactive "Old store" does not count).
  expect((await em.fork().find(Product, {}, { orderBy: { autotaskId: 'asc' } })).map((p) => [p.autotaskId, p.isInventory, p.quantityOnHand])).toEqual([
    [700, true, 7],
    [701, true, 3],
    [702, false, null],
  ]);
});

test('a second pull of unchanged records writes nothing; a changed on-hand updates its product', { timeout: 120_000 }, async () => {
  t.fake.put('inventoryitems', [{ id: 84, productID: 701, inventoryLocationID: 1, quantityOnHand: 9, quantityOnOrder: 0, quantityPicked: 0, quantityReserved: 0, backOrderQuantity: 0 }]);
  const summary = await pull();
  expect(summary.purchaseOrders).toEqual({ created: 0, updated: 0, unchanged: 3 });
  expect(summary.products).toEqual({ created: 0, updated: 1, unchanged: 2 });
  expect((await em.fork().findOneOrFail(Product, { autotaskId: 701 })).quantityOnHand).toBe(9);
});
