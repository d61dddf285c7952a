/**
 * One pull from Autotask, single-run across every service instance on the database:
 *
 *   1. take the `autotask-pull` lease (job-lock.ts); when another pull holds it, do nothing (`ran: false`)
 *   2. scheduled pulls only: re-read the connection under the lease and stop unless it is enabled and due
 *      (another instance may have just pulled)
 *   3. record the start, then resources → companies → invoices with billing items → queue invoices →
 *      purchasing and inventory (purchase orders with items and receipts, vendors, products with on-hand) →
 *      time entries and expense reports with their items
 *   4. record the outcome and summary on the connection row, release the lease
 *
 * The lease is renewed while the pull works; if it is lost (e.g. the database was unreachable for longer
 * than the lease) the pull stops at its next step rather than race a second one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { asActor, type Actor } from '../../modules/audit/actor.js';
import { AutotaskConnection } from './autotask-connection.entity.js';
import { clientFor, getAutotaskConnection, type AutotaskRuntime } from './autotask-connection.service.js';
import type { AutotaskClient } from './client.js';
import { AutotaskApiError } from './errors.js';
import { newHolderId, tryAcquireLease } from '../job-lock.js';
import { pullCompanies, pullInvoices, pullPurchasing, pullResources, pullTimeAndExpenses, pullVoidedInvoices, type PullContext } from './operations.js';
import { AutotaskPullOutcome, AutotaskPullSummary, type PullTrigger } from './pull-summary.js';

export const PULL_LOCK = 'autotask-pull';

/** The author of scheduled pulls' changes and queue entries. */
export const SCHEDULER_ACTOR: Actor = { id: 'scheduler', name: 'scheduler' };

export interface PullOptions {
  readonly trigger: PullTrigger;
  readonly actor: Actor;
  /** Pull this invoice batch instead of the connection's selection. */
  readonly batchId?: number | null;
  /** Stops the pull (service shutdown). */
  readonly signal?: AbortSignal;
  /** Lease length; renewed every third of it while the pull runs (default 300 s). */
  readonly leaseSeconds?: number;
  /** For tests: the pull's clock. */
  readonly now?: () => Date;
}

export async function runAutotaskPull(em: EntityManager, runtime: AutotaskRuntime, options: PullOptions): Promise<AutotaskPullSummary> {
  const summary = new AutotaskPullSummary();
  summary.trigger = options.trigger;
  const now = options.now ?? (() => new Date());
  const leaseSeconds = options.leaseSeconds ?? 300;
  const base = em.fork();

  const acquired = await tryAcquireLease(base, PULL_LOCK, newHolderId(), leaseSeconds);
  if (!acquired.acquired) {
    summary.message = acquired.holder
      ? `Another Autotask pull is running (${acquired.holder}, since ${acquired.since?.toISOString() ?? 'just now'}).`
      : 'Another Autotask pull is starting right now.';
    summary.finishedAt = now();
    return summary;
  }
  const lease = acquired.lease;
  const stop = new AbortController();
  const onAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let leaseLost = false;
  const heartbeat = setInterval(() => {
    lease.renew().then(
      (kept) => {
        if (!kept) {
          leaseLost = true;
          stop.abort(new Error('lease lost'));
        }
      },
      (error: unknown) => runtime.logger?.warn({ err: error }, 'could not renew the Autotask pull lease'),
    );
  }, (leaseSeconds * 1000) / 3);
  heartbeat.unref();

  try {
    const work = em.fork();
    const connection = await getAutotaskConnection(work);
    if (!connection) {
      summary.message = 'No Autotask connection is set up yet; an admin sets one with setAutotaskConnection.';
      summary.finishedAt = now();
      return summary;
    }
    if (options.trigger === 'schedule') {
      const reason = notDueReason(connection, now());
      if (reason) {
        summary.message = reason;
        summary.finishedAt = now();
        return summary;
      }
    }
    summary.ran = true;
    summary.startedAt = now();
    // Voids are looked for since the previous pull started (read before this one overwrites it).
    const previousPullStartedAt = connection.lastPullStartedAt;
    await work.nativeUpdate(AutotaskConnection, { id: connection.id }, { lastPullStartedAt: summary.startedAt });

    try {
      // The client's waits and requests stop with the pull.
      const { client } = await clientFor(work, { ...runtime, http: { ...runtime.http, signal: stop.signal } }, connection);
      const ctx: PullContext = {
        em: work,
        client,
        connection,
        summary,
        actor: options.actor,
        logger: runtime.logger,
        checkpoint() {
          if (stop.signal.aborted) {
            throw new AutotaskApiError(leaseLost ? 'The pull stopped: another instance took over its lock.' : 'The pull stopped: the service is shutting down.', {
              failure: 'aborted',
            });
          }
        },
      };
      const busy = await thresholdBusy(client, runtime);
      if (busy) {
        summary.outcome = AutotaskPullOutcome.SKIPPED;
        summary.message = busy;
      } else {
        await asActor(options.actor, () => pullSteps(ctx, options.batchId, previousPullStartedAt));
        summary.outcome = summary.errors.length ? AutotaskPullOutcome.PARTIAL : AutotaskPullOutcome.SUCCEEDED;
        summary.message =
          `Pulled ${summary.invoicesFound} invoice(s): ${summary.invoicesQueued} queued, ${summary.invoicesAlreadyInLedger} already in the ledger` +
          (summary.errors.length ? `; ${summary.errors.length} problem(s)` : '') +
          '.';
      }
    } catch (error) {
      summary.outcome = AutotaskPullOutcome.FAILED;
      summary.message = error instanceof Error ? error.message : String(error);
      summary.problem('Pull', null, summary.message);
      if (!(error instanceof AutotaskApiError) && !(error instanceof Error && error.name === 'AppError')) {
        runtime.logger?.error({ err: error }, 'the Autotask pull failed unexpectedly');
      }
    }
    summary.finishedAt = now();
    await em.fork().nativeUpdate(
      AutotaskConnection,
      { id: connection.id },
      {
        lastPullFinishedAt: summary.finishedAt,
        lastPullOutcome: summary.outcome,
        lastPullMessage: summary.message,
        lastPullSummary: summary.toJSON(),
      },
    );
    runtime.logger?.info(
      { trigger: summary.trigger, outcome: summary.outcome, invoicesFound: summary.invoicesFound, invoicesQueued: summary.invoicesQueued, problems: summary.errors.length },
      'Autotask pull finished',
    );
    return summary;
  } finally {
    clearInterval(heartbeat);
    options.signal?.removeEventListener('abort', onAbort);
    await lease.release().catch((error: unknown) => runtime.logger?.warn({ err: error }, 'could not release the Autotask pull lease'));
  }
}

