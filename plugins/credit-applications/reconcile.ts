/** A lost ReceivePaymentAdd answer: the credited invoice is read again; the credit memo linked to it means applied. */
import { allRets, isError, type Invoice, type Reconciler } from '../sdk/index.js';
import { isLinked } from './linked.js';
import { creditedInvoiceQuery, txnIdsOf } from './translate.js';

export const reconcile: Reconciler<Invoice> = {
  query(credit, ctx) {
    return creditedInvoiceQuery(txnIdsOf(credit, ctx).invoice ?? '');
  },

  interpret(credit, response, ctx) {
    if (isError(response)) throw new Error(`cannot tell whether the credit was applied: QuickBooks answered ${response.statusCode} (${response.statusMessage})`);
    const memo = txnIdsOf(credit, ctx).memo;
    const ret = allRets(response, 'InvoiceRet')[0];
    return ret && memo && isLinked(ret, memo) ? { found: {} } : { absent: true };
  },
};
