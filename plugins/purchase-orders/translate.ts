/**
 * Autotask purchase order → QuickBooks PurchaseOrderAdd, with the vendor and the ship-to customer in QuickBooks
 * first (waitFor) and the items its lines need created on the way. QuickBooks numbers the purchase order;
 * its number is written back to Autotask (externalPONumber). Each line carries `AT:<PurchaseOrderItems.id>` in
 * Other1, so a later update finds its QuickBooks line again. Pure: everything comes from the context.
 */
import {
  compact, decimal, externalGuid, fit, qbAddress, qbRef, unmappedProblem,
  type DataProblem, type PurchaseOrder, type QbRef, type TranslateContext, type TranslateResult, type Vendor,
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
  if (order.status === 'CANCELED') return { kind: 'skip', reason: 'The purchase order is cancelled in Autotask: cancelled purchase orders are not transferred.' };
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
  const body = {
    PurchaseOrderAdd: compact({
      VendorRef: qbRef(vendor),
      ShipToEntityRef: customerRef,
      TxnDate: order.orderDate,
      ShipAddress: qbAddress(order.shipToAddress ?? undefined, order.shipToName ?? undefined),
      ExpectedDate: order.expectedDate,
      Memo: purchaseOrderMemo(order),
      Other1: stamp(order.autotaskId),
      ExternalGUID: purchaseOrderGuid(order, ctx),
      PurchaseOrderLineAdd: order.lines.map((line, i) => {
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
      }),
    }),
  };
  return { kind: 'requests', requests: [...itemCreations(items, ctx), { type: 'PurchaseOrderAddRq', role: 'main', body }] };
}

/** "Autotask PO <number>" and Autotask's memo, within QuickBooks' 4095 characters. */
function purchaseOrderMemo(order: PurchaseOrder): string {
  const number = order.purchaseOrderNumber?.trim() || String(order.autotaskId);
  return fit([`Autotask PO ${number}`, order.memo?.trim()].filter(Boolean).join(': '), 4095);
}
