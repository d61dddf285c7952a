/**
 * Audit entries for changes written set-based (plain rows, not flushed entities, so the flush subscriber
 * never sees them): one multi-row insert per batch, in the caller's transaction, with the same shape the
 * subscriber gives a flushed change (create: every column; update: the changed ones and updatedAt; delete: {}).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { insertRows, type Row } from '../../db/rows.js';
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
  readonly action: 'create' | 'update' | 'delete';
  /** The entity's class name, as the subscriber records it ("Invoice", "TransferItem"). */
  readonly entityType: string;
  readonly entityId: string;
  readonly changes: Record<string, unknown>;
}

/** Records the changes as `actor`'s, in one statement. */
export async function recordChanges(em: EntityManager, actor: Actor, changes: readonly AuditedChange[]): Promise<void> {
  // As text: the batch's JSON holds it twice per entry, and JSON.stringify of a Date costs about 20 times a string's.
  const now = new Date().toISOString();
  const rows: Row[] = changes.map((c) => ({
    id: newId('aud'),
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
  await insertRows(em, AuditEntry, rows);
}
