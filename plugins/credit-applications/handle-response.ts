/**
 * The read of the credited invoice → already applied (done), nothing left to credit (failed, with why), or
 * the application: ReceivePaymentAdd of 0.00 with SetCredit for the smaller of the credit and the balance.
 * QuickBooks' answer to that → the payment's TxnID, or its error with a hint.
 */
import {
  allRets, amount, commonHint, failure, isError, isNegative, isZeroAmount, negate, subtractAmounts, textOf,
  type Invoice, type QbxmlResponse, type ResponseContext, type ResponseOutcome,
} from '../sdk/index.js';
import { isLinked } from './linked.js';
import { txnIdsOf } from './translate.js';

/** The smaller of two amounts (exact). */
function smaller(a: string, b: string): string {
  return isNegative(subtractAmounts(a, b)) ? a : b;
}

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<Invoice>): ResponseOutcome {
  const credit = ctx.entity;
  if (!credit || !ctx.lookups) return failure(response, 'The host gave no entity to apply: retry the transfer.');
  const { memo, invoice } = txnIdsOf(credit, ctx.lookups);
  if (ctx.request.type === 'ReceivePaymentAddRq') {
    if (isError(response)) {
      return failure(response, commonHint(response.statusCode) ?? 'Apply the credit memo by hand in QuickBooks (Receive Payments, Discounts and Credits), or fix what QuickBooks reports and retry.');
    }
    const payment = allRets(response, 'ReceivePaymentRet')[0];
    return { kind: 'succeeded', ids: { txnId: textOf(payment, 'TxnID') ?? null }, note: `Credit memo applied to invoice ${invoice}.` };
  }

  if (isError(response)) return failure(response, commonHint(response.statusCode) ?? 'The invoice it credits could not be read in QuickBooks: retry the transfer.');
  const ret = allRets(response, 'InvoiceRet')[0];
  if (!ret || !memo || !invoice) {
    return { kind: 'failed', statusCode: 'INVOICE_NOT_IN_QUICKBOOKS', message: 'The invoice this credit is for is no longer in QuickBooks.', hint: 'Apply the credit memo by hand in QuickBooks, or cancel this transfer.' };
  }
  if (isLinked(ret, memo)) return { kind: 'succeeded', ids: {}, note: 'The credit memo was already applied to the invoice in QuickBooks.' };
  const balance = amount(textOf(ret, 'BalanceRemaining') ?? '0');
  if (isZeroAmount(balance) || isNegative(balance)) {
    return {
      kind: 'failed',
      statusCode: 'NOTHING_DUE',
      message: `Invoice ${textOf(ret, 'RefNumber') ?? invoice} has nothing left to pay in QuickBooks, so the credit was not applied; it stays open as the customer's credit.`,
      hint: 'In QuickBooks, apply the credit memo to another invoice or refund it; or cancel this transfer.',
    };
  }
  const applied = smaller(amount(negate(credit.total)), balance);
  return {
    kind: 'followUp',
    note: `Applying ${applied} of the credit memo to invoice ${textOf(ret, 'RefNumber') ?? invoice}.`,
    requests: [{
      type: 'ReceivePaymentAddRq',
      role: 'main',
      body: {
        ReceivePaymentAdd: {
          CustomerRef: { ListID: textOf(ret, 'CustomerRef.ListID') },
          TotalAmount: '0.00',
          Memo: `AT:${credit.autotaskId} credit applied`,
          AppliedToTxnAdd: [{ TxnID: invoice, PaymentAmount: '0.00', SetCredit: [{ CreditTxnID: memo, AppliedAmount: applied }] }],
        },
      },
    }],
  };
}
