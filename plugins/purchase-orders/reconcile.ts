/**
 * Exactly once for purchase orders. QuickBooks numbers them and cannot filter by ExternalGUID, so the lookup
 * asks for the vendor's purchase orders of the order date and recognises ours by the ExternalGUID in the
 * returned Rets (the `AT:<id>` stamp in Other1 only for one without a GUID).
 */
import { allRets, isError, sameGuid, textOf, type PlannedRequest, type PurchaseOrder, type Reconciler } from '../sdk/index.js';
import { purchaseOrderGuid, stamp, vendorRef } from './translate.js';

const INCLUDE = ['TxnID', 'EditSequence', 'TxnDate', 'RefNumber', 'Other1', 'ExternalGUID'];

export const reconcile: Reconciler<PurchaseOrder> = {
  query(order, ctx): PlannedRequest {
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
    const guid = purchaseOrderGuid(order, ctx);
    const rets = allRets(response, 'PurchaseOrderRet');
    const match = rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid)) ?? rets.find((r) => !textOf(r, 'ExternalGUID') && textOf(r, 'Other1') === stamp(order.autotaskId));
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};
