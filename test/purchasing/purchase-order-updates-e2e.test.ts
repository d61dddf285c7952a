/**
 * Purchase orders after their transfer, end to end through the real service and the Web Connector emulator
 * against the simulated QuickBooks: a 5-line purchase order lands with its vendor; a changed quantity and a new
 * line go as ONE PurchaseOrderMod that keeps every line (F8); a purchase order edited in QuickBooks meanwhile
 * (stale EditSequence, 3200) is read again and the change retried once; receipts of 3 of its 5 lines become
 * item receipts linked to its lines; a cancelled receipt is deleted in QuickBooks; cancelling the purchase order
 * closes it. One service and one company file for the whole file; the tests run in order.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { update } from '../helpers/qbwc-fixture.js';
import { pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import {
  PurchaseOrderTransfersDocument, QueueTransfersDocument, UpsertProductsDocument, UpsertPurchaseOrderReceiptsDocument, UpsertPurchaseOrdersDocument, UpsertVendorsDocument,
  type PurchaseOrderInput, type PurchaseOrderReceiptPushInput,
} from '../generated/graphql.js';

const PO = 9101;
let billing: BillingSetup;
let order: PurchaseOrderInput;

beforeAll(async () => {
  billing = await startBillingSetup('Northwind Purchasing');
  billing.qb.company.preferences.inventoryEnabled = true;
  const { app, fixture } = billing;
  await pushOrganization(app.database.orm.em.fork(), 174, 'Contoso Dental Group');
  const token = fixture.adminToken;
  expect((await app.gql(UpsertVendorsDocument, { input: { vendors: [{ autotaskId: 500, name: 'Ingram Micro' }] } }, token)).errors).toBeUndefined();
  expect((await app.gql(UpsertProductsDocument, {
    input: { products: [700, 701, 702, 703, 704, 705].map((autotaskId) => ({ autotaskId, name: `Product ${autotaskId}`, isInventory: autotaskId < 702, unitCost: '10' })) },
  }, token)).errors).toBeUndefined();
  order = {
    autotaskId: PO, purchaseOrderNumber: `PO-${PO}`, status: 'SUBMITTED', vendorAutotaskId: 500, purchaseForOrganizationAutotaskId: 174, orderDate: '2026-11-20',
    lines: [700, 701, 702, 703, 704].map((productAutotaskId, i) => ({ autotaskId: PO * 10 + i + 1, productAutotaskId, quantity: String(i + 1), unitCost: '10.5' })),
  };
}, 120_000);
afterAll(async () => {
  await billing?.app.close();
});

async function push(next: PurchaseOrderInput): Promise<void> {
  const pushed = await billing.app.gql(UpsertPurchaseOrdersDocument, { input: { purchaseOrders: [next] } }, billing.fixture.adminToken);
  expect(pushed.errors).toBeUndefined();
  order = next;
}

async function pushReceipts(receipts: PurchaseOrderReceiptPushInput[]) {
  const pushed = await billing.app.gql(UpsertPurchaseOrderReceiptsDocument, { input: { receipts } }, billing.fixture.adminToken);
  expect(pushed.errors).toBeUndefined();
  return pushed.data!.upsertPurchaseOrderReceipts;
}

async function transfer(): Promise<Awaited<ReturnType<typeof update>>> {
  const result = await update(billing.qwc, billing.qb);
  expect(result.outcome, result.lastError).toBe('completed');
  return result;
}

const poTransfer = async () => {
  const res = await billing.app.gql(PurchaseOrderTransfersDocument, { autotaskId: PO }, billing.fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data!.purchaseOrder!.transfers[0]!;
};
const qbOrder = () => (billing.qb.company.purchaseOrders ?? []).find((p) => p.fields.Other1 === `AT:${PO}`)!;
const qbLines = () => qbOrder().lines.map((l) => [l.fields.Other1, l.quantity]);
/** A receipt's ledger items (the receipts' own `transfers` are left out of the API: too deep a path to price). */
const receiptTransfers = (receiptId: string) => billing.app.database.orm.em.fork().find(TransferItem, { entityType: TransferEntityType.ITEM_RECEIPT, entityId: receiptId });
const messagesWith = (requests: readonly string[], type: string) => requests.filter((r) => r.includes(`<${type} `));

test('a 5-line purchase order lands with its vendor', { timeout: 300_000 }, async () => {
  await push(order);
  const queued = await billing.app.gql(QueueTransfersDocument, { input: { entityType: 'PURCHASE_ORDER', filter: { dateFrom: order.orderDate, dateTo: order.orderDate } } }, billing.fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  await transfer();
  const vendor = billing.qb.company.vendors.find((v) => v.name === 'Ingram Micro')!;
  expect(qbOrder().vendorId).toBe(vendor.listId);
  expect(qbLines()).toEqual([['AT:91011', '1'], ['AT:91012', '2'], ['AT:91013', '3'], ['AT:91014', '4'], ['AT:91015', '5']]);
  const item = await billing.app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.PURCHASE_ORDER, connector: billing.connectorId });
  expect(Object.values(item.qbLineIds).sort()).toEqual(qbOrder().lines.map((l) => l.txnLineId).sort());
  expect(item.needsResync).toBe(false);
});

