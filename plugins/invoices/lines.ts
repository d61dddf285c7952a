/**
 * Invoice lines: one QuickBooks line per Autotask invoice line (in Autotask's order) or per group of them
 * (the connector's lineGrouping), plus the tax Autotask calculated as one line when the connector transfers
 * it (PSA_TAX_AS_LINE).
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/invoiceadd
 */
import {
  amount,
  compact,
  isZeroAmount,
  qbRef,
  type DataProblem,
  type Invoice,
  type InvoiceLine,
  type TranslateContext,
  unmappedProblem,
} from '../sdk/index.js';
import { groupLines } from './grouping.js';
import { genericLineItem, itemRef, lineItem, type LineItem } from './items.js';
import { quantityAndPriceOf } from './rounding.js';

/** What the lines come to: the InvoiceLineAdd aggregates, the items they need, and any data problems. */
export interface BuiltLines {
  readonly lines: Record<string, unknown>[];
  readonly items: LineItem[];
  readonly problems: DataProblem[];
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * The class of a line: its line of business's class (or the LINE_OF_BUSINESS policy's default); the
 * connector's choice for lines without one. A problem when the line of business is unmapped under FAIL.
 */
function classOf(line: InvoiceLine, index: number, ctx: TranslateContext) {
  if (!line.lineOfBusinessId) return { ref: ctx.connector.noLineOfBusinessClass ?? undefined };
  const ref = ctx.classFor(line.lineOfBusinessId);
  const source = `line of business ${line.lineOfBusinessName ?? line.lineOfBusinessId}`;
  return { ref, problem: unmappedProblem(ctx.connector, 'LINE_OF_BUSINESS', ref, `lines[${index}].lineOfBusinessId`, source) };
}

/**
 * The line's sales tax code: taxable or not as Autotask says when QuickBooks calculates tax; non-taxable when
 * Autotask's tax arrives as a line of its own (QuickBooks must not add tax on top). A problem when that
 * taxability is unmapped under FAIL.
 */
function taxCodeOf(line: InvoiceLine, index: number, ctx: TranslateContext) {
  const taxable = ctx.connector.taxMode === 'QUICKBOOKS_CALCULATES' ? line.taxable : false;
  const ref = ctx.salesTaxCode(taxable);
  return { ref, problem: unmappedProblem(ctx.connector, 'TAXABILITY', ref, `lines[${index}].taxable`, taxable ? 'TAXABLE' : 'NON_TAXABLE') };
}

/**
 * Builds the lines, grouped as the connector's `lineGrouping` says (grouping.ts) and priced as its
 * `roundingPolicy` says (rounding.ts). The lines of a group share their line of business and taxability, so
 * the first one's class and tax code are the group's.
 */
export function buildLines(invoice: Invoice, ctx: TranslateContext): BuiltLines {
  const lines: Record<string, unknown>[] = [];
  const items: LineItem[] = [];
  const problems: DataProblem[] = [];
  for (const group of groupLines(invoice.lines, ctx.connector.lineGrouping, ctx)) {
    const [line, index] = [group.lines[0]!, group.indexes[0]!];
    const item = group.generic ? genericLineItem(group.generic, group.lines, index, ctx) : lineItem(line, index, ctx);
    items.push(item);
    const klass = classOf(line, index, ctx);
    const taxCode = taxCodeOf(line, index, ctx);
    const lineProblems = [item.kind === 'problem' ? { field: item.field, message: item.message } : undefined, klass.problem, taxCode.problem];
    problems.push(...lineProblems.filter((p): p is DataProblem => p !== undefined));
    if (item.kind === 'problem') continue;
    lines.push(
      compact({
        ItemRef: itemRef(item),
        Desc: group.description,
        ...quantityAndPriceOf(group, ctx.connector.roundingPolicy),
        ClassRef: klass.ref && qbRef(klass.ref),
        ServiceDate: group.serviceDate && DATE.test(group.serviceDate) ? group.serviceDate.slice(0, 10) : undefined,
        SalesTaxCodeRef: taxCode.ref && qbRef(taxCode.ref),
      }),
    );
  }
  return { lines, items, problems };
}

/** The line carrying Autotask's tax total (PSA_TAX_AS_LINE), or a problem when no tax item is set. */
export function psaTaxLine(invoice: Invoice, ctx: TranslateContext): { line?: Record<string, unknown>; problem?: DataProblem } {
  if (ctx.connector.taxMode !== 'PSA_TAX_AS_LINE' || isZeroAmount(invoice.taxTotal)) return {};
  const item = ctx.connector.psaTaxItem;
  if (!item) {
    return { problem: { field: 'connector.psaTaxItem', message: 'The connector transfers Autotask\'s tax as a line: choose the QuickBooks item for that line in the connector\'s settings.' } };
  }
  return { line: { ItemRef: qbRef(item), Desc: 'Sales tax (calculated by Autotask)', Amount: amount(invoice.taxTotal) } };
}
