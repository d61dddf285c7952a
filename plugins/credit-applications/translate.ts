/**
 * A credit invoice whose credit memo and credited invoice are both in QuickBooks → a read of the credited
 * invoice first (its balance and what is linked to it); the application itself is the follow-up
 * (handle-response.ts), decided on what QuickBooks says now rather than on what we last knew. Pure.
 */
import type { Invoice, PlannedRequest, TranslateContext, TranslateResult } from '../sdk/index.js';

/** The read of the credited invoice that every decision starts from (also the reconcile lookup). */
export function creditedInvoiceQuery(invoiceTxnId: string): PlannedRequest {
  return { type: 'InvoiceQueryRq', role: 'main', body: { TxnID: [invoiceTxnId], IncludeLinkedTxns: true } };
}

/** The QuickBooks TxnIDs of the credit memo and of the invoice it credits, when both are there. */
export function txnIdsOf(credit: Invoice, ctx: TranslateContext): { memo?: string; invoice?: string } {
  return {
    memo: ctx.transferred('INVOICE', credit.id)?.txnId ?? undefined,
    invoice: credit.creditsInvoiceId ? (ctx.transferred('INVOICE', credit.creditsInvoiceId)?.txnId ?? undefined) : undefined,
  };
}

export function translate(credit: Invoice, ctx: TranslateContext): TranslateResult {
  if (!credit.creditsInvoiceId) {
    return { kind: 'skip', reason: 'Autotask does not name an invoice known here that this credit is for; the credit memo stays open as the customer\'s credit.' };
  }
  const { memo, invoice } = txnIdsOf(credit, ctx);
  if (!memo) return { kind: 'waitFor', entityType: 'INVOICE', entityId: credit.id, reason: 'The credit memo is not in QuickBooks yet' };
  if (!invoice) return { kind: 'waitFor', entityType: 'INVOICE', entityId: credit.creditsInvoiceId, reason: 'The invoice it credits is not in QuickBooks yet' };
  return { kind: 'requests', requests: [creditedInvoiceQuery(invoice)] };
}
