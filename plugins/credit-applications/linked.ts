/** Reading the credited invoice's InvoiceRet: is this credit memo already applied to it? */
import { listOf, textOf } from '../sdk/index.js';

export function isLinked(invoiceRet: Record<string, unknown>, memoTxnId: string): boolean {
  return listOf(invoiceRet['LinkedTxn']).some((link) => typeof link === 'object' && link !== null && textOf(link as Record<string, unknown>, 'TxnID') === memoTxnId);
}
