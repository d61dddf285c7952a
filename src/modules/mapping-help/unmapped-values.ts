/**
 * Mapping help: the Autotask values a connector's invoices use that have no mapping yet (billing items,
 * billing codes, lines of business, payment terms, taxability, account managers, classifications, invoice
 * templates) and the expense categories of the expense reports its resources' bills come from, each with the
 * QuickBooks elements whose
 * names are most alike, from the connector's synced lists.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { QuickBooksListElement } from '../quickbooks-lists/list-element.entity.js';
import { QuickBooksList } from '../quickbooks-lists/quickbooks-list.js';
import { MappingSourceKind, MappingTargetList, QbItemType, targetListOf } from '../mapping/mapping-source.js';
import { NameMatcher, prepareName, type PreparedName } from './similarity.js';

/** The synced QuickBooks list a mapping target list is chosen from. */
export const QUICKBOOKS_LIST_OF: Readonly<Record<MappingTargetList, QuickBooksList>> = {
  [MappingTargetList.ITEM]: QuickBooksList.ITEM,
  [MappingTargetList.ACCOUNT]: QuickBooksList.ACCOUNT,
  [MappingTargetList.CLASS]: QuickBooksList.CLASS,
  [MappingTargetList.TERMS]: QuickBooksList.TERMS,
  [MappingTargetList.SALES_TAX_CODE]: QuickBooksList.SALES_TAX_CODE,
  [MappingTargetList.SALES_REP]: QuickBooksList.SALES_REP,
  [MappingTargetList.CUSTOMER_TYPE]: QuickBooksList.CUSTOMER_TYPE,
  [MappingTargetList.TEMPLATE]: QuickBooksList.TEMPLATE,
  [MappingTargetList.EMPLOYEE]: QuickBooksList.EMPLOYEE,
  [MappingTargetList.VENDOR]: QuickBooksList.VENDOR,
  [MappingTargetList.PAYROLL_WAGE_ITEM]: QuickBooksList.PAYROLL_WAGE_ITEM,
};

/** QuickBooks item types (ItemQuery `*Ret` names) as the mapping's item type. */
export const ITEM_TYPE_OF: Readonly<Record<string, QbItemType>> = {
  Service: QbItemType.SERVICE,
  NonInventory: QbItemType.NON_INVENTORY,
  OtherCharge: QbItemType.OTHER_CHARGE,
  Inventory: QbItemType.INVENTORY,
  InventoryAssembly: QbItemType.INVENTORY,
  SalesTax: QbItemType.SALES_TAX,
  Discount: QbItemType.DISCOUNT,
  Subtotal: QbItemType.SUBTOTAL,
  Group: QbItemType.GROUP,
};

/** Item types a billing item is never mapped to. */
const NOT_FOR_BILLING_ITEMS = new Set(['SalesTax', 'SalesTaxGroup', 'Subtotal', 'Payment', 'FixedAsset', 'Discount']);
/** Account types a billing code's items earn into. */
const INCOME_ACCOUNTS = new Set(['Income', 'OtherIncome']);
/** Account types an expense category's bill lines post to. */
const EXPENSE_ACCOUNTS = new Set(['Expense', 'OtherExpense', 'CostOfGoodsSold']);
const EXPENSE_KINDS = new Set([MappingSourceKind.EXPENSE_ACCOUNT_BILLABLE, MappingSourceKind.EXPENSE_ACCOUNT_REIMBURSABLE]);

export interface UnmappedSource {
  readonly sourceKind: MappingSourceKind;
  readonly sourceId: string;
  readonly sourceName: string;
  /** Invoice lines (or organizations, for payment terms) that use it. */
  readonly occurrences: number;
}

export interface Suggestion {
  readonly element: QuickBooksListElement;
  readonly score: number;
}

const ITEM_KINDS = Object.values(MappingSourceKind).filter((k) => targetListOf(k) === MappingTargetList.ITEM);

/**
 * Values used by invoices and organizations routed to the connector (explicit route, else the default
 * connector), and the expense categories of the expense reports of resources routed to it (billable items
 * map to one account, reimbursable ones to another), without a mapping for the connector. One statement.
 */