test('a changed quantity and a new line go as one PurchaseOrderMod and every line survives', { timeout: 300_000 }, async () => {
  const before = qbOrder().lines.map((l) => l.txnLineId);
  await push({
    ...order,
    lines: [...order.lines.map((l, i) => (i === 1 ? { ...l, quantity: '7' } : l)), { autotaskId: PO * 10 + 6, productAutotaskId: 705, quantity: '2', unitCost: '3.25' }],
  });
  expect(await poTransfer()).toMatchObject({ state: TransferState.QUEUED, needsResync: true });
  const result = await transfer();
  expect(messagesWith(result.requests, 'PurchaseOrderModRq')).toHaveLength(1);
  expect(messagesWith(result.requests, 'PurchaseOrderAddRq')).toHaveLength(0);
  expect(billing.qb.company.purchaseOrders).toHaveLength(1);
  expect(qbLines()).toEqual([['AT:91011', '1'], ['AT:91012', '7'], ['AT:91013', '3'], ['AT:91014', '4'], ['AT:91015', '5'], ['AT:91016', '2']]);
  // The existing lines kept their TxnLineIDs (resent by them, not deleted and re-added).
  expect(qbOrder().lines.slice(0, 5).map((l) => l.txnLineId)).toEqual(before);
  const transferred = await poTransfer();
  expect(transferred).toMatchObject({ state: TransferState.SUCCEEDED, needsResync: false, qbEditSequence: qbOrder().editSequence });
  const item = await billing.app.database.orm.em.fork().findOneOrFail(TransferItem, { entityType: TransferEntityType.PURCHASE_ORDER, connector: billing.connectorId });
  expect(item.qbLineIds['91016']).toBe(qbOrder().lines[5]!.txnLineId);
});

test('a purchase order edited in QuickBooks meanwhile (stale EditSequence) is read again and the change retried once', { timeout: 300_000 }, async () => {
  // Someone edits the purchase order in QuickBooks between two sessions: its EditSequence moves on.
  const edited = qbOrder();
  edited.fields.Memo = 'edited in QuickBooks';
  billing.qb.companyFile.touch(edited);
  await push({ ...order, lines: order.lines.map((l, i) => (i === 0 ? { ...l, quantity: '9' } : l)) });
  const result = await transfer();
  const answers = result.responses.map((r) => r.response).join('\n');
  expect(answers).toMatch(/<PurchaseOrderModRs [^>]*statusCode="3200"/);
  expect(messagesWith(result.requests, 'PurchaseOrderQueryRq')).toHaveLength(1);
  expect(messagesWith(result.requests, 'PurchaseOrderModRq')).toHaveLength(2);
  expect(qbLines()).toEqual([['AT:91011', '9'], ['AT:91012', '7'], ['AT:91013', '3'], ['AT:91014', '4'], ['AT:91015', '5'], ['AT:91016', '2']]);
  expect(await poTransfer()).toMatchObject({ state: TransferState.SUCCEEDED, needsResync: false, qbEditSequence: qbOrder().editSequence });
});

test('receipts of 3 of its 5 lines become item receipts linked to the purchase order lines', { timeout: 300_000 }, async () => {
  const pushed = await pushReceipts([
    { autotaskId: 81, purchaseOrderLineAutotaskId: 91011, quantity: '4', receiveDate: '2026-11-25', vendorInvoiceNumber: 'INV-77' },
    { autotaskId: 82, purchaseOrderLineAutotaskId: 91012, quantity: '7', receiveDate: '2026-11-25', vendorInvoiceNumber: 'INV-77' },
    { autotaskId: 83, purchaseOrderLineAutotaskId: 91014, quantity: '1', receiveDate: '2026-11-25' },
  ]);
  expect(pushed.created).toBe(3);
  for (const receipt of pushed.receipts) expect((await receiptTransfers(receipt.id)).map((t) => t.state)).toEqual([TransferState.QUEUED]);
  await transfer();
  const po = qbOrder();
  const receipts = billing.qb.company.itemReceipts ?? [];
  expect(receipts).toHaveLength(3);
  expect(receipts.every((r) => r.vendorId === po.vendorId)).toBe(true);
  expect(receipts.map((r) => r.lines.map((l) => [l.linkedTxnId, po.lines.find((pl) => pl.txnLineId === l.linkedTxnLineId)?.fields.Other1, l.quantity]))).toEqual([
    [[po.txnId, 'AT:91011', '4']], [[po.txnId, 'AT:91012', '7']], [[po.txnId, 'AT:91014', '1']],
  ]);
  expect(po.lines.map((l) => l.receivedQuantity)).toEqual(['4', '7', '0', '1', '0', '0']);
  expect(receipts[0]!.refNumber).toBe('INV-77');
});

