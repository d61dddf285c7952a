/**
 * Mapping help: the Autotask values a connector's invoices use that have no mapping yet (billing items,
 * billing codes, lines of business, payment terms, taxability), each with the QuickBooks elements whose
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
  [MappingTargetList.VENDOR]: QuickBooksList.VENDOR,
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
 * connector), without a mapping for the connector. One statement.
 */
export async function unmappedSources(em: EntityManager, connectorId: string, kinds?: readonly MappingSourceKind[]): Promise<UnmappedSource[]> {
  const rows: Array<{ kind: MappingSourceKind; id: string; name: string | null; occurrences: string | number }> = await em.execute(
    `with orgs as (
       select o.id, o.payment_term_id, o.payment_term_name from organization o
       left join route r on r.subject = 'ORGANIZATION' and r.autotask_id = o.autotask_id
       where coalesce(r.connector_id, (select c.id from connector c where c.is_default)) = ?
     ),
     invoices as (select i.id, i.payment_term_id, i.payment_term_name from invoice i where i.organization_id in (select id from orgs)),
     lines as (select l.* from invoice_line l where l.invoice_id in (select id from invoices)),
     vals as (
       select billing_item_kind::text as kind, billing_item_id as id, billing_item_name as name from lines
         where billing_item_id is not null and billing_item_kind::text in (select jsonb_array_elements_text(?::jsonb))
       union all select 'BILLING_CODE', billing_code_id, coalesce(work_type_name, billing_item_name) from lines where billing_code_id is not null
       union all select 'LINE_OF_BUSINESS', line_of_business_id, line_of_business_name from lines where line_of_business_id is not null
       union all select 'PAYMENT_TERM', payment_term_id, payment_term_name from orgs where payment_term_id is not null
       union all select 'PAYMENT_TERM', payment_term_id, payment_term_name from invoices where payment_term_id is not null
       union all select 'TAXABILITY', case when taxable then 'TAXABLE' else 'NON_TAXABLE' end,
                        case when taxable then 'Taxable' else 'Non-taxable' end from lines
     )
     select v.kind, v.id, max(v.name) as name, count(*) as occurrences from vals v
     where not exists (select 1 from mapping m where m.connector_id = ? and m.source_kind::text = v.kind and m.source_id = v.id)
     group by v.kind, v.id
     order by v.kind, max(v.name), v.id`,
    [connectorId, JSON.stringify(ITEM_KINDS), connectorId],
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

/** The elements a value of this target list may map to (active ones, of fitting types). */
export function candidatesFor(target: MappingTargetList, elements: readonly QuickBooksListElement[]): QuickBooksListElement[] {
  const list = QUICKBOOKS_LIST_OF[target];
  const active = elements.filter((e) => e.list === list && e.isActive);
  if (target === MappingTargetList.ITEM) return active.filter((e) => !NOT_FOR_BILLING_ITEMS.has(e.type ?? ''));
  if (target === MappingTargetList.ACCOUNT) {
    const income = active.filter((e) => INCOME_ACCOUNTS.has(e.type ?? ''));
    return income.length > 0 ? income : active;
  }
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
