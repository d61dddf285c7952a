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
import { removeUnseen, writePages, type ListPage } from './list-element.store.js';
import { ListSyncKind, ListSyncOutcome } from './list-sync-state.entity.js';
import {
  bindingAndActiveSession, dueDependsOnBinding, dueReason, kindDependsOnBinding, kindOfNextRun, newListSyncRow, readListSync, storeStates,
  type ConnectorBinding, type ListSyncRow,
} from './list-sync.service.js';
import { fromModifiedDate, laterQbDateTime } from './qb-time.js';
import { ALL_LISTS, HIERARCHICAL_LISTS, LIST_SPECS, listQuery, readRows, type ListSpec, type QuickBooksList } from './quickbooks-list.js';

export const LIST_SYNC_SOURCE_ID = 'quickbooks-lists';

/** What each request carries back to its response. */
interface RequestMeta {
  readonly list: QuickBooksList;
  readonly run: string;
  readonly page: number;
}

/** A page an answer brought, written with the message's others by finishResponses. */
interface AnsweredPage extends ListPage {
  /** The page ended its pull (which finishResponses logs, and removes the unseen elements of when full). */
  readonly done: { readonly kind: ListSyncKind | null; readonly run: string } | null;
}

/**
 * What one Web Connector call (its WorkContext) knows of the connector's lists: read once, at its first
 * question; changed in memory by the call; written back set-based (storeStates) where the call's changes end.
 * Never kept beyond the call: any instance may serve the next one.
 */
interface CallLists {
  readonly states: Map<QuickBooksList, ListSyncRow>;
  /** Each state as read or last written, by id (a state missing here is new): what storeStates compares with. */
  readonly stored: Map<string, ListSyncRow>;
  /** Read with the states (absent when there were none, then read only if a verdict needs it). */
  binding?: ConnectorBinding;
  /** The pages the call's answers brought, for finishResponses. */
  readonly pages: AnsweredPage[];
}

type SourceContext = Omit<WorkContext, 'session' | 'qbxmlVersion'> & { readonly session?: QbwcSession };

