/**
 * Built-in plugin: one product of an inventory sync run → QuickBooks' on-hand quantity set to Autotask's total
 * over all locations (InventoryAdjustmentAdd, QuantityAdjustment/NewQuantity; the default connector's file
 * only). See translate.ts; exactly once through the ExternalGUID (reconcile.ts).
 *
 * QuickBooks adjusts inventory only when the company file is open in single-user mode (parity-transfers.md F3):
 * in multi-user mode it refuses with 3180, and the item fails with a hint that says so; nothing else waits for it.
 */
import { allRets, commonHint, definePlugin, failure, isError, textOf, type InventoryAdjustment } from '../sdk/index.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

/** The hint for QuickBooks' refusal of an adjustment outside single-user mode. */
export const SINGLE_USER_HINT =
  'QuickBooks adjusts inventory only when the company file is open in single-user mode (and the Adjust Quantity/Value on Hand window is closed): ' +
  'switch the file to single-user mode (File > Switch to Single-user Mode) before the Web Connector runs, then retry this transfer or set the inventory sync again.';

const HINTS: Readonly<Record<number, string>> = {
  3140: 'The QuickBooks item or account the adjustment names does not exist or is of the wrong type: map the product to a QuickBooks inventory part (mapping PRODUCT), or set the connector\'s inventory adjustment account to an existing account, then retry.',
  3180: SINGLE_USER_HINT,
  3250: 'Inventory is turned off in this company file: turn on inventory (Edit > Preferences > Items & Inventory) and retry.',
};

export default definePlugin<InventoryAdjustment>({
  id: 'inventory-adjustments',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'INVENTORY_ADJUSTMENT' },
  emits: ['InventoryAdjustmentAddRq', 'InventoryAdjustmentQueryRq'],
  translate,
  handleResponse(response, ctx) {
    if (ctx.request.type !== 'InventoryAdjustmentAddRq') return failure(response, `The inventory-adjustments plugin does not send ${ctx.request.type}: report this to qbd-bridge's developers.`);
    if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above, then retry the adjustment.');
    const ret = allRets(response, 'InventoryAdjustmentRet')[0];
    const txnId = ret && textOf(ret, 'TxnID');
    if (!ret || !txnId) return failure(response, 'QuickBooks answered without the inventory adjustment: look for it in QuickBooks before retrying.');
    const difference = textOf(ret, 'InventoryAdjustmentLineRet.QuantityDifference');
    const note = ctx.entity ? `On hand of "${ctx.entity.product.name}" set to ${ctx.entity.quantity}${difference !== undefined ? ` (QuickBooks moved it by ${difference})` : ''}.` : 'Inventory adjusted.';
    return { kind: 'succeeded', ids: { txnId, refNumber: textOf(ret, 'RefNumber') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null }, note };
  },
  reconcile,
});
