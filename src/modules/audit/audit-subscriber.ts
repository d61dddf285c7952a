import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { AuditEntry } from './audit-entry.entity.js';
import { currentActor } from './actor.js';
import { auditedChanges } from './audit-log.js';

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
      const changes = auditedChanges(cs.payload ?? {});
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
