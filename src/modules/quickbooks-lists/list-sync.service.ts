/**
 * When a list of a connector is due for a pull, which kind of pull, and the status shown in GraphQL. Shared
 * by the work source (what the next Web Connector session does) and the API (what a person sees), so the two
 * always agree.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ListSyncConfig } from '../../app/config.js';
import { SessionState } from '../../qbwc/session/qbwc-session.entity.js';
import { AppError } from '../../errors/app-error.js';
import { selectPlainRowsWith, type PlainRow } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import { currentActor } from '../audit/actor.js';
import { storeChangedRows } from '../audit/audit-log.js';
import { Connector } from '../connector/connector.entity.js';
import { ListSyncKind, ListSyncOutcome, QuickBooksListSync } from './list-sync-state.entity.js';
import { ALL_LISTS, LIST_SPECS, QuickBooksList } from './quickbooks-list.js';

const HOUR = 3_600_000;

/** A list's sync state as the verdicts below read it: the entity, or its plain row (the Web Connector's calls). */
export type ListSyncState = PlainRow<QuickBooksListSync>;

/** Why a list is due, or null when it is not. */
export type DueReason = 'NEVER_SYNCED' | 'COMPANY_FILE_CHANGED' | 'REQUESTED' | 'STALE' | 'INTERRUPTED' | null;

/**
 * Whether the list should be pulled now. `sessionId`: the session asking (a list is pulled at most once per
 * session — a failure waits for the next one); undefined outside a session (the API). `boundAt`: when the
 * connector's current company file binding began — a copy older than that is another file's — or null when
 * the connector is bound to no file (the next session binds one, and its lists must be pulled then).
 */
export function dueReason(
  state: ListSyncState | undefined,
  config: ListSyncConfig,
  now: Date,
  sessionId?: string,
  boundAt?: Date | null,
): DueReason {
  if (!state) return 'NEVER_SYNCED';
  if (state.runId) {
    // A run of this session is going on; a run of an earlier session died with it (iterators end with the QuickBooks session).
    if (sessionId !== undefined && state.runSessionId === sessionId) return null;
    return 'INTERRUPTED';
  }
  if (sessionId !== undefined && state.lastAttemptSessionId === sessionId) return null;
  if (!state.lastAttemptAt) return 'NEVER_SYNCED';
  if (boundAt === null || (boundAt && state.lastAttemptAt < boundAt)) return 'COMPANY_FILE_CHANGED';
  if (state.refreshRequestedAt) return 'REQUESTED';
  if (state.lastOutcome === ListSyncOutcome.INTERRUPTED) return 'INTERRUPTED';
  if (now.getTime() - state.lastAttemptAt.getTime() >= config.maxAgeHours * HOUR) return 'STALE';
  return null;
}

/**
 * Whether `dueReason` consults `boundAt` for this state: when it does not, the binding need not be read (a
 * list never pulled, or pulled or pulling in this session, is decided without it).
 */
export function dueDependsOnBinding(state: ListSyncState | undefined, sessionId?: string): boolean {
  if (!state || state.runId) return false;
  if (sessionId !== undefined && state.lastAttemptSessionId === sessionId) return false;
  return state.lastAttemptAt !== null;
}

/** Whether `kindOfNextRun` consults `boundAt` for this state (a list never fully pulled is pulled in full anyway). */
export function kindDependsOnBinding(state: ListSyncState): boolean {
  return LIST_SPECS[state.list].filters !== false && !state.fullRefreshRequested && state.highWaterMark !== null && state.lastFullSyncAt !== null;
}

/** Full pull (everything, notices deletions) or incremental (changed since the high-water mark). */
export function kindOfNextRun(state: ListSyncState, config: ListSyncConfig, now: Date, boundAt?: Date | null): ListSyncKind {
  // A query without FromModifiedDate (TemplateQuery) can only pull everything.
  if (LIST_SPECS[state.list].filters === false) return ListSyncKind.FULL;
  if (state.fullRefreshRequested || !state.highWaterMark || !state.lastFullSyncAt) return ListSyncKind.FULL;
  // Another company file: the high-water mark and the stored elements are the old file's.
  if (boundAt && (!state.lastAttemptAt || state.lastAttemptAt < boundAt)) return ListSyncKind.FULL;
  if (now.getTime() - state.lastFullSyncAt.getTime() >= config.fullEveryDays * 24 * HOUR) return ListSyncKind.FULL;
  return ListSyncKind.INCREMENTAL;
}

