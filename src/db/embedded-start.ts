/**
 * The service's embedded database, started as early as main.ts can: it takes the data-directory lock and starts
 * PGlite while the rest of the service's modules load (about 1.5 s of module loading and 0.7 s of PGlite that
 * need nothing of each other; together about 0.25 s shorter on 2 cores). This module imports only what that
 * needs, so that importing it does not load MikroORM, GraphQL or the rest.
 */
import type { Logger } from 'pino';
import { lockDataDir } from './data-dir-lock.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

export interface StartedEmbedded {
  readonly embedded: EmbeddedPostgres;
  /** Closes the database, then releases the lock. */
  close(): Promise<void>;
}

/**
 * Locks `dataDir` and starts its embedded database: the service's takes a second connection so that the CLI can
 * join it through the socket; the CLI's own (no service running) takes one.
 */
export async function startLockedEmbedded(dataDir: string, logger: Logger, role: 'service' | 'cli'): Promise<StartedEmbedded> {
  const release = await lockDataDir(dataDir, (err) => logger.fatal({ err }, 'lost the data directory lock'));
  try {
    const embedded = await startEmbeddedPostgres({
      dataDir,
      maxConnections: role === 'service' ? 2 : 1,
      // The service migrates to the latest schema right after: a new data directory can start from that schema's
      // image (cluster-image.ts). Not the CLI: a restore must find an empty database. Loaded only for a new cluster.
      ...(role === 'service' ? { migrations: async () => (await import('../../migrations/index.js')).MIGRATIONS.map((m) => m.name) } : {}),
    });
    return {
      embedded,
      async close() {
        await embedded.close().catch(() => undefined);
        await release().catch(() => undefined);
      },
    };
  } catch (error) {
    await release().catch(() => undefined);
    throw error;
  }
}
