/** The stamp a payment carries in its Memo, `qbd-bridge payment <external id>`: how reconciliation recognises it. */
import type { Payment } from '../sdk/index.js';

export function paymentStamp(payment: Pick<Payment, 'externalId'>): string {
  return `qbd-bridge payment ${payment.externalId}`;
}
