/**
 * How a QuickBooks payment is recognised as a transfer's: its `ExternalGUID` (derived from the connector and
 * the payment; not on QuickBooks' forms) is the key; the Memo stamp `qbd-bridge payment <external id>` is a
 * readable hint, and the fallback for payments sent before they carried a GUID.
 */
import { externalGuid, type Payment, type TranslateContext } from '../sdk/index.js';

export function paymentStamp(payment: Pick<Payment, 'externalId'>): string {
  return `qbd-bridge payment ${payment.externalId}`;
}

export function paymentGuid(payment: Pick<Payment, 'id'>, ctx: TranslateContext): string {
  return externalGuid(ctx.connector, 'PAYMENT', payment.id);
}
