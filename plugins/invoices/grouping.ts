/**
 * Line grouping like Autotask's invoice template (the connector's `lineGrouping`): which Autotask lines become
 * one QuickBooks line. Pure, and money-exact: a group's amount is the exact sum of its lines' amounts, so the
 * invoice's total is the same before and after grouping, to the cent. A group never mixes taxable and
 * non-taxable lines (Autotask's extension does, and QuickBooks under-taxes), nor lines of different lines of
 * business (each QuickBooks line has one class).
 *
 *   NONE                 one group per line, in Autotask's order (the default)
 *   BY_BILLING_ITEM      lines of the same billing item (the same QuickBooks item), line of business and
 *                        taxability merged, where the first of them was
 *   BY_LINE_OF_BUSINESS  BY_BILLING_ITEM, listed line of business by line of business (in the order each first
 *                        appears; lines without one together, where the first of them was)
 *   ONE_LINE_PER_GROUP   one line per line of business, line type and taxability, under the generic item of the
 *                        line type ("Labor", "Products", …); a group of one billing item keeps its own item,
 *                        as Autotask's extension does by default
 */
import { joinWithin, QB_LIMITS, sumAmounts, sumDecimals, type InvoiceLine, type LineGrouping, type TranslateContext } from '../sdk/index.js';
import { itemNameSource } from './items.js';

/** A QuickBooks item grouped lines of several billing items go under, by Autotask line type. */
export interface GenericItem {
  /** The item's name in QuickBooks (created when missing, as the connector's missing-item policy allows). */
  readonly name: string;
  /** The line type the item is created as (its billingItemKind decides the QuickBooks item type). */
  readonly kind: string;
}

/**
 * The generic item names. Autotask's documentation lists "Labor" first and its table was cut off; the others
 * are the names an accountant reads on an invoice for each line type (README: Line grouping).
 */
const GENERIC: Readonly<Record<string, GenericItem>> = {
  WORK_TYPE: { name: 'Labor', kind: 'WORK_TYPE' },
  ROLE: { name: 'Labor', kind: 'WORK_TYPE' },
  MATERIAL: { name: 'Products', kind: 'MATERIAL' },
  EXPENSE_CATEGORY: { name: 'Expenses', kind: 'EXPENSE_CATEGORY' },
  SERVICE: { name: 'Services', kind: 'SERVICE' },
  SERVICE_BUNDLE: { name: 'Services', kind: 'SERVICE' },
  RECURRING_SERVICE: { name: 'Services', kind: 'SERVICE' },
  MILESTONE: { name: 'Milestones', kind: 'MILESTONE' },
  SHIPPING: { name: 'Shipping', kind: 'SHIPPING' },
};
const OTHER: GenericItem = { name: 'Other Charges', kind: 'SHIPPING' };

/** The generic item lines of this type are grouped under (ONE_LINE_PER_GROUP). */
export function genericItemOf(billingItemKind: string): GenericItem {
  return GENERIC[billingItemKind] ?? OTHER;
}

/** Autotask lines that become one QuickBooks line. */
export interface LineGroup {
  /** The lines, in Autotask's order, with their places in `invoice.lines` (for problem fields). */
  readonly lines: readonly InvoiceLine[];
  readonly indexes: readonly number[];
  /** Set when the lines are of several billing items and go under a generic item. */
  readonly generic?: GenericItem;
  /** The exact sums of the lines' quantities and (cent) amounts. */
  readonly quantity: string;
  readonly amount: string;
  /** The lines' descriptions, joined within QuickBooks' Desc limit. */
  readonly description: string;
  /** The lines' service date when they share one; null when they do not. */
  readonly serviceDate: string | null;
}

/**
 * The line's description; a line billed to the parent for a sub-organization starts with the
 * sub-organization's name, as Autotask's extension does (the parent's invoice must say whose work it was).
 */
export function descriptionOf(line: Pick<InvoiceLine, 'description' | 'subOrganizationName'>): string {
  const sub = line.subOrganizationName?.trim();
  return sub ? `${sub}: ${line.description.trim()}` : line.description.trim();
}

/** Which QuickBooks item a line's billing item becomes: lines merge only when they would get the same one. */
function billingItemKey(line: InvoiceLine, ctx: TranslateContext): string {
  return [line.billingItemKind, line.billingItemId ?? '', itemNameSource(line, ctx).toLowerCase()].join('\u0000');
}

const placeKey = (line: InvoiceLine) => [line.lineOfBusinessId ?? '', line.taxable ? 'T' : 'N'].join('\u0000');

function groupOf(entries: ReadonlyArray<{ line: InvoiceLine; index: number }>, generic: GenericItem | undefined): LineGroup {
  const lines = entries.map((e) => e.line);
  const dates = new Set(lines.map((l) => l.serviceDate ?? ''));
  const quantities = lines.map((l) => l.quantity?.trim()).filter((q): q is string => !!q);
  return {
    lines,
    indexes: entries.map((e) => e.index),
    ...(generic ? { generic } : {}),
    quantity: quantities.length ? sumDecimals(quantities) : '',
    amount: sumAmounts(lines.map((l) => l.amount)),
    description: joinWithin(lines.map(descriptionOf), QB_LIMITS.lineDescription),
    serviceDate: dates.size === 1 ? (lines[0]!.serviceDate ?? null) : null,
  };
}

/** Entries grouped by key, each group where its first entry is. */
function bucket<T>(entries: readonly T[], keyOf: (entry: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return [...groups.values()];
}

/** The lines to send (Autotask's own tax lines left out: the tax mode decides how tax reaches QuickBooks), grouped. */
export function groupLines(lines: readonly InvoiceLine[], grouping: LineGrouping, ctx: TranslateContext): LineGroup[] {
  const entries = lines.map((line, index) => ({ line, index })).filter((e) => e.line.billingItemKind !== 'TAX');
  const byLineOfBusiness = <T extends { line: InvoiceLine }>(groups: T[][]) => bucket(groups, (g) => g[0]!.line.lineOfBusinessId ?? '').flat();
  switch (grouping) {
    case 'BY_BILLING_ITEM':
    case 'BY_LINE_OF_BUSINESS': {
      let groups = bucket(entries, (e) => `${placeKey(e.line)}\u0000${billingItemKey(e.line, ctx)}`);
      if (grouping === 'BY_LINE_OF_BUSINESS') groups = byLineOfBusiness(groups);
      return groups.map((g) => groupOf(g, undefined));
    }
    case 'ONE_LINE_PER_GROUP':
      return byLineOfBusiness(bucket(entries, (e) => `${placeKey(e.line)}\u0000${genericItemOf(e.line.billingItemKind).name}`)).map((g) => {
        const oneBillingItem = new Set(g.map((e) => billingItemKey(e.line, ctx))).size === 1;
        return groupOf(g, oneBillingItem ? undefined : genericItemOf(g[0]!.line.billingItemKind));
      });
    case 'NONE':
    default:
      return entries.map((e) => groupOf([e], undefined));
  }
}
