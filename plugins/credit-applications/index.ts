/**
 * Built-in: a credit memo applied to the open invoice it credits, when Autotask (or the pushing script) says
 * which (`creditsInvoiceAutotaskId`). QuickBooks applies credits through a payment: ReceivePaymentAdd with a
 * zero amount whose AppliedToTxnAdd carries SetCredit (CreditTxnID, AppliedAmount) — the path every qbXML
 * version has. A ledger item of its own (CREDIT_APPLICATION), queued by the credit-memos plugin once the
 * credit memo is in QuickBooks.
 *
 * Exactly once: before applying, the invoice is read (InvoiceQuery with linked transactions); a credit memo
 * already linked to it is not applied again, so a lost answer to the ReceivePaymentAdd never double-applies.
 */
import { definePlugin, type Invoice } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Invoice>({
  id: 'credit-applications',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'CREDIT_APPLICATION' },
  emits: ['InvoiceQueryRq', 'ReceivePaymentAddRq'],
  translate,
  handleResponse,
  reconcile,
});
