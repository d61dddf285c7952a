/** Finds a credit memo QuickBooks may already have: the customer's credit memos on that date, by the stamp in `Other`. */
import { allRets, isError, textOf, type Invoice, type Reconciler } from '../sdk/index.js';
import { creditMemoStamp } from './stamp.js';

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
        IncludeRetElement: ['TxnID', 'RefNumber', 'EditSequence', 'Other'],
      },
    };
  },

  interpret(invoice, response) {
    if (isError(response)) throw new Error(`cannot tell whether the credit memo exists: QuickBooks answered ${response.statusCode} (${response.statusMessage})`);
    const match = allRets(response, 'CreditMemoRet').find((r) => textOf(r, 'Other') === creditMemoStamp(invoice));
    const txnId = match && textOf(match, 'TxnID');
    return txnId ? { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } } : { absent: true };
  },
};
