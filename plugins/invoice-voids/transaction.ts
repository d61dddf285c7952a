/**
 * Which QuickBooks transaction an Autotask invoice became (a credit memo for a negative total, as the
 * credit-memos plugin sends it), the read of it, and how a void shows in its `…Ret`: qbXML has no IsVoided
 * flag; QuickBooks zeroes the amounts and starts the memo with "VOID:".
 */
import { allRets, isNegative, isZeroAmount, textOf, type Invoice, type PlannedRequest, type QbxmlResponse, type TranslateContext } from '../sdk/index.js';

export type VoidedKind = 'Invoice' | 'CreditMemo';

export function kindOf(invoice: Invoice): VoidedKind {
  return isNegative(invoice.total) ? 'CreditMemo' : 'Invoice';
}

export function txnIdOf(invoice: Invoice, ctx: TranslateContext): string | undefined {
  return ctx.transferred('INVOICE', invoice.id)?.txnId ?? undefined;
}

/** The read of the transaction (by TxnID) that every decision starts from. */
export function transactionQuery(kind: VoidedKind, txnId: string): PlannedRequest {
  return kind === 'Invoice'
    ? { type: 'InvoiceQueryRq', role: 'main', body: { TxnID: [txnId] } }
    : { type: 'CreditMemoQueryRq', role: 'main', body: { TxnID: [txnId] } };
}

/** The transaction's `…Ret` in the answer to {@link transactionQuery}, if QuickBooks has it. */
export function transactionRet(kind: VoidedKind, response: QbxmlResponse): Record<string, unknown> | undefined {
  return allRets(response, kind === 'Invoice' ? 'InvoiceRet' : 'CreditMemoRet')[0];
}

export function isVoidedRet(ret: Record<string, unknown>): boolean {
  return (textOf(ret, 'Memo') ?? '').startsWith('VOID:') && isZeroAmount(textOf(ret, 'Subtotal') ?? '0');
}
