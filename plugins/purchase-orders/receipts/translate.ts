/**
 * One Autotask receiving row (goods received against one purchase order line) → one QuickBooks item receipt
 * from the purchase order's vendor whose line is linked to the purchase order's line (LinkToTxn with TxnID and
 * TxnLineID: F7, linking is only possible when the receipt is added, and a line link receives that line
 * partially). One receipt per row, as Autotask's own extension made one per line, so cancelling a row in
 * Autotask deletes exactly its receipt (TxnDel: receipts are corrected by deleting and re-adding, never by Mod).
 * Pure: everything comes from the context.
 */
import { compact, decimal, externalGuid, fit, qbRef, type ItemReceipt, type PlannedRequest, type TranslateContext, type TranslateResult } from '../../sdk/index.js';
import { itemRef, lineItem } from '../items.js';
import { vendorRef } from '../translate.js';

/** The readable stamp of a receipt in its Memo (for one whose ExternalGUID was lost). */
export const receiptStamp = (autotaskId: number): string => `AT receipt ${autotaskId}`;

export function receiptGuid(receipt: Pick<ItemReceipt, 'id'>, ctx: Pick<TranslateContext, 'connector'>): string {
  return externalGuid(ctx.connector, 'ITEM_RECEIPT', receipt.id);
}

export function translate(receipt: ItemReceipt, ctx: TranslateContext): TranslateResult {
  if (receipt.isCancelled) {
    if (!receipt.inQuickBooks) return { kind: 'skip', reason: 'The receipt was cancelled in Autotask before it reached QuickBooks: nothing to send.' };
    return { kind: 'requests', requests: [deleteRequest(receipt.inQuickBooks.txnId)] };
  }
  const order = receipt.purchaseOrder;
  const line = order.lines.find((l) => l.autotaskId === receipt.lineAutotaskId);
  if (!line) return { kind: 'invalid', problems: [{ field: 'lineAutotaskId', message: `The purchase order line ${receipt.lineAutotaskId} it receives is no longer on purchase order ${order.purchaseOrderNumber ?? order.autotaskId}.` }] };
  const txnLineId = order.inQuickBooks?.lineIds[String(line.autotaskId)];
  if (!order.inQuickBooks || !txnLineId) {
    // A purchase order already in QuickBooks without that line must be resent first (its change is queued with it).
    if (order.inQuickBooks && ctx.transferred('PURCHASE_ORDER', order.id)) {
      return { kind: 'invalid', problems: [{ field: 'lineAutotaskId', message: `The line ${line.autotaskId} it receives is not on the QuickBooks purchase order yet.` }], hint: 'Push the purchase order again (its change is then sent first), then retry this receipt.' };
    }
    return { kind: 'waitFor', entityType: 'PURCHASE_ORDER', entityId: order.id, reason: 'The purchase order (with the line received) is not in this company file yet.' };
  }
  const vendor = vendorRef(order, ctx);
  if (!vendor) return { kind: 'waitFor', entityType: 'VENDOR', entityId: order.vendorId, reason: 'The purchase order\'s vendor is not in this company file yet.' };
  const item = lineItem(line.product, 0, ctx);
  if (item.kind === 'problem') return { kind: 'invalid', problems: [{ field: 'product', message: item.message }] };
  const number = order.purchaseOrderNumber?.trim() || String(order.autotaskId);
  const body = {
    ItemReceiptAdd: compact({
      VendorRef: qbRef(vendor),
      TxnDate: receipt.receiveDate,
      RefNumber: receipt.vendorInvoiceNumber ? fit(receipt.vendorInvoiceNumber, 20) : undefined,
      Memo: fit(`${receiptStamp(receipt.autotaskId)} of Autotask PO ${number}${receipt.vendorInvoiceNumber ? `, vendor invoice ${receipt.vendorInvoiceNumber}` : ''}`, 4095),
      ExternalGUID: receiptGuid(receipt, ctx),
      ItemLineAdd: [compact({
        ItemRef: itemRef(item),
        Quantity: decimal(receipt.quantity),
        Cost: decimal(line.unitCost),
        LinkToTxn: { TxnID: order.inQuickBooks.txnId, TxnLineID: txnLineId },
      })],
    }),
  };
  return { kind: 'requests', requests: [{ type: 'ItemReceiptAddRq', role: 'main', body }] };
}

export function deleteRequest(txnId: string): PlannedRequest {
  return { type: 'TxnDelRq', role: 'main', body: { TxnDelType: 'ItemReceipt', TxnID: txnId } };
}
