/**
 * The transfer ledger's state machine: the only code that changes a TransferItem's state.
 *
 *   enqueue             (new) → QUEUED; FAILED / CANCELLED → QUEUED; any other state: returned unchanged
 *                       (enqueueBatch: the same, set-based, for the API's big batches)
 *   markSent            QUEUED → SENT                          (the engine; attemptCount + 1)
 *   markSucceeded       SENT → SUCCEEDED                       (the engine)
 *   markFailed          SENT → FAILED, or QUEUED → FAILED      (the engine; the latter when it could not even be built)
 *   markNeedsReconcile  SENT → NEEDS_RECONCILE                 (the engine; outcome unknown, looked up before any re-send)
 *   markLookupSent      NEEDS_RECONCILE / QUEUED (to reconcile) → SENT  (the engine: the lookup query is on its way)
 *   markConfirmedAbsent SENT (lookup) → QUEUED                 (the engine: QuickBooks certainly lacks it; send it)
 *   retry               FAILED / CANCELLED / NEEDS_RECONCILE → QUEUED   (a person)
 *   cancel              QUEUED / FAILED / NEEDS_RECONCILE → CANCELLED   (a person)
 *   requeueChanged      SUCCEEDED → QUEUED                     (its entity changed after the transfer and the
 *                                                               plugin sends the change: a re-approved timesheet day,
 *                                                               a changed purchase order, a cancelled receipt);
 *                                                               `needsResync` shows it until markSucceeded
 *
 * Every transition appends a TransferAttempt (numbered 1, 2, 3...) saying who made it; `attemptCount`
 * counts only real sends. The functions change the entities in memory (new attempts are reached through
 * `item.attempts`, so the caller's flush writes them); the caller flushes, usually in its own transaction.
 * Only `enqueue` reads the database. An illegal transition throws TRANSFER_STATE_CONFLICT.
 *
 * The Web Connector engine's hot path reads its items outside the identity map (no flush sees them) and writes
 * what the same functions did to them with `writeSteps`: one statement for the changed rows, one for their new
 * steps, one for the audit entries, whatever their number.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import { currentActor, type Actor } from '../audit/actor.js';
import type { Connector } from '../connector/connector.entity.js';
import type * as Sdk from '../../../plugins/sdk/index.js';
import { storedAlerts } from './transfer-alert.js';
import { TransferAttempt, TransferItem } from './transfer-item.entity.js';
import { CANCELLABLE_STATES, RETRYABLE_STATES, TransferEntityType, TransferState } from './transfer-state.js';
import { transferSteps } from '../../app/metrics.js';
import type { AnswerDetail } from '../../shared/answer-detail.js';
import { executeBound, insertStatement, updateStatement, writeAll, type Row } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import { auditStatement, type AuditedChange } from '../audit/audit-log.js';

/** The author of the steps the Web Connector engine makes (sending, recording QuickBooks' answer). */
export const WEB_CONNECTOR_ACTOR: Actor = { id: 'qbwc', name: 'Web Connector' };

/** States `enqueue` re-queues; for the others it returns the item as it is. */
const REQUEUED_BY_ENQUEUE: ReadonlySet<TransferState> = new Set([TransferState.FAILED, TransferState.CANCELLED]);

export interface EnqueueRequest {
  readonly connector: Connector;
  readonly entityType: TransferEntityType;
  /** Our id of the organization, invoice or payment. */
  readonly entityId: string;
  readonly actor: Actor;
}

/**
 * Puts an entity in a connector's queue, idempotently: a new ledger row is QUEUED; an existing one that is
 * QUEUED, SENT, SUCCEEDED or NEEDS_RECONCILE is returned unchanged (never sent twice, never silently
 * re-sent while its outcome is unknown); a FAILED or CANCELLED one is queued again.
 */
export async function enqueue(em: EntityManager, request: EnqueueRequest): Promise<TransferItem> {
  const [item] = await enqueueAll(em, [request]);
  return item!;
}