/**
 * Resources, then companies (all active ones when configured), then invoices with their lines and companies,
 * then invoices voided since the previous pull, purchasing and inventory, time entries and expense reports.
 */
async function pullSteps(ctx: PullContext, batchId: number | null | undefined, previousPullStartedAt: Date | null): Promise<void> {
  if (ctx.connection.pullResources) await pullResources(ctx);
  ctx.checkpoint();
  const companiesPulled = ctx.connection.pullAllCompanies ? await pullCompanies(ctx, 'all-active') : undefined;
  ctx.checkpoint();
  await pullInvoices(ctx, { batchId, companiesPulled });
  ctx.checkpoint();
  await pullVoidedInvoices(ctx, previousPullStartedAt);
  ctx.checkpoint();
  await pullPurchasing(ctx);
  ctx.checkpoint();
  await pullTimeAndExpenses(ctx);
}

/**
 * Autotask's hourly request threshold is shared by every integration of the tenant, and above it the whole
 * tenant is cut off (docs §4 #82–86). A pull is postponed while usage is at or above this share of it.
 */
export const THRESHOLD_BUSY_SHARE = 0.8;

/** Why the pull should wait for the threshold window to drain; null to go ahead (also when usage is unknown). */
async function thresholdBusy(client: AutotaskClient, runtime: AutotaskRuntime): Promise<string | null> {
  try {
    const t = await client.threshold();
    if (!(t.externalRequestThreshold > 0)) return null;
    const share = t.currentTimeframeRequestCount / t.externalRequestThreshold;
    if (share < THRESHOLD_BUSY_SHARE) return null;
    return (
      `Postponed: the Autotask tenant has used ${t.currentTimeframeRequestCount} of its ${t.externalRequestThreshold} API requests ` +
      `in the current ${t.requestThresholdTimeframe}-minute window (${Math.round(share * 100)}%); the next scheduled pull tries again.`
    );
  } catch (error) {
    // Credentials refused: the pull itself reports it. Anything else: usage unknown, pull anyway.
    if (error instanceof AutotaskApiError && (error.failure === 'auth' || error.failure === 'aborted')) throw error;
    runtime.logger?.warn({ err: error }, 'could not read the Autotask API usage; pulling anyway');
    return null;
  }
}

/** Why a scheduled pull should not run now; null when it should. */
export function notDueReason(connection: AutotaskConnection, now: Date): string | null {
  if (!connection.enabled) return 'The Autotask connection is disabled.';
  const last = connection.lastPullStartedAt;
  if (last && now.getTime() - last.getTime() < connection.pullEveryMinutes * 60_000) {
    return `Not due: the last pull started at ${last.toISOString()} and pulls run every ${connection.pullEveryMinutes} minute(s).`;
  }
  return null;
}
