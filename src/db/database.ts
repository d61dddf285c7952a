/**
 * Opens the database the configuration names, applies pending migrations, and hands back the ORM.
 *   DATABASE_URL set  → that PostgreSQL server.
 *   otherwise         → the embedded PostgreSQL under DATA_DIR (locked to one service process);
 *                       the CLI joins a running service's embedded database through its socket.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../app/config.js';
import type { Logger } from '../app/logger.js';
import { AppError } from '../errors/app-error.js';
import { isDataDirLocked } from './data-dir-lock.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { saveClusterImage } from './cluster-image.js';
import { readEmbeddedEndpoint, type EmbeddedPostgres } from './embedded-postgres.js';
import { startLockedEmbedded, type StartedEmbedded } from './embedded-start.js';
import { ormOptions, type OrmConnection } from './orm-config.js';
import { migrateToLatest } from './schema-version.js';

export interface Database {
  readonly orm: MikroORM;
  /** Human-readable description for logs ("embedded PostgreSQL in ./data", "PostgreSQL at host:5432/db"). */
  readonly description: string;
  /** Resolves when the database answers a trivial query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `cli` may share the embedded database of a running service instead of taking the lock. */
  readonly role: 'service' | 'cli';
  readonly onQuery?: (sql: string) => void;
  /** Apply pending migrations (default true); a database migrated by a newer version is refused either way. */
  readonly migrate?: boolean;
  /** role `service` without DATABASE_URL: the embedded database main.ts started early (embedded-start.ts). */
  readonly embedded?: Promise<StartedEmbedded>;
}

export async function openDatabase(config: Config, logger: Logger, options: OpenDatabaseOptions): Promise<Database> {
  const cleanups: Array<() => Promise<void>> = [];
  let connection: OrmConnection;
  let description: string;
  let embeddedDb: EmbeddedPostgres | undefined;
  try {
    if (config.databaseUrl) {
      connection = { clientUrl: config.databaseUrl, poolMax: 10 };
      const url = new URL(config.databaseUrl);
      description = `PostgreSQL at ${url.host}${url.pathname}`;
    } else if (options.role === 'cli' && (await isDataDirLocked(config.dataDir))) {
      const endpoint = readEmbeddedEndpoint(config.dataDir);
      if (!endpoint) {
        throw new AppError('DATA_DIR_LOCKED', `The data directory ${config.dataDir} is locked by a qbd-bridge process that is still starting; try again in a few seconds.`);
      }
      connection = { ...endpoint, poolMax: 1 };
      description = `embedded PostgreSQL of the running service in ${config.dataDir}`;
    } else {
      // The service's may have been started by main.ts while the modules loaded; either way this database owns it now.
      const started = await (options.embedded ?? startLockedEmbedded(config.dataDir, logger, options.role));
      cleanups.push(() => started.close());
      const { embedded } = started;
      embeddedDb = embedded;
      connection = { clientUrl: embedded.clientUrl, socketDir: embedded.socketDir, poolMax: 1 };
      description = `embedded PostgreSQL in ${config.dataDir}`;
    }
    // LOG_LEVEL=trace logs every SQL statement (the bench counts them; a person can follow a request's queries).
    const onQuery = options.onQuery ?? (logger.isLevelEnabled('trace') ? (sql: string) => logger.trace({ sql }, 'sql') : undefined);
    // On a server, several instances may start at once: migrations run under its advisory lock.
    const db = await openOrm(connection, description, { ...options, onQuery, ...(config.databaseUrl ? { migrationLockUrl: config.databaseUrl } : {}) });
    cleanups.unshift(() => db.close());
    // A new cluster the service has just migrated, before anything else is written: the schema image the next new
    // data directory starts from (cluster-image.ts). Once per PGlite release and list of migrations on a machine.
    if (embeddedDb?.origin === 'initdb' && options.role === 'service' && options.migrate !== false) {
      await saveClusterImage(embeddedDb.db, { kind: 'schema', migrations: MIGRATIONS.map((m) => m.name) });
    }
    return { ...db, close: () => runAll(cleanups) };
  } catch (error) {
    await runAll(cleanups);
    if (error instanceof AppError) throw error;
    throw new AppError('DATABASE_UNAVAILABLE', `Could not open the database (${describeError(error)}).`, { cause: error });
  }
}

/** Connects MikroORM to an already running PostgreSQL (server or embedded) and migrates it. */
export async function openOrm(
  connection: OrmConnection, description: string, options: Pick<OpenDatabaseOptions, 'onQuery' | 'migrate'> & { readonly migrationLockUrl?: string } = {},
): Promise<Database> {
  const orm = await MikroORM.init(ormOptions(connection, options.onQuery));
  try {
    if (options.migrate !== false) await migrateToLatest(orm, options.migrationLockUrl);
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return {
    orm,
    description,
    async ping(timeoutMs = 2_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const query = orm.em
        .fork()
        .getConnection()
        .execute('select 1')
        .then(() => true as const)
        .catch(() => false as const);
      try {
        return await Promise.race([query, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => orm.close(true),
  };
}

async function runAll(cleanups: Array<() => Promise<void>>): Promise<void> {
  for (const cleanup of cleanups.splice(0)) {
    await cleanup().catch(() => undefined);
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
