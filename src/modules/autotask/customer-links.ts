/**
 * The customers organizations became in a connector's company file (OrganizationQbLink), recorded from the
 * answers of one Web Connector message at once: one read of the links already there, one insert of the new
 * ones, one update of the changed ones and one insert of their audit entries, whatever the message's size. As
 * entities, each answer was a query of its own and a flush (the unit of work walked at every one of them).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound, insertRows, updateRows, type Row } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import type { Actor } from '../audit/actor.js';
import { recordChanges, type AuditedChange } from '../audit/audit-log.js';
import { OrganizationQbLink } from './organization.entity.js';

/** What an answer said about an organization's customer: its ListID, and its name and EditSequence when given. */
export interface CustomerLinkUpdate {
  readonly listId: string;
  readonly fullName?: string;
  readonly editSequence?: string;
}

interface StoredLink {
  readonly id: string;
  readonly organization_id: string;
  readonly list_id: string;
  readonly full_name: string;
  readonly edit_sequence: string | null;
}

/** Records `links` (organization id → what its answer said) for the connector, as `actor`. */
export async function writeCustomerLinks(em: EntityManager, connectorId: string, links: ReadonlyMap<string, CustomerLinkUpdate>, actor: Actor): Promise<void> {
  if (links.size === 0) return;
  const stored = new Map((await executeBound<StoredLink>(em,
    'select id, organization_id, list_id, full_name, edit_sequence from organization_qb_link where connector_id = ? and organization_id = any(?)',
    [connectorId, [...links.keys()]])).map((row) => [row.organization_id, row]));
  const now = new Date();
  const created: Row[] = [];
  const changed: Row[] = [];
  const audit: AuditedChange[] = [];
  for (const [organizationId, update] of links) {
    const link = stored.get(organizationId);
    if (!link) {
      const row = {
        id: newId('oql'), createdAt: now, updatedAt: now, organization: organizationId, connector: connectorId,
        listId: update.listId, fullName: update.fullName ?? '', editSequence: update.editSequence ?? null,
      };
      created.push(row);
      audit.push({ action: 'create', entityType: 'OrganizationQbLink', entityId: row.id, changes: row });
      continue;
    }
    // As the entity was changed: the ListID always, the name and EditSequence when the answer gave them.
    const next = { listId: update.listId, fullName: update.fullName || link.full_name, editSequence: update.editSequence ?? link.edit_sequence };
    const changes: Record<string, unknown> = {};
    if (next.listId !== link.list_id) changes['listId'] = next.listId;
    if (next.fullName !== link.full_name) changes['fullName'] = next.fullName;
    if (next.editSequence !== link.edit_sequence) changes['editSequence'] = next.editSequence;
    if (Object.keys(changes).length === 0) continue;
    changed.push({ id: link.id, updatedAt: now, ...next });
    audit.push({ action: 'update', entityType: 'OrganizationQbLink', entityId: link.id, changes: { ...changes, updatedAt: now } });
  }
  await insertRows(em, OrganizationQbLink, created);
  await updateRows(em, OrganizationQbLink, ['updatedAt', 'listId', 'fullName', 'editSequence'], changed);
  await recordChanges(em, actor, audit);
}
