/**
 * The list sync as a Web Connector work source: per connector, each QuickBooks list that is due (never
 * pulled, stale, requested, interrupted, or from another company file) is pulled once per session — iterated in pages where the query
 * supports iterators, incremental (FromModifiedDate) after the first full pull, always ActiveStatus All so
 * elements made inactive update too. State lives in `quickbooks_list_sync` (any instance may serve any call);
 * elements in `quickbooks_list_element`.
 *
 *   startServer(config, logger, database, { workSources: [createListSyncSource(config)] })
 */
import type { Config, ListSyncConfig } from '../../app/config.js';
import type { QbxmlResponseItem } from '../../qbwc/qbxml-message.js';
import type { QbwcSession } from '../../qbwc/session/qbwc-session.entity.js';
import type { Budget, OutboundRequest, SentRequest, WorkContext, WorkSource } from '../../qbwc/work/work-source.js';
import { newId } from '../../shared/ids.js';
import { removeUnseen, writePage } from './list-element.store.js';
import { ListSyncKind, ListSyncOutcome, QuickBooksListSync } from './list-sync-state.entity.js';
import { bindingAndActiveSession, boundSince, dueDependsOnBinding, dueReason, kindDependsOnBinding, kindOfNextRun, loadStates } from './list-sync.service.js';
import { fromModifiedDate, laterQbDateTime } from './qb-time.js';
import { ALL_LISTS, HIERARCHICAL_LISTS, LIST_SPECS, listQuery, readRows, type ListSpec, type QuickBooksList } from './quickbooks-list.js';

export const LIST_SYNC_SOURCE_ID = 'quickbooks-lists';

/** What each request carries back to its response. */
interface RequestMeta {
  readonly list: QuickBooksList;
  readonly run: string;
  readonly page: number;
}

/** A pull the answers of a message finished, for finishResponses. */
interface FinishedPull {
  readonly list: QuickBooksList;
  readonly kind: ListSyncKind | null;
  readonly pages: number;
  readonly received: number;
  readonly written: number;
  readonly run: string;
}

type SourceContext = Omit<WorkContext, 'session' | 'qbxmlVersion'> & { readonly session?: QbwcSession };

export class ListSyncSource implements WorkSource {
  readonly id = LIST_SYNC_SOURCE_ID;
  /** Per call (its WorkContext): the list states prepareResponses loaded, which handleResponse and hasPending use. */
  private readonly prepared = new WeakMap<object, Map<QuickBooksList, QuickBooksListSync>>();
  /** Per call: the pulls its answers finished, whose unseen elements finishResponses removes. */
  private readonly finishedPulls = new WeakMap<object, FinishedPull[]>();

