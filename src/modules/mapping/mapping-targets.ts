/**
 * Mapping targets checked against the connector's synced copy of the QuickBooks list they point into
 * (`../quickbooks-lists`): a class, terms, tax code, account or item that QuickBooks does not have would only
 * fail later, invoice by invoice, with 3140 (likewise a sales rep, customer type or invoice template). When that list is fresh, an unknown (or inactive) target is
 * refused; when it was never synced, is stale, or its last pull did not complete, the list may simply be
 * behind QuickBooks, so the mapping is accepted with a warning instead.
 * Item mappings that create their item (autoCreate) are not checked: the item need not exist yet.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListSyncConfig } from '../../app/config.js';
import type { FieldProblem } from '../../errors/app-error.js';
import { QuickBooksListSync, ListSyncOutcome } from '../quickbooks-lists/list-sync-state.entity.js';
import { boundSince, dueReason } from '../quickbooks-lists/list-sync.service.js';
import type { QuickBooksList } from '../quickbooks-lists/quickbooks-list.js';
import { targetListOf } from './mapping-source.js';
import type { MappingInput } from './mapping.resolver.js';

export interface TargetCheck {
  readonly problems: FieldProblem[];
  /** By the mapping's index in the input. */
  readonly warnings: Map<number, string>;
}

interface ElementRow {
  list: string;
  list_id: string;
  full_name: string;
  is_active: boolean;
  type: string | null;
}

export async function checkMappingTargets(em: EntityManager, connectorId: string, mappings: readonly MappingInput[], config: ListSyncConfig): Promise<TargetCheck> {
  const checked = mappings
    .map((m, index) => ({ m, index, list: targetListOf(m.sourceKind) as unknown as QuickBooksList }))
    .filter(({ m }) => m.target && !m.autoCreate);
  const result: TargetCheck = { problems: [], warnings: new Map() };
  if (checked.length === 0) return result;
  const lists = [...new Set(checked.map((c) => c.list))];
  const syncs = await em.find(QuickBooksListSync, { connector: connectorId, list: { $in: lists } });
  const boundAt = (await boundSince(em, [connectorId])).get(connectorId);
  const now = new Date();
  const freshness = new Map(
    lists.map((list) => {
      const sync = syncs.find((s) => s.list === list);
      const due = dueReason(sync, config, now, undefined, boundAt);
      const fresh = sync?.lastOutcome === ListSyncOutcome.OK && (due === null || due === 'REQUESTED');
      return [list, { fresh, never: !sync?.lastAttemptAt }] as const;
    }),
  );
  // One statement for every target: by ListID, or by full name as QuickBooks compares names (case-insensitive).
  const rows: ElementRow[] = await em.execute(
    `select list::text as list, list_id, full_name, is_active, type from quickbooks_list_element
     where connector_id = ? and list::text in (select jsonb_array_elements_text(?::jsonb))
       and (list_id in (select jsonb_array_elements_text(?::jsonb)) or lower(full_name) in (select lower(jsonb_array_elements_text(?::jsonb))))`,
    [
      connectorId,
      JSON.stringify(lists),
      JSON.stringify(checked.map((c) => c.m.target!.listId).filter((id): id is string => !!id)),
      JSON.stringify(checked.map((c) => c.m.target!.fullName)),
    ],
  );
  for (const { m, index, list } of checked) {
    const target = m.target!;
    const element = rows.find((r) => r.list === list && (target.listId ? r.list_id === target.listId : r.full_name.toLowerCase() === target.fullName.toLowerCase()));
    const label = list.toLowerCase().replace('_', ' ');
    const name = target.listId ? `${target.fullName} (${target.listId})` : target.fullName;
    const { fresh, never } = freshness.get(list)!;
    let problem: string | undefined;
    if (!element) problem = `no ${label} "${name}" in the connector's QuickBooks ${label} list`;
    else if (!element.is_active) problem = `${label} "${element.full_name}" is inactive in QuickBooks`;
    // Mappings into templates are invoice templates: QuickBooks refuses another form's template on an invoice.
    else if (list === 'TEMPLATE' && element.type !== 'Invoice') problem = `template "${element.full_name}" is a ${element.type ?? 'non-invoice'} template, not an Invoice template`;
    if (!problem) continue;
    if (fresh) result.problems.push({ field: `mappings.${index}.target`, message: `${problem}: pick one that exists, or add it in QuickBooks and refresh the list` });
    else {
      const why = never ? 'has never been synced' : 'may be out of date';
      result.warnings.set(index, `Accepted without checking: ${problem}, but that list ${why} (refreshQuickBooksLists, then a Web Connector update).`);
    }
  }
  return result;
}
