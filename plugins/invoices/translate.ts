/**
 * Autotask invoice (total ≥ 0) → QuickBooks InvoiceAdd, with the items it needs created first.
 * Pure: everything comes from the context. Data problems (unmapped items under the FAIL policy, a missing
 * invoice number, …) are all collected and returned together.
 */
import { compact, fit, listedReference, normalizedLevels, qbAddress, qbRef, distinctBillingAddress, unmappedProblem, type DataProblem, type Invoice, type Organization, type TranslateContext, type TranslateResult } from '../sdk/index.js';
import { itemCreations } from './items.js';
import { buildLines, psaTaxLine } from './lines.js';
import { invoiceGuid, invoiceStamp, refNumberOf } from './stamp.js';

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
    const fitted = refNumberOf(invoice, ctx);
    if (!fitted) problems.push({ field: 'invoiceNumber', message: 'The connector sends Autotask\'s invoice numbers, but this invoice has none.' });
    else if (!fitted.ok) problems.push({ field: 'invoiceNumber', message: `${fitted.message} Or let QuickBooks number invoices.` });
    else refNumber = fitted.value;
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
  // The organization's account manager as sales rep, its invoice template (else the connector's): checked against the synced lists.
  const rep = listedReference(ctx, 'ACCOUNT_MANAGER', organization?.ownerResourceId, 'organization.ownerResourceId', `account manager (resource ${organization?.ownerResourceId})`);
  const template = listedReference(ctx, 'INVOICE_TEMPLATE', organization?.invoiceTemplateId, 'organization.invoiceTemplateId', `invoice template ${organization?.invoiceTemplateId}`);
  for (const p of [rep.problem, template.problem]) if (p) problems.push(p);
  if (problems.length > 0) return { kind: 'invalid', problems };

  const customer = ctx.customerOf(invoice.organizationId);
  if (!customer?.listId && !customer?.fullName) {
    return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: invoice.organizationId, reason: 'The invoice\'s organization has no QuickBooks customer in this company file yet.' };
  }

  const body = {
    InvoiceAdd: compact({
      CustomerRef: qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
      TemplateRef: template.ref && qbRef(template.ref),
      TxnDate: invoice.invoiceDate,
      RefNumber: refNumber,
      // Like Autotask's extension: only a billing address of its own; else QuickBooks copies the customer's (the organization's address).
      BillAddress: organization && qbAddress(distinctBillingAddress(organization), normalizedLevels(organization.name)[0]),
      PONumber: invoice.poNumber ? fit(invoice.poNumber.trim(), 25) : undefined,
      TermsRef: terms && qbRef(terms),
      SalesRepRef: rep.ref && qbRef(rep.ref),
      IsToBePrinted: method === 'PRINT' || method === 'BOTH',
      IsToBeEmailed: emailed,
      Other: invoiceStamp(invoice),
      ExternalGUID: invoiceGuid(invoice, ctx),
      InvoiceLineAdd: lines,
    }),
  };
  return { kind: 'requests', requests: [...itemCreations(items, ctx), { type: 'InvoiceAddRq', role: 'main', body }] };
}
