/**
 * QuickBooks → our invoices: the paid status of transferred invoices, as a Web Connector work source. Per
 * connector, once per session when due, one run:
 *
 *   1. `InvoiceQueryRq` (iterator, MaxReturned) for invoices modified since the high-water mark minus the
 *      overlap, with IncludeLinkedTxns and only the fields needed; and, on incremental runs, the same for
 *      `ReceivePaymentQueryRq` (a payment may not change its invoice's TimeModified);
 *   2. invoices that changed payments are applied to, and that are ours, are read again by TxnID;
 *   3. for each answer that is a SUCCEEDED invoice transfer of this connector: BalanceRemaining, IsPaid and the
 *      paid date are stored on our invoice (paid-status.store.ts); the Autotask write-back picks changes up;
 *   4. when every request of the run has been answered, the high-water mark moves to the newest TimeModified.
 *
 * Queries are safe to repeat, so an unknown outcome (lost or unreadable response, session ended) only marks
 * the run INTERRUPTED: the next session runs it again from the same, unmoved, high-water mark.
 *
 *   startServer(config, logger, database, { workSources: [createPaidStatusSource(config)] })
 */
import type { Config, PaidStatusConfig } from '../../app/config.js';
import type { QbxmlResponseItem } from '../../qbwc/qbxml-message.js';
import type { QbwcSession } from '../../qbwc/session/qbwc-session.entity.js';
import type { Budget, OutboundRequest, SentRequest, WorkContext, WorkSource } from '../../qbwc/work/work-source.js';
import type { PlainRow } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import { fromModifiedDate, laterQbDateTime } from '../quickbooks-lists/qb-time.js';
import {
  invoicesByIdQuery,
  modifiedInvoicesQuery,
  modifiedPaymentsQuery,
  readInvoiceRows,
  readPaymentRows,
  TXN_IDS_PER_QUERY,
} from './paid-status-query.js';
import { PaidStatusOutcome, type PaidStatusSync } from './paid-status-sync.entity.js';
import { checkState, newCheckState, ourInvoices, paidStatusFacts, recordInvoiceStatus, storeCheckState, type PaidStatusRow } from './paid-status.store.js';

export const PAID_STATUS_SOURCE_ID = 'paid-status';

/** The three kinds of request of a run. */
type RequestKind = 'invoices' | 'payments' | 'byId';

/** What each request carries back to its response. */
interface RequestMeta {
  readonly run: string;
  readonly kind: RequestKind;
  readonly page: number;
  /** On the first invoices page: whether a payments query follows (incremental runs). */
  readonly withPayments?: boolean;
}

type SourceContext = Omit<WorkContext, 'session' | 'qbxmlVersion'> & { readonly session?: QbwcSession };

const MINUTE = 60_000;
/**
 * The first run of a connector reads invoices modified since the day before its first transfer: the ledger
 * knows our clock, QuickBooks reads a date in the company machine's local time, and no time zone is more
 * than a day away.
 */
const FIRST_RUN_MARGIN_MS = 24 * 60 * MINUTE;

/** Why the check is due for this connector now, or null. */
export type PaidStatusDueReason = 'NEVER_CHECKED' | 'INTERRUPTED' | 'COMPANY_FILE_CHANGED' | 'STALE' | null;

export function paidStatusDueReason(
  state: PlainRow<PaidStatusSync> | null,
  config: PaidStatusConfig,
  now: Date,
  sessionId: string | undefined,
  boundAt: Date | null | undefined,
): PaidStatusDueReason {
  if (!state || (!state.lastAttemptAt && !state.runId)) return 'NEVER_CHECKED';
  if (state.runId) {
    // A run of this session is going on; a run of an earlier session died with it (iterators end with the QuickBooks session).
    if (sessionId !== undefined && state.runSessionId === sessionId) return null;
    return 'INTERRUPTED';
  }
  // At most one run per session, so a failing query cannot keep a session going.
  if (sessionId !== undefined && state.lastAttemptSessionId === sessionId) return null;
  if (state.lastOutcome === PaidStatusOutcome.INTERRUPTED) return 'INTERRUPTED';
  if (boundAt && state.lastAttemptAt! < boundAt) return 'COMPANY_FILE_CHANGED';
  if (now.getTime() - state.lastAttemptAt!.getTime() >= config.everyMinutes * MINUTE) return 'STALE';
  return null;
}

