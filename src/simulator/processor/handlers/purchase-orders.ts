/**
 * PurchaseOrderAdd / PurchaseOrderMod / PurchaseOrderQuery. QuickBooks numbers purchase orders (the next
 * numeric RefNumber of purchase orders), computes line amounts (Quantity × Rate) and the total, and keeps
 * how much item receipts received per line. A Mod that lists any line replaces the line list: lines it does
 * not mention are deleted, TxnLineID -1 adds one (Intuit's "modify requests" rule, parity-transfers.md F8).
 */
import { formatCents, multiplyToCents, normalizeDecimal, parseCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { PurchaseLineRecord, PurchaseOrderRecord } from '../../company/types.js';
import type { SimulatedCompanyFile } from '../../company/company-file.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { mergeStored, refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed, type XmlElement } from '../../../qbxml/xml-tree.js';
import { boolText, requestAggregate } from './shared.js';

const HEADER_FIELDS = new Set(['TxnID', 'EditSequence', 'VendorRef', 'ClassRef', 'ShipToEntityRef', 'TxnDate', 'RefNumber', 'IsManuallyClosed', 'PurchaseOrderLineAdd', 'PurchaseOrderLineMod', 'PurchaseOrderLineGroupAdd', 'PurchaseOrderLineGroupMod']);
const LINE_FIELDS = new Set(['TxnLineID', 'ItemRef', 'Desc', 'Quantity', 'Rate', 'ClassRef', 'Amount', 'CustomerRef', 'IsManuallyClosed']);

/** The company file's purchase orders (a file written before they were modelled has none). */
export function purchaseOrdersOf(company: SimulatedCompanyFile): PurchaseOrderRecord[] {
  return (company.data.purchaseOrders ??= []);
}

export function findPurchaseOrder(company: SimulatedCompanyFile, txnId: string): PurchaseOrderRecord | undefined {
  return purchaseOrdersOf(company).find((p) => p.txnId === txnId);
}

const resolve = (company: SimulatedCompanyFile, element: XmlElement | undefined, name: string, context: string) =>
  element ? company.resolveRef(name, refInput(element), context).record.listId : undefined;

/** One `PurchaseOrderLineAdd` / `…LineMod` (a Mod line starts from the existing one). */
function readLine(company: SimulatedCompanyFile, element: XmlElement, existing: PurchaseLineRecord | undefined): PurchaseLineRecord {
  const context = 'Purchase Order line';
  const line: PurchaseLineRecord = existing
    ? { ...existing, fields: { ...existing.fields } }
    : { txnLineId: company.stamps.newId(), amountCents: 0, receivedQuantity: '0', isManuallyClosed: false, fields: {} };
  const itemId = resolve(company, child(element, 'ItemRef'), 'ItemRef', context);
  if (itemId) line.itemId = itemId;
  const desc = childText(element, 'Desc');
  if (desc !== undefined) line.desc = desc;
  const quantity = childText(element, 'Quantity');
  if (quantity !== undefined) line.quantity = normalizeDecimal(quantity);
  const rate = childText(element, 'Rate');
  if (rate !== undefined) line.rate = normalizeDecimal(rate);
  const classId = resolve(company, child(element, 'ClassRef'), 'ClassRef', context);
  if (classId) line.classId = classId;
  const customerId = resolve(company, child(element, 'CustomerRef'), 'CustomerRef', context);
  if (customerId) line.customerId = customerId;
  const closed = childBoolean(element, 'IsManuallyClosed');
  if (closed !== undefined) line.isManuallyClosed = closed;
  mergeStored(line.fields, storeChildren(company, element, context, { skip: LINE_FIELDS }));
  const amount = childText(element, 'Amount');
  line.amountCents = amount !== undefined ? parseCents(amount) : line.rate !== undefined ? multiplyToCents(line.quantity ?? '1', line.rate) : line.amountCents;
  return line;
}

function applyHeader(company: SimulatedCompanyFile, aggregate: XmlElement, order: PurchaseOrderRecord): void {
  const vendorId = resolve(company, child(aggregate, 'VendorRef'), 'VendorRef', 'Purchase Order');
  if (vendorId) order.vendorId = vendorId;
  const classId = resolve(company, child(aggregate, 'ClassRef'), 'ClassRef', 'Purchase Order');
  if (classId) order.classId = classId;
  const shipTo = resolve(company, child(aggregate, 'ShipToEntityRef'), 'ShipToEntityRef', 'Purchase Order');
  if (shipTo) order.shipToEntityId = shipTo;
  const txnDate = childText(aggregate, 'TxnDate');
  if (txnDate !== undefined) order.txnDate = txnDate;
  const refNumber = childText(aggregate, 'RefNumber');
  if (refNumber !== undefined) order.refNumber = refNumber;
  const closed = childBoolean(aggregate, 'IsManuallyClosed');
  if (closed !== undefined) order.isManuallyClosed = closed;
}

const total = (order: PurchaseOrderRecord) => order.lines.reduce((sum, l) => sum + l.amountCents, 0);

function nextRefNumber(company: SimulatedCompanyFile): string {
  const numbers = purchaseOrdersOf(company).flatMap((p) => (p.refNumber && /^\d+$/.test(p.refNumber) ? [BigInt(p.refNumber)] : []));
  return String(numbers.reduce((a, b) => (b > a ? b : a), 0n) + 1n);
}

const isFullyReceived = (line: PurchaseLineRecord) =>
  line.quantity !== undefined && Number(line.receivedQuantity) >= Number(line.quantity);

export function purchaseOrderRet(ctx: RequestContext, order: PurchaseOrderRecord, withLines: boolean): RetElement {
  const { company, model } = ctx;
  const lineDecl = model.element('PurchaseOrderLineRet')!;
  const lines: RetAggregate[] = order.lines.map((line) => ({
    ...storedToRet(company, lineDecl, line.fields),
    TxnLineID: line.txnLineId,
    ItemRef: refRet(company, line.itemId),
    Desc: line.desc,
    Quantity: line.quantity,
    Rate: line.rate,
    ClassRef: refRet(company, line.classId),
    Amount: formatCents(line.amountCents),
    CustomerRef: refRet(company, line.customerId),
    ReceivedQuantity: line.receivedQuantity,
    IsManuallyClosed: boolText(line.isManuallyClosed),
  }));
  return {
    name: 'PurchaseOrderRet',
    value: {
      ...storedToRet(company, model.element('PurchaseOrderRet')!, order.fields),
      TxnID: order.txnId,
      TimeCreated: order.timeCreated,
      TimeModified: order.timeModified,
      EditSequence: order.editSequence,
      TxnNumber: String(order.txnNumber),
      VendorRef: refRet(company, order.vendorId),
      ClassRef: refRet(company, order.classId),
      ShipToEntityRef: refRet(company, order.shipToEntityId),
      TxnDate: order.txnDate,
      RefNumber: order.refNumber,
      TotalAmount: formatCents(order.totalAmountCents),
      IsManuallyClosed: boolText(order.isManuallyClosed),
      IsFullyReceived: boolText(order.lines.length > 0 && order.lines.every(isFullyReceived)),
      PurchaseOrderLineRet: withLines && lines.length > 0 ? lines : undefined,
    },
  };
}

const addPurchaseOrder: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'PurchaseOrderAdd');
  const order: PurchaseOrderRecord = {
    ...company.newTxnStamps(0),
    txnDate: company.stamps.today(),
    vendorId: '',
    isManuallyClosed: false,
    lines: [],
    totalAmountCents: 0,
    fields: storeChildren(company, aggregate, 'Purchase Order', { skip: HEADER_FIELDS }),
  };
  applyHeader(company, aggregate, order);
  // The schema lets VendorRef out; QuickBooks' purchase order form does not [G: no capture].
  if (!order.vendorId) refuse(QB_STATUS.invalidReference('Vendor', '', 'Purchase Order'));
  order.lines = childrenNamed(aggregate, 'PurchaseOrderLineAdd').map((element) => readLine(company, element, undefined));
  order.totalAmountCents = total(order);
  order.refNumber ??= nextRefNumber(company);
  order.txnNumber = company.nextTxnNumber();
  purchaseOrdersOf(company).push(order);
  return { rets: [purchaseOrderRet(ctx, order, true)] };
};

