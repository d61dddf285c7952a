/**
 * Exactly once for bills and vendor credits: an Add whose answer was lost is looked for by its RefNumber (the
 * Autotask report id) and recognised by its ExternalGUID (people may reuse a RefNumber by hand; they do not
 * see the GUID). The resource's vendor is a transfer of its own (plugins/resource-vendors), reconciled by its GUID.
 */
import { allRets, isError, sameGuid, textOf, type ExpenseReport, type PlannedRequest, type Reconciler } from '../sdk/index.js';
import { isVendorCredit, reportGuid, reportRefNumber } from './translate.js';

const INCLUDE = ['TxnID', 'EditSequence', 'RefNumber', 'ExternalGUID'];

const queryType = (report: ExpenseReport, ctx: Parameters<typeof isVendorCredit>[1]) => (isVendorCredit(report, ctx) ? 'VendorCredit' : 'Bill');

export const reconcile: Reconciler<ExpenseReport> = {
  query(report, ctx): PlannedRequest {
    return { type: `${queryType(report, ctx)}QueryRq`, role: 'main', body: { RefNumber: [reportRefNumber(report)], IncludeRetElement: INCLUDE } };
  },

  interpret(report, response, ctx) {
    if (isError(response)) {
      throw new Error(`cannot tell whether the bill exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    }
    const guid = reportGuid(report, ctx);
    const match = allRets(response, `${queryType(report, ctx)}Ret`).find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid));
    const txnId = match && textOf(match, 'TxnID');
    return txnId ? { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } } : { absent: true };
  },
};
