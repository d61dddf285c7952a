/**
 * Writes list elements with set-based SQL (one statement for all the pages of an answered message): rows
 * QuickBooks returned unchanged are not written (ON CONFLICT ... WHERE ... IS DISTINCT FROM), so `updatedAt`
 * and the written count mean "our copy changed". All statements run in the caller's transaction.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import { parseQbDateTime } from './qb-time.js';
import type { ListRow, QuickBooksList } from './quickbooks-list.js';

export interface PageWriteResult {
  /** Distinct elements in the page. */
  readonly received: number;
  /** Elements inserted or changed. */
  readonly written: number;
  /** Elements whose FullName changed (their descendants' full names were rewritten too). */
  readonly renamed: number;
}

const COLUMNS = `id text, list text, list_id text, full_name text, name text, type text, sub_type text, parent_list_id text,
  parent_full_name text, sublevel int, is_active boolean, edit_sequence text, time_modified text, time_modified_at timestamptz, details jsonb, last_seen_run text`;

/** The columns whose difference means "our copy changed" (time_modified_at follows time_modified). */
const CONTENT = ['full_name', 'name', 'type', 'sub_type', 'parent_list_id', 'parent_full_name', 'sublevel', 'is_active', 'edit_sequence', 'time_modified', 'details'];
const contentOf = (alias: string) => `(${CONTENT.map((c) => `${alias}.${c}`).join(', ')})`;

/** One list's page of an answered message, for writePages. */
export interface ListPage {
  readonly list: QuickBooksList;
  readonly rows: readonly ListRow[];
  /** Full pulls: the run that sees every row of the page, changed or not. */
  readonly seenRun: string | null;
  readonly hierarchical: boolean;
}

/**
 * Upserts the pages of a message (at most one per list) for the connector, in one statement for all their
 * lists; returns what each list's page wrote.
 */
