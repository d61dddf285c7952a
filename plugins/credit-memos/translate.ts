/**
 * A credit invoice from Autotask (negative total) → QuickBooks CreditMemoAdd, with the amounts turned
 * positive (a credit memo's lines are what is credited). Items must be mapped: this example plugin does not
 * create items. Pure: everything comes from the context; data problems are returned, never thrown.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/creditmemoadd
 */
import {
  amount,
  compact,
  decimal,
  fit,
  isZeroAmount,
  negate,
  qbRef,
  type DataProblem,
  type Invoice,
  type InvoiceLine,
  type TranslateContext,
  type TranslateResult,
} from '../sdk/index.js';
import { creditMemoGuid, creditMemoStamp } from './stamp.js';

/** A line's quantity without its sign, or undefined when there is none (zero or empty). */
function unsignedQuantity(line: InvoiceLine): string | undefined {
  const quantity = line.quantity?.trim() ? decimal(line.quantity).replace(/^[+-]/, '') : '';
  return quantity && !/^0*\.?0*$/.test(quantity) ? quantity : undefined;
}

function creditLine(line: InvoiceLine, index: number, ctx: TranslateContext): { line?: Record<string, unknown>; problem?: DataProblem } {
  const item = line.billingItemId ? ctx.itemMapping(line.billingItemKind, line.billingItemId)?.target : undefined;
  if (!item) {
    return { problem: { field: `lines[${index}].billingItemId`, message: `Map the billing item "${line.billingItemName ?? line.description}" to a QuickBooks item: credit memos do not create items.` } };
  }
  const classRef = line.lineOfBusinessId ? ctx.classFor(line.lineOfBusinessId) : (ctx.connector.noLineOfBusinessClass ?? undefined);
  const taxCode = ctx.salesTaxCode(ctx.connector.taxMode === 'QUICKBOOKS_CALCULATES' ? line.taxable : false);
  return {
    line: compact({
      ItemRef: qbRef(item),
      Desc: fit(line.description.trim(), 4095),
      Quantity: unsignedQuantity(line),
      ClassRef: classRef && qbRef(classRef),
      Amount: amount(negate(line.amount)), // credited amounts are positive on a credit memo
      ServiceDate: line.serviceDate?.slice(0, 10),
      SalesTaxCodeRef: taxCode && qbRef(taxCode),
    }),
  };
}

export function translate(invoice: Invoice, ctx: TranslateContext): TranslateResult {
  const problems: DataProblem[] = [];
  const lines: Record<string, unknown>[] = [];
  invoice.lines.forEach((line, index) => {
    if (line.billingItemKind === 'TAX') return; // tax reaches QuickBooks as the connector's tax mode says
    const built = creditLine(line, index, ctx);
    if (built.problem) problems.push(built.problem);
    if (built.line) lines.push(built.line);
  });
  if (ctx.connector.taxMode === 'PSA_TAX_AS_LINE' && !isZeroAmount(invoice.taxTotal)) {
    const taxItem = ctx.connector.psaTaxItem;
    if (taxItem) lines.push({ ItemRef: qbRef(taxItem), Desc: 'Sales tax (calculated by Autotask)', Amount: amount(negate(invoice.taxTotal)) });
    else problems.push({ field: 'connector.psaTaxItem', message: 'Choose the QuickBooks item for Autotask\'s tax in the connector\'s settings.' });
  }
  const refNumber = ctx.connector.invoiceNumbering === 'AUTOTASK' ? invoice.invoiceNumber?.trim() || undefined : undefined;
  if (refNumber && refNumber.length > 11) {
    problems.push({ field: 'invoiceNumber', message: `Autotask's number "${refNumber}" is longer than the 11 characters QuickBooks allows.` });
  }
  if (lines.length === 0 && problems.length === 0) problems.push({ field: 'lines', message: 'The credit has no lines to transfer.' });
  if (problems.length > 0) return { kind: 'invalid', problems };

  const customer = ctx.customerOf(invoice.organizationId);
  if (!customer?.listId && !customer?.fullName) {
    return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: invoice.organizationId, reason: 'The organization has no QuickBooks customer yet.' };
  }
  const body = {
    CreditMemoAdd: compact({
      CustomerRef: qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
      TxnDate: invoice.invoiceDate,
      RefNumber: refNumber,
      PONumber: invoice.poNumber ? fit(invoice.poNumber.trim(), 25) : undefined,
      Other: creditMemoStamp(invoice),
      ExternalGUID: creditMemoGuid(invoice, ctx),
      CreditMemoLineAdd: lines,
    }),
  };
  return { kind: 'requests', requests: [{ type: 'CreditMemoAddRq', role: 'main', body }] };
}
