/**
 * What a purchasing push means for the ledger, decided in the push's transaction (Autotask's "QuickBooks Needs
 * Resync" is not in its API: F2, so the ledger holds it):
 *   a purchase order in QuickBooks (SUCCEEDED) that changed     → requeueChanged: needsResync until its Mod succeeds
 *   one that changed while on its way there (SENT, reconciling)  → resyncAfterSend: queued again once it lands
 *   a new receipt of a purchase order queued for a connector    → ITEM_RECEIPT queued for that connector
 *   a receipt cancelled after it reached QuickBooks             → requeueChanged (its item receipt is deleted)
 *   a receipt cancelled before it was sent                      → its transfer is cancelled
 * Nothing is queued for a purchase order that was never queued: people decide what goes (queueTransfers).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../audit/actor.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { cancel, enqueueAll, requeueChanged, resyncAfterSend } from '../transfer/transfer-ledger.js';
import { CANCELLABLE_STATES, TransferEntityType, TransferState } from '../transfer/transfer-state.js';
import type { PurchaseOrder, PurchaseOrderReceipt } from './purchase-order.entity.js';

const inQuickBooks = (item: TransferItem) => item.state === TransferState.SUCCEEDED && !!item.qbTxnId;

export async function queueTransferChanges(
  em: EntityManager, changedOrders: readonly PurchaseOrder[], receipts: readonly PurchaseOrderReceipt[], actor: Actor,
): Promise<void> {
  if (changedOrders.length) {
    const items = await em.find(TransferItem, { entityType: TransferEntityType.PURCHASE_ORDER, entityId: { $in: changedOrders.map((o) => o.id) } });
    for (const item of items) {
      if (inQuickBooks(item)) requeueChanged(item, actor, 'changed in Autotask after the transfer');
      else resyncAfterSend(item);
    }
  }
  if (receipts.length === 0) return;
  const orderIds = [...new Set(receipts.map((r) => r.line.purchaseOrder.id))];
  const orderItems = (await em.find(TransferItem, { entityType: TransferEntityType.PURCHASE_ORDER, entityId: { $in: orderIds } }, { populate: ['connector'] }))
    .filter((i) => i.state !== TransferState.CANCELLED);
  const receiptItems = await em.find(TransferItem, { entityType: TransferEntityType.ITEM_RECEIPT, entityId: { $in: receipts.map((r) => r.id) } });
  const toQueue = [];
  for (const receipt of receipts) {
    const mine = receiptItems.filter((i) => i.entityId === receipt.id);
    if (receipt.isCancelled) {
      for (const item of mine) {
        if (inQuickBooks(item)) requeueChanged(item, actor, 'cancelled in Autotask after the transfer: deleting its item receipt');
        else if (!item.qbTxnId && CANCELLABLE_STATES.has(item.state)) cancel(item, actor);
      }
      continue;
    }
    for (const orderItem of orderItems.filter((i) => i.entityId === receipt.line.purchaseOrder.id)) {
      if (!mine.some((i) => i.connector.id === orderItem.connector.id)) toQueue.push({ connector: orderItem.connector, entityType: TransferEntityType.ITEM_RECEIPT, entityId: receipt.id, actor });
    }
  }
  await enqueueAll(em, toQueue);
}
