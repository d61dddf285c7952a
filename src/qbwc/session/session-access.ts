/**
 * What every call of a running session re-checks of what authenticate checked: read with the session itself,
 * in the statement that locks it (`accessOfLoaded`: the session's `access` formula), or, before a call's large
 * body is read, in one statement of a few columns (session, connector, registration, credential, user joined).
 * Loading the registration, its user and credential as entities with the session (tracked by the call's unit of
 * work, walked at each of its flushes) cost more than the check itself.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound } from '../../db/rows.js';
import type { RegistrationAccess } from '../auth/authenticate-credential.js';
import type { QbwcSession, SessionState } from './qbwc-session.entity.js';

export interface SessionAccess extends RegistrationAccess {
  readonly state: SessionState;
  readonly createdAt: Date;
  readonly lastCallAt: Date;
  readonly connector: { readonly enabled: boolean; readonly name: string };
}

interface AccessRow {
  state: SessionState;
  created_at: string | Date;
  last_call_at: string | Date;
  connector_enabled: boolean;
  connector_name: string;
  revoked_at: string | Date | null;
  credential_active: boolean;
  rotated_at: string | Date | null;
  user_active: boolean;
  user_name: string;
}

/** The access of the session with this ticket and the registration in the call's URL; null when there is none. */
export async function sessionAccess(em: EntityManager, which: { readonly ticket: string; readonly registrationId: string }): Promise<SessionAccess | null> {
  const [row] = await executeBound<AccessRow>(em,
    `select s.state, s.created_at, s.last_call_at, k.enabled as connector_enabled, k.name as connector_name,
       r.revoked_at, c.active as credential_active, c.rotated_at, u.active as user_active, u.name as user_name
     from qbwc_session s join connector k on k.id = s.connector_id join registration r on r.id = s.registration_id
       join api_credential c on c.id = r.credential_id join app_user u on u.id = r.user_id
     where s.ticket = ? and s.registration_id = ?`, [which.ticket, which.registrationId]);
  if (!row) return null;
  // Timestamps as the driver gives them (a Date or its text, depending on the ORM's type parsers).
  const date = (value: string | Date) => new Date(value);
  return {
    state: row.state,
    createdAt: date(row.created_at),
    lastCallAt: date(row.last_call_at),
    connector: { enabled: row.connector_enabled, name: row.connector_name },
    revokedAt: row.revoked_at === null ? null : date(row.revoked_at),
    credentialActive: row.credential_active,
    credentialRotatedAt: row.rotated_at === null ? null : date(row.rotated_at),
    userActive: row.user_active,
    userName: row.user_name,
  };
}

/**
 * The access of a session loaded with its connector and `access` formula (findSession for a call): the same
 * figures as `sessionAccess`, from the statement that locked the session. Null when its registration is gone.
 */
export function accessOfLoaded(session: QbwcSession): SessionAccess | null {
  const stored = session.access;
  if (!stored) return null;
  return {
    state: session.state,
    createdAt: session.createdAt,
    lastCallAt: session.lastCallAt,
    connector: { enabled: session.connector.enabled, name: session.connector.name },
    revokedAt: stored.revokedAt === null ? null : new Date(stored.revokedAt),
    credentialActive: stored.credentialActive,
    credentialRotatedAt: stored.credentialRotatedAt === null ? null : new Date(stored.credentialRotatedAt),
    userActive: stored.userActive,
    userName: stored.userName,
  };
}
