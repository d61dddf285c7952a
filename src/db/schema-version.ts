/**
 * Which schema a database is at, against the migrations this version knows: a database migrated by a newer
 * version is refused (running older code on it would corrupt it), and migrations on a PostgreSQL server run
 * under an advisory lock so that two instances starting together cannot both apply them. (The embedded
 * database needs no lock: its data directory is locked to one process.)
 */
import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';
import { AppError } from '../errors/app-error.js';

/** pg_advisory_lock key: "qbdb" in ASCII, so that it is recognisable in pg_locks. */
const MIGRATION_LOCK_KEY = 0x71626462;

export interface SchemaStatus {
  /** Migrations this version would apply, in order. */
  readonly pending: readonly string[];
  /** Migrations the database has that this version does not know (made by a newer version). */
  readonly unknown: readonly string[];
}

export async function schemaStatus(orm: MikroORM): Promise<SchemaStatus> {
  const executed = new Set(await executedMigrations(orm));
  const known = new Set(MIGRATIONS.map((m) => m.name));
  return {
    pending: MIGRATIONS.map((m) => m.name).filter((name) => !executed.has(name)),
    unknown: [...executed].filter((name) => !known.has(name)),
  };
}

/**
 * Names of the migrations the database has, read with one query instead of through MikroORM's migrator: loading
 * the migrator (umzug and its command-line library) cost every start about 0.2 s, and on an up-to-date database
 * (every restart) it has nothing to do. A database that has no migrations table yet has none.
 */
async function executedMigrations(orm: MikroORM): Promise<string[]> {
  const table = orm.config.get('migrations').tableName ?? 'mikro_orm_migrations';
  const connection = orm.em.fork().getConnection();
  const [{ present }] = await connection.execute<[{ present: boolean }]>(`select to_regclass(?) is not null as present`, [table]);
  if (!present) return [];
  const rows = await connection.execute<Array<{ name: string }>>(`select name from ${connection.getPlatform().quoteIdentifier(table)} order by id`);
  return rows.map((row) => row.name);
}

export async function refuseNewerSchema(orm: MikroORM): Promise<SchemaStatus> {
  const status = await schemaStatus(orm);
  const { unknown } = status;
  if (unknown.length > 0) {
    throw new AppError(
      'SCHEMA_NEWER_THAN_CODE',
      `The database was migrated by a newer qbd-bridge (migration ${unknown[0]} is unknown to this version). Run that version or a later one, or restore a backup this version made.`,
    );
  }
  return status;
}

/** Runs the pending migrations, if any: the migrator is loaded only then (see executedMigrations). */
async function applyPending(orm: MikroORM): Promise<void> {
  const { pending } = await refuseNewerSchema(orm);
  if (pending.length > 0) await orm.getMigrator().up();
}

/** Applies pending migrations; with `lockUrl` (a server), under the advisory lock held on its own connection. */
export async function migrateToLatest(orm: MikroORM, lockUrl?: string): Promise<void> {
  if (!lockUrl) return applyPending(orm);
  const lock = new pg.Client({ connectionString: lockUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // Read after the lock: the instance that held it may just have applied what was pending.
    await applyPending(orm);
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}