export async function writePages(em: EntityManager, connectorId: string, pages: readonly ListPage[]): Promise<Map<QuickBooksList, PageWriteResult>> {
  const results = new Map<QuickBooksList, { received: number; written: number; renamed: number }>();
  const incoming = pages.flatMap(({ list, rows, seenRun }) => {
    const byListId = new Map(rows.map((r) => [r.listId, r]));
    // A pull has one request out at a time, so a message answers one page per list (one upsert cannot touch a row twice).
    if (results.has(list)) throw new Error(`two pages of list ${list} in one message`);
    results.set(list, { received: byListId.size, written: 0, renamed: 0 });
    return [...byListId.values()].map((r) => ({
      id: newId('qble'),
      list,
      list_id: r.listId,
      full_name: r.fullName,
      name: r.name,
      type: r.type,
      sub_type: r.subType,
      parent_list_id: r.parentListId,
      parent_full_name: r.parentFullName,
      sublevel: r.sublevel,
      is_active: r.isActive,
      edit_sequence: r.editSequence,
      time_modified: r.timeModified,
      time_modified_at: parseQbDateTime(r.timeModified)?.toISOString() ?? null,
      details: r.details,
      last_seen_run: seenRun,
    }));
  });
  if (incoming.length === 0) return results;
  const now = new Date();
  // One statement: a full pull's page marks its unchanged rows seen in the same upsert (they are updated for
  // last_seen_run alone, keeping updated_at), and `changed` tells them from the rows whose copy changed.
  const rowsBack = await executeBound<{ list: QuickBooksList; full_name: string; previous_full_name: string | null; changed: boolean }>(
    em,
    `with incoming as (select * from jsonb_to_recordset(?::jsonb) as r(${COLUMNS})),
     previous as (
       select ${CONTENT.map((c) => `e.${c}`).join(', ')}, e.list, e.list_id from quickbooks_list_element e
       where e.connector_id = ? and (e.list, e.list_id) in (select i.list::quickbooks_list, i.list_id from incoming i)
     )
     insert into quickbooks_list_element as t
       (id, created_at, updated_at, connector_id, list, list_id, full_name, name, type, sub_type, parent_list_id, parent_full_name,
        sublevel, is_active, edit_sequence, time_modified, time_modified_at, details, last_seen_run)
     select i.id, ?::timestamptz, ?::timestamptz, ?::text, i.list::quickbooks_list, i.list_id, i.full_name, i.name, i.type, i.sub_type, i.parent_list_id, i.parent_full_name,
        i.sublevel, i.is_active, i.edit_sequence, i.time_modified, i.time_modified_at, i.details, i.last_seen_run
     from incoming i
     on conflict (connector_id, list, list_id) do update set
       full_name = excluded.full_name, name = excluded.name, type = excluded.type, sub_type = excluded.sub_type,
       parent_list_id = excluded.parent_list_id, parent_full_name = excluded.parent_full_name, sublevel = excluded.sublevel,
       is_active = excluded.is_active, edit_sequence = excluded.edit_sequence, time_modified = excluded.time_modified,
       time_modified_at = excluded.time_modified_at, details = excluded.details,
       updated_at = case when ${contentOf('t')} is distinct from ${contentOf('excluded')} then excluded.updated_at else t.updated_at end,
       last_seen_run = coalesce(excluded.last_seen_run, t.last_seen_run)
     where ${contentOf('t')} is distinct from ${contentOf('excluded')}
        or t.last_seen_run is distinct from coalesce(excluded.last_seen_run, t.last_seen_run)
     returning t.list, t.full_name, (select p.full_name from previous p where p.list = t.list and p.list_id = t.list_id) as previous_full_name,
       coalesce((select ${contentOf('p')} is distinct from ${contentOf('t')} from previous p where p.list = t.list and p.list_id = t.list_id), true) as changed`,
    [JSON.stringify(incoming), connectorId, now, now, connectorId],
  );
  const hierarchical = new Set(pages.filter((p) => p.hierarchical).map((p) => p.list));
  for (const row of rowsBack) {
    if (!row.changed) continue;
    const result = results.get(row.list)!;
    result.written++;
    if (row.previous_full_name === null || row.previous_full_name === row.full_name) continue;
    result.renamed++;
    // QuickBooks does not touch the children of a renamed or moved element, so an incremental pull would
    // never bring their new full names: rewrite the prefix here.
    if (hierarchical.has(row.list)) await renameDescendants(em, connectorId, row.list, row.previous_full_name, row.full_name, now);
  }
  return results;
}

async function renameDescendants(em: EntityManager, connectorId: string, list: QuickBooksList, from: string, to: string, now: Date): Promise<void> {
  const prefix = `${from}:`;
  await em.execute(
    `update quickbooks_list_element set
       full_name = ?::text || substr(full_name, ?::int),
       parent_full_name = case when parent_full_name = ?::text or left(parent_full_name, ?::int) = ?::text then ?::text || substr(parent_full_name, ?::int) else parent_full_name end,
       updated_at = ?::timestamptz
     where connector_id = ? and list = ?::quickbooks_list and left(full_name, ?::int) = ?::text`,
    [to, from.length + 1, from, prefix.length, prefix, to, from.length + 1, now, connectorId, list, prefix.length, prefix],
  );
}

/**
 * Removes the elements finished full pulls did not see (deleted in QuickBooks), for all the lists of a message
 * in one statement; returns how many per list.
 */
export async function removeUnseen(
  em: EntityManager,
  connectorId: string,
  runs: ReadonlyArray<{ readonly list: QuickBooksList; readonly run: string }>,
): Promise<Map<QuickBooksList, number>> {
  const removed = new Map<QuickBooksList, number>(runs.map((r) => [r.list, 0]));
  if (runs.length === 0) return removed;
  const rows: Array<{ list: QuickBooksList; count: string | number }> = await em.execute(
    `with deleted as (
       delete from quickbooks_list_element e using jsonb_to_recordset(?::jsonb) as r(list text, run text)
       where e.connector_id = ? and e.list = r.list::quickbooks_list and e.last_seen_run is distinct from r.run
       returning e.list
     )
     select list, count(*) as count from deleted group by list`,
    [JSON.stringify(runs), connectorId],
  );
  for (const row of rows) removed.set(row.list, Number(row.count));
  return removed;
}
