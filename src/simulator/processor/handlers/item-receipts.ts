/**
 * ItemReceiptAdd / ItemReceiptQuery and TxnDel of item receipts. An item line linked to a purchase order line
 * (LinkToTxn: TxnID + TxnLineID) receives that line: its quantity is added to the line's received quantity,
 * and the item defaults to the line's. A link to a transaction or line that does not exist, or to another
 * vendor's purchase order, is refused as QuickBooks refuses a bad reference (3140); so are an unknown vendor
 * or item. Deleting the receipt gives the purchase order lines back what it received. QuickBooks allows only
 * line links or the header LinkToTxnID that pulls in every open line; only line links are modelled here
 * (the header link answers 3210, an inferred status [G]).
 */
import { formatCents, multiplyToCents, normalizeDecimal, parseCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { ItemReceiptLineRecord, ItemReceiptRecord } from '../../company/types.js';
import type { SimulatedCompanyFile } from '../../company/company-file.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed, type XmlElement } from '../../../qbxml/xml-tree.js';
import { findPurchaseOrder } from './purchase-orders.js';
import { requestAggregate } from './shared.js';

const LABEL = 'Item Receipt';
const HEADER_FIELDS = new Set(['VendorRef', 'TxnDate', 'RefNumber', 'LinkToTxnID', 'ItemLineAdd', 'ItemGroupLineAdd']);
const LINE_FIELDS = new Set(['ItemRef', 'Desc', 'Quantity', 'Cost', 'Amount', 'LinkToTxn']);

/** The company file's item receipts (a file written before they were modelled has none). */
export function itemReceiptsOf(company: SimulatedCompanyFile): ItemReceiptRecord[] {
  return (company.data.itemReceipts ??= []);
}

const addDecimals = (a: string, b: string, sign: 1 | -1) => normalizeDecimal(String(Number(a) + sign * Number(b)));

function readLine(company: SimulatedCompanyFile, element: XmlElement, vendorId: string): ItemReceiptLineRecord {
  const link = child(element, 'LinkToTxn');
  const linkedTxnId = link && childText(link, 'TxnID');
  const linkedTxnLineId = link && childText(link, 'TxnLineID');
  const order = linkedTxnId ? findPurchaseOrder(company, linkedTxnId) : undefined;
  if (linkedTxnId && (!order || order.vendorId !== vendorId)) refuse(QB_STATUS.invalidReference('Txn', linkedTxnId, `${LABEL} line`));
  const orderLine = order && order.lines.find((l) => l.txnLineId === linkedTxnLineId);
  if (order && !orderLine) refuse(QB_STATUS.invalidReference('TxnLine', linkedTxnLineId ?? '', `${LABEL} line`));
  const itemRef = child(element, 'ItemRef');
  const itemId = itemRef ? company.resolveRef('ItemRef', refInput(itemRef), `${LABEL} line`).record.listId : orderLine?.itemId;
  if (!itemId) refuse(QB_STATUS.invalidReference('Item', '', `${LABEL} line`));
  if (orderLine?.itemId && orderLine.itemId !== itemId) refuse(QB_STATUS.invalidReference('Item', itemId, `${LABEL} line linked to a purchase order line of another item`));
  const quantity = normalizeDecimal(childText(element, 'Quantity') ?? '1');
  const cost = childText(element, 'Cost') ?? orderLine?.rate;
  const amount = childText(element, 'Amount');
  return {
    txnLineId: company.stamps.newId(),
    itemId,
    desc: childText(element, 'Desc') ?? orderLine?.desc,
    quantity,
    ...(cost !== undefined ? { cost: normalizeDecimal(cost) } : {}),
    amountCents: amount !== undefined ? parseCents(amount) : cost !== undefined ? multiplyToCents(quantity, cost) : 0,
    ...(orderLine ? { linkedTxnId: order!.txnId, linkedTxnLineId: orderLine.txnLineId } : {}),
    fields: storeChildren(company, element, `${LABEL} line`, { skip: LINE_FIELDS }),
  };
}

/** Adds (or, deleting the receipt, takes back) what its linked lines received on their purchase order lines. */
function receive(company: SimulatedCompanyFile, receipt: ItemReceiptRecord, sign: 1 | -1): void {
  for (const line of receipt.lines) {
    const order = line.linkedTxnId ? findPurchaseOrder(company, line.linkedTxnId) : undefined;
    const orderLine = order?.lines.find((l) => l.txnLineId === line.linkedTxnLineId);
    if (!order || !orderLine) continue;
    orderLine.receivedQuantity = addDecimals(orderLine.receivedQuantity, line.quantity, sign);
    company.touch(order);
  }
}

function itemReceiptRet(ctx: RequestContext, receipt: ItemReceiptRecord, withLines: boolean): RetElement {
  const { company, model } = ctx;
  const lineDecl = model.element('ItemLineRet')!;
  const linked = [...new Set(receipt.lines.flatMap((l) => (l.linkedTxnId ? [l.linkedTxnId] : [])))].flatMap((txnId) => {
    const order = findPurchaseOrder(company, txnId);
    return order ? [{ TxnID: order.txnId, TxnType: 'PurchaseOrder', TxnDate: order.txnDate, RefNumber: order.refNumber, LinkType: 'QUANTYPE', Amount: '0.00' }] : [];
  });
  const lines: RetAggregate[] = receipt.lines.map((line) => ({
    ...storedToRet(company, lineDecl, line.fields),
    TxnLineID: line.txnLineId,
    ItemRef: refRet(company, line.itemId),
    Desc: line.desc,
    Quantity: line.quantity,
    Cost: line.cost,
    Amount: formatCents(line.amountCents),
  }));
  return {
    name: 'ItemReceiptRet',
    value: {
      ...storedToRet(company, model.element('ItemReceiptRet')!, receipt.fields),
      TxnID: receipt.txnId,
      TimeCreated: receipt.timeCreated,
      TimeModified: receipt.timeModified,
      EditSequence: receipt.editSequence,
      TxnNumber: String(receipt.txnNumber),
      VendorRef: refRet(company, receipt.vendorId),
      TxnDate: receipt.txnDate,
      TotalAmount: formatCents(receipt.totalAmountCents),
      RefNumber: receipt.refNumber,
      LinkedTxn: linked.length > 0 ? linked : undefined,
      ItemLineRet: withLines && lines.length > 0 ? lines : undefined,
    },
  };
}

const addItemReceipt: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'ItemReceiptAdd');
  const vendorId = company.resolveRef('VendorRef', refInput(child(aggregate, 'VendorRef')!), LABEL).record.listId;
  if (childrenNamed(aggregate, 'LinkToTxnID').length > 0) {
    refuse(QB_STATUS.invalidValue('LinkToTxnID', childText(aggregate, 'LinkToTxnID') ?? '', 'The simulator receives purchase orders line by line (ItemLineAdd/LinkToTxn) only.'));
  }
  // Every line is read (and every reference checked) before anything is received.
  const lines = childrenNamed(aggregate, 'ItemLineAdd').map((element) => readLine(company, element, vendorId));
  const refNumber = childText(aggregate, 'RefNumber');
  const receipt: ItemReceiptRecord = {
    ...company.newTxnStamps(company.nextTxnNumber()),
    txnDate: childText(aggregate, 'TxnDate') ?? company.stamps.today(),
    ...(refNumber !== undefined ? { refNumber } : {}),
    vendorId,
    lines,
    totalAmountCents: lines.reduce((sum, l) => sum + l.amountCents, 0),
    fields: storeChildren(company, aggregate, LABEL, { skip: HEADER_FIELDS }),
  };
  itemReceiptsOf(company).push(receipt);
  receive(company, receipt, 1);
  return { rets: [itemReceiptRet(ctx, receipt, true)] };
};

const queryItemReceipts: RequestHandler = (ctx) =>
  answerQuery(
    ctx,
    () => selectTransactions(ctx, itemReceiptsOf(ctx.company), { entityOf: (r) => r.vendorId, entityList: 'vendors' }),
    (id, shape) => {
      const receipt = itemReceiptsOf(ctx.company).find((r) => r.txnId === id);
      return receipt && itemReceiptRet(ctx, receipt, childBoolean(shape, 'IncludeLineItems') ?? false);
    },
  );

/** TxnDel of an item receipt: removed, and what it received given back to its purchase order lines. */
export function deleteItemReceipt(ctx: RequestContext, txnId: string): { txnId: string } {
  const list = itemReceiptsOf(ctx.company);
  const receipt = list.find((r) => r.txnId === txnId);
  if (!receipt) refuse(QB_STATUS.objectNotFound(txnId));
  list.splice(list.indexOf(receipt), 1);
  receive(ctx.company, receipt, -1);
  return receipt;
}

/** Item receipt request handlers, by request element name (TxnDel is txn-del.ts'). */
export const itemReceiptHandlers: Record<string, RequestHandler> = {
  ItemReceiptAddRq: addItemReceipt,
  ItemReceiptQueryRq: queryItemReceipts,
};
