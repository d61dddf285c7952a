/**
 * Audit entries for changes written set-based (plain rows, not flushed entities, so the flush subscriber
 * never sees them): one multi-row insert per batch, in the caller's transaction, with the same shape the
 * subscriber gives a flushed change (create: every column; update: the changed ones and updatedAt; delete: {}).
 * Rows created as parts of another (a new invoice's lines) are named in their parent's creation entry instead
 * of having entries of their own (see RecordedParts); rows deleted with deleteRowsRecorded keep their last values
 * in their delete entry.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReferenceKind, type EntityClass } from '@mikro-orm/core';
import { columnSql, deleteRowsThen, executeBound, insertReturning, insertRows, insertRowsThen, insertStatement, propertiesJsonSql, updateRows, type Row, type RowRef, type Statement } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from './actor.js';
import { AuditEntry } from './audit-entry.entity.js';

/** Columns never copied into the audit log. */
const SECRET_FIELDS = new Set(['passwordHash', 'secretHash', 'secretEncrypted']);

/** The changes as the audit log keeps them: secrets redacted. */
export function auditedChanges(payload: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) changes[key] = SECRET_FIELDS.has(key) ? '[redacted]' : value;
  return changes;
}

export interface AuditedChange {
  /** The entry's id, when it was made with the change (so entries sort as their changes were made); else one is made when it is written. */
  readonly id?: string;
  readonly action: 'create' | 'update' | 'delete';
  /** The entity's class name, as the subscriber records it ("Invoice", "TransferItem"). */
  readonly entityType: string;
  readonly entityId: string;
  readonly changes: Record<string, unknown>;
}

/** A plain row a call reads and changes (a copy of selectPlainRows' row): its many-to-ones are RowRefs. */
export interface ChangeableRow {
  readonly id: string;
  updatedAt: Date;
}

const sameValue = (a: unknown, b: unknown): boolean => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * Writes the plain rows a call changed, set-based, with the audit entries the flush subscriber would have made
 * for them as entities: rows missing from `stored` (each row as read or last written, by id) are inserted
 * (create: every column), the others whose `properties` changed are updated, updatedAt with them (update: the
 * changed properties and updatedAt), where `condition` (see updateRows) holds; one statement each, and one for the
 * entries, as the call's actor. Unchanged rows write nothing; `stored` is brought up to date.
 */
export async function storeChangedRows<R extends ChangeableRow>(
  em: EntityManager,
  entity: EntityClass<object>,
  rows: Iterable<R>,
  stored: Map<string, R>,
  properties: ReadonlyArray<keyof R & string>,
  actor: Actor,
  condition?: { readonly sql: string; readonly params: readonly unknown[] },
): Promise<void> {
  const now = new Date();
  const meta = em.getMetadata().get(entity.name);
  const refs = meta.props.filter((p) => p.kind === ReferenceKind.MANY_TO_ONE).map((p) => p.name);
  // As stored and audited: a many-to-one by its id.
  const asStored = (row: R): Row => {
    const out: Row = { ...(row as object) };
    for (const name of refs) if (out[name]) out[name] = (out[name] as RowRef).id;
    return out;
  };
  const created: Row[] = [];
  const updated: Row[] = [];
  const audit: AuditedChange[] = [];
  for (const row of rows) {
    const before = stored.get(row.id);
    if (!before) {
      const values = asStored(row);
      created.push(values);
      audit.push({ action: 'create', entityType: meta.className, entityId: row.id, changes: values });
    } else {
      const changed = properties.filter((p) => !sameValue(row[p], before[p]));
      if (changed.length === 0) continue;
      row.updatedAt = now;
      updated.push(asStored(row));
      audit.push({ action: 'update', entityType: meta.className, entityId: row.id, changes: Object.fromEntries([...changed.map((p) => [p, row[p]]), ['updatedAt', now]]) });
    }
    stored.set(row.id, { ...row });
  }
  if (audit.length === 0) return;
  await insertRows(em, entity, created);
  if (updated.length > 0) await updateRows(em, entity, ['updatedAt', ...properties], updated, condition);
  await recordChanges(em, actor, audit);
}

