/**
 * Exactly once for inventory adjustments: QuickBooks cannot filter by ExternalGUID, so the lookup asks for the
 * adjustments of the run's date and recognises ours by the ExternalGUID it carried. (Sending it again would be
 * harmless — NewQuantity sets, it does not add — but would leave a second, empty adjustment in the register.)
 */
import { allRets, isError, sameGuid, textOf, type InventoryAdjustment, type PlannedRequest, type Reconciler } from '../sdk/index.js';
import { adjustmentDate, adjustmentGuid } from './translate.js';

export const reconcile: Reconciler<InventoryAdjustment> = {
  query(adjustment): PlannedRequest {
    const date = adjustmentDate(adjustment);
    return {
      type: 'InventoryAdjustmentQueryRq',
      role: 'main',
      body: { TxnDateRangeFilter: { FromTxnDate: date, ToTxnDate: date }, IncludeRetElement: ['TxnID', 'EditSequence', 'RefNumber', 'ExternalGUID'] },
    };
  },
  interpret(adjustment, response, ctx) {
    if (isError(response)) throw new Error(`cannot tell whether the inventory adjustment exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    const guid = adjustmentGuid(adjustment, ctx);
    const match = allRets(response, 'InventoryAdjustmentRet').find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid));
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};
