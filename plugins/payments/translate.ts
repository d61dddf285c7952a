/**
 * Autotask payment → QuickBooks ReceivePaymentAdd applied to the invoice it pays (partly or in full).
 * Waits for the invoice to reach QuickBooks first. Pure: everything comes from the context.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/receivepaymentadd
 */
import { amount, compact, fit, isNegative, isZeroAmount, qbRef, type Invoice, type Payment, type TranslateContext, type TranslateResult } from '../sdk/index.js';
import { paymentStamp } from './stamp.js';

/** The customer the payment's invoice was billed to, when known. */
export function customerOfPayment(payment: Payment, ctx: TranslateContext) {
  const invoice = ctx.entity<Invoice>('INVOICE', payment.invoiceId);
  return { invoice, customer: invoice ? ctx.customerOf(invoice.organizationId) : undefined };
}

export function translate(payment: Payment, ctx: TranslateContext): TranslateResult {
  if (isNegative(payment.amount)) {
    return { kind: 'invalid', problems: [{ field: 'amount', message: `The payment's amount ${payment.amount} is negative: refunds are not transferred; record it in QuickBooks by hand.` }] };
  }
  if (isZeroAmount(payment.amount)) return { kind: 'skip', reason: 'The payment is 0.00: nothing to record in QuickBooks.' };

  const invoiceIds = ctx.transferred('INVOICE', payment.invoiceId);
  if (!invoiceIds?.txnId) {
    return { kind: 'waitFor', entityType: 'INVOICE', entityId: payment.invoiceId, reason: 'The invoice this payment applies to is not in QuickBooks yet.' };
  }
  const { invoice, customer } = customerOfPayment(payment, ctx);
  if (!invoice) return { kind: 'invalid', problems: [{ field: 'invoiceId', message: 'The invoice this payment applies to is not known to qbd-bridge: pull it from Autotask again.' }] };
  if (!customer?.listId && !customer?.fullName) {
    return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: invoice.organizationId, reason: 'The invoice\'s organization has no QuickBooks customer in this company file.' };
  }

  // A method QuickBooks does not have would fail with 3140 after sending: say so now, and send the known one by ListID.
  const methodName = payment.paymentMethod?.trim() ? fit(payment.paymentMethod.trim(), 31) : undefined;
  const method = methodName ? ctx.paymentMethod(methodName) : undefined;
  if (method === null) {
    return {
      kind: 'invalid',
      problems: [
        {
          field: 'paymentMethod',
          message: `QuickBooks has no payment method "${methodName}": add it to the Payment Method list in QuickBooks (the next list sync brings it), or send the payment with a method QuickBooks has.`,
        },
      ],
    };
  }
  const total = amount(payment.amount);
  const body = {
    ReceivePaymentAdd: compact({
      CustomerRef: qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
      TxnDate: payment.paymentDate,
      RefNumber: payment.reference?.trim() ? fit(payment.reference.trim(), 20) : undefined,
      TotalAmount: total,
      PaymentMethodRef: method ? qbRef(method) : methodName ? { FullName: methodName } : undefined,
      Memo: fit(paymentStamp(payment), 4095),
      // Without one, QuickBooks deposits to Undeposited Funds (or its default account).
      DepositToAccountRef: payment.depositAccount?.trim() ? { FullName: fit(payment.depositAccount.trim(), 159) } : undefined,
      AppliedToTxnAdd: [{ TxnID: invoiceIds.txnId, PaymentAmount: total }],
    }),
  };
  return { kind: 'requests', requests: [{ type: 'ReceivePaymentAddRq', role: 'main', body }] };
}
