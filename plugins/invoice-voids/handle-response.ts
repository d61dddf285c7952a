/**
 * The read of the transaction → already voided or gone (done), paid or credited (failed: voiding would leave
 * those payments or credits unapplied), or the TxnVoid. QuickBooks' answer to that → done, or its error.
 */
import { amount, commonHint, failure, isError, negate, subtractAmounts, textOf, type Invoice, type QbxmlResponse, type ResponseContext, type ResponseOutcome } from '../sdk/index.js';
import { isVoidedRet, kindOf, transactionRet, txnIdOf } from './transaction.js';

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<Invoice>): ResponseOutcome {
  const invoice = ctx.entity;
  if (!invoice || !ctx.lookups) return failure(response, 'The host gave no invoice to void: retry the transfer.');
  const kind = kindOf(invoice);
  const label = kind === 'Invoice' ? 'invoice' : 'credit memo';
  if (ctx.request.type === 'TxnVoidRq') {
    if (isError(response)) return failure(response, commonHint(response.statusCode) ?? `Void the ${label} by hand in QuickBooks, or fix what QuickBooks reports and retry.`);
    return { kind: 'succeeded', ids: { txnId: textOf(response.body as Record<string, unknown>, 'TxnID') ?? null }, note: `Voided the ${label} in QuickBooks (voided in Autotask).` };
  }

  if (isError(response)) return failure(response, commonHint(response.statusCode) ?? `The ${label} could not be read in QuickBooks: retry the transfer.`);
  const ret = transactionRet(kind, response);
  if (!ret) return { kind: 'succeeded', ids: {}, note: `The ${label} is no longer in QuickBooks (deleted there): nothing to void.` };
  if (isVoidedRet(ret)) return { kind: 'succeeded', ids: {}, note: `The ${label} was already voided in QuickBooks.` };
  const ref = textOf(ret, 'RefNumber') ?? textOf(ret, 'TxnID');
  if (kind === 'Invoice') {
    const applied = amount(textOf(ret, 'AppliedAmount') ?? '0');
    if (applied !== '0.00') {
      const paid = textOf(ret, 'IsPaid') === 'true' ? 'paid' : 'partly paid';
      return {
        kind: 'failed',
        statusCode: 'INVOICE_PAID',
        message: `Not voided: invoice ${ref} is ${paid} in QuickBooks (${negate(applied)} of payments or credits applied), and voiding it would leave them unapplied.`,
        hint: 'In QuickBooks, remove or move the payments and credits applied to it and retry this transfer, or void it there by hand; cancel this transfer to keep the invoice.',
      };
    }
  } else {
    const total = amount(textOf(ret, 'TotalAmount') ?? '0');
    const remaining = amount(textOf(ret, 'CreditRemaining') ?? total);
    if (remaining !== total) {
      return {
        kind: 'failed',
        statusCode: 'CREDIT_USED',
        message: `Not voided: ${subtractAmounts(total, remaining)} of credit memo ${ref} is applied to invoices (${remaining} of ${total} remains), and voiding it would leave them unpaid again.`,
        hint: 'In QuickBooks, remove its applications to invoices and retry this transfer, or void it there by hand; cancel this transfer to keep the credit memo.',
      };
    }
  }
  const txnId = txnIdOf(invoice, ctx.lookups) ?? textOf(ret, 'TxnID')!;
  return { kind: 'followUp', note: `Voiding the ${label} ${ref}.`, requests: [{ type: 'TxnVoidRq', role: 'main', body: { TxnVoidType: kind, TxnID: txnId } }] };
}
