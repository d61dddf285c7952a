/**
 * The scheduled pull and write-back. Every `tickSeconds` each service instance looks at the connection row;
 * when it is enabled and the last pull started at least `pullEveryMinutes` ago, it runs a pull. Then, while the
 * connection is enabled, it pushes pending write-backs (QuickBooks numbers and paid dates; write-back-outbox.ts)
 * under their own lease, whether or not a pull ran or succeeded. The pull's lease makes it
 * single-run across instances, and it checks "due" again under the lease, so N instances still pull once per
 * interval. Within one instance ticks never overlap (the next tick is armed when the previous one ends).
 *
 * A plain timer rather than a cron library: the schedule is "every N minutes", stored in the database and
 * changeable at run time (read at every tick), not a wall-clock cron expression; what matters is exclusion
 * across instances, which the database lease gives.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../app/config.js';
import type { Logger } from '../../app/logger.js';
import type { AutotaskHttpOptions } from './client.js';
import { getAutotaskConnection } from './autotask-connection.service.js';
import { notDueReason, runAutotaskPull, SCHEDULER_ACTOR } from './pull.js';
import type { AutotaskPullSummary } from './pull-summary.js';
import { pushPendingWriteBacks, type WriteBackSummary } from './write-back-outbox.js';
import { autotaskPulls, autotaskWriteBacks } from '../../app/metrics.js';

export interface AutotaskSchedulerOptions {
  readonly orm: MikroORM;
  readonly config: Pick<Config, 'autotask'>;
  readonly logger: Logger;
  /** How often to look whether a pull is due (default: config.autotask.tickSeconds, else 60 s). */
  readonly tickSeconds?: number;
  /** Client options (tests). */
  readonly http?: AutotaskHttpOptions;
  /** Lease length of a pull (default 300 s). */
  readonly leaseSeconds?: number;
  /** For tests: the write-back's clock (retry times). */
  readonly now?: () => Date;
}

export interface AutotaskScheduler {
  /**
   * One look: runs a pull when one is due, then pushes pending write-backs; the pull's summary when a pull was
   * attempted, else null (`lastWriteBack` tells what the write-back did).
   */
  tick(): Promise<AutotaskPullSummary | null>;
  /** What the write-back of the latest tick did; null when it did not run (no connection, disabled, failed). */
  readonly lastWriteBack: WriteBackSummary | null;
  /** Stops the timer, aborts a running pull and waits for it to end (its lease is released). */
  stop(): Promise<void>;
}

export function startAutotaskScheduler(options: AutotaskSchedulerOptions): AutotaskScheduler {
  const logger = options.logger.child({ module: 'autotask-scheduler' });
  const tickMs = Math.max(10, (options.tickSeconds ?? options.config.autotask.tickSeconds ?? 60) * 1000);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<AutotaskPullSummary | null> | null = null;
  let stopped = false;
  let lastWriteBack: WriteBackSummary | null = null;

  const tick = (): Promise<AutotaskPullSummary | null> => {
    if (stopped) return Promise.resolve(null);
    // Ticks within one instance never overlap; a second caller shares the running one.
    running ??= (async () => {
      let pull: AutotaskPullSummary | null = null;
      lastWriteBack = null;
      try {
        const connection = await getAutotaskConnection(options.orm.em.fork());
        if (connection && !notDueReason(connection, new Date())) {
          pull = await runAutotaskPull(
            options.orm.em.fork(),
            { config: options.config, logger, http: options.http },
            { trigger: 'schedule', actor: SCHEDULER_ACTOR, signal: abort.signal, leaseSeconds: options.leaseSeconds },
          );
          autotaskPulls.inc({ outcome: 'ok' });
        }
      } catch (error) {
        autotaskPulls.inc({ outcome: 'failed' });
        logger.error({ err: error }, 'the scheduled Autotask pull failed');
      }
      try {
        // Re-read: the pull may have taken minutes, and the connection may have been disabled meanwhile.
        const connection = stopped ? null : await getAutotaskConnection(options.orm.em.fork());
        if (connection?.enabled) {
          lastWriteBack = await pushPendingWriteBacks(
            options.orm.em.fork(),
            { config: options.config, logger, http: { ...options.http, signal: abort.signal } },
            { config: options.config.autotask, now: options.now, leaseSeconds: options.leaseSeconds },
          );
          const { numbersWritten, paidDatesWritten, paidDatesCleared, purchaseOrderNumbersWritten, expenseReportReferencesWritten, failed } = lastWriteBack;
          const written = {
            invoice_number: numbersWritten, paid_date: paidDatesWritten, paid_date_cleared: paidDatesCleared, purchase_order_number: purchaseOrderNumbersWritten,
            expense_report_reference: expenseReportReferencesWritten, failed,
          };
          for (const [kind, n] of Object.entries(written)) if (n > 0) autotaskWriteBacks.inc({ kind }, n);
          if (numbersWritten + paidDatesWritten + paidDatesCleared + purchaseOrderNumbersWritten + expenseReportReferencesWritten + failed > 0) logger.info(lastWriteBack, 'Autotask write-back done');
        }
      } catch (error) {
        logger.error({ err: error }, 'the Autotask write-back failed');
      } finally {
        running = null;
      }
      return pull;
    })();
    return running;
  };

  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(arm), tickMs);
    timer.unref();
  };
  arm();
  logger.debug({ tickSeconds: tickMs / 1000 }, 'Autotask scheduler started');

  return {
    tick,
    get lastWriteBack() {
      return lastWriteBack;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      abort.abort(new Error('service stopping'));
      await running?.catch(() => undefined);
      logger.debug('Autotask scheduler stopped');
    },
  };
}
