/**
 * Autotask invoice (total ≥ 0) → QuickBooks InvoiceAdd, with the items it needs created first.
 * Pure: everything comes from the context. Data problems (unmapped items under the FAIL policy, a missing
 * invoice number, …) are all collected and returned together.
 */
import { compact, fit, qbAddress, qbNamePath, qbRef, billingAddressOf, unmappedProblem, type DataProblem, type Invoice, type Organization, type TranslateContext, type TranslateResult } from '../sdk/index.js';
import { itemCreations } from './items.js';
import { buildLines, psaTaxLine } from './lines.js';
import { invoiceStamp } from './stamp.js';

/** QuickBooks' limit for an invoice number (RefNumber). */
export const REF_NUMBER_MAX = 11;

export function translate(invoice: Invoice, ctx: TranslateContext): TranslateResult {
  const problems: DataProblem[] = [];
  const { lines, items, problems: lineProblems } = buildLines(invoice, ctx);
  problems.push(...lineProblems);
  const tax = psaTaxLine(invoice, ctx);
  if (tax.problem) problems.push(tax.problem);
  if (tax.line) lines.push(tax.line);
  if (lines.length === 0 && lineProblems.length === 0) problems.push({ field: 'lines', message: 'The invoice has no lines to transfer.' });

  let refNumber: string | undefined;
  if (ctx.connector.invoiceNumbering === 'AUTOTASK') {
    refNumber = invoice.invoiceNumber?.trim() || undefined;
    if (!refNumber) problems.push({ field: 'invoiceNumber', message: 'The connector sends Autotask\'s invoice numbers, but this invoice has none.' });
    else if (refNumber.length > REF_NUMBER_MAX) {
      problems.push({
        field: 'invoiceNumber',
        message: `Autotask's invoice number "${refNumber}" is longer than the ${REF_NUMBER_MAX} characters QuickBooks allows: shorten Autotask's numbering, or let QuickBooks number invoices.`,
      });
    }
  }
  const terms = invoice.paymentTermId ? ctx.termsFor(invoice.paymentTermId) : undefined;
  const unmappedTerms = invoice.paymentTermId
    ? unmappedProblem(ctx.connector, 'PAYMENT_TERM', terms, 'paymentTermId', `payment term ${invoice.paymentTermName ?? invoice.paymentTermId}`)
    : undefined;
  if (unmappedTerms) problems.push(unmappedTerms);
  const organization = ctx.entity<Organization>('ORGANIZATION', invoice.organizationId);
  // The invoice's own method, else its organization's (Autotask invoice settings), else the connector's.
  const method = invoice.transmissionMethod ?? organization?.transmissionMethod ?? ctx.connector.defaultTransmissionMethod;
  const emailed = method === 'EMAIL' || method === 'BOTH';
  if (emailed && organization && !organization.email?.trim()) {
    // QuickBooks would refuse an invoice to be e-mailed to a customer without an address; say so before sending.
    problems.push({
      field: 'organization.email',
      message: `The invoice is to be e-mailed (${method}), but organization "${organization.name}" has no e-mail address: add one in Autotask, or change its transmission method.`,
    });
  }
  if (problems.length > 0) return { kind: 'invalid', problems };

  const customer = ctx.customerOf(invoice.organizationId);
  if (!customer?.listId && !customer?.fullName) {
    return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: invoice.organizationId, reason: 'The invoice\'s organization has no QuickBooks customer in this company file yet.' };
  }

  const body = {
    InvoiceAdd: compact({
      CustomerRef: qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
      TxnDate: invoice.invoiceDate,
      RefNumber: refNumber,
      BillAddress: organization && qbAddress(billingAddressOf(organization), qbNamePath(organization.name, 41)[0]),
      PONumber: invoice.poNumber ? fit(invoice.poNumber.trim(), 25) : undefined,
      TermsRef: terms && qbRef(terms),
      IsToBePrinted: method === 'PRINT' || method === 'BOTH',
      IsToBeEmailed: emailed,
      Other: invoiceStamp(invoice),
      InvoiceLineAdd: lines,
    }),
  };
  return { kind: 'requests', requests: [...itemCreations(items), { type: 'InvoiceAddRq', role: 'main', body }] };
}
