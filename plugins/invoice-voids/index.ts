/**
 * Built-in: an invoice (or credit memo) voided in Autotask after it reached QuickBooks is voided there too
 * (TxnVoid), unless QuickBooks shows payments or credits applied to it — voiding would leave those unapplied,
 * so the transfer fails saying why and a person decides. A ledger item of its own (INVOICE_VOID), queued when
 * the Autotask invoice becomes voided (src/modules/transfer/invoice-voids.ts).
 *
 * Exactly once: the transaction is read first (InvoiceQuery / CreditMemoQuery by TxnID) and voided only when it
 * is not voided already; a lost TxnVoid answer is reconciled by reading it again.
 */
import { definePlugin, type Invoice } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Invoice>({
  id: 'invoice-voids',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'INVOICE_VOID' },
  emits: ['InvoiceQueryRq', 'CreditMemoQueryRq', 'TxnVoidRq'],
  translate,
  handleResponse,
  reconcile,
});
