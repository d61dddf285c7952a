/**
 * How a QuickBooks invoice is recognised as a transfer's: its `ExternalGUID` (derived from the connector and
 * the invoice, not shown on QuickBooks' forms, so nobody edits it) is the key; the `AT:<Autotask id>` stamp in
 * `Other` (at most 29 characters) is only a readable hint for people, and a fallback for invoices sent before
 * they carried a GUID. The RefNumber Autotask's numbering sends is fitted to QuickBooks' limit here, once.
 */
import { QB_LIMITS, externalGuid, fit, fitName, type FittedName, type Invoice, type TranslateContext } from '../sdk/index.js';

export function invoiceStamp(invoice: Pick<Invoice, 'autotaskId'>): string {
  return fit(`AT:${invoice.autotaskId}`, 29);
}

export function invoiceGuid(invoice: Pick<Invoice, 'id'>, ctx: TranslateContext): string {
  return externalGuid(ctx.connector, 'INVOICE', invoice.id);
}

/** The RefNumber to send when Autotask numbers invoices (undefined when QuickBooks numbers them or there is none). */
export function refNumberOf(invoice: Pick<Invoice, 'invoiceNumber'>, ctx: TranslateContext): FittedName | undefined {
  const number = invoice.invoiceNumber?.trim();
  if (ctx.connector.invoiceNumbering !== 'AUTOTASK' || !number) return undefined;
  return fitName(number, QB_LIMITS.refNumber, ctx.connector.longNamePolicy, 'an invoice number (RefNumber)');
}
