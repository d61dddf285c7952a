/**
 * Finds a credit memo QuickBooks may already have: the customer's credit memos on that date, by ExternalGUID;
 * by the stamp in `Other` only among those without a GUID (sent before credit memos carried one).
 */
import { allRets, isError, sameGuid, textOf, type Invoice, type Reconciler } from '../sdk/index.js';
import { creditMemoGuid, creditMemoStamp } from './stamp.js';

export const reconcile: Reconciler<Invoice> = {
  query(invoice, ctx) {
    const customer = ctx.customerOf(invoice.organizationId);
    const entity = customer?.listId ? { ListID: [customer.listId] } : customer?.fullName ? { FullName: [customer.fullName] } : undefined;
    return {
      type: 'CreditMemoQueryRq',
      role: 'main',
      body: {
        TxnDateRangeFilter: { FromTxnDate: invoice.invoiceDate, ToTxnDate: invoice.invoiceDate },
        ...(entity ? { EntityFilter: entity } : {}),
        IncludeRetElement: ['TxnID', 'RefNumber', 'EditSequence', 'Other', 'ExternalGUID'],
      },
    };
  },

  interpret(invoice, response, ctx) {
    if (isError(response)) throw new Error(`cannot tell whether the credit memo exists: QuickBooks answered ${response.statusCode} (${response.statusMessage})`);
    const rets = allRets(response, 'CreditMemoRet');
    const match =
      rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), creditMemoGuid(invoice, ctx))) ??
      rets.find((r) => !textOf(r, 'ExternalGUID') && textOf(r, 'Other') === creditMemoStamp(invoice));
    const txnId = match && textOf(match, 'TxnID');
    return txnId ? { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } } : { absent: true };
  },
};