test('a receipt cancelled in Autotask is deleted in QuickBooks, and the purchase order line gives the quantity back', { timeout: 300_000 }, async () => {
  const pushed = await pushReceipts([{ autotaskId: 82, purchaseOrderLineAutotaskId: 91012, quantity: '7', receiveDate: '2026-11-25', vendorInvoiceNumber: 'INV-77', isCancelled: true }]);
  const [queued] = await receiptTransfers(pushed.receipts[0]!.id);
  expect(queued).toMatchObject({ state: TransferState.QUEUED, needsResync: true });
  const deletedTxnId = queued!.qbTxnId;
  expect(deletedTxnId).toBeTruthy();
  const result = await transfer();
  expect(result.requests.join('\n')).toMatch(/<TxnDelRq [^>]*>\s*<TxnDelType>ItemReceipt<\/TxnDelType>/);
  const receipts = billing.qb.company.itemReceipts ?? [];
  expect(receipts.map((r) => r.txnId)).not.toContain(deletedTxnId);
  expect(receipts).toHaveLength(2);
  expect(qbOrder().lines.map((l) => l.receivedQuantity)).toEqual(['4', '0', '0', '1', '0', '0']);
  expect((await receiptTransfers(pushed.receipts[0]!.id))[0]).toMatchObject({ state: TransferState.SUCCEEDED, needsResync: false, qbTxnId: '' });
});

test('a purchase order cancelled in Autotask is closed in QuickBooks (IsManuallyClosed), its lines untouched', { timeout: 300_000 }, async () => {
  const lines = qbLines();
  await push({ ...order, status: 'CANCELED' });
  const result = await transfer();
  expect(messagesWith(result.requests, 'PurchaseOrderModRq').join('')).not.toContain('PurchaseOrderLineMod');
  expect(qbOrder().isManuallyClosed).toBe(true);
  expect(qbLines()).toEqual(lines);
  expect(await poTransfer()).toMatchObject({ state: TransferState.SUCCEEDED, needsResync: false });
});

test('answers lost for the add, the Mod and the receipt of a purchase order, and a restart: no duplicate purchase order or receipt', { timeout: 600_000 }, async () => {
  const { app, qb, connectorId } = billing;
  const SWEPT = 9102;
  const swept: PurchaseOrderInput = {
    ...order, autotaskId: SWEPT, purchaseOrderNumber: `PO-${SWEPT}`, status: 'SUBMITTED', orderDate: '2026-11-21',
    lines: [700, 702].map((productAutotaskId, i) => ({ autotaskId: SWEPT * 10 + i + 1, productAutotaskId, quantity: '2', unitCost: '4' })),
  };
  const lostMessages: string[] = [];
  /** Runs until one completes without a loss, each run losing the answer of the first message holding `type` (the second run also restarts the service). */
  const sweep = async (type: string): Promise<string[]> => {
    const sent: string[] = [];
    for (let run = 1; ; run++) {
      let current = '';
      let lost = false;
      const lose = () => !lost && current.includes(`<${type} `) && (lost = true);
      let restart: Promise<void> | undefined;
      let responses = 0;
      const log = (line: string) => {
        if (line.includes('strRequestXML =')) current = line;
        if (run === 2 && line.includes('Received from receiveResponseXML') && ++responses === 1) restart = app.restartServer();
      };
      const result = await update(billing.qwc, qb, { faults: { loseResponseAfterProcessing: lose }, log, timeoutMs: 90_000 });
      await restart;
      sent.push(...result.requests);
      if (lost) lostMessages.push(current);
      if (result.outcome === 'completed' && !lost) return sent;
      expect(run, `the ${type} makes progress despite the faults`).toBeLessThan(8);
    }
  };
  await push(swept);
  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'PURCHASE_ORDER', filter: { dateFrom: swept.orderDate, dateTo: swept.orderDate } } }, billing.fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  await sweep('PurchaseOrderAddRq');
  await push({ ...swept, lines: [...swept.lines.map((l) => ({ ...l, quantity: '3' })), { autotaskId: SWEPT * 10 + 3, productAutotaskId: 705, quantity: '1', unitCost: '4' }] });
  // The lost Mod is found applied by its lookup (read by TxnID, compared line by line): it is not sent again.
  expect(messagesWith(await sweep('PurchaseOrderModRq'), 'PurchaseOrderModRq')).toHaveLength(1);
  await pushReceipts([{ autotaskId: 91, purchaseOrderLineAutotaskId: SWEPT * 10 + 3, quantity: '1', receiveDate: '2026-11-26' }]);
  expect(messagesWith(await sweep('ItemReceiptAddRq'), 'ItemReceiptAddRq')).toHaveLength(1);

  for (const type of ['PurchaseOrderAddRq', 'PurchaseOrderModRq', 'ItemReceiptAddRq']) expect(lostMessages.some((m) => m.includes(`<${type} `)), `${type} lost its answer`).toBe(true);
  const orders = (qb.company.purchaseOrders ?? []).filter((p) => p.fields.Other1 === `AT:${SWEPT}`);
  expect(orders).toHaveLength(1);
  expect(orders[0]!.lines.map((l) => [l.fields.Other1, l.quantity, l.receivedQuantity])).toEqual([['AT:91021', '3', '0'], ['AT:91022', '3', '0'], ['AT:91023', '1', '1']]);
  const receipts = (qb.company.itemReceipts ?? []).filter((r) => r.lines.some((l) => l.linkedTxnId === orders[0]!.txnId));
  expect(receipts).toHaveLength(1);
  const items = await app.database.orm.em.fork().find(TransferItem, { connector: connectorId });
  expect(items.every((i) => i.state === TransferState.SUCCEEDED || i.entityType === TransferEntityType.ITEM_RECEIPT), JSON.stringify(items.map((i) => [i.entityType, i.state, i.qbStatusMessage]))).toBe(true);
  expect(items.filter((i) => i.state !== TransferState.SUCCEEDED).map((i) => [i.entityType, i.state])).toEqual([]);
});

