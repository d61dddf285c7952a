/**
 * How a QuickBooks credit memo is recognised as a transfer's: its `ExternalGUID` (derived from the connector and
 * the credit, not shown on QuickBooks' forms, so nobody edits it) is the key, as for invoices; the
 * `AT:<Autotask invoice id>` stamp in `Other` (at most 29 characters) is a readable hint for people, and the key
 * only for credit memos sent before they carried a GUID (a user may clear or retype `Other`: keyed on it alone,
 * a lost answer plus such an edit made a second credit memo).
 */
import { externalGuid, fit, type Invoice, type TranslateContext } from '../sdk/index.js';

export function creditMemoStamp(invoice: Pick<Invoice, 'autotaskId'>): string {
  return fit(`AT:${invoice.autotaskId}`, 29);
}

export function creditMemoGuid(invoice: Pick<Invoice, 'id'>, ctx: TranslateContext): string {
  return externalGuid(ctx.connector, 'INVOICE', invoice.id);
}
