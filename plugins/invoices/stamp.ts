/**
 * The stamp an invoice carries in QuickBooks' `Other` field (at most 29 characters): `AT:<Autotask id>`.
 * It is how reconciliation recognises an invoice QuickBooks numbered itself.
 */
import { fit, type Invoice } from '../sdk/index.js';

export function invoiceStamp(invoice: Pick<Invoice, 'autotaskId'>): string {
  return fit(`AT:${invoice.autotaskId}`, 29);
}
