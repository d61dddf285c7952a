/**
 * Built-in plugin: Autotask purchase orders → QuickBooks purchase orders (PurchaseOrderAdd), their vendor
 * (VENDOR transfer) and ship-to customer first, items created as the mapping policy allows. See translate.ts,
 * items.ts; exactly once through the ExternalGUID (reconcile.ts).
 */
import { allRets, commonHint, definePlugin, failure, isError, textOf, type PurchaseOrder } from '../sdk/index.js';
import { ITEM_ADD_REQUESTS } from './items.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

const HINTS: Readonly<Record<number, string>> = {
  3140: 'A QuickBooks record the purchase order refers to (vendor, item, class, customer or account, named in the message) does not exist or is of the wrong type: fix the mapping or the QuickBooks list, then transfer again.',
  3250: 'A QuickBooks feature the purchase order uses is turned off: inventory (for inventory parts) or class tracking, in QuickBooks Preferences.',
};

export default definePlugin<PurchaseOrder>({
  id: 'purchase-orders',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'PURCHASE_ORDER' },
  emits: ['PurchaseOrderAddRq', 'PurchaseOrderQueryRq', ...ITEM_ADD_REQUESTS],
  translate,
  handleResponse(response, ctx) {
    if (ctx.request.type !== 'PurchaseOrderAddRq') return failure(response, `The purchase-orders plugin does not send ${ctx.request.type}: report this to qbd-bridge's developers.`);
    if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above, then transfer the purchase order again.');
    const ret = allRets(response, 'PurchaseOrderRet')[0];
    const txnId = ret && textOf(ret, 'TxnID');
    if (!ret || !txnId) return failure(response, 'QuickBooks answered without the purchase order: look for it in QuickBooks before transferring it again.');
    const refNumber = textOf(ret, 'RefNumber') ?? null;
    return { kind: 'succeeded', ids: { txnId, refNumber, editSequence: textOf(ret, 'EditSequence') ?? null }, note: `Purchase order ${refNumber ?? txnId} added.` };
  },
  reconcile,
});
