/**
 * QuickBooks' answer to ReceivePaymentAdd: the TxnID to store, or a failure with a hint for the usual
 * causes (an over-payment, 3210; an invoice no longer in QuickBooks, 3120; an unknown payment method or
 * deposit account, 3140).
 */
import { allRets, commonHint, failure, isError, textOf, type Payment, type QbxmlResponse, type ResponseContext, type ResponseOutcome } from '../sdk/index.js';

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<Payment>): ResponseOutcome {
  if (ctx.request.type !== 'ReceivePaymentAddRq') return failure(response, `The payments plugin does not send ${ctx.request.type}: report this to qbd-bridge's developers.`);
  const add = (ctx.request.body['ReceivePaymentAdd'] ?? {}) as Record<string, unknown>;
  if (isError(response)) {
    switch (response.statusCode) {
      case 3210:
        return failure(
          response,
          `The payment (${textOf(add, 'TotalAmount') ?? ''}) is more than is still due on the invoice in QuickBooks: it may have been paid there already, partly or in full. ` +
            'Check the invoice\'s payments in QuickBooks, then correct the payment in Autotask or record it in QuickBooks by hand.',
        );
      case 3120:
        return failure(
          response,
          `The invoice this payment applies to (TxnID ${textOf(add, 'AppliedToTxnAdd.TxnID') ?? '?'}) is no longer in QuickBooks (deleted or voided?): transfer the invoice again, then the payment.`,
        );
      case 3140: {
        const method = textOf(add, 'PaymentMethodRef.FullName');
        const account = textOf(add, 'DepositToAccountRef.FullName');
        const named = [method && `the payment method "${method}"`, account && `the deposit account "${account}"`].filter(Boolean).join(' or ');
        return failure(response, `QuickBooks does not know ${named || 'a record the payment refers to'} (see the message): create it in QuickBooks or correct it in Autotask, then transfer again.`);
      }
      default:
        return failure(response, commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above, then transfer the payment again.');
    }
  }
  const ret = allRets(response, 'ReceivePaymentRet')[0];
  const txnId = ret && textOf(ret, 'TxnID');
  if (!ret || !txnId) return failure(response, 'QuickBooks answered without the payment: look for it in QuickBooks before transferring it again.');
  const notes = [`Payment of ${textOf(ret, 'TotalAmount') ?? textOf(add, 'TotalAmount') ?? ''} received.`];
  if (response.statusSeverity.toLowerCase() === 'warn') notes.push(`QuickBooks warned: ${response.statusMessage}`);
  return { kind: 'succeeded', ids: { txnId, refNumber: textOf(ret, 'RefNumber') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null }, note: notes.join(' ') };
}
