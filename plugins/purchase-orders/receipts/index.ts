/**
 * Built-in plugin: Autotask receiving rows (PurchaseOrderItemReceiving) → QuickBooks item receipts linked to the
 * transferred purchase order's line (translate.ts); a receipt cancelled in Autotask → TxnDel of its receipt.
 * Exactly once through the ExternalGUID (reconcile.ts). It lives with the purchase-orders plugin: it shares
 * its vendor and item rules.
 */
import { allRets, commonHint, definePlugin, failure, isError, textOf, type ItemReceipt } from '../../sdk/index.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

const OBJECT_NOT_FOUND = 3120;

const HINTS: Readonly<Record<number, string>> = {
  3140: 'A QuickBooks record the receipt refers to (the vendor, the item, or the purchase order line it receives, named in the message) does not exist: check the purchase order in QuickBooks (resend it from Autotask if its lines changed), then retry.',
  3210: 'QuickBooks refused a value of the receipt (for example more received than the purchase order line leaves open): fix the receipt in Autotask, then retry.',
  3250: 'Inventory is turned off in this company file: turn it on in QuickBooks Preferences (Items & Inventory), then retry.',
};

export default definePlugin<ItemReceipt>({
  id: 'item-receipts',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'ITEM_RECEIPT' },
  emits: ['ItemReceiptAddRq', 'ItemReceiptQueryRq', 'TxnDelRq'],
  translate,
  handleResponse(response, ctx) {
    const number = ctx.entity ? `Autotask receipt ${ctx.entity.autotaskId}` : 'The receipt';
    const deleted = { kind: 'succeeded', ids: { txnId: '', editSequence: '' }, note: `${number} was cancelled: its QuickBooks item receipt is deleted.` } as const;
    if (ctx.request.type === 'TxnDelRq') {
      // Not found (3120): already deleted — by us, if an earlier delete's answer was lost — or never there; one
      // look at the vendor's receipts of the day tells which, and "gone" is what was wanted.
      if (response.statusCode === OBJECT_NOT_FOUND && ctx.followUps === 0 && ctx.entity && ctx.lookups) {
        return { kind: 'followUp', requests: [reconcile.query(ctx.entity, ctx.lookups)], note: 'QuickBooks no longer has the item receipt: checking it is gone' };
      }
      if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports, then retry.');
      return deleted;
    }
    if (ctx.request.type === 'ItemReceiptQueryRq') {
      if (isError(response)) return failure(response, commonHint(response.statusCode) ?? 'QuickBooks could not list the receipts: retry.');
      const txnId = ctx.entity?.inQuickBooks?.txnId;
      if (txnId && allRets(response, 'ItemReceiptRet').some((r) => textOf(r, 'TxnID') === txnId)) {
        return { kind: 'failed', statusCode: String(OBJECT_NOT_FOUND), message: `QuickBooks would not delete item receipt ${txnId} although it lists it.`, hint: 'Delete the item receipt in QuickBooks by hand, then cancel this transfer.' };
      }
      return deleted;
    }
    if (ctx.request.type !== 'ItemReceiptAddRq') return failure(response, `The item-receipts plugin does not send ${ctx.request.type}: report this to qbd-bridge's developers.`);
    if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above, then retry the receipt.');
    const ret = allRets(response, 'ItemReceiptRet')[0];
    const txnId = ret && textOf(ret, 'TxnID');
    if (!ret || !txnId) return failure(response, 'QuickBooks answered without the item receipt: look for it in QuickBooks before retrying.');
    return { kind: 'succeeded', ids: { txnId, refNumber: textOf(ret, 'RefNumber') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null }, note: `${number} added as an item receipt linked to its purchase order.` };
  },
  reconcile,
});
