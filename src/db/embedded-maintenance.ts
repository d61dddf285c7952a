/**
 * Vacuum and analyze for the embedded database. PGlite runs PostgreSQL as one backend, without the autovacuum
 * launcher (`autovacuum` reads `on`, but nothing acts on it). On a server, autovacuum reclaims the row versions
 * that updates and deletes leave behind (a transfer changes state several times, a session's row at each call)
 * and keeps the planner's statistics current. Embedded, nothing did: the ledger's tables and indexes grew with
 * every change ever made, and the planner kept the estimates of the empty database it was created as.
 *
 * So the service does autovacuum's work itself, with autovacuum's default policy: every `intervalMs`
 * (autovacuum_naptime, a minute) one pass reads the tables' counters (pg_stat_user_tables) and vacuums a table
 * when its dead rows pass 50 + 20 % of its rows, or the rows inserted since its last vacuum 1000 + 20 % (so the
 * visibility map, which index-only scans read, keeps up), and analyzes it when the rows changed since its last
 * analyze pass 50 + 10 %. One table at a time: the connection is the service's only one, and requests take their
 * turn between tables. Passes never overlap, and a failed one is logged and retried at the next.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../app/logger.js';
import { executeBound } from './rows.js';

/** autovacuum_naptime's default. */
const INTERVAL_MS = 60_000;

/** What one pass did to one table. */
export interface TableMaintenance {
  /** As PostgreSQL names it (regclass text). */
  readonly table: string;
  readonly vacuumed: boolean;
  readonly analyzed: boolean;
}

/** autovacuum's defaults: autovacuum_vacuum_threshold / _scale_factor, _vacuum_insert_threshold / _scale_factor, _analyze_threshold / _scale_factor. */
const DUE_SQL = `
  select t.relid::regclass::text as "table",
    t.n_dead_tup > 50 + 0.2 * r.rows or t.n_ins_since_vacuum > 1000 + 0.2 * r.rows as vacuum,
    t.n_mod_since_analyze > 50 + 0.1 * r.rows as analyze
  from pg_stat_user_tables t
  join pg_class c on c.oid = t.relid
  cross join lateral (select greatest(c.reltuples, 0) as rows) r
  where t.n_dead_tup > 50 + 0.2 * r.rows or t.n_ins_since_vacuum > 1000 + 0.2 * r.rows or t.n_mod_since_analyze > 50 + 0.1 * r.rows
  order by t.relid`;

/** One pass: vacuums and analyzes the tables that are due (see the module's comment); what it did, table by table. */
export async function maintainDatabase(orm: MikroORM): Promise<TableMaintenance[]> {
  const em = orm.em.fork();
  const due = await executeBound<{ table: string; vacuum: boolean; analyze: boolean }>(em, DUE_SQL);
  for (const { table, vacuum, analyze } of due) {
    // The name is the catalog's own regclass text, quoted where it needs to be.
    await executeBound(em, vacuum ? `vacuum${analyze ? ' (analyze)' : ''} ${table}` : `analyze ${table}`);
  }
  return due.map(({ table, vacuum, analyze }) => ({ table, vacuumed: vacuum, analyzed: analyze }));
}

export interface EmbeddedMaintenance {
  /** Stops the timer and waits for a running pass to end. */
  stop(): Promise<void>;
}

/** Runs maintainDatabase every `intervalMs`, the first pass one interval after the start. */
export function startEmbeddedMaintenance(orm: MikroORM, logger: Logger, intervalMs = INTERVAL_MS): EmbeddedMaintenance {
  const log = logger.child({ module: 'embedded-maintenance' });
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().finally(arm);
    }, intervalMs);
    // Maintenance never keeps the process alive on its own.
    timer.unref();
  };
  const pass = async (): Promise<void> => {
    const startedAt = performance.now();
    try {
      const done = await maintainDatabase(orm);
      if (done.length > 0) log.info({ tables: done, ms: Math.round(performance.now() - startedAt) }, 'vacuumed and analyzed the embedded database');
    } catch (error) {
      log.warn({ err: error }, 'embedded database maintenance failed; it runs again at the next interval');
    }
  };
  arm();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