/** `enqueue` for many entities with one read; returns the ledger rows in the order asked. */
export async function enqueueAll(em: EntityManager, requests: readonly EnqueueRequest[]): Promise<TransferItem[]> {
  const key = (entityType: string, entityId: string, connectorId: string) => `${entityType}\u0000${entityId}\u0000${connectorId}`;
  const existing = new Map<string, TransferItem>();
  for (const entityType of new Set(requests.map((r) => r.entityType))) {
    const entityIds = [...new Set(requests.filter((r) => r.entityType === entityType).map((r) => r.entityId))];
    for (const row of await em.find(TransferItem, { entityType, entityId: { $in: entityIds } })) {
      existing.set(key(row.entityType, row.entityId, row.connector.id), row);
    }
  }
  return requests.map(({ connector, entityType, entityId, actor }) => {
    const k = key(entityType, entityId, connector.id);
    let item = existing.get(k);
    if (!item) {
      item = new TransferItem(connector, entityType, entityId);
      item.queuedBy = actor.name;
      record(item, TransferState.QUEUED, { actor, message: 'queued' });
      em.persist(item);
      existing.set(k, item);
    } else {
      requeueEnded(item, actor);
    }
    return item;
  });
}

/** Enqueueing an existing row: a FAILED or CANCELLED one is queued again; any other is left as it is. */
function requeueEnded(item: TransferItem, actor: Actor): void {
  if (!REQUEUED_BY_ENQUEUE.has(item.state)) return;
  item.queuedBy = actor.name;
  requeue(item, actor, `queued again after ${item.state}`);
}

/**
 * The ledger rows of a batch's (entity type, entity id, connector) triples. A probe of the unique index per triple,
 * whatever the statistics say: a lateral subquery with `offset 0` is not flattened into a join, which PostgreSQL
 * plans as a scan of the whole ledger when it misjudges the batch or the table (it guesses 100 rows for any
 * recordset; right after a big push, before autoanalyze, it thinks the table small). As TRANSFERRED_IDS_SQL.
 */
export const STORED_FOR_ENQUEUE_SQL = `select t.id, t.entity_type, t.entity_id, t.connector_id, t.state
  from jsonb_populate_recordset(null::transfer_item, ?::jsonb) r
  cross join lateral (select t.* from transfer_item t
    where t.entity_type = r.entity_type and t.entity_id = r.entity_id and t.connector_id = r.connector_id offset 0) t`;

/**
 * `enqueueAll` set-based, for the API's batches (queueTransfers, up to 1000 at once): one read of the ledger;
 * the new rows, their first history step and their audit entries one insert each; only the rows queued again
 * (FAILED / CANCELLED, the rare case) go through entities. Unlike enqueueAll it writes itself; the rows are
 * returned, in the order asked, as read back (not kept in the identity map), or as references (`answer` 'ids').
 */
export async function enqueueBatch(em: EntityManager, requests: readonly EnqueueRequest[], answer: AnswerDetail = 'entities'): Promise<TransferItem[]> {
  if (requests.length === 0) return [];
  const key = (entityType: string, entityId: string, connectorId: string) => `${entityType}\u0000${entityId}\u0000${connectorId}`;
  const wanted = requests.map((r) => ({ entity_type: r.entityType, entity_id: r.entityId, connector_id: r.connector.id }));
  const stored = await executeBound<{ id: string; entity_type: string; entity_id: string; connector_id: string; state: TransferState }>(
    em, STORED_FOR_ENQUEUE_SQL, [JSON.stringify(wanted)],
  );
  const existing = new Map(stored.map((row) => [key(row.entity_type, row.entity_id, row.connector_id), row]));
  const ended: Array<{ id: string; actor: Actor }> = [];
  const absent = new Map<string, EnqueueRequest>();
  for (const request of requests) {
    const k = key(request.entityType, request.entityId, request.connector.id);
    const row = existing.get(k);
    if (!row) absent.set(k, absent.get(k) ?? request);
    else if (REQUEUED_BY_ENQUEUE.has(row.state)) ended.push({ id: row.id, actor: request.actor });
  }
  const queued = await insertQueued(em, [...absent.values()]);
  const newIds = new Map([...absent.keys()].map((k, i) => [k, queued[i]!]));
  const ids = requests.map((r) => {
    const k = key(r.entityType, r.entityId, r.connector.id);
    return existing.get(k)?.id ?? newIds.get(k)!;
  });
  if (ended.length) {
    const entities = new Map((await em.find(TransferItem, { id: { $in: ended.map((e) => e.id) } })).map((i) => [i.id, i]));
    for (const { id, actor } of ended) requeueEnded(entities.get(id)!, actor);
    await em.flush();
  }
  if (answer === 'ids') return ids.map((id) => em.getReference(TransferItem, id));
  const read = new Map((await em.find(TransferItem, { id: { $in: [...new Set(ids)] } }, { disableIdentityMap: true })).map((i) => [i.id, i]));
  return ids.map((id) => read.get(id)!);
}