/**
 * Whether `paidStatusDueReason` consults `boundAt` for this state: a check never made, running, interrupted
 * or made in this session is decided without the binding.
 */
export function paidStatusDueDependsOnBinding(state: PlainRow<PaidStatusSync> | null, sessionId: string | undefined): boolean {
  if (!state || state.runId || !state.lastAttemptAt) return false;
  if (sessionId !== undefined && state.lastAttemptSessionId === sessionId) return false;
  return state.lastOutcome !== PaidStatusOutcome.INTERRUPTED;
}

export class PaidStatusSource implements WorkSource {
  readonly id = PAID_STATUS_SOURCE_ID;
  /**
   * Per call (its WorkContext): the connector's check state as this call read it, and changed it since (a plain
   * row, written where the change ends: storeCheckState), so that the answers of a message and hasPending after
   * them read it once; `stored` is what storeCheckState compares it with. Never kept beyond the call.
   */
  private readonly stateOfCall = new WeakMap<object, { state: PaidStatusRow | null; readonly stored: Map<string, PaidStatusRow> }>();

  constructor(
    private readonly config: PaidStatusConfig,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * 1 while a check is due (and the connector has transferred invoices to check), else 0. Without a session
   * (authenticate, the NoOp check) the connector's active session is the one asking; but a run still open
   * then counts as due: at authenticate it belongs to an update the Web Connector abandoned (the new update
   * supersedes it and reports its requests as unknown), so waiting for its idle timeout would only delay the retry.
   */
  async pendingCount(ctx: SourceContext): Promise<number> {
    if (!ctx.connector.enabled) return 0;
    return (await this.due(ctx, ctx.session?.id)) ? 1 : 0;
  }

  /**
   * Asked after every answer: when this call's answers already read the state (and changed it: a run of this
   * session, or its attempt), it decides without a statement; otherwise as pendingCount.
   */
  async hasPending(ctx: Omit<WorkContext, 'qbxmlVersion'>): Promise<boolean> {
    if (!ctx.connector.enabled) return false;
    const known = this.stateOfCall.get(ctx)?.state;
    if (known && !paidStatusDueDependsOnBinding(known, ctx.session.id) && paidStatusDueReason(known, this.config, this.now(), ctx.session.id, undefined) === null) {
      // Not due whatever the ledger and the binding say.
      return false;
    }
    return (await this.due(ctx, ctx.session.id)) !== null;
  }

  async nextRequests(ctx: WorkContext, budget: Budget): Promise<OutboundRequest[]> {
    if (budget.count <= 0 || !ctx.connector.enabled) return [];
    const due = await this.due(ctx, ctx.session.id);
    if (!due) return [];
    const { firstFinishedAt, companyChanged } = due;
    // Created here, not when merely counting work (authenticate must not write).
    const now = this.now();
    const call = this.stateOfCall.get(ctx)!;
    const state = (call.state ??= newCheckState(ctx.connector.id));
    // A new company file, or no completed run yet: start from the connector's first transfer.
    const incremental = state.highWaterMark !== null && !companyChanged;
    const from = incremental
      ? fromModifiedDate(state.highWaterMark!, this.config.overlapMinutes)
      : firstFinishedAt
        ? new Date(firstFinishedAt.getTime() - FIRST_RUN_MARGIN_MS).toISOString().slice(0, 10)
        : null;
    if (companyChanged) state.highWaterMark = null;
    Object.assign(state, {
      runId: newId('run').slice(-12),
      runSessionId: ctx.session.id,
      runStartedAt: now,
      runFromModified: from,
      runMaxTimeModified: null,
      // The invoices query below; a run is complete when every request it sent has been answered.
      runOutstanding: 1,
      runPages: 0,
      runReceived: 0,
      runUpdated: 0,
    });
    ctx.logger.info({ connectorId: ctx.connector.id, fromModifiedDate: from, reason: due.reason }, 'paid status: check starts');
    await this.store(ctx);
    return [this.pageRequest(state, 'invoices', null, ctx.qbxmlVersion, incremental)];
  }

  async handleResponse(ctx: WorkContext, request: SentRequest, response: QbxmlResponseItem): Promise<OutboundRequest[]> {
    const meta = request.meta as RequestMeta;
    const state = await this.state(ctx);
    if (!state || state.runId !== meta.run) {
      ctx.logger.warn({ requestId: request.requestId }, 'paid status: response for a check that is no longer running; ignored');
      return [];
    }
    state.runOutstanding = Math.max(0, state.runOutstanding - 1);
    if (response.statusSeverity === 'Error') {
      this.finish(state, ctx.session.id, PaidStatusOutcome.FAILED, {
        statusCode: response.statusCode,
        error: `QuickBooks answered ${response.type} with status ${response.statusCode}: ${response.statusMessage}. The check runs again when next due.`,
      });
      ctx.logger.warn({ statusCode: response.statusCode, statusMessage: response.statusMessage }, 'paid status: QuickBooks refused a query');
      await this.store(ctx);
      return [];
    }
    const followUps: OutboundRequest[] = [];
    // Payments matter only on incremental runs (a first run reads every invoice since the first transfer
    // anyway); their query follows the invoices' first answer.
    if (meta.kind === 'invoices' && meta.page === 1 && meta.withPayments) followUps.push(this.pageRequest(state, 'payments', null, ctx.qbxmlVersion, false));
    state.runPages++;
    if (meta.kind === 'payments') {
      const payments = readPaymentRows(response.body);
      for (const p of payments) state.runMaxTimeModified = laterQbDateTime(state.runMaxTimeModified, p.timeModified);
      const ours = await ourInvoices(ctx.em, ctx.connector.id, payments.flatMap((p) => p.invoiceTxnIds));
      const txnIds = [...ours.keys()];
      for (let i = 0; i < txnIds.length; i += TXN_IDS_PER_QUERY) {
        const requestId = `paid:byId:${state.runId}:${state.runPages}:${i / TXN_IDS_PER_QUERY + 1}`;
        const query = invoicesByIdQuery(txnIds.slice(i, i + TXN_IDS_PER_QUERY), { requestId, version: ctx.qbxmlVersion });
        followUps.push({ ...query, meta: { run: state.runId!, kind: 'byId', page: state.runPages } satisfies RequestMeta });
      }
    } else {
      // A by-id query may answer 500 (Warn) when an invoice was deleted in QuickBooks: the others still count.
      const rows = readInvoiceRows(response.body);
      state.runReceived += rows.length;
      for (const row of rows) state.runMaxTimeModified = laterQbDateTime(state.runMaxTimeModified, row.timeModified);
      state.runUpdated += await recordInvoiceStatus(ctx.em, ctx.connector.id, rows, this.now());
    }
    if (meta.kind !== 'byId' && response.iteratorId && (response.iteratorRemainingCount ?? 0) > 0) {
      followUps.push(this.pageRequest(state, meta.kind, response.iteratorId, ctx.qbxmlVersion));
    }
    state.runOutstanding += followUps.length;
    if (state.runOutstanding === 0) {
      state.highWaterMark = laterQbDateTime(state.highWaterMark, state.runMaxTimeModified);
      state.lastSuccessAt = this.now();
      ctx.logger.info({ connectorId: ctx.connector.id, received: state.runReceived, updated: state.runUpdated }, 'paid status: check done');
      this.finish(state, ctx.session.id, PaidStatusOutcome.OK, { statusCode: response.statusCode, error: null });
    }
    await this.store(ctx);
    // The invoices whose status changed (recordInvoiceStatus).
    await ctx.em.flush();
    return followUps;
  }

  /** Queries are safe to repeat: the run is marked INTERRUPTED and runs again, from the same mark, next session. */
  async handleUnknownOutcome(ctx: Omit<WorkContext, 'qbxmlVersion'>, requests: readonly SentRequest[], reason: string): Promise<void> {
    const state = await this.state(ctx);
    if (!state?.runId || !requests.some((r) => (r.meta as RequestMeta).run === state.runId)) return;
    this.finish(state, ctx.session.id, PaidStatusOutcome.INTERRUPTED, {
      statusCode: null,
      error: `The check was interrupted: ${reason}. It runs again at the next session.`,
    });
    ctx.logger.warn({ connectorId: ctx.connector.id, reason }, 'paid status: check interrupted; retried next session');
    await this.store(ctx);
  }

  /** The connector's check state as this call knows it, read once per call. */
  private async state(ctx: SourceContext): Promise<PaidStatusRow | null> {
    const known = this.stateOfCall.get(ctx);
    if (known) return known.state;
    return this.remember(ctx, await checkState(ctx.em, ctx.connector.id));
  }

  /** The state this call read: its own from now on, and what its writes compare with. */
  private remember(ctx: SourceContext, state: PaidStatusRow | null): PaidStatusRow | null {
    this.stateOfCall.set(ctx, { state, stored: new Map(state ? [[state.id, { ...state }]] : []) });
    return state;
  }

  /** Writes what the call changed in the state, if anything (one statement, and one for its audit entry). */
  private async store(ctx: SourceContext): Promise<void> {
    const call = this.stateOfCall.get(ctx);
    if (call?.state) await storeCheckState(ctx.em, call.state, call.stored);
  }

  /**
   * The state (null before the first check) and what the run needs, when a check is due; else null. One
   * statement. Without a session (authenticate, the NoOp check) the connector's active session is the one asking.
   */
  private async due(ctx: SourceContext, sessionOfCall: string | undefined) {
    const facts = await paidStatusFacts(ctx.em, ctx.connector.id);
    const { boundAt } = facts;
    const state = this.remember(ctx, facts.state);
    if (!facts.transferred.any) return null;
    const { firstFinishedAt } = facts.transferred;
    const openRunIsDue = sessionOfCall === undefined;
    const sessionId = sessionOfCall ?? facts.activeSessionId;
    const reason = state?.runId && openRunIsDue ? 'INTERRUPTED' : paidStatusDueReason(state, this.config, this.now(), sessionId, boundAt);
    if (reason === null) return null;
    const companyChanged = reason === 'COMPANY_FILE_CHANGED' || (boundAt != null && state?.lastAttemptAt != null && state.lastAttemptAt < boundAt);
    return { state, firstFinishedAt, companyChanged, reason };
  }

  /** Ends the run: records the attempt, clears the run. The high-water mark moves only on success (set by the caller). */
  private finish(state: PaidStatusRow, sessionId: string, outcome: PaidStatusOutcome, result: { statusCode: number | null; error: string | null }): void {
    Object.assign(state, {
      lastAttemptAt: this.now(),
      lastAttemptSessionId: sessionId,
      lastOutcome: outcome,
      lastStatusCode: result.statusCode,
      lastError: result.error,
      lastFromModified: state.runFromModified,
      lastReceived: state.runReceived,
      lastUpdated: state.runUpdated,
      runId: null,
      runSessionId: null,
      runStartedAt: null,
      runFromModified: null,
      runMaxTimeModified: null,
      runOutstanding: 0,
    });
  }

  private pageRequest(state: PaidStatusRow, kind: 'invoices' | 'payments', iteratorId: string | null, version: string, withPayments = false): OutboundRequest {
    const page = state.runPages + 1;
    // ≤ 50 characters: "paid:payments:<12>:<page>"
    const requestId = `paid:${kind}:${state.runId}:${page}`;
    const options = { requestId, version, pageSize: this.config.pageSize, fromModifiedDate: state.runFromModified, iteratorId };
    const query = kind === 'invoices' ? modifiedInvoicesQuery(options) : modifiedPaymentsQuery(options);
    return { ...query, meta: { run: state.runId!, kind, page, withPayments } satisfies RequestMeta };
  }
}

/** The paid-status work source, configured from the service's configuration. */
export function createPaidStatusSource(config: Pick<Config, 'paidStatus'>): PaidStatusSource {
  return new PaidStatusSource(config.paidStatus);
}
