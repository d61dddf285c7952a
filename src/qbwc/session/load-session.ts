/**
 * The session of a call, with its connector, read in one statement of the call's own and merged into the call's
 * EntityManager as managed entities (the call changes them; its flush writes them). A MikroORM findOne with
 * populate and lock built the same statement anew at every call, and building it, reading its joined columns
 * back and hydrating cost several times the statement itself (issue #17).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../../db/rows.js';
import { QbwcSession } from './qbwc-session.entity.js';

export interface SessionLoad {
  /** Lock the session row (FOR UPDATE) for the rest of the call's transaction; only that row. */
  readonly lock: boolean;
  /** Read what every call re-checks with it (the session's lazy `access` formula: accessOfLoaded). */
  readonly withAccess: boolean;
}

/** The session with this ticket of this registration, with its connector (not the connector's company); null when there is none. */
export async function loadSession(em: EntityManager, which: { readonly ticket: string; readonly registrationId: string }, load: SessionLoad): Promise<QbwcSession | null> {
  const meta = em.getMetadata().get(QbwcSession.name);
  const table = { alias: 's', name: meta.tableName, qualifiedName: meta.tableName, toString: () => 's' };
  const access = meta.properties.access!.formula!(table, meta.createColumnMappingObject());
  // The connector as one JSON value, column-keyed: its columns beside the session's would share their names.
  const [row] = await executeBound<Record<string, unknown> & { readonly session_connector: Record<string, unknown> }>(em,
    `select s.*${load.withAccess ? `, ${access} as access` : ''}, to_jsonb(k) as session_connector
     from qbwc_session s join connector k on k.id = s.connector_id
     where s.ticket = ? and s.registration_id = ?${load.lock ? ' for update of s' : ''}`,
    [which.ticket, which.registrationId]);
  if (!row) return null;
  const { session_connector: connector, ...session } = row;
  // The connector first: the session's reference to it resolves to this entity in the identity map.
  em.map('Connector', connector);
  return em.map(QbwcSession, session);
}