const modPurchaseOrder: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'PurchaseOrderMod');
  const txnId = childText(aggregate, 'TxnID') ?? '';
  const current = findPurchaseOrder(company, txnId);
  if (!current) refuse(QB_STATUS.objectNotFound(txnId));
  company.assertCurrent(current, childText(aggregate, 'EditSequence') ?? '');
  // On a copy, so a refused reference leaves the purchase order untouched.
  const order: PurchaseOrderRecord = structuredClone(current);
  applyHeader(company, aggregate, order);
  mergeStored(order.fields, storeChildren(company, aggregate, 'Purchase Order', { skip: HEADER_FIELDS, fromMod: true }));
  const lineMods = childrenNamed(aggregate, 'PurchaseOrderLineMod');
  if (lineMods.length > 0) {
    order.lines = lineMods.map((element) => {
      const lineId = childText(element, 'TxnLineID') ?? '-1';
      const existing = lineId === '-1' ? undefined : order.lines.find((l) => l.txnLineId === lineId);
      if (lineId !== '-1' && !existing) refuse(QB_STATUS.objectNotFound(lineId));
      return readLine(company, element, existing);
    });
  }
  order.totalAmountCents = total(order);
  Object.assign(current, order);
  company.touch(current);
  return { rets: [purchaseOrderRet(ctx, current, true)] };
};

const queryPurchaseOrders: RequestHandler = (ctx) =>
  answerQuery(
    ctx,
    () => selectTransactions(ctx, purchaseOrdersOf(ctx.company), { entityOf: (p) => p.vendorId, entityList: 'vendors' }),
    (id, shape) => {
      const order = findPurchaseOrder(ctx.company, id);
      return order && purchaseOrderRet(ctx, order, childBoolean(shape, 'IncludeLineItems') ?? false);
    },
  );

/** Purchase order request handlers, by request element name. */
export const purchaseOrderHandlers: Record<string, RequestHandler> = {
  PurchaseOrderAddRq: addPurchaseOrder,
  PurchaseOrderModRq: modPurchaseOrder,
  PurchaseOrderQueryRq: queryPurchaseOrders,
};