/** The sync states of a connector's lists, by list (lists never touched have none). */
export async function loadStates(em: EntityManager, connectorId: string): Promise<Map<QuickBooksList, QuickBooksListSync>> {
  const states = await em.find(QuickBooksListSync, { connector: connectorId });
  return new Map(states.map((s) => [s.list, s]));
}

/**
 * When each connector's current company file binding began (its Company's first contact), or null when the
 * connector is not bound to a file (never, or clearCompanyBinding). A new binding starts a new Company.
 * Absent (undefined) when unknown: such connectors are not checked.
 */
export async function boundSince(em: EntityManager, connectorIds: readonly string[]): Promise<Map<string, Date | null>> {
  if (connectorIds.length === 0) return new Map();
  const rows: Array<{ connector_id: string; company_id: string | null; first_contact_at: Date | string | null }> = await em.execute(
    `select k.id as connector_id, c.id as company_id, c.first_contact_at
     from connector k left join company c on c.id = k.company_id and c.unbound_at is null
     where k.id in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(connectorIds)],
  );
  const result = new Map<string, Date | null>();
  for (const r of rows) {
    const boundAt = bindingStart(r);
    if (boundAt !== undefined) result.set(r.connector_id, boundAt);
  }
  return result;
}

/** When the binding of a connector ⟕ company row began: null when unbound, undefined when unknown (no first contact). */
export function bindingStart(row: { company_id: string | null; first_contact_at: Date | string | null }): Date | null | undefined {
  if (row.company_id === null) return null;
  return row.first_contact_at === null ? undefined : new Date(row.first_contact_at);
}

/** The company binding and the active session of a connector, as `boundSince` and `activeSessionOf` tell them. */
export interface ConnectorBinding {
  readonly boundAt: Date | null | undefined;
  readonly activeSessionId: string | undefined;
}

/** A list's sync state as a Web Connector call holds it: a plain row it changes, written back by `storeStates`. */
export type ListSyncRow = { -readonly [K in keyof ListSyncState]: ListSyncState[K] };

/** What a Web Connector call reads of a connector's lists, in one statement (`readListSync`). */
export interface ListSyncFacts {
  /** By list (lists never touched have none). */
  readonly states: Map<QuickBooksList, ListSyncRow>;
  /**
   * Read with the states, so absent when there are none: no verdict needs the binding then (every list is
   * never synced, and its first pull is a full one).
   */
  readonly binding?: ConnectorBinding;
}

/**
 * The connector's list states as plain rows, with its company binding and active session, in one statement:
 * the list sync asks at every Web Connector call whether lists are due, and an entity per list (hydration, the
 * unit of work's change sets at every flush) cost more than the rest of the call's list sync.
 */
export async function readListSync(em: EntityManager, connectorId: string): Promise<ListSyncFacts> {
  const rows = await selectPlainRowsWith<QuickBooksListSync, { binding: { company_id: string | null; first_contact_at: string | null } | null; active_session_id: string | null }>(
    em,
    QuickBooksListSync,
    {
      binding: `(select jsonb_build_object('company_id', c.id, 'first_contact_at', c.first_contact_at)
         from connector k left join company c on c.id = k.company_id and c.unbound_at is null where k.id = ?)`,
      active_session_id: '(select s.id from qbwc_session s where s.connector_id = ? and s.state = ? limit 1)',
    },
    't.connector_id = ?',
    [connectorId, connectorId, SessionState.ACTIVE, connectorId],
  );
  const states = new Map(rows.map(({ row }) => [row.list, { ...row }]));
  const extra = rows[0]?.extra;
  if (!extra) return { states };
  return { states, binding: { boundAt: extra.binding ? bindingStart(extra.binding) : undefined, activeSessionId: extra.active_session_id ?? undefined } };
}

/**
 * `boundSince` and `activeSessionOf` of one connector in one statement, for a call that needs both without
 * its list states (readListSync reads them with those).
 */
export async function bindingAndActiveSession(em: EntityManager, connectorId: string): Promise<ConnectorBinding> {
  const rows: Array<{ company_id: string | null; first_contact_at: Date | string | null; active_session_id: string | null }> = await em.execute(
    `select c.id as company_id, c.first_contact_at,
       (select s.id from qbwc_session s where s.connector_id = k.id and s.state = ? limit 1) as active_session_id
     from connector k left join company c on c.id = k.company_id and c.unbound_at is null
     where k.id = ?`,
    [SessionState.ACTIVE, connectorId],
  );
  const row = rows[0];
  return { boundAt: row ? bindingStart(row) : undefined, activeSessionId: row?.active_session_id ?? undefined };
}

/** A new list's state, as `new QuickBooksListSync` makes it. */
export function newListSyncRow(connectorId: string, list: QuickBooksList): ListSyncRow {
  const now = new Date();
  return {
    id: newId('qbls'), createdAt: now, updatedAt: now, connector: { id: connectorId }, list,
    refreshRequestedAt: null, fullRefreshRequested: false,
    runId: null, runSessionId: null, runKind: null, runStartedAt: null, runFromModified: null, runMaxTimeModified: null, runPages: 0, runReceived: 0, runWritten: 0,
    lastAttemptAt: null, lastAttemptSessionId: null, lastKind: null, lastOutcome: null, lastStatusCode: null, lastError: null, lastReceived: null, lastWritten: null, lastFromModified: null,
    lastFullSyncAt: null, lastIncrementalSyncAt: null, highWaterMark: null,
  };
}

/** The properties a state's sync changes (all but its keys and creation time). */
const STATE_PROPERTIES = (Object.keys(newListSyncRow('', QuickBooksList.ACCOUNT)) as Array<keyof ListSyncRow>)
  .filter((p) => !['id', 'createdAt', 'updatedAt', 'connector', 'list'].includes(p));

/**
 * Writes the connector's states changed since they were read (`stored`: each as read or last written, by id; a
 * state missing there is new), set-based with their audit entries (storeChangedRows).
 */
export async function storeStates(em: EntityManager, connectorId: string, states: Iterable<ListSyncRow>, stored: Map<string, ListSyncRow>): Promise<void> {
  // By the (connector, list) index: PostgreSQL guesses 100 rows for the recordset and would rather scan the table.
  await storeChangedRows(em, QuickBooksListSync, states, stored, STATE_PROPERTIES, currentActor(), { sql: 't.connector_id = ?', params: [connectorId] });
}

/** Marks lists due for the connector's next Web Connector session (all lists when `lists` is empty). */
export async function requestRefresh(em: EntityManager, connectorId: string, lists: readonly QuickBooksList[], full: boolean): Promise<void> {
  const connector = await em.findOne(Connector, { id: connectorId });
  if (!connector) throw AppError.notFound('Connector', connectorId);
  const wanted = lists.length > 0 ? [...new Set(lists)] : ALL_LISTS;
  const states = await loadStates(em, connectorId);
  const now = new Date();
  for (const list of wanted) {
    let state = states.get(list);
    if (!state) em.persist((state = new QuickBooksListSync(connector, list)));
    state.refreshRequestedAt = now;
    state.fullRefreshRequested ||= full;
  }
  await em.flush();
}

// Sessions are read with plain SQL: a partial QbwcSession in the session engine's identity map would be trouble.

/** Which of the given sessions are still active (to tell a running pull from one whose session died). */
export async function activeSessionIds(em: EntityManager, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows: Array<{ id: string }> = await em.execute(
    `select id from qbwc_session where state = ? and id in (select jsonb_array_elements_text(?::jsonb))`,
    [SessionState.ACTIVE, JSON.stringify(ids)],
  );
  return new Set(rows.map((r) => r.id));
}

/** The connector's active Web Connector session, if any. */
export async function activeSessionOf(em: EntityManager, connectorId: string): Promise<string | undefined> {
  const rows: Array<{ id: string }> = await em.execute(`select id from qbwc_session where connector_id = ? and state = ? limit 1`, [
    connectorId,
    SessionState.ACTIVE,
  ]);
  return rows[0]?.id;
}

/** Element counts per (connector, list): all and active ones. */
export async function elementCounts(
  em: EntityManager,
  connectorIds: readonly string[],
): Promise<Map<string, { count: number; activeCount: number }>> {
  if (connectorIds.length === 0) return new Map();
  const rows: Array<{ connector_id: string; list: string; count: string | number; active_count: string | number }> = await em.execute(
    `select connector_id, list, count(*) as count, count(*) filter (where is_active) as active_count
     from quickbooks_list_element where connector_id in (select jsonb_array_elements_text(?::jsonb)) group by connector_id, list`,
    [JSON.stringify(connectorIds)],
  );
  return new Map(rows.map((r) => [`${r.connector_id}:${r.list}`, { count: Number(r.count), activeCount: Number(r.active_count) }]));
}
