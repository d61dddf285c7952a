/** Exactly once for payments: the customer's payments on the payment date, recognised by the stamp in Memo. */
import { allRets, isError, textOf, type Payment, type QbxmlResponse, type Reconciler, type TranslateContext } from '../sdk/index.js';
import { paymentStamp } from './stamp.js';
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
        IncludeRetElement: ['TxnID', 'RefNumber', 'EditSequence', 'TxnDate', 'TotalAmount', 'Memo'],
      },
    };
  },

  interpret(payment: Payment, response: QbxmlResponse, _ctx: TranslateContext) {
    if (isError(response)) {
      throw new Error(`cannot tell whether the payment exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
    }
    const stamp = paymentStamp(payment);
    const match = allRets(response, 'ReceivePaymentRet').find((r) => (textOf(r, 'Memo') ?? '').includes(stamp));
    const txnId = match && textOf(match, 'TxnID');
    if (!txnId) return { absent: true };
    return { found: { txnId, refNumber: textOf(match, 'RefNumber') ?? null, editSequence: textOf(match, 'EditSequence') ?? null } };
  },
};
