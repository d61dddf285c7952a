/** A voided Autotask invoice that is in QuickBooks → a read of its transaction; the void is the follow-up. Pure. */
import type { Invoice, TranslateContext, TranslateResult } from '../sdk/index.js';
import { kindOf, transactionQuery, txnIdOf } from './transaction.js';

export function translate(invoice: Invoice, ctx: TranslateContext): TranslateResult {
  if (!invoice.isVoided) return { kind: 'skip', reason: 'The invoice is not voided in Autotask: there is nothing to void.' };
  const txnId = txnIdOf(invoice, ctx);
  // Not waitFor: that would queue a failed or cancelled invoice transfer again, sending an invoice Autotask voided.
  if (!txnId) {
    return { kind: 'skip', reason: 'The invoice has not reached QuickBooks (its transfer has not succeeded), so there is nothing to void there; retry this once it has.' };
  }
  return { kind: 'requests', requests: [transactionQuery(kindOf(invoice), txnId)] };
}
