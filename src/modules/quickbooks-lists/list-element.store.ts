/**
 * Writes list elements with set-based SQL (one statement per iterator page): rows QuickBooks returned
 * unchanged are not written (ON CONFLICT ... WHERE ... IS DISTINCT FROM), so `updatedAt` and the written
 * count mean "our copy changed". All statements run in the caller's transaction (`em.execute`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
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

const COLUMNS = `id text, list_id text, full_name text, name text, type text, sub_type text, parent_list_id text,
  parent_full_name text, sublevel int, is_active boolean, edit_sequence text, time_modified text, time_modified_at timestamptz, details jsonb`;

/**
 * Upserts one page of rows for (connector, list). `seenRun` (full pulls) marks every row of the page as
 * seen by that run, changed or not.
 */
export async function writePage(
  em: EntityManager,
  connectorId: string,
  list: QuickBooksList,
  rows: readonly ListRow[],
  seenRun: string | null,
  hierarchical: boolean,
): Promise<PageWriteResult> {
  const byListId = new Map(rows.map((r) => [r.listId, r]));
  if (byListId.size === 0) return { received: 0, written: 0, renamed: 0 };
  const incoming = [...byListId.values()].map((r) => ({
    id: newId('qble'),
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
  }));
  const now = new Date();
  if (seenRun) {
    await em.execute(
      `update quickbooks_list_element set last_seen_run = ?
       where connector_id = ? and list = ?::quickbooks_list and last_seen_run is distinct from ?
         and list_id in (select jsonb_array_elements_text(?::jsonb))`,
      [seenRun, connectorId, list, seenRun, JSON.stringify(incoming.map((r) => r.list_id))],
    );
  }
  const changed: Array<{ full_name: string; previous_full_name: string | null }> = await em.execute(
    `with incoming as (select * from jsonb_to_recordset(?::jsonb) as r(${COLUMNS})),
     previous as (
       select e.list_id, e.full_name from quickbooks_list_element e
       where e.connector_id = ? and e.list = ?::quickbooks_list and e.list_id in (select list_id from incoming)
     )
     insert into quickbooks_list_element as t
       (id, created_at, updated_at, connector_id, list, list_id, full_name, name, type, sub_type, parent_list_id, parent_full_name,
        sublevel, is_active, edit_sequence, time_modified, time_modified_at, details, last_seen_run)
     select i.id, ?::timestamptz, ?::timestamptz, ?::text, ?::quickbooks_list, i.list_id, i.full_name, i.name, i.type, i.sub_type, i.parent_list_id, i.parent_full_name,
        i.sublevel, i.is_active, i.edit_sequence, i.time_modified, i.time_modified_at, i.details, ?::text
     from incoming i
     on conflict (connector_id, list, list_id) do update set
       full_name = excluded.full_name, name = excluded.name, type = excluded.type, sub_type = excluded.sub_type,
       parent_list_id = excluded.parent_list_id, parent_full_name = excluded.parent_full_name, sublevel = excluded.sublevel,
       is_active = excluded.is_active, edit_sequence = excluded.edit_sequence, time_modified = excluded.time_modified,
       time_modified_at = excluded.time_modified_at, details = excluded.details, updated_at = excluded.updated_at,
       last_seen_run = coalesce(excluded.last_seen_run, t.last_seen_run)
     where (t.full_name, t.name, t.type, t.sub_type, t.parent_list_id, t.parent_full_name, t.sublevel, t.is_active,
            t.edit_sequence, t.time_modified, t.details)
       is distinct from (excluded.full_name, excluded.name, excluded.type, excluded.sub_type, excluded.parent_list_id,
            excluded.parent_full_name, excluded.sublevel, excluded.is_active, excluded.edit_sequence, excluded.time_modified, excluded.details)
     returning t.full_name, (select p.full_name from previous p where p.list_id = t.list_id) as previous_full_name`,
    [JSON.stringify(incoming), connectorId, list, now, now, connectorId, list, seenRun],
  );
  let renamed = 0;
  for (const row of changed) {
    if (row.previous_full_name === null || row.previous_full_name === row.full_name) continue;
    renamed++;
    // QuickBooks does not touch the children of a renamed or moved element, so an incremental pull would
    // never bring their new full names: rewrite the prefix here.
    if (hierarchical) await renameDescendants(em, connectorId, list, row.previous_full_name, row.full_name, now);
  }
  return { received: incoming.length, written: changed.length, renamed };
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

/** Removes the elements a full pull did not see (deleted in QuickBooks); returns how many. */
export async function removeUnseen(em: EntityManager, connectorId: string, list: QuickBooksList, run: string): Promise<number> {
  const removed: unknown[] = await em.execute(
    `delete from quickbooks_list_element where connector_id = ? and list = ?::quickbooks_list and last_seen_run is distinct from ? returning id`,
    [connectorId, list, run],
  );
  return removed.length;
}
