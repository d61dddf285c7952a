/**
 * Pushing purchasing data: vendors, products, purchase orders with lines and receipts, keyed by Autotask id;
 * lines matched by their Autotask id (a changed quantity updates the line, a new one is added); references
 * checked; queueing by filter routes a purchase order by the organization it is for, else to the default.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { onlyError, startTestApp, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { PurchaseOrderLine } from '../../src/modules/purchasing/purchase-order.entity.js';
import {
  CreateConnectorDocument, QueueTransfersDocument, SetRoutesDocument, UpsertOrganizationsDocument, UpsertProductsDocument,
  UpsertPurchaseOrdersDocument, UpsertVendorsDocument, type PurchaseOrderInput,
} from '../generated/graphql.js';

let app: TestApp;
let admin: { token: string };
let accountant: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  admin = await app.createUser(Role.ADMIN, 'Ada');
  accountant = await app.createUser(Role.ACCOUNTANT, 'Ann');
});
afterAll(async () => {
  await app?.close();
});

const order = (autotaskId: number, extra: Partial<PurchaseOrderInput> = {}): PurchaseOrderInput => ({
  autotaskId,
  status: 'SUBMITTED',
  vendorAutotaskId: 500,
  orderDate: '2026-11-10',
  lines: [
    { autotaskId: autotaskId * 10 + 1, productAutotaskId: 700, quantity: '2', unitCost: '350' },
    { autotaskId: autotaskId * 10 + 2, productAutotaskId: 701, quantity: '5', unitCost: '12.5' },
  ],
  ...extra,
});

test('vendors, products and purchase orders are upserted; lines follow their Autotask ids; unchanged pushes write nothing', async () => {
  const vendors = await app.gql(UpsertVendorsDocument, { input: { vendors: [{ autotaskId: 500, name: 'Ingram Micro' }] } }, accountant.token);
  expect(vendors.data?.upsertVendors).toMatchObject({ created: 1 });
  const products = await app.gql(UpsertProductsDocument, {
    input: { products: [{ autotaskId: 700, name: 'Dell Latitude 5440', isInventory: true, quantityOnHand: 4 }, { autotaskId: 701, name: 'USB-C cable' }] },
  }, accountant.token);
  expect(products.data?.upsertProducts).toMatchObject({ created: 2 });

  const first = await app.gql(UpsertPurchaseOrdersDocument, { input: { purchaseOrders: [order(9001)] } }, accountant.token);
  expect(first.errors).toBeUndefined();
  const lines = first.data!.upsertPurchaseOrders.purchaseOrders[0]!.lines;
  expect(lines.map((l) => [l.autotaskId, l.position, l.quantity])).toEqual([[90011, 1, '2.0000'], [90012, 2, '5.0000']]);

  const again = await app.gql(UpsertPurchaseOrdersDocument, { input: { purchaseOrders: [order(9001)] } }, accountant.token);
  expect(again.data?.upsertPurchaseOrders).toMatchObject({ created: 0, updated: 0, unchanged: 1 });

  // Quantity of the first line changed, a new line, a receipt on the second.
  const changed = order(9001, {
    lines: [
      { autotaskId: 90011, productAutotaskId: 700, quantity: '3', unitCost: '350' },
      { autotaskId: 90012, productAutotaskId: 701, quantity: '5', unitCost: '12.5', receipts: [{ autotaskId: 1, quantity: '5', receiveDate: '2026-11-20' }] },
      { autotaskId: 90013, productAutotaskId: 701, quantity: '1', unitCost: '12.5' },
    ],
  });
  const updated = await app.gql(UpsertPurchaseOrdersDocument, { input: { purchaseOrders: [changed] } }, accountant.token);
  expect(updated.data?.upsertPurchaseOrders).toMatchObject({ updated: 1 });
  const after = updated.data!.upsertPurchaseOrders.purchaseOrders[0]!.lines;
  expect(after.map((l) => l.id).slice(0, 2)).toEqual(lines.map((l) => l.id));
  expect(after.map((l) => [l.autotaskId, l.quantity, l.receipts.length])).toEqual([[90011, '3.0000', 0], [90012, '5.0000', 1], [90013, '1.0000', 0]]);
  expect(await app.database.orm.em.fork().count(PurchaseOrderLine, {})).toBe(3);
});

test('a purchase order naming an unknown vendor, product or organization is refused naming each field', async () => {
  const response = await app.gql(UpsertPurchaseOrdersDocument, {
    input: { purchaseOrders: [order(9002, { vendorAutotaskId: 999, purchaseForOrganizationAutotaskId: 998, lines: [{ autotaskId: 90021, productAutotaskId: 997, quantity: '1', unitCost: '1' }] })] },
  }, accountant.token);
  expect(onlyError(response).extensions?.['fields']).toEqual([
    { field: 'purchaseOrders.0.vendorAutotaskId', message: 'no vendor has Autotask id 999; push it with upsertVendors first' },
    { field: 'purchaseOrders.0.purchaseForOrganizationAutotaskId', message: 'no organization has Autotask id 998; push it with upsertOrganizations first' },
    { field: 'purchaseOrders.0.lines.0.productAutotaskId', message: 'no product has Autotask id 997; push it with upsertProducts first' },
  ]);
});

test('queueing by filter: a purchase order follows the organization it is for, else the default connector', async () => {
  const main = await app.gql(CreateConnectorDocument, { input: { name: 'Main' } }, admin.token);
  const west = await app.gql(CreateConnectorDocument, { input: { name: 'West' } }, admin.token);
  const westId = west.data!.createConnector.id;
  await app.gql(UpsertOrganizationsDocument, { input: { organizations: [{ autotaskId: 174, name: 'Contoso West' }] } }, accountant.token);
  await app.gql(SetRoutesDocument, { input: { routes: [{ subject: 'ORGANIZATION', autotaskId: 174, connectorId: westId }] } }, admin.token);
  await app.gql(UpsertPurchaseOrdersDocument, { input: { purchaseOrders: [order(9003, { purchaseForOrganizationAutotaskId: 174, orderDate: '2026-12-01', lines: [{ autotaskId: 90031, productAutotaskId: 700, quantity: '1', unitCost: '1' }] })] } }, accountant.token);

  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'PURCHASE_ORDER', filter: { dateFrom: '2026-11-01' } } }, accountant.token);
  expect(queued.errors).toBeUndefined();
  expect(queued.data!.queueTransfers.map((t) => [t.entityType, t.connector.name]).sort()).toEqual([['PURCHASE_ORDER', 'Main'], ['PURCHASE_ORDER', 'West']]);
  expect(main.data!.createConnector.id).toBeTruthy();

  const narrowed = await app.gql(QueueTransfersDocument, { input: { entityType: 'VENDOR', filter: { dateFrom: '2026-11-01' } } }, accountant.token);
  expect(onlyError(narrowed).extensions?.['fields']).toEqual([{ field: 'filter.dateFrom', message: 'dates select invoices, payments and purchase orders, not vendors' }]);
});
