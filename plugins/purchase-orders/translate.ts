/**
 * Autotask purchase order → QuickBooks PurchaseOrderAdd, with the vendor and the ship-to customer in QuickBooks
 * first (waitFor) and the items its lines need created on the way. QuickBooks numbers the purchase order;
 * its number is written back to Autotask (externalPONumber). Each line carries `AT:<PurchaseOrderItems.id>` in
 * Other1, so a later update finds its QuickBooks line again. A purchase order already in QuickBooks that changed
 * is one PurchaseOrderMod listing every line (F8); cancelled, it is closed (IsManuallyClosed). Pure: everything
 * comes from the context.
 */
import {
  compact, decimal, externalGuid, fit, listOf, qbAddress, qbRef, textOf, unmappedProblem,
  type DataProblem, type PlannedRequest, type PurchaseOrder, type QbRef, type TranslateContext, type TranslateResult, type Vendor,
} from '../sdk/index.js';
import { itemCreations, itemRef, lineItem, type LineItem } from './items.js';

/** The readable stamp of a purchase order (header Other1, ≤25) or of a line (line Other1, ≤29). */
export const stamp = (autotaskId: number): string => `AT:${autotaskId}`;

export function purchaseOrderGuid(order: Pick<PurchaseOrder, 'id'>, ctx: Pick<TranslateContext, 'connector'>): string {
  return externalGuid(ctx.connector, 'PURCHASE_ORDER', order.id);
}

/** The vendor's QuickBooks reference: its mapping, else the vendor it was transferred as; undefined until then. */
export function vendorRef(order: PurchaseOrder, ctx: TranslateContext): QbRef | undefined {
  const vendor = ctx.entity<Vendor>('VENDOR', order.vendorId);
  const mapped = vendor ? ctx.mappedTarget?.('VENDOR', String(vendor.autotaskId)) : undefined;
  if (mapped) return mapped;
  const transferred = ctx.transferred('VENDOR', order.vendorId);
  return transferred?.listId ? { listId: transferred.listId, fullName: transferred.fullName ?? '' } : undefined;
}

export function translate(order: PurchaseOrder, ctx: TranslateContext): TranslateResult {
  const inQuickBooks = order.inQuickBooks;
  if (order.status === 'CANCELED') {
    if (!inQuickBooks) return { kind: 'skip', reason: 'The purchase order is cancelled in Autotask: cancelled purchase orders are not transferred.' };
    // POs cannot be voided (TxnVoidType has no PurchaseOrder): closed, header only (F8: no line is touched).
    return { kind: 'requests', requests: [{ type: 'PurchaseOrderModRq', role: 'main', body: { PurchaseOrderMod: { TxnID: inQuickBooks.txnId, EditSequence: inQuickBooks.editSequence ?? '', IsManuallyClosed: true } } }] };
  }
  const problems: DataProblem[] = [];
  const items: LineItem[] = order.lines.map((line, i) => lineItem(line.product, i, ctx));
  for (const item of items) if (item.kind === 'problem') problems.push({ field: item.field, message: item.message });
  const classes = order.lines.map((line, i) => {
    if (!line.lineOfBusinessId) return ctx.connector.noLineOfBusinessClass ?? undefined;
    const ref = ctx.classFor(line.lineOfBusinessId);
    const unmapped = unmappedProblem(ctx.connector, 'LINE_OF_BUSINESS', ref, `lines[${i}].lineOfBusinessId`, `line of business ${line.lineOfBusinessId}`);
    if (unmapped) problems.push(unmapped);
    return ref;
  });
  if (order.lines.length === 0) problems.push({ field: 'lines', message: 'The purchase order has no lines to transfer.' });
  if (problems.length > 0) return { kind: 'invalid', problems };

  const vendor = vendorRef(order, ctx);
  if (!vendor) return { kind: 'waitFor', entityType: 'VENDOR', entityId: order.vendorId, reason: 'The purchase order\'s vendor is not in this company file yet.' };
  const customer = order.purchaseForOrganizationId ? ctx.customerOf(order.purchaseForOrganizationId) : undefined;
  if (order.purchaseForOrganizationId && !customer?.listId && !customer?.fullName) {
    return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: order.purchaseForOrganizationId, reason: 'The organization the goods are for has no QuickBooks customer in this company file yet.' };
  }
  const customerRef = customer && qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' });
  const header = {
    VendorRef: qbRef(vendor),
    ShipToEntityRef: customerRef,
    TxnDate: order.orderDate,
    ShipAddress: qbAddress(order.shipToAddress ?? undefined, order.shipToName ?? undefined),
    ExpectedDate: order.expectedDate,
    Memo: purchaseOrderMemo(order),
    Other1: stamp(order.autotaskId),
  };
  const lines = order.lines.map((line, i) => {
    const item = items[i] as Exclude<LineItem, { kind: 'problem' }>;
    return compact({
      ItemRef: itemRef(item),
      Desc: fit(line.memo?.trim() || line.product.description?.trim() || line.product.name, 4095),
      Quantity: decimal(line.quantity),
      Rate: decimal(line.unitCost),
      ClassRef: classes[i] && qbRef(classes[i]!),
      CustomerRef: customerRef,
      Other1: stamp(line.autotaskId),
    });
  });
  const main: PlannedRequest = inQuickBooks
    ? {
        // F8: every line, the existing ones by their TxnLineID (those left out would be deleted), new ones with -1.
        type: 'PurchaseOrderModRq', role: 'main',
        body: { PurchaseOrderMod: compact({
          TxnID: inQuickBooks.txnId, EditSequence: inQuickBooks.editSequence ?? '', ...header,
          PurchaseOrderLineMod: order.lines.map((line, i) => ({ TxnLineID: inQuickBooks.lineIds[String(line.autotaskId)] ?? NEW_LINE, ...lines[i] })),
        }) },
      }
    : { type: 'PurchaseOrderAddRq', role: 'main', body: { PurchaseOrderAdd: compact({ ...header, ExternalGUID: purchaseOrderGuid(order, ctx), PurchaseOrderLineAdd: lines }) } };
  return { kind: 'requests', requests: [...itemCreations(items, ctx), main] };
}

/** The TxnLineID that adds a line in a Mod. */
export const NEW_LINE = '-1';

/** Our line key (Autotask line id) → TxnLineID, from a PurchaseOrderRet's lines stamped `AT:<id>`. */
export function lineIdsOf(ret: Record<string, unknown>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const line of listOf<Record<string, unknown>>(ret['PurchaseOrderLineRet'] as Record<string, unknown> | Record<string, unknown>[] | undefined)) {
    const other1 = textOf(line, 'Other1');
    const txnLineId = textOf(line, 'TxnLineID');
    if (other1?.startsWith('AT:') && txnLineId) ids[other1.slice(3)] = txnLineId;
  }
  return ids;
}

/** "Autotask PO <number>" and Autotask's memo, within QuickBooks' 4095 characters. */
function purchaseOrderMemo(order: PurchaseOrder): string {
  const number = order.purchaseOrderNumber?.trim() || String(order.autotaskId);
  return fit([`Autotask PO ${number}`, order.memo?.trim()].filter(Boolean).join(': '), 4095);
}
