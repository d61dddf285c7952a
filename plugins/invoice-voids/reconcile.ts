/**
 * A lost TxnVoid answer: the transaction is read again; voided means done. Not voided, or not found (then
 * the next translation reads it again and settles it as gone), it goes through translate afresh.
 */
import { isError, type Invoice, type Reconciler } from '../sdk/index.js';
import { isVoidedRet, kindOf, transactionQuery, transactionRet, txnIdOf } from './transaction.js';

export const reconcile: Reconciler<Invoice> = {
  query(invoice, ctx) {
    return transactionQuery(kindOf(invoice), txnIdOf(invoice, ctx) ?? '');
  },

  interpret(invoice, response) {
    if (isError(response)) throw new Error(`cannot tell whether it was voided: QuickBooks answered ${response.statusCode} (${response.statusMessage})`);
    const ret = transactionRet(kindOf(invoice), response);
    return ret && isVoidedRet(ret) ? { found: {} } : { absent: true };
  },
};