/**
 * New QUEUED ledger rows for entities that have none for their connector (the caller read that, and asks each
 * once): the rows, their first history steps and their audit entries one insert each. Returns their ids, in order.
 */
export async function insertQueued(em: EntityManager, requests: readonly EnqueueRequest[]): Promise<string[]> {
  if (requests.length === 0) return [];
  // As text, as JSON.stringify would write it: it goes into the batch's JSON four times per row (and its audit entries).
  const now = new Date().toISOString();
  const items: Row[] = [];
  const attempts: Row[] = [];
  const audit = new Map<Actor, AuditedChange[]>();
  for (const { connector, entityType, entityId, actor } of requests) {
    const item = { ...NEW_ITEM, id: newId('xfer'), createdAt: now, updatedAt: now, connector: connector.id, entityType, entityId, queuedBy: actor.name };
    const attempt = { ...FIRST_STEP, id: newId('xatt'), createdAt: now, updatedAt: now, item: item.id, actor: actor.name };
    items.push(item);
    attempts.push(attempt);
    const changes = audit.get(actor) ?? audit.set(actor, []).get(actor)!;
    changes.push({ action: 'create', entityType: 'TransferItem', entityId: item.id, changes: item });
    changes.push({ action: 'create', entityType: 'TransferAttempt', entityId: attempt.id, changes: attempt });
    transferSteps.inc({ entity_type: entityType, state: TransferState.QUEUED });
  }
  await writeAll(em, [
    insertStatement(em, TransferItem, items), insertStatement(em, TransferAttempt, attempts),
    ...[...audit].map(([actor, changes]) => auditStatement(em, actor, changes)),
  ]);
  return items.map((i) => i.id as string);
}

/** A new ledger row as `enqueue` makes it (what `new TransferItem` and its first `record` set), without its keys. */
const NEW_ITEM = {
  state: TransferState.QUEUED,
  attemptCount: 0,
  stepCount: 1,
  reconcileBeforeSend: false,
  qbStatusCode: null,
  qbStatusMessage: null,
  hint: null,
  alerts: [],
  qbListId: null,
  qbTxnId: null,
  qbRefNumber: null,
  qbEditSequence: null,
  requestId: null,
  ticket: null,
  sentAt: null,
  finishedAt: null,
} as const;

/** A new row's first history step. */
const FIRST_STEP = { number: 1, state: TransferState.QUEUED, qbStatusCode: null, message: 'queued', requestId: null } as const;

export interface SentDetails {
  /** The qbXML requestID of the request carrying the item; QuickBooks' response repeats it. */
  readonly requestId: string;
  /** The Web Connector session ticket the request went out in. */
  readonly ticket: string;
}

/** QUEUED → SENT: the request is on its way to QuickBooks (counts as an attempt). */
export function markSent(item: TransferItem, details: SentDetails, actor: Actor = WEB_CONNECTOR_ACTOR): TransferAttempt {
  assertState(item, SEND, [TransferState.QUEUED]);
  item.attemptCount += 1;
  item.requestId = details.requestId;
  item.ticket = details.ticket;
  item.sentAt = new Date();
  return record(item, TransferState.SENT, { actor, requestId: details.requestId, message: `sent (attempt ${item.attemptCount})` });
}

export interface SucceededDetails {
  /** ListID, for list objects (customers, items). */
  readonly listId?: string | null;
  /** TxnID, for transactions (invoices, payments). */
  readonly txnId?: string | null;
  readonly refNumber?: string | null;
  readonly editSequence?: string | null;
  /** TxnLineIDs by the plugin's line key (replace the stored ones when given). */
  readonly lineIds?: Readonly<Record<string, string>> | null;
  /** QuickBooks' statusCode ("0", or a warning code such as "530"). */
  readonly statusCode: string;
  readonly message: string;
  /** What the plugin says to check although it succeeded (replaces the item's alerts). */
  readonly alerts?: readonly Sdk.TransferAlert[];
}