export class ListSyncSource implements WorkSource {
  readonly id = LIST_SYNC_SOURCE_ID;
  private readonly calls = new WeakMap<object, CallLists>();

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
    const lists = await this.lists(ctx);
    if (lists.states.size === 0) return ALL_LISTS.length;
    const sessionId = ctx.session?.id ?? (await this.binding(ctx, lists)).activeSessionId;
    const boundAt = await this.boundAtWhenNeeded(ctx, lists, sessionId);
    const now = this.now();
    return ALL_LISTS.filter((list) => dueReason(lists.states.get(list), this.config, now, sessionId, boundAt) !== null).length;
  }

  /** Asked after every answer: the states this call read, as its answers changed them. */
  async hasPending(ctx: Omit<WorkContext, 'qbxmlVersion'>): Promise<boolean> {
    if (!ctx.connector.enabled) return false;
    const lists = await this.lists(ctx);
    const boundAt = await this.boundAtWhenNeeded(ctx, lists, ctx.session.id);
    const now = this.now();
    return ALL_LISTS.some((list) => dueReason(lists.states.get(list), this.config, now, ctx.session.id, boundAt) !== null);
  }

  async nextRequests(ctx: WorkContext, budget: Budget): Promise<OutboundRequest[]> {
    if (budget.count <= 0 || !ctx.connector.enabled) return [];
    const lists = await this.lists(ctx);
    const boundAt = async () => (await this.binding(ctx, lists)).boundAt;
    const now = this.now();
    const requests: OutboundRequest[] = [];
    for (const list of ALL_LISTS) {
      if (requests.length >= budget.count) break;
      let state = lists.states.get(list);
      const reason = dueReason(state, this.config, now, ctx.session.id, dueDependsOnBinding(state, ctx.session.id) ? await boundAt() : undefined);
      if (reason === null) continue;
      if (!state) lists.states.set(list, (state = newListSyncRow(ctx.connector.id, list)));
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
    await this.store(ctx, lists);
    return requests;
  }

  /** The connector's list states, once per answered message (not one statement per answer). */
  async prepareResponses(ctx: WorkContext): Promise<void> {
    await this.lists(ctx);
  }

  async handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<OutboundRequest[]> {
    const meta = request.meta as RequestMeta;
    const spec = LIST_SPECS[meta.list];
    const lists = await this.lists(ctx);
    const state = lists.states.get(meta.list);
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
    // Written with the message's other pages (finishResponses), which counts what each received and wrote.
    const page = { list: meta.list, rows, seenRun: full ? state.runId : null, hierarchical: HIERARCHICAL_LISTS.has(meta.list) };
    state.runPages++;
    for (const row of rows) state.runMaxTimeModified = laterQbDateTime(state.runMaxTimeModified, row.timeModified);

    if (spec.iterator && response.iteratorId && (response.iteratorRemainingCount ?? 0) > 0) {
      lists.pages.push({ ...page, done: null });
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
    lists.pages.push({ ...page, done: { kind: state.runKind, run: state.runId! } });
    this.finish(state, ctx.session.id, ListSyncOutcome.OK, { statusCode: response.statusCode, error: null });
    return [];
  }

  /**
   * The message's pages in one statement for all their lists, the elements its finished full pulls did not see
   * removed in one more, then the states with what the pages received and wrote.
   */
  async finishResponses(ctx: WorkContext): Promise<void> {
    const lists = await this.lists(ctx);
    const pages = lists.pages.splice(0);
    const written = await writePages(ctx.em, ctx.connector.id, pages);
    const finished = pages.filter((p) => p.done !== null);
    const removed = await removeUnseen(ctx.em, ctx.connector.id, finished.filter((p) => p.done!.kind === ListSyncKind.FULL).map((p) => ({ list: p.list, run: p.done!.run })));
    for (const { list, done } of pages) {
      const state = lists.states.get(list)!;
      const { received, written: changed } = written.get(list)!;
      state.runReceived += received;
      state.runWritten += changed;
      if (!done) continue;
      // The attempt the page ended (finish) records the run's totals, this page's included.
      state.lastReceived = state.runReceived;
      state.lastWritten = state.runWritten;
      ctx.logger.info(
        { list, kind: done.kind, pages: state.runPages, received: state.runReceived, written: state.runWritten, removed: removed.get(list) ?? 0 },
        'list sync: pull done',
      );
    }
    await this.store(ctx, lists);
  }

  /** Queries are safe to repeat: the list is pulled again at the next session. */
  async handleUnknownOutcome(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void> {
    const lists = await this.lists(ctx);
    for (const request of requests) {
      const meta = request.meta as RequestMeta;
      const state = lists.states.get(meta.list);
      if (!state || state.runId !== meta.run) continue;
      this.finish(state, ctx.session.id, ListSyncOutcome.INTERRUPTED, { statusCode: null, error: `The pull was interrupted: ${reason}. It runs again at the next session.` });
      ctx.logger.warn({ list: meta.list, reason }, 'list sync: pull interrupted; retried next session');
    }
    await this.store(ctx, lists);
  }

  /** The connector's lists as this call knows them: read at its first question, in one statement. */
  private async lists(ctx: SourceContext): Promise<CallLists> {
    const known = this.calls.get(ctx);
    if (known) return known;
    const { states, binding } = await readListSync(ctx.em, ctx.connector.id);
    const lists: CallLists = { states, stored: new Map([...states.values()].map((s) => [s.id, { ...s }])), binding, pages: [] };
    this.calls.set(ctx, lists);
    return lists;
  }

  /** The binding and active session read with the states; read apart only when there were none. */
  private async binding(ctx: SourceContext, lists: CallLists): Promise<ConnectorBinding> {
    return (lists.binding ??= await bindingAndActiveSession(ctx.em, ctx.connector.id));
  }

  /** `boundSince` of the connector when some list's due verdict depends on it (else undefined: not consulted). */
  private async boundAtWhenNeeded(ctx: SourceContext, lists: CallLists, sessionId: string | undefined): Promise<Date | null | undefined> {
    if (!ALL_LISTS.some((list) => dueDependsOnBinding(lists.states.get(list), sessionId))) return undefined;
    return (await this.binding(ctx, lists)).boundAt;
  }

  /** Writes what the call changed in its states (one statement, and one for their audit entries). */
  private async store(ctx: SourceContext, lists: CallLists): Promise<void> {
    await storeStates(ctx.em, ctx.connector.id, lists.states.values(), lists.stored);
  }

  /** Ends the run: records the attempt, clears the run. */
  private finish(state: ListSyncRow, sessionId: string, outcome: ListSyncOutcome, result: { statusCode: number | null; error: string | null }): void {
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

  private request(spec: ListSpec, state: ListSyncRow, iteratorId: string | null, version: string): OutboundRequest {
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
