import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { ENTITIES } from './entities.js';
import { AuditSubscriber } from '../modules/audit/audit-subscriber.js';
import { MIGRATIONS } from '../../migrations/index.js';

export interface OrmConnection {
  readonly clientUrl: string;
  /** A unix-socket directory (embedded database); pg then connects to `<dir>/.s.PGSQL.<port>`. */
  readonly socketDir?: string;
  /** The embedded database serves one connection at a time (see db/README.md). */
  readonly poolMax: number;
}

/** MikroORM options for either database; the same entities and migrations serve both. */
export function ormOptions(connection: OrmConnection, onQuery?: (sql: string) => void): Options {
  return defineConfig({
    clientUrl: connection.clientUrl,
    ...(connection.socketDir ? { host: connection.socketDir } : {}),
    entities: ENTITIES,
    // No `extensions: [Migrator]`: orm.getMigrator() loads @mikro-orm/migrations the first time it is needed
    // (pending migrations, backups, the CLI), not on every start (schema-version.ts).
    subscribers: [new AuditSubscriber()],
    // acquireTimeoutMillis: fail fast instead of hanging when no connection can be had (e.g. a query on
    // another connection inside a transaction, on the single-connection embedded database).
    pool: { min: 0, max: connection.poolMax, acquireTimeoutMillis: 30_000 },
    allowGlobalContext: false,
    forceUndefined: false,
    discovery: { warnWhenNoEntities: true, checkDuplicateFieldNames: true },
    debug: onQuery ? ['query'] : false,
    logger: onQuery ? (message: string) => onQuery(message) : () => undefined,
    migrations: {
      migrationsList: MIGRATIONS,
      // No snapshot: new migrations are diffed against a fresh embedded database with every committed migration
      // applied (src/db/create-migration.ts), and applying migrations would otherwise rewrite the file each run.
      snapshot: false,
      path: 'dist/migrations',
      pathTs: 'migrations',
      emit: 'ts',
      transactional: true,
      allOrNothing: true,
    },
  });
}