/** SENT → SUCCEEDED: QuickBooks recorded it; keeps the QuickBooks ids it answered with, and the plugin's alerts. */
export function markSucceeded(item: TransferItem, details: SucceededDetails, actor: Actor = WEB_CONNECTOR_ACTOR): TransferAttempt {
  assertState(item, SUCCEED, [TransferState.SENT]);
  if (details.listId != null) item.qbListId = details.listId;
  if (details.txnId != null) item.qbTxnId = details.txnId;
  if (details.refNumber != null) item.qbRefNumber = details.refNumber;
  if (details.editSequence != null) item.qbEditSequence = details.editSequence;
  if (details.lineIds != null) item.qbLineIds = { ...details.lineIds };
  const changedMeanwhile = item.resyncAfterSend;
  item.resyncAfterSend = false;
  item.needsResync = false;
  item.qbStatusCode = details.statusCode;
  item.qbStatusMessage = details.message;
  item.alerts = storedAlerts(details.alerts);
  item.hint = null;
  item.reconcileBeforeSend = false;
  item.finishedAt = new Date();
  const succeeded = record(item, TransferState.SUCCEEDED, { actor, statusCode: details.statusCode, message: details.message });
  if (changedMeanwhile) requeueChanged(item, actor, 'changed in Autotask while the previous version was being sent: sending the change');
  return succeeded;
}

/**
 * The entity changed while its item is on its way to QuickBooks with the version before (SENT, or NEEDS_RECONCILE
 * after a lost answer): that version lands or is found first, then the item is queued again for the change. A
 * QUEUED item needs nothing: it is translated from the entity as it is when it goes.
 */
export function resyncAfterSend(item: TransferItem): void {
  if (item.state !== TransferState.SENT && item.state !== TransferState.NEEDS_RECONCILE) return;
  item.resyncAfterSend = true;
  item.needsResync = true;
}

export interface FailedDetails {
  /** QuickBooks' statusCode or HRESULT; null when it failed before reaching QuickBooks (e.g. a missing mapping). */
  readonly statusCode: string | null;
  readonly message: string;
  /** What a person can do about it, in plain words. */
  readonly hint: string;
}

/** SENT → FAILED (QuickBooks refused it), or QUEUED → FAILED (it could not even be built, e.g. a missing mapping). */
export function markFailed(item: TransferItem, details: FailedDetails, actor: Actor = WEB_CONNECTOR_ACTOR): TransferAttempt {
  assertState(item, FAIL, [TransferState.SENT, TransferState.QUEUED]);
  // A retry translates the entity as it is then, changes included.
  item.resyncAfterSend = false;
  item.qbStatusCode = details.statusCode;
  item.qbStatusMessage = details.message;
  item.hint = details.hint;
  item.finishedAt = new Date();
  return record(item, TransferState.FAILED, { actor, statusCode: details.statusCode, message: details.message });
}

/**
 * SENT → NEEDS_RECONCILE: the request may or may not have reached QuickBooks (response lost or unreadable).
 * It is never re-sent blindly: a retry first looks it up in QuickBooks (`reconcileBeforeSend`).
 */
export function markNeedsReconcile(item: TransferItem, details: { reason: string }, actor: Actor = WEB_CONNECTOR_ACTOR): TransferAttempt {
  assertState(item, RECONCILE, [TransferState.SENT]);
  item.qbStatusMessage = details.reason;
  item.hint =
    'QuickBooks may or may not have recorded it. Check the company file: retry it (it is looked up in QuickBooks ' +
    'before being sent again, so no duplicate is created), or cancel it if it should not be sent.';
  item.reconcileBeforeSend = true;
  return record(item, TransferState.NEEDS_RECONCILE, { actor, message: details.reason });
}

/**
 * NEEDS_RECONCILE (or QUEUED with reconcileBeforeSend) → SENT: a query that looks the item up in QuickBooks
 * is on its way. Not an attempt: nothing is created. `reconcileBeforeSend` stays set until the answer.
 */
export function markLookupSent(item: TransferItem, details: SentDetails, actor: Actor = WEB_CONNECTOR_ACTOR): TransferAttempt {
  assertState(item, LOOKUP, [TransferState.NEEDS_RECONCILE, TransferState.QUEUED]);
  item.reconcileBeforeSend = true;
  item.requestId = details.requestId;
  item.ticket = details.ticket;
  return record(item, TransferState.SENT, { actor, requestId: details.requestId, message: 'looking it up in QuickBooks before sending it again' });
}

/** SENT (a lookup) → QUEUED: QuickBooks certainly does not have it, so it may be sent. */
export function markConfirmedAbsent(item: TransferItem, actor: Actor = WEB_CONNECTOR_ACTOR): TransferAttempt {
  assertState(item, ABSENT, [TransferState.SENT]);
  item.reconcileBeforeSend = false;
  // What goes now is translated from the entity as it is, changes included.
  item.resyncAfterSend = false;
  item.hint = null;
  return record(item, TransferState.QUEUED, { actor, message: 'not found in QuickBooks: it will be sent' });
}

