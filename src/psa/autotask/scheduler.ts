/**
 * The scheduled pull. Every `tickSeconds` each service instance looks at the connection row; when it is
 * enabled and the last pull started at least `pullEveryMinutes` ago, it runs a pull. The pull's lease makes it
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

export interface AutotaskSchedulerOptions {
  readonly orm: MikroORM;
  readonly config: Pick<Config, 'autotask'>;
  readonly logger: Logger;
  /** How often to look whether a pull is due (default 60 s). */
  readonly tickSeconds?: number;
  /** Client options (tests). */
  readonly http?: AutotaskHttpOptions;
  /** Lease length of a pull (default 300 s). */
  readonly leaseSeconds?: number;
}

export interface AutotaskScheduler {
  /** One look: runs a pull when one is due; the summary when a pull was attempted, else null. */
  tick(): Promise<AutotaskPullSummary | null>;
  /** Stops the timer, aborts a running pull and waits for it to end (its lease is released). */
  stop(): Promise<void>;
}

export function startAutotaskScheduler(options: AutotaskSchedulerOptions): AutotaskScheduler {
  const logger = options.logger.child({ module: 'autotask-scheduler' });
  const tickMs = Math.max(10, (options.tickSeconds ?? 60) * 1000);
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<AutotaskPullSummary | null> | null = null;
  let stopped = false;

  const tick = (): Promise<AutotaskPullSummary | null> => {
    if (stopped) return Promise.resolve(null);
    // Ticks within one instance never overlap; a second caller shares the running one.
    running ??= (async () => {
      try {
        const connection = await getAutotaskConnection(options.orm.em.fork());
        if (!connection || notDueReason(connection, new Date())) return null;
        return await runAutotaskPull(
          options.orm.em.fork(),
          { config: options.config, logger, http: options.http },
          { trigger: 'schedule', actor: SCHEDULER_ACTOR, signal: abort.signal, leaseSeconds: options.leaseSeconds },
        );
      } catch (error) {
        logger.error({ err: error }, 'the scheduled Autotask pull failed');
        return null;
      } finally {
        running = null;
      }
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
