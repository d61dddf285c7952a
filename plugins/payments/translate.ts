/**
 * Autotask payment → QuickBooks ReceivePaymentAdd applied to the invoice it pays (partly or in full).
 * Waits for the invoice to reach QuickBooks first. Pure: everything comes from the context.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/receivepaymentadd
 */
import { QB_LIMITS, amount, compact, fit, fitName, isNegative, tooLongToReference, isZeroAmount, qbRef, type DataProblem, type Invoice, type Payment, type TranslateContext, type TranslateResult } from '../sdk/index.js';
import { paymentGuid, paymentStamp } from './stamp.js';

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

  // Names of existing records are never cut (a cut name could be another record's); the check number follows the policy.
  const problems: DataProblem[] = [];
  const methodName = payment.paymentMethod?.trim() || undefined;
  const methodTooLong = methodName && tooLongToReference(methodName, QB_LIMITS.paymentMethodName, 'payment method');
  if (methodTooLong) problems.push({ field: 'paymentMethod', message: methodTooLong });
  // A method QuickBooks does not have would fail with 3140 after sending: say so now, and send the known one by ListID.
  const method = methodName && !methodTooLong ? ctx.paymentMethod(methodName) : undefined;
  if (method === null) {
    problems.push({
      field: 'paymentMethod',
      message: `QuickBooks has no payment method "${methodName}": add it to the Payment Method list in QuickBooks (the next list sync brings it), or send the payment with a method QuickBooks has.`,
    });
  }
  const account = payment.depositAccount && tooLongToReference(payment.depositAccount, QB_LIMITS.accountFullName, 'account');
  if (account) problems.push({ field: 'depositAccount', message: account });
  const reference = payment.reference?.trim() ? fitName(payment.reference, QB_LIMITS.paymentRefNumber, ctx.connector.longNamePolicy, 'a payment reference (RefNumber)') : undefined;
  if (reference && !reference.ok) problems.push({ field: 'reference', message: reference.message });
  if (problems.length > 0) return { kind: 'invalid', problems };

  const total = amount(payment.amount);
  const body = {
    ReceivePaymentAdd: compact({
      CustomerRef: qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
      TxnDate: payment.paymentDate,
      RefNumber: reference?.ok ? reference.value : undefined,
      TotalAmount: total,
      PaymentMethodRef: method ? qbRef(method) : methodName ? { FullName: methodName } : undefined,
      Memo: fit(paymentStamp(payment), 4095),
      ExternalGUID: paymentGuid(payment, ctx),
      // Without one, QuickBooks deposits to Undeposited Funds (or its default account).
      DepositToAccountRef: payment.depositAccount?.trim() ? { FullName: payment.depositAccount.trim() } : undefined,
      AppliedToTxnAdd: [{ TxnID: invoiceIds.txnId, PaymentAmount: total }],
    }),
  };
  return { kind: 'requests', requests: [{ type: 'ReceivePaymentAddRq', role: 'main', body }] };
}
