/**
 * Built-in plugin: Autotask purchase orders → QuickBooks purchase orders (PurchaseOrderAdd), their vendor
 * (VENDOR transfer) and ship-to customer first, items created as the mapping policy allows; changes after the
 * transfer as one PurchaseOrderMod (a stale EditSequence re-read and retried once: handle-response.ts). See
 * translate.ts, items.ts; exactly once through the ExternalGUID, or for a Mod by comparing (reconcile.ts).
 */
import { definePlugin, type PurchaseOrder } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { ITEM_ADD_REQUESTS } from './items.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<PurchaseOrder>({
  id: 'purchase-orders',
  version: '1.1.0',
  apiVersion: 1,
  handles: { entity: 'PURCHASE_ORDER' },
  emits: ['PurchaseOrderAddRq', 'PurchaseOrderModRq', 'PurchaseOrderQueryRq', ...ITEM_ADD_REQUESTS],
  translate,
  handleResponse,
  reconcile,
});
