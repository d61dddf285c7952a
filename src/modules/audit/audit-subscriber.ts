import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { AuditEntry } from './audit-entry.entity.js';
import { currentActor } from './actor.js';
import { auditedChanges } from './audit-log.js';

/** Per entity class name: properties whose change alone is bookkeeping, not worth an entry (see auditQuietly). */
const QUIET = new Map<string, ReadonlySet<string>>();

/**
 * Changes of only these properties (and updatedAt) of `entity` are not recorded: bookkeeping an entity updates on
 * every call (a Web Connector session's last call time, counters, queued follow-ups), whose entry per call would
 * outweigh the change. They are recorded with the next change of anything else (a session's end, with its counts).
 */
export function auditQuietly(entity: { readonly name: string }, properties: readonly string[]): void {
  QUIET.set(entity.name, new Set([...properties, 'updatedAt']));
}

const ACTIONS: Partial<Record<ChangeSetType, string>> = {
  [ChangeSetType.CREATE]: 'create',
  [ChangeSetType.UPDATE]: 'update',
  [ChangeSetType.DELETE]: 'delete',
};

/**
 * Records every create/update/delete in the same flush (so in the same transaction) as the change.
 * Being a flush subscriber, it cannot be forgotten by a new resolver; bulk `nativeDelete`s and set-based
 * writes (audit-log.ts) are the exception and record their own entries.
 */
export class AuditSubscriber implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const actor = currentActor();
    const entries: AuditEntry[] = [];
    for (const cs of args.uow.getChangeSets()) {
      if (cs.entity instanceof AuditEntry) continue;
      const action = ACTIONS[cs.type];
      if (!action) continue;
      const payload = cs.payload ?? {};
      const quiet = cs.type === ChangeSetType.UPDATE ? QUIET.get(cs.meta.className) : undefined;
      if (quiet && Object.keys(payload).every((property) => quiet.has(property))) continue;
      const changes = auditedChanges(payload);
      entries.push(
        new AuditEntry({
          actorId: actor.id,
          actorName: actor.name,
          action,
          entityType: cs.meta.className,
          entityId: String(cs.getPrimaryKey() ?? (cs.entity as { id?: string }).id),
          changes,
        }),
      );
    }
    for (const entry of entries) {
      args.uow.computeChangeSet(entry);
    }
  }
}