  constructor(
    private readonly config: ListSyncConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Lists due for this connector. Lists the current session already pulled or is pulling do not count, so a
   * failing list cannot keep a session going. The engine passes the session when it computes progress but not
   * in every call (authenticate, the NoOp check), so without one the connector's active session is looked up.
   */
  async pendingCount(ctx: SourceContext): Promise<number> {
    if (!ctx.connector.enabled) return 0;
    const states = await loadStates(ctx.em, ctx.connector.id);
    if (states.size === 0) return ALL_LISTS.length;
    let sessionId = ctx.session?.id;
    let boundAt: Date | null | undefined;
    if (sessionId) boundAt = await this.boundAtWhenNeeded(ctx, states, sessionId);
    else ({ boundAt, activeSessionId: sessionId } = await bindingAndActiveSession(ctx.em, ctx.connector.id));
    const now = this.now();
    return ALL_LISTS.filter((list) => dueReason(states.get(list), this.config, now, sessionId, boundAt) !== null).length;
  }

  /**
   * Asked after every answer: the states this message's answers loaded (prepareResponses) are current (the
   * answers changed those very objects), so mostly no statement at all; the binding is read only when a list's
   * verdict depends on it.
   */
  async hasPending(ctx: Omit<WorkContext, 'qbxmlVersion'>): Promise<boolean> {
    if (!ctx.connector.enabled) return false;
    const states = this.prepared.get(ctx) ?? (await loadStates(ctx.em, ctx.connector.id));
    const boundAt = await this.boundAtWhenNeeded(ctx, states, ctx.session.id);
    const now = this.now();
    return ALL_LISTS.some((list) => dueReason(states.get(list), this.config, now, ctx.session.id, boundAt) !== null);
  }

  /** `boundSince` of the connector, read only when some list's due verdict depends on it (else undefined: not consulted). */
  private async boundAtWhenNeeded(ctx: SourceContext, states: ReadonlyMap<QuickBooksList, QuickBooksListSync>, sessionId: string): Promise<Date | null | undefined> {
    if (!ALL_LISTS.some((list) => dueDependsOnBinding(states.get(list), sessionId))) return undefined;
    return (await boundSince(ctx.em, [ctx.connector.id])).get(ctx.connector.id);
  }

  async nextRequests(ctx: WorkContext, budget: Budget): Promise<OutboundRequest[]> {
    if (budget.count <= 0 || !ctx.connector.enabled) return [];
    const states = await loadStates(ctx.em, ctx.connector.id);
    // The binding is read once, and only when a verdict depends on it (not in a new file's first session).
    let bound: Promise<Date | null | undefined> | undefined;
    const boundAt = () => (bound ??= boundSince(ctx.em, [ctx.connector.id]).then((b) => b.get(ctx.connector.id)));
    const now = this.now();
    const requests: OutboundRequest[] = [];
    for (const list of ALL_LISTS) {
      if (requests.length >= budget.count) break;
      let state = states.get(list);
      const reason = dueReason(state, this.config, now, ctx.session.id, dueDependsOnBinding(state, ctx.session.id) ? await boundAt() : undefined);
      if (reason === null) continue;
      if (!state) ctx.em.persist((state = new QuickBooksListSync(ctx.connector, list)));
      const kind = kindOfNextRun(state, this.config, now, kindDependsOnBinding(state) ? await boundAt() : undefined);
      const from = kind === ListSyncKind.INCREMENTAL ? fromModifiedDate(state.highWaterMark!, this.config.overlapMinutes) : null;
      Object.assign(state, {
        runId: newId('run').slice(-12),
        runSessionId: ctx.session.id,
        runKind: kind,
        runStartedAt: now,
        runFromModified: from,
        runMaxTimeModified: null,
        runPages: 0,
        runReceived: 0,
        runWritten: 0,
        refreshRequestedAt: null,
      });
      ctx.logger.info({ list, kind, reason, fromModifiedDate: from }, 'list sync: pull starts');
      requests.push(this.request(LIST_SPECS[list], state, null, ctx.qbxmlVersion));
    }
    return requests;
  }

  /** The connector's list states, once per answered message (not one statement per answer). */
  async prepareResponses(ctx: WorkContext): Promise<void> {
    this.prepared.set(ctx, await loadStates(ctx.em, ctx.connector.id));
  }

  async handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<OutboundRequest[]> {
    const meta = request.meta as RequestMeta;
    const spec = LIST_SPECS[meta.list];
    const prepared = this.prepared.get(ctx);
    const state = prepared ? prepared.get(meta.list) : await ctx.em.findOne(QuickBooksListSync, { connector: ctx.connector, list: meta.list });
    if (!state || state.runId !== meta.run) {
      ctx.logger.warn({ list: meta.list, requestId: request.requestId }, 'list sync: response for a pull that is no longer running; ignored');
      return [];
    }
    if (response.statusSeverity === 'Error') {
      // A refused query (payroll off, ...) waits until the list is stale; a refused page of an accepted one
      // (an iterator QuickBooks lost) is worth another try at the next session.
      const outcome = meta.page > 1 ? ListSyncOutcome.INTERRUPTED : ListSyncOutcome.FAILED;
      this.finish(state, ctx.session.id, outcome, {
        statusCode: response.statusCode,
        error: `QuickBooks answered ${response.type} with status ${response.statusCode}: ${response.statusMessage}`,
      });
      ctx.logger.warn({ list: meta.list, statusCode: response.statusCode, statusMessage: response.statusMessage }, 'list sync: QuickBooks refused the query');
      return [];
    }
    const rows = readRows(spec, response.body);
    const full = state.runKind === ListSyncKind.FULL;
    const written = await writePage(ctx.em, ctx.connector.id, meta.list, rows, full ? state.runId : null, HIERARCHICAL_LISTS.has(meta.list));
    state.runPages++;
    state.runReceived += written.received;
    state.runWritten += written.written;
    for (const row of rows) state.runMaxTimeModified = laterQbDateTime(state.runMaxTimeModified, row.timeModified);

    if (spec.iterator && response.iteratorId && (response.iteratorRemainingCount ?? 0) > 0) {
      return [this.request(spec, state, response.iteratorId, ctx.qbxmlVersion)];
    }
    const finishedAt = this.now();
    if (full) {
      state.lastFullSyncAt = finishedAt;
      state.fullRefreshRequested = false;
    } else {
      state.lastIncrementalSyncAt = finishedAt;
    }
    // A full pull saw everything: its newest TimeModified is the mark (an older mark may be another file's).
    state.highWaterMark = full ? state.runMaxTimeModified : laterQbDateTime(state.highWaterMark, state.runMaxTimeModified);
    const done = { list: meta.list, kind: state.runKind, pages: state.runPages, received: state.runReceived, written: state.runWritten, run: state.runId! };
    this.finishedPulls.set(ctx, [...(this.finishedPulls.get(ctx) ?? []), done]);
    this.finish(state, ctx.session.id, ListSyncOutcome.OK, { statusCode: response.statusCode, error: null });
    return [];
  }

  /** The elements the message's finished full pulls did not see go, in one statement for all their lists. */
  async finishResponses(ctx: WorkContext): Promise<void> {
    const pulls = this.finishedPulls.get(ctx) ?? [];
    this.finishedPulls.delete(ctx);
    const full = pulls.filter((p) => p.kind === ListSyncKind.FULL).map(({ list, run }) => ({ list, run }));
    const removed = await removeUnseen(ctx.em, ctx.connector.id, full);
    for (const { list, kind, pages, received, written } of pulls) {
      ctx.logger.info({ list, kind, pages, received, written, removed: removed.get(list) ?? 0 }, 'list sync: pull done');
    }
  }

  /** Queries are safe to repeat: the list is pulled again at the next session. */
  async handleUnknownOutcome(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void> {
    for (const request of requests) {
      const meta = request.meta as RequestMeta;
      const state = await ctx.em.findOne(QuickBooksListSync, { connector: ctx.connector, list: meta.list });
      if (!state || state.runId !== meta.run) continue;
      this.finish(state, ctx.session.id, ListSyncOutcome.INTERRUPTED, { statusCode: null, error: `The pull was interrupted: ${reason}. It runs again at the next session.` });
      ctx.logger.warn({ list: meta.list, reason }, 'list sync: pull interrupted; retried next session');
    }
  }

  /** Ends the run: records the attempt, clears the run. */
  private finish(state: QuickBooksListSync, sessionId: string, outcome: ListSyncOutcome, result: { statusCode: number | null; error: string | null }): void {
    Object.assign(state, {
      lastAttemptAt: this.now(),
      lastAttemptSessionId: sessionId,
      lastKind: state.runKind,
      lastOutcome: outcome,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      lastReceived: state.runReceived,
      lastWritten: state.runWritten,
      lastFromModified: state.runFromModified,
      runId: null,
      runSessionId: null,
      runKind: null,
      runStartedAt: null,
      runFromModified: null,
      runMaxTimeModified: null,
    });
  }

  private request(spec: ListSpec, state: QuickBooksListSync, iteratorId: string | null, version: string): OutboundRequest {
    const page = state.runPages + 1;
    const meta: RequestMeta = { list: spec.list, run: state.runId!, page };
    // ≤ 50 characters: "lists:PAYROLL_WAGE_ITEM:<12>:<page>"
    const requestId = `lists:${spec.list}:${state.runId}:${page}`;
    const query = listQuery(spec, { requestId, version, pageSize: this.config.pageSize, fromModifiedDate: state.runFromModified, iteratorId });
    return { ...query, meta };
  }
}

/** The list sync work source, configured from the service's configuration. */
export function createListSyncSource(config: Pick<Config, 'listSync'>): ListSyncSource {
  return new ListSyncSource(config.listSync);
}
