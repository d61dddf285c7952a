/** The stamp a credit memo carries in `Other` (at most 29 characters): `AT:<Autotask invoice id>`. */
import { fit, type Invoice } from '../sdk/index.js';

export function creditMemoStamp(invoice: Pick<Invoice, 'autotaskId'>): string {
  return fit(`AT:${invoice.autotaskId}`, 29);
}
