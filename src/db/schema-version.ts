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
  const executed = new Set((await orm.getMigrator().getExecutedMigrations()).map((m) => m.name));
  const known = new Set(MIGRATIONS.map((m) => m.name));
  return {
    pending: MIGRATIONS.map((m) => m.name).filter((name) => !executed.has(name)),
    unknown: [...executed].filter((name) => !known.has(name)),
  };
}

export async function refuseNewerSchema(orm: MikroORM): Promise<void> {
  const { unknown } = await schemaStatus(orm);
  if (unknown.length > 0) {
    throw new AppError(
      'SCHEMA_NEWER_THAN_CODE',
      `The database was migrated by a newer qbd-bridge (migration ${unknown[0]} is unknown to this version). Run that version or a later one, or restore a backup this version made.`,
    );
  }
}

/** Applies pending migrations; with `lockUrl` (a server), under the advisory lock held on its own connection. */
export async function migrateToLatest(orm: MikroORM, lockUrl?: string): Promise<void> {
  if (!lockUrl) {
    await refuseNewerSchema(orm);
    await orm.getMigrator().up();
    return;
  }
  const lock = new pg.Client({ connectionString: lockUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // Read after the lock: the instance that held it may just have applied what was pending.
    await refuseNewerSchema(orm);
    await orm.getMigrator().up();
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}
