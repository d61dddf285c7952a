/**
 * Exactly once for purchase orders. An Add whose answer was lost: QuickBooks numbers purchase orders and cannot
 * filter by ExternalGUID, so the lookup asks for the vendor's purchase orders of the order date and recognises
 * ours by the ExternalGUID in the returned Rets (the `AT:<id>` stamp in Other1 only for one without a GUID).
 * A Mod whose answer was lost: the purchase order is read by TxnID with its lines and compared with what was
 * sent (closed; or every line there, by its stamp, with its quantity and rate) — applied → found, else sent again.
 */
import { allRets, isError, sameGuid, textOf, listOf, type PlannedRequest, type PurchaseOrder, type Reconciler } from '../sdk/index.js';
import { reReadQuery } from './handle-response.js';
import { lineIdsOf, purchaseOrderGuid, stamp, vendorRef } from './translate.js';

const INCLUDE = ['TxnID', 'EditSequence', 'TxnDate', 'RefNumber', 'Other1', 'ExternalGUID'];

export const reconcile: Reconciler<PurchaseOrder> = {
  query(order, ctx): PlannedRequest {
    if (order.inQuickBooks) return reReadQuery(order.inQuickBooks.txnId);
    const vendor = vendorRef(order, ctx);
    return {
      type: 'PurchaseOrderQueryRq',
      role: 'main',
      body: {
        TxnDateRangeFilter: { FromTxnDate: order.orderDate, ToTxnDate: order.orderDate },
        ...(vendor ? { EntityFilter: vendor.listId ? { ListID: [vendor.listId] } : { FullName: [vendor.fullName] } } : {}),
        IncludeRetElement: INCLUDE,
      },
    };
  },
  interpret(order, response, ctx) {
    if (isError(response)) throw new Error(`cannot tell whether the purchase order exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    const rets = allRets(response, 'PurchaseOrderRet');
    const sent = order.inQuickBooks;
    if (sent) {
      const ret = rets.find((r) => textOf(r, 'TxnID') === sent.txnId);
      if (!ret || !modApplied(order, ret)) return { absent: true };
      return { found: { txnId: sent.txnId, refNumber: textOf(ret, 'RefNumber') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null, lineIds: lineIdsOf(ret) } };
    }
    const guid = purchaseOrderGuid(order, ctx);
    const match = rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid)) ?? rets.find((r) => !textOf(r, 'ExternalGUID') && textOf(r, 'Other1') === stamp(order.autotaskId));
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};

/** Whether QuickBooks' purchase order shows the change: closed when cancelled; else exactly our lines, as we have them. */
function modApplied(order: PurchaseOrder, ret: Record<string, unknown>): boolean {
  if (order.status === 'CANCELED') return textOf(ret, 'IsManuallyClosed') === 'true';
  const lines = listOf<Record<string, unknown>>(ret['PurchaseOrderLineRet'] as Record<string, unknown> | Record<string, unknown>[] | undefined);
  const byStamp = new Map<string | undefined, Record<string, unknown>>(lines.map((l) => [textOf(l, 'Other1'), l]));
  const same = (a: string | undefined, b: string) => a !== undefined && Number(a) === Number(b);
  return lines.filter((l) => textOf(l, 'Other1')?.startsWith('AT:')).length === order.lines.length
    && order.lines.every((line) => {
      const qb = byStamp.get(stamp(line.autotaskId));
      return qb !== undefined && same(textOf(qb, 'Quantity'), line.quantity) && same(textOf(qb, 'Rate'), line.unitCost);
    });
}
