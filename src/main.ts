/**
 * `npm start`: starts the service (src/app/service.ts) and keeps it running until SIGTERM/SIGINT.
 * Configuration comes from the environment (see README); with no DATABASE_URL the embedded PostgreSQL
 * under DATA_DIR is used. Exit status 2: bad configuration or plugins; 1: the database could not be opened.
 */
import 'reflect-metadata';
import { ConfigError, loadConfig } from './app/config.js';
import { createLogger } from './app/logger.js';
import type { RunningService } from './app/service.js';
import { startLockedEmbedded } from './db/embedded-start.js';
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
  // The embedded database starts while the service's modules (MikroORM, GraphQL...) load: see embedded-start.ts.
  const embedded = config.databaseUrl ? undefined : startLockedEmbedded(config.dataDir, logger, 'service');
  // Handled where startService awaits it; this only keeps a failure meanwhile from counting as unhandled.
  embedded?.catch(() => undefined);
  let service: RunningService;
  try {
    const { startService } = await import('./app/service.js');
    service = await startService(config, logger, { embedded });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AppError) {
      if (error instanceof AppError) logger.fatal({ code: error.code }, error.message);
      console.error(error.message);
      process.exit(isDatabaseFailure(error) ? 1 : 2);
    }
    throw error;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await service.stop();
    } finally {
      clearTimeout(force);
      logger.info('stopped');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** The database could not be opened (exit 1), as opposed to a configuration or plugin problem (exit 2). */
function isDatabaseFailure(error: ConfigError | AppError): boolean {
  return error instanceof AppError && (error.code === 'DATABASE_UNAVAILABLE' || error.code === 'DATA_DIR_LOCKED');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
