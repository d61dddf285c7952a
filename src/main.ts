/**
 * `npm start`: starts the service. Configuration comes from the environment (see README); with no
 * DATABASE_URL the embedded PostgreSQL under DATA_DIR is used.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './app/config.js';
import { createLogger } from './app/logger.js';
import { openDatabase } from './db/database.js';
import { startServer } from './app/server.js';
import { createMappingEngine } from './mapping-engine/index.js';
import { createListSyncSource } from './modules/quickbooks-lists/list-sync.source.js';
import { createPaidStatusSource } from './modules/paid-status/paid-status.source.js';
import { startAutotaskScheduler, type AutotaskScheduler } from './psa/autotask/scheduler.js';
import { AppError } from './errors/app-error.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  let database;
  try {
    database = await openDatabase(config, logger, { role: 'service' });
  } catch (error) {
    if (error instanceof AppError) {
      logger.fatal({ code: error.code }, error.message);
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  logger.info({ database: database.description }, 'database ready');
  let server;
  try {
    const engine = await createMappingEngine(config);
    logger.info({ plugins: engine.registry.list().map((p) => `${p.plugin.id}@${p.plugin.version}`) }, 'plugins registered');
    server = await startServer(config, logger, database, { engine, workSources: [createListSyncSource(config), createPaidStatusSource(config)] });
  } catch (error) {
    await database.close();
    if (error instanceof ConfigError || error instanceof AppError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  logger.info({ url: server.url, publicBaseUrl: config.publicBaseUrl }, `qbd-bridge listening on ${server.url}`);
  // Scheduled Autotask pulls and write-backs; idle until an admin sets an enabled Autotask connection.
  const scheduler: AutotaskScheduler = startAutotaskScheduler({ orm: database.orm, config, logger });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await scheduler.stop();
      await server.close();
      await database.close();
    } finally {
      clearTimeout(force);
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
