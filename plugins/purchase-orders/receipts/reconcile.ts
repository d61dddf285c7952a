/**
 * Exactly once for item receipts, as for invoices: the lookup asks for the vendor's receipts of the receive
 * date and recognises ours by its ExternalGUID (the Memo stamp only for one without a GUID). A delete whose
 * answer was lost is simply sent again (TxnDel is idempotent here: 3120 "not found" is checked and taken as done).
 */
import { allRets, isError, sameGuid, textOf, type ItemReceipt, type PlannedRequest, type Reconciler } from '../../sdk/index.js';
import { vendorRef } from '../translate.js';
import { receiptGuid, receiptStamp } from './translate.js';

const INCLUDE = ['TxnID', 'EditSequence', 'TxnDate', 'RefNumber', 'Memo', 'ExternalGUID'];

export const reconcile: Reconciler<ItemReceipt> = {
  query(receipt, ctx): PlannedRequest {
    const vendor = vendorRef(receipt.purchaseOrder, ctx);
    return {
      type: 'ItemReceiptQueryRq',
      role: 'main',
      body: {
        TxnDateRangeFilter: { FromTxnDate: receipt.receiveDate, ToTxnDate: receipt.receiveDate },
        ...(vendor ? { EntityFilter: vendor.listId ? { ListID: [vendor.listId] } : { FullName: [vendor.fullName] } } : {}),
        IncludeRetElement: INCLUDE,
      },
    };
  },
  interpret(receipt, response, ctx) {
    if (isError(response)) throw new Error(`cannot tell whether the item receipt exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    const rets = allRets(response, 'ItemReceiptRet');
    const sent = receipt.inQuickBooks;
    // A delete is sent again whatever the lookup shows: deleting one already gone answers 3120, which
    // handleResponse checks and takes as done.
    if (receipt.isCancelled && sent) return { absent: true };
    const guid = receiptGuid(receipt, ctx);
    const match = rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid))
      ?? rets.find((r) => !textOf(r, 'ExternalGUID') && textOf(r, 'Memo')?.startsWith(`${receiptStamp(receipt.autotaskId)} `));
    const txnId = match && textOf(match, 'TxnID');
    return txnId ? { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } } : { absent: true };
  },
};