/**
 * FAILED / CANCELLED / NEEDS_RECONCILE → QUEUED, by a person. From NEEDS_RECONCILE the item is looked up
 * in QuickBooks before it is sent again.
 */
export function retry(item: TransferItem, actor: Actor): TransferAttempt {
  assertState(item, RETRY, [...RETRYABLE_STATES]);
  return requeue(item, actor, `retried after ${item.state}`);
}

/** QUEUED / FAILED / NEEDS_RECONCILE → CANCELLED, by a person: it will not be sent (until retried). */
export function cancel(item: TransferItem, actor: Actor): TransferAttempt {
  assertState(item, CANCEL, [...CANCELLABLE_STATES]);
  item.hint = null;
  item.finishedAt = new Date();
  return record(item, TransferState.CANCELLED, { actor, message: `cancelled while ${item.state}` });
}

/**
 * SUCCEEDED → QUEUED: the entity changed in Autotask after it reached QuickBooks and its plugin changes the
 * QuickBooks record it made (its ids stay on the item: TimeTrackingMod / TxnDel, never a second Add).
 */
export function requeueChanged(item: TransferItem, actor: Actor, message: string): TransferAttempt {
  assertState(item, REQUEUE_CHANGED, [TransferState.SUCCEEDED]);
  item.queuedBy = actor.name;
  item.needsResync = true;
  return requeue(item, actor, message);
}

function requeue(item: TransferItem, actor: Actor, message: string): TransferAttempt {
  if (item.state === TransferState.NEEDS_RECONCILE) item.reconcileBeforeSend = true;
  item.hint = null;
  item.finishedAt = null;
  return record(item, TransferState.QUEUED, { actor, message });
}

interface StepDetails {
  readonly actor: Actor;
  readonly message?: string;
  readonly statusCode?: string | null;
  readonly requestId?: string;
}

/** Moves the item to `state` and appends the numbered history step saying so. */
function record(item: TransferItem, state: TransferState, details: StepDetails): TransferAttempt {
  item.state = state;
  transferSteps.inc({ entity_type: item.entityType, state });
  item.stepCount += 1;
  const attempt = new TransferAttempt(item, item.stepCount, state);
  attempt.actor = details.actor.name;
  attempt.message = details.message ?? null;
  attempt.qbStatusCode = details.statusCode ?? null;
  attempt.requestId = details.requestId ?? null;
  // Persisted with the item on the caller's flush (relations cascade persist).
  item.attempts.add(attempt);
  return attempt;
}

/** What a person or the engine tried, for the conflict message. */
interface Action {
  readonly verb: string;
  readonly done: string;
}

const SEND: Action = { verb: 'send', done: 'sent' };
const SUCCEED: Action = { verb: 'mark as succeeded', done: 'marked as succeeded' };
const FAIL: Action = { verb: 'mark as failed', done: 'marked as failed' };
const RECONCILE: Action = { verb: 'mark as needing reconciliation', done: 'marked as needing reconciliation' };
const RETRY: Action = { verb: 'retry', done: 'retried' };
const LOOKUP: Action = { verb: 'look up', done: 'looked up' };
const ABSENT: Action = { verb: 'confirm as absent', done: 'confirmed absent' };
const CANCEL: Action = { verb: 'cancel', done: 'cancelled' };
const REQUEUE_CHANGED: Action = { verb: 'queue the change of', done: 'queued for a change' };

/** Why a person's action is not possible in the item's state, and what to do instead. */
const ADVICE = new Map<Action, Partial<Record<TransferState, string>>>([
  [RETRY, {
    [TransferState.QUEUED]: 'it is already waiting for the next Web Connector run, so there is nothing to retry',
    [TransferState.SENT]: 'QuickBooks has the request and has not answered yet; wait for its answer, then retry if it fails',
    [TransferState.SUCCEEDED]: 'it is already in QuickBooks and sending it again would create a duplicate; change it in QuickBooks instead',
  }],
  [CANCEL, {
    [TransferState.SENT]: 'QuickBooks already has the request, so it can no longer be withdrawn; wait for its answer',
    [TransferState.SUCCEEDED]: 'it is already in QuickBooks and cancelling cannot take it out; void or delete it in QuickBooks if it should not be there',
    [TransferState.CANCELLED]: 'it is already cancelled; retry it to queue it again',
  }],
]);

