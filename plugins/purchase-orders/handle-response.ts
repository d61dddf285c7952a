/**
 * QuickBooks' answer to a purchase order's PurchaseOrderAdd / PurchaseOrderMod, and to the PurchaseOrderQuery
 * that re-reads it after a stale EditSequence (3200: it was edited in QuickBooks since we last saw it): the Mod
 * is built again on what QuickBooks has now and sent once more; a second 3200 fails.
 */
import { allRets, commonHint, failure, isError, textOf, type PurchaseOrder, type QbxmlResponse, type ResponseContext, type ResponseOutcome } from '../sdk/index.js';
import { lineIdsOf, translate } from './translate.js';

const STALE_EDIT_SEQUENCE = 3200;

const HINTS: Readonly<Record<number, string>> = {
  3120: 'The purchase order was deleted in QuickBooks after it was transferred: re-enter it there, or cancel this transfer.',
  3140: 'A QuickBooks record the purchase order refers to (vendor, item, class, customer or account, named in the message) does not exist or is of the wrong type: fix the mapping or the QuickBooks list, then transfer again.',
  3200: 'The purchase order was changed in QuickBooks again while its change was being sent (twice in a row): retry the transfer.',
  3250: 'A QuickBooks feature the purchase order uses is turned off: inventory (for inventory parts) or class tracking, in QuickBooks Preferences.',
};

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<PurchaseOrder>): ResponseOutcome {
  const type = ctx.request.type;
  if (type === 'PurchaseOrderQueryRq') return reRead(response, ctx);
  if (type !== 'PurchaseOrderAddRq' && type !== 'PurchaseOrderModRq') {
    return failure(response, `The purchase-orders plugin does not send ${type}: report this to qbd-bridge's developers.`);
  }
  if (type === 'PurchaseOrderModRq' && response.statusCode === STALE_EDIT_SEQUENCE && ctx.followUps === 0) {
    const txnId = (ctx.request.body['PurchaseOrderMod'] as { TxnID?: string } | undefined)?.TxnID;
    if (txnId) return { kind: 'followUp', requests: [reReadQuery(txnId)], note: 'the purchase order was edited in QuickBooks meanwhile: reading it again' };
  }
  if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above, then transfer the purchase order again.');
  const ret = allRets(response, 'PurchaseOrderRet')[0];
  const txnId = ret && textOf(ret, 'TxnID');
  if (!ret || !txnId) return failure(response, 'QuickBooks answered without the purchase order: look for it in QuickBooks before transferring it again.');
  const refNumber = textOf(ret, 'RefNumber') ?? null;
  const closed = textOf(ret, 'IsManuallyClosed') === 'true';
  const verb = type === 'PurchaseOrderAddRq' ? 'added' : closed ? 'closed' : 'changed';
  return {
    kind: 'succeeded',
    // A close (header-only Mod) answers without lines: the stored TxnLineIDs stay.
    ids: { txnId, refNumber, editSequence: textOf(ret, 'EditSequence') ?? null, ...(ret['PurchaseOrderLineRet'] ? { lineIds: lineIdsOf(ret) } : {}) },
    note: `Purchase order ${refNumber ?? txnId} ${verb}.`,
  };
}

/** The purchase order as QuickBooks has it now, with its lines (their TxnLineIDs and stamps). */
export function reReadQuery(txnId: string) {
  return { type: 'PurchaseOrderQueryRq', role: 'main', body: { TxnID: [txnId], IncludeLineItems: true } } as const;
}

/** The re-read after 3200: the same change, on QuickBooks' current EditSequence and TxnLineIDs, sent once more. */
function reRead(response: QbxmlResponse, ctx: ResponseContext<PurchaseOrder>): ResponseOutcome {
  if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'QuickBooks could not read the purchase order again: retry the transfer.');
  const ret = allRets(response, 'PurchaseOrderRet')[0];
  const txnId = ret && textOf(ret, 'TxnID');
  const order = ctx.entity;
  if (!ret || !txnId || !order || !ctx.lookups) return failure(response, 'The purchase order could not be read again from QuickBooks: retry the transfer.');
  const current = { txnId, editSequence: textOf(ret, 'EditSequence') ?? null, lineIds: { ...(order.inQuickBooks?.lineIds ?? {}), ...lineIdsOf(ret) } };
  const result = translate({ ...order, inQuickBooks: current }, ctx.lookups);
  const mod = result.kind === 'requests' ? result.requests.find((r) => r.role === 'main') : undefined;
  if (!mod) return failure(response, `The purchase order's change could not be built again (${result.kind}): retry the transfer.`);
  return { kind: 'followUp', requests: [mod], note: 'sending the change again on the purchase order as QuickBooks has it now' };
}
