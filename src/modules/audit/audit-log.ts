/**
 * Audit entries for changes written set-based (plain rows, not flushed entities, so the flush subscriber
 * never sees them): one multi-row insert per batch, in the caller's transaction, with the same shape the
 * subscriber gives a flushed change (create: every column; update: the changed ones and updatedAt; delete: {}).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReferenceKind, type EntityClass } from '@mikro-orm/core';
import { executeBound, insertRows, insertRowsThen, insertStatement, propertiesJsonSql, updateRows, type Row, type RowRef, type Statement } from '../../db/rows.js';
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
  const meta = em.getMetadata().get(entity.name);
  await insertRowsThen(em, entity, rows, ({ properties }) => {
    const changes = propertiesJsonSql(em, entity, properties, 'i', rows);
    const redacted = properties.filter((p) => SECRET_FIELDS.has(p)).map((p) => ` || jsonb_build_object('${p}', '[redacted]')`).join('');
    return {
      sql:
        'insert into audit_entry (id, created_at, updated_at, actor_id, actor_name, action, entity_type, entity_id, changes) ' +
        `select e.id, now.at, now.at, ?, ?, 'create', ?, i.id, ${changes.sql}${redacted} ` +
        'from inserted i join unnest(?::text[], ?::text[]) e (id, entity_id) on e.entity_id = i.id, (select ?::timestamptz as at) now',
      params: [actor.id, actor.name, meta.className, ...changes.params, entryIds, rows.map((r) => r.id), new Date().toISOString()],
    };
  });
}