/** Records the changes as `actor`'s, in one statement. */
export async function recordChanges(em: EntityManager, actor: Actor, changes: readonly AuditedChange[]): Promise<void> {
  const insert = auditStatement(em, actor, changes);
  if (insert) await executeBound(em, insert.sql, insert.params);
}

/** recordChanges' statement, to write with others (writeAll); undefined for no changes. */
export function auditStatement(em: EntityManager, actor: Actor, changes: readonly AuditedChange[]): Statement | undefined {
  // As text: the batch's JSON holds it twice per entry, and JSON.stringify of a Date costs about 20 times a string's.
  const now = new Date().toISOString();
  const rows: Row[] = changes.map((c) => ({
    id: c.id ?? newId('aud'),
    createdAt: now,
    updatedAt: now,
    actorId: actor.id,
    actorName: actor.name,
    action: c.action,
    entityType: c.entityType,
    entityId: c.entityId,
    // Copied only when there is something to redact (the callers' own objects otherwise: nothing changes them).
    changes: Object.keys(c.changes).some((key) => SECRET_FIELDS.has(key)) ? auditedChanges(c.changes) : c.changes,
  }));
  return insertStatement(em, AuditEntry, rows);
}

/**
 * Inserts the rows and records their creation as `actor`'s (changes: every property the rows name, as
 * recordChanges would have written the rows), in one statement: the database builds the entries from the rows it
 * just inserted, so their JSON — as big as the rows' — is neither built here nor sent and parsed a second time
 * (issue #17). `entryIds`: the entries' ids, the rows' order, made with the rows so they sort with the call's other entries.
 */
export async function insertRowsRecorded(
  em: EntityManager, entity: EntityClass<object>, rows: ReadonlyArray<Row & { readonly id: string }>, entryIds: readonly string[], actor: Actor,
): Promise<void> {
  if (rows.length !== entryIds.length) throw new Error(`${rows.length} rows but ${entryIds.length} audit entry ids`);
  await insertRowsThen(em, entity, rows, ({ properties }) =>
    rowEntries(em, entity, actor, 'create', changesSql(em, entity, properties, 'i', rows), { sql: 'from inserted i', params: [] }, rows.map((r) => r.id), entryIds));
}

/**
 * Deletes the rows with these ids and records each deletion as `actor`'s with the values the row held (every
 * property, as its creation entry holds them), in one statement: the database builds the entries from the rows
 * it removes. `entryIds`: the entries' ids, in the order of `ids`.
 */
export async function deleteRowsRecorded(
  em: EntityManager, entity: EntityClass<object>, ids: readonly string[], entryIds: readonly string[], actor: Actor,
): Promise<void> {
  if (ids.length !== entryIds.length) throw new Error(`${ids.length} rows but ${entryIds.length} audit entry ids`);
  await deleteRowsThen(em, entity, ids, ({ properties }) =>
    rowEntries(em, entity, actor, 'delete', changesSql(em, entity, properties, 'i'), { sql: 'from deleted i', params: [] }, ids, entryIds));
}

/**
 * Rows created as parts of others (an invoice's lines, pushed with it): named inside their parent's creation
 * entry, under `key`, by id in `orderBy` order, their values not copied. One event, one entry: an invoice pushed
 * with ten lines is one creation in the audit log, not eleven, and the entry does not repeat what the parts
 * themselves hold (their JSON was most of a push's time in the embedded database: issue #17). For the log to
 * still hold every value a part ever had, whoever changes or removes a part later records what it held: an
 * update entry its changed properties' previous values, a delete entry its last values (deleteRowsRecorded).
 */
export interface RecordedParts {
  readonly entity: EntityClass<object>;
  readonly rows: ReadonlyArray<Row & { readonly id: string }>;
  /** The many-to-one naming the part's parent ("invoice"): every part's parent is one of the rows inserted with them. */
  readonly parent: string;
  readonly orderBy: string;
  readonly key: string;
}