export async function unmappedSources(em: EntityManager, connectorId: string, kinds?: readonly MappingSourceKind[]): Promise<UnmappedSource[]> {
  const rows: Array<{ kind: MappingSourceKind; id: string; name: string | null; occurrences: string | number }> = await em.execute(
    `with orgs as (
       select o.id, o.payment_term_id, o.payment_term_name, o.owner_resource_id, o.classification_id, o.invoice_template_id from organization o
       left join route r on r.subject = 'ORGANIZATION' and r.autotask_id = o.autotask_id
       where coalesce(r.connector_id, (select c.id from connector c where c.is_default)) = ?
     ),
     invoices as (select i.id, i.payment_term_id, i.payment_term_name from invoice i where i.organization_id in (select id from orgs)),
     lines as (select l.* from invoice_line l where l.invoice_id in (select id from invoices)),
     resources as (
       select res.id from resource res
       left join route r on r.subject = 'RESOURCE' and r.autotask_id = res.autotask_id
       where coalesce(r.connector_id, (select c.id from connector c where c.is_default)) = ?
     ),
     expense_items as (
       select e.billable, e.expense_category_id, e.expense_category_name from expense_item e
       join expense_report x on x.id = e.report_id where x.resource_id in (select id from resources)
     ),
     vals as (
       select billing_item_kind::text as kind, billing_item_id as id, billing_item_name as name from lines
         where billing_item_id is not null and billing_item_kind::text in (select jsonb_array_elements_text(?::jsonb))
       union all select 'BILLING_CODE', billing_code_id, coalesce(work_type_name, billing_item_name) from lines where billing_code_id is not null
       union all select 'LINE_OF_BUSINESS', line_of_business_id, line_of_business_name from lines where line_of_business_id is not null
       union all select 'PAYMENT_TERM', payment_term_id, payment_term_name from orgs where payment_term_id is not null
       union all select 'PAYMENT_TERM', payment_term_id, payment_term_name from invoices where payment_term_id is not null
       union all select 'ACCOUNT_MANAGER', owner_resource_id::text, null from orgs where owner_resource_id is not null
       union all select 'CLASSIFICATION', classification_id, null from orgs where classification_id is not null
       union all select 'INVOICE_TEMPLATE', invoice_template_id, null from orgs where invoice_template_id is not null
       union all select case when billable then 'EXPENSE_ACCOUNT_BILLABLE' else 'EXPENSE_ACCOUNT_REIMBURSABLE' end,
                        expense_category_id, expense_category_name from expense_items
       union all select 'TAXABILITY', case when taxable then 'TAXABLE' else 'NON_TAXABLE' end,
                        case when taxable then 'Taxable' else 'Non-taxable' end from lines
     )
     select v.kind, v.id, max(v.name) as name, count(*) as occurrences from vals v
     where not exists (select 1 from mapping m where m.connector_id = ? and m.source_kind::text = v.kind and m.source_id = v.id)
     group by v.kind, v.id
     order by v.kind, max(v.name), v.id`,
    [connectorId, connectorId, JSON.stringify(ITEM_KINDS), connectorId],
  );
  const wanted = kinds?.length ? new Set(kinds) : undefined;
  return rows
    .filter((r) => !wanted || wanted.has(r.kind))
    .map((r) => ({
      sourceKind: r.kind,
      sourceId: r.id,
      sourceName: r.name ?? `${r.kind.toLowerCase().replaceAll('_', ' ')} ${r.id}`,
      occurrences: Number(r.occurrences),
    }));
}

/** Which candidates a kind of value is offered: its target list's, but expense categories get expense accounts. */
export function candidateGroupOf(kind: MappingSourceKind): string {
  return EXPENSE_KINDS.has(kind) ? 'EXPENSE_ACCOUNT' : targetListOf(kind);
}

/** The elements a value of this kind may map to (active ones of its target list, of fitting types). */
export function candidatesFor(kind: MappingSourceKind, elements: readonly QuickBooksListElement[]): QuickBooksListElement[] {
  const target = targetListOf(kind);
  const list = QUICKBOOKS_LIST_OF[target];
  const active = elements.filter((e) => e.list === list && e.isActive);
  if (target === MappingTargetList.ITEM) return active.filter((e) => !NOT_FOR_BILLING_ITEMS.has(e.type ?? ''));
  if (target === MappingTargetList.ACCOUNT) {
    const fitting = active.filter((e) => (EXPENSE_KINDS.has(kind) ? EXPENSE_ACCOUNTS : INCOME_ACCOUNTS).has(e.type ?? ''));
    return fitting.length > 0 ? fitting : active;
  }
  // Invoices take only Invoice templates (INVOICE_TEMPLATE is the only kind mapping into templates).
  if (target === MappingTargetList.TEMPLATE) return active.filter((e) => e.type === 'Invoice');
  return active;
}

/** A candidate with its names split into words once. */
export interface Candidate {
  readonly element: QuickBooksListElement;
  readonly names: readonly PreparedName[];
  /** The description, matched at 90 %. */
  readonly description: PreparedName | null;
}

export function prepareCandidates(elements: readonly QuickBooksListElement[]): Candidate[] {
  return elements.map((element) => {
    const description = typeof element.details['description'] === 'string' ? element.details['description'] : '';
    const names = element.fullName === element.name ? [prepareName(element.name)] : [prepareName(element.name), prepareName(element.fullName)];
    return { element, names, description: description ? prepareName(description) : null };
  });
}

/** The best `limit` elements for a name (score ≥ `minScore`), best first; ties by full name. */
export function suggest(name: string, candidates: readonly Candidate[], limit: number, minScore = 0.45): Suggestion[] {
  const matcher = new NameMatcher(name);
  const scored: Suggestion[] = [];
  for (const candidate of candidates) {
    let score = 0;
    for (const n of candidate.names) score = Math.max(score, matcher.score(n, minScore));
    if (candidate.description) score = Math.max(score, Math.round(matcher.score(candidate.description, minScore / 0.9) * 900) / 1000);
    if (score >= minScore) scored.push({ element: candidate.element, score });
  }
  scored.sort((a, b) => b.score - a.score || a.element.fullName.localeCompare(b.element.fullName));
  return scored.slice(0, limit);
}
