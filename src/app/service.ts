/**
 * The whole service started in-process: database (embedded or server, migrated), plugins, HTTP server
 * (GraphQL, /healthz, /qwc, /qbwc), the Autotask scheduler and, embedded, the database's vacuum and analyze
 * (embedded-maintenance.ts), with one `stop` that closes them in order.
 *
 * Why a function of its own: `npm start` (src/main.ts) and `npx qbd-bridge demo` must start exactly the
 * same service; main.ts keeps only what a long-running process adds (exit codes, signal handling).
 * Errors are thrown (ConfigError, AppError) for the caller to report; nothing here exits the process.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { startServer, type RunningServer } from './server.js';
import { openDatabase, type Database } from '../db/database.js';
import type { StartedEmbedded } from '../db/embedded-start.js';
import { createMappingEngine, type MappingEngine } from '../mapping-engine/index.js';
import { createListSyncSource } from '../modules/quickbooks-lists/list-sync.source.js';
import { createPaidStatusSource } from '../modules/paid-status/paid-status.source.js';
import { startAutotaskScheduler } from '../psa/autotask/scheduler.js';
import { startEmbeddedMaintenance } from '../db/embedded-maintenance.js';

export interface RunningService {
  readonly database: Database;
  readonly server: RunningServer;
  readonly engine: MappingEngine;
  /** Stops the scheduler, the embedded database's maintenance, the HTTP server and the database, in that order. */
  stop(): Promise<void>;
}

/** Starts the service on `config`; on a failure after the database opened, closes it again before throwing. */
export async function startService(config: Config, logger: Logger, options: { readonly embedded?: Promise<StartedEmbedded> } = {}): Promise<RunningService> {
  const database = await openDatabase(config, logger, { role: 'service', embedded: options.embedded });
  logger.info({ database: database.description }, 'database ready');
  let server: RunningServer;
  let engine: MappingEngine;
  try {
    engine = await createMappingEngine(config);
    logger.info({ plugins: engine.registry.list().map((p) => `${p.plugin.id}@${p.plugin.version}`) }, 'plugins registered');
    server = await startServer(config, logger, database, { engine, workSources: [createListSyncSource(config), createPaidStatusSource(config)] });
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info({ url: server.url, publicBaseUrl: config.publicBaseUrl }, `qbd-bridge listening on ${server.url}`);
  // Scheduled Autotask pulls and write-backs; idle until an admin sets an enabled Autotask connection.
  const scheduler = startAutotaskScheduler({ orm: database.orm, config, logger });
  // A server vacuums and analyzes on its own (autovacuum); the embedded database has no autovacuum process.
  const maintenance = config.databaseUrl ? undefined : startEmbeddedMaintenance(database.orm, logger);
  return {
    database,
    server,
    engine,
    async stop() {
      await scheduler.stop();
      await maintenance?.stop();
      await server.close();
      await database.close();
    },
  };
}