function assertState(item: TransferItem, action: Action, allowed: readonly TransferState[]): void {
  if (allowed.includes(item.state)) return;
  const advice =
    ADVICE.get(action)?.[item.state] ??
    `only a ${allowed.join(' or ')} item can be ${action.done}` + (RETRYABLE_STATES.has(item.state) ? '; retry it first' : '');
  throw new AppError(
    'TRANSFER_STATE_CONFLICT',
    `Cannot ${action.verb} the transfer of ${item.entityType} ${item.entityId} (${item.id}): it is ${item.state}; ${advice}.`,
  );
}

/** The stored properties of a ledger row the transitions change (all but its keys and creation time). */
const STEP_PROPERTIES = [
  'state', 'attemptCount', 'stepCount', 'reconcileBeforeSend', 'qbStatusCode', 'qbStatusMessage', 'hint', 'alerts', 'qbListId', 'qbTxnId',
  'qbRefNumber', 'qbEditSequence', 'qbLineIds', 'needsResync', 'resyncAfterSend', 'queuedBy', 'requestId', 'ticket', 'sentAt', 'finishedAt',
] as const satisfies ReadonlyArray<keyof TransferItem>;

/** A ledger row's changeable properties as read, to tell what the transitions changed (`writeSteps`). */
export type LedgerSnapshot = Readonly<Record<(typeof STEP_PROPERTIES)[number], unknown>>;

export function snapshotOf(item: TransferItem): LedgerSnapshot {
  return Object.fromEntries(STEP_PROPERTIES.map((p) => [p, stored(item[p])])) as LedgerSnapshot;
}

/** A property's value as it is stored and audited (JSON for jsonb, ISO text for dates), for comparing. */
function stored(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

/**
 * Writes what this module's transitions did in memory to items read outside the identity map (no flush writes
 * them), set-based: the changed rows in one update, only where each is still in the state it was read in (a
 * person's cancel or retry meanwhile is a conflict, never overwritten: the call's transaction rolls back);
 * their new steps in one insert; and the audit entries the flush subscriber would have made (an update with
 * the changed properties and updatedAt, a create per step) in one more. Unchanged items write nothing.
 */
export async function writeSteps(em: EntityManager, items: Iterable<readonly [TransferItem, LedgerSnapshot]>, actor: Actor = currentActor()): Promise<void> {
  const now = new Date();
  const rows: Row[] = [];
  const expected: Record<string, unknown> = {};
  const steps: Row[] = [];
  const audit: AuditedChange[] = [];
  for (const [item, before] of items) {
    const changed = STEP_PROPERTIES.filter((p) => stored(item[p]) !== before[p]);
    if (changed.length === 0) continue;
    item.updatedAt = now;
    rows.push(Object.fromEntries([['id', item.id], ['updatedAt', now], ...STEP_PROPERTIES.map((p) => [p, item[p]])]));
    expected[item.id] = before.state;
    audit.push({ action: 'update', entityType: 'TransferItem', entityId: item.id, changes: Object.fromEntries([...changed.map((p) => [p, item[p]]), ['updatedAt', now]]) });
    // The steps numbered after the one it was read with are this call's (record() numbers them).
    for (const step of item.attempts.getItems(false)) {
      if (step.number <= (before.stepCount as number)) continue;
      const row = {
        id: step.id, createdAt: step.createdAt, updatedAt: step.updatedAt, item: item.id, number: step.number, state: step.state,
        qbStatusCode: step.qbStatusCode, message: step.message, actor: step.actor, requestId: step.requestId,
      };
      steps.push(row);
      audit.push({ action: 'create', entityType: 'TransferAttempt', entityId: step.id, changes: row });
    }
  }
  if (rows.length === 0) return;
  // The ids as an array too: PostgreSQL guesses 100 rows for any recordset and would rather scan the table than
  // probe its primary key that often; `id = any(array(...))` is probed (test/mapping-engine/ledger-query-plans.test.ts).
  const guard = JSON.stringify(expected);
  // The rows, their steps and the audit entries in one statement: a conflict throws, and the call's transaction
  // takes the steps and entries back with everything else.
  const updated = await writeAll(em, [
    updateStatement(em, TransferItem, ['updatedAt', ...STEP_PROPERTIES], rows, {
      sql: 't.id = any(array(select jsonb_object_keys(?::jsonb))) and t.state::text = (?::jsonb ->> t.id)',
      params: [guard, guard],
    }),
    insertStatement(em, TransferAttempt, steps),
    auditStatement(em, actor, audit),
  ]);
  if (updated !== rows.length) {
    throw new AppError('TRANSFER_STATE_CONFLICT', `${rows.length - updated} of ${rows.length} transfers changed state while the Web Connector was handling them; nothing of this call was kept.`);
  }
}