/**
 * insertRowsRecorded for new rows with their new parts, in one statement: the rows, the parts and the rows'
 * creation entries (see RecordedParts), each built by the database from what it just inserted. A row without
 * parts gets an empty list.
 */
export async function insertRowsRecordedWithParts(
  em: EntityManager, entity: EntityClass<object>, rows: ReadonlyArray<Row & { readonly id: string }>, entryIds: readonly string[],
  parts: RecordedParts, actor: Actor,
): Promise<void> {
  if (rows.length !== entryIds.length) throw new Error(`${rows.length} rows but ${entryIds.length} audit entry ids`);
  const parents = new Set(rows.map((r) => r.id));
  const orphan = parts.rows.find((part) => !parents.has(part[parts.parent] as string));
  if (orphan) throw new Error(`${parts.entity.name} ${orphan.id}: its ${parts.parent} is not among the rows inserted with it, so no entry would name it`);
  const insert = insertReturning(em, entity, rows);
  if (!insert) return;
  const partsInsert = insertReturning(em, parts.entity, parts.rows);
  const parent = `p.${columnSql(em, parts.entity, parts.parent)}`;
  const lists = partsInsert
    ? `(select ${parent} as parent_id, jsonb_agg(p.id order by p.${columnSql(em, parts.entity, parts.orderBy)}) as items from parts p group by ${parent})`
    : '(select null::text as parent_id, null::jsonb as items where false)';
  const own = changesSql(em, entity, insert.properties, 'i', rows);
  const entries = rowEntries(
    em, entity, actor, 'create',
    { sql: `${own.sql} || jsonb_build_object('${parts.key}', coalesce(l.items, '[]'::jsonb))`, params: own.params },
    { sql: `from inserted i left join ${lists} l on l.parent_id = i.id`, params: [] },
    rows.map((r) => r.id), entryIds,
  );
  const partsWith = partsInsert ? `, parts as (${partsInsert.sql})` : '';
  await executeBound(em, `with inserted as (${insert.sql})${partsWith} ${entries.sql}`, [...insert.params, ...(partsInsert?.params ?? []), ...entries.params]);
}

/** The JSON of an entry's changes that lists every property of a row (see propertiesJsonSql), secrets redacted. */
function changesSql(em: EntityManager, entity: EntityClass<object>, properties: readonly string[], alias: string, rows?: readonly Row[]): Statement {
  const changes = propertiesJsonSql(em, entity, properties, alias, rows);
  const redacted = properties.filter((p) => SECRET_FIELDS.has(p)).map((p) => ` || jsonb_build_object('${p}', '[redacted]')`).join('');
  return { sql: changes.sql + redacted, params: changes.params };
}

/**
 * The insert of `action` entries as `actor`'s for the rows read as `i` from `from` (SQL that starts with `from`):
 * the entry of the row with each of `rowIds` has the id made for it (`entryIds`, same order), and `changes` its
 * JSON (SQL over `i`).
 */
function rowEntries(
  em: EntityManager, entity: EntityClass<object>, actor: Actor, action: 'create' | 'delete', changes: Statement, from: Statement,
  rowIds: readonly string[], entryIds: readonly string[],
): Statement {
  const meta = em.getMetadata().get(entity.name);
  return {
    sql:
      'insert into audit_entry (id, created_at, updated_at, actor_id, actor_name, action, entity_type, entity_id, changes) ' +
      `select e.id, now.at, now.at, ?, ?, ?, ?, i.id, ${changes.sql} ${from.sql} ` +
      'join unnest(?::text[], ?::text[]) e (id, entity_id) on e.entity_id = i.id, (select ?::timestamptz as at) now',
    params: [actor.id, actor.name, action, meta.className, ...changes.params, ...from.params, entryIds, rowIds, new Date().toISOString()],
  };
}
