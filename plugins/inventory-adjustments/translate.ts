/**
 * One product of an inventory sync run → InventoryAdjustmentAdd with one QuantityAdjustment/NewQuantity line:
 * QuickBooks' on-hand becomes Autotask's total and QuickBooks computes (and stores) the difference. NewQuantity,
 * not a difference, because it is idempotent: sending it twice leaves the same on-hand, so a lost answer
 * cannot double-count. Pure: everything comes from the context.
 */
import {
  compact, externalGuid, fit, productItem, qbRef,
  type DataProblem, type InventoryAdjustment, type TranslateContext, type TranslateResult,
} from '../sdk/index.js';

export function adjustmentGuid(adjustment: Pick<InventoryAdjustment, 'id'>, ctx: Pick<TranslateContext, 'connector'>): string {
  return externalGuid(ctx.connector, 'INVENTORY_ADJUSTMENT', adjustment.id);
}

/** The adjustment's date: the day its run started (UTC). */
export const adjustmentDate = (adjustment: Pick<InventoryAdjustment, 'runAt'>): string => adjustment.runAt.slice(0, 10);

export function translate(adjustment: InventoryAdjustment, ctx: TranslateContext): TranslateResult {
  const { product } = adjustment;
  if (!product.isInventory) return { kind: 'skip', reason: `The product "${product.name}" is not stocked in Autotask inventory: QuickBooks keeps no on-hand for it.` };
  const problems: DataProblem[] = [];
  const account = ctx.connector.inventoryAdjustmentAccount;
  if (!account) problems.push({ field: 'connector.inventoryAdjustmentAccount', message: 'Set the connector\'s inventory adjustment account (Autotask tells users to create a COGS account "Inventory Adjustment").' });
  const item = productItem(product, ctx);
  if (!item.ok) problems.push({ field: 'product.name', message: item.message });
  if (adjustment.quantity < 0) problems.push({ field: 'quantity', message: `Autotask's on-hand total is ${adjustment.quantity}: QuickBooks cannot hold a negative quantity on hand.` });
  if (problems.length > 0 || !account || !item.ok) return { kind: 'invalid', problems };
  const body = {
    InventoryAdjustmentAdd: compact({
      AccountRef: qbRef(account),
      TxnDate: adjustmentDate(adjustment),
      Memo: fit(`Autotask inventory sync: on hand over all locations ${adjustment.quantity} (product ${product.autotaskId}, ${product.name})`, 4095),
      ExternalGUID: adjustmentGuid(adjustment, ctx),
      InventoryAdjustmentLineAdd: [{ ItemRef: qbRef(item.ref), QuantityAdjustment: { NewQuantity: String(adjustment.quantity) } }],
    }),
  };
  return { kind: 'requests', requests: [{ type: 'InventoryAdjustmentAddRq', role: 'main', body }] };
}