test('a change pushed while the purchase order is on its way to QuickBooks is sent as a Mod once the add is found', { timeout: 300_000 }, async () => {
  const { app, qb } = billing;
  const INFLIGHT = 9103;
  const inFlight: PurchaseOrderInput = {
    ...order, autotaskId: INFLIGHT, purchaseOrderNumber: `PO-${INFLIGHT}`, status: 'SUBMITTED', orderDate: '2026-11-22',
    lines: [700, 702].map((productAutotaskId, i) => ({ autotaskId: INFLIGHT * 10 + i + 1, productAutotaskId, quantity: '2', unitCost: '4' })),
  };
  await push(inFlight);
  const queued = await app.gql(QueueTransfersDocument, { input: { entityType: 'PURCHASE_ORDER', filter: { dateFrom: inFlight.orderDate, dateTo: inFlight.orderDate } } }, billing.fixture.adminToken);
  expect(queued.errors).toBeUndefined();
  // QuickBooks adds the purchase order; its answer never comes back: the item stays SENT.
  let current = '';
  let lost = false;
  const interrupted = await update(billing.qwc, qb, {
    log: (line) => { if (line.includes('strRequestXML =')) current = line; },
    faults: { loseResponseAfterProcessing: () => (!lost && current.includes('<PurchaseOrderAddRq ') ? (lost = true) : false) },
  });
  expect(interrupted.outcome).toBe('aborted');
  const orders = () => (qb.company.purchaseOrders ?? []).filter((p) => p.fields.Other1 === `AT:${INFLIGHT}`);
  expect(orders().map((p) => p.lines.map((l) => l.quantity))).toEqual([['2', '2']]);

  // Meanwhile Autotask's quantity changes: the ledger shows it needs a resync.
  await push({ ...inFlight, lines: inFlight.lines.map((l, i) => (i === 0 ? { ...l, quantity: '7' } : l)) });
  const pending = (await app.database.orm.em.fork().find(TransferItem, { entityType: TransferEntityType.PURCHASE_ORDER, connector: billing.connectorId }))
    .filter((i) => i.state !== TransferState.SUCCEEDED);
  expect(pending.map((i) => [i.state, i.needsResync, i.resyncAfterSend])).toEqual([[TransferState.SENT, true, true]]);

  // The next update finds the add in QuickBooks, then sends the change: one purchase order, the new quantity.
  const next = await transfer();
  expect(messagesWith(next.requests, 'PurchaseOrderAddRq')).toHaveLength(0);
  expect(messagesWith(next.requests, 'PurchaseOrderModRq')).toHaveLength(1);
  expect(orders().map((p) => p.lines.map((l) => [l.fields.Other1, l.quantity]))).toEqual([[['AT:91031', '7'], ['AT:91032', '2']]]);
  const settled = (await app.database.orm.em.fork().find(TransferItem, { entityType: TransferEntityType.PURCHASE_ORDER, connector: billing.connectorId }));
  expect(settled.map((i) => [i.state, i.needsResync, i.resyncAfterSend])).toEqual(settled.map(() => [TransferState.SUCCEEDED, false, false]));
});
