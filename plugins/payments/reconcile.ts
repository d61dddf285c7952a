/**
 * Exactly once for payments: the customer's payments on the payment date (QuickBooks cannot filter by
 * ExternalGUID), recognised by their ExternalGUID; the Memo stamp only for payments without one.
 */
import { allRets, isError, sameGuid, textOf, type Payment, type QbxmlResponse, type Reconciler, type TranslateContext } from '../sdk/index.js';
import { paymentGuid, paymentStamp } from './stamp.js';
import { customerOfPayment } from './translate.js';

export const reconcile: Reconciler<Payment> = {
  query(payment, ctx) {
    const { customer } = customerOfPayment(payment, ctx);
    const entity = customer?.listId ? { ListID: [customer.listId] } : customer?.fullName ? { FullName: [customer.fullName] } : undefined;
    return {
      type: 'ReceivePaymentQueryRq',
      role: 'main',
      body: {
        TxnDateRangeFilter: { FromTxnDate: payment.paymentDate, ToTxnDate: payment.paymentDate },
        ...(entity ? { EntityFilter: entity } : {}),
        IncludeRetElement: ['TxnID', 'RefNumber', 'EditSequence', 'TxnDate', 'TotalAmount', 'Memo', 'ExternalGUID'],
      },
    };
  },

  interpret(payment: Payment, response: QbxmlResponse, ctx: TranslateContext) {
    if (isError(response)) {
      throw new Error(`cannot tell whether the payment exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    }
    const stamp = paymentStamp(payment);
    const guid = paymentGuid(payment, ctx);
    const rets = allRets(response, 'ReceivePaymentRet');
    const match =
      rets.find((r) => sameGuid(textOf(r, 'ExternalGUID'), guid)) ??
      rets.find((r) => !textOf(r, 'ExternalGUID') && (textOf(r, 'Memo') ?? '').includes(stamp));
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};
