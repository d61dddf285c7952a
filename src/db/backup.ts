/**
 * Backups of the whole database, embedded or server, as one gzip'd file of JSON lines:
 *   {"format":"qbd-bridge-backup","version":1,"createdAt":…,"migrations":[…],"tables":[…]}   the header
 *   ["<table>",{…row…}]                                                                      one line per row
 *   {"end":true,"rows":{"<table>":n,…}}                                                       the trailer
 * It is read in one REPEATABLE READ, READ ONLY transaction: a consistent snapshot while the service keeps
 * running (on the embedded database, whose transactions are serialised, the service waits meanwhile).
 * A restore goes into an empty database only: the migrations the backup was made by, the rows (in one
 * transaction, parents before children), then this version's newer migrations, which is the upgrade path
 * from an older release. A backup made by a newer version, or a file cut short, is refused untouched.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { IsolationLevel, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../../migrations/index.js';
import { AppError } from '../errors/app-error.js';
import { refuseNewerSchema } from './schema-version.js';

const FORMAT = 'qbd-bridge-backup';
const VERSION = 1;
const MIGRATIONS_TABLE = 'mikro_orm_migrations';
/** Rows per read and per insert: big enough to be set-based, small enough to keep memory flat. */
const BATCH = 500;

interface BackupHeader {
  readonly format: typeof FORMAT;
  readonly version: number;
  readonly createdAt: string;
  /** The migrations the schema was made by, in order. */
  readonly migrations: readonly string[];
  /** Every table, parents before children (foreign keys), as restore inserts them. */
  readonly tables: readonly string[];
}

interface BackupTrailer {
  readonly end: true;
  readonly rows: Record<string, number>;
}

export interface BackupSummary {
  readonly file: string;
  readonly migrations: number;
  readonly rows: Record<string, number>;
}

/** Writes a consistent backup of the database to `file` (through `<file>.partial`, so a failure leaves no half file). */
export async function writeBackup(orm: MikroORM, file: string): Promise<BackupSummary> {
  const partial = `${file}.partial`;
  const migrations = (await orm.getMigrator().getExecutedMigrations()).map((m) => m.name);
  const rows: Record<string, number> = {};
  try {
    await orm.em.fork().transactional(
      async (em) => {
        const tables = await tablesInInsertOrder(em);
        const header: BackupHeader = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), migrations, tables };
        async function* lines(): AsyncGenerator<string> {
          yield `${JSON.stringify(header)}\n`;
          for (const table of tables) {
            rows[table] = 0;
            // Keyset over ctid: stable inside the snapshot, and no OFFSET that grows with the table.
            let after = '(0,0)';
            for (;;) {
              const batch = await em.getConnection().execute<Array<{ c: string; r: string }>>(
                `select ctid::text as c, row_to_json(t)::text as r from ${quoteIdent(table)} t where ctid > cast(? as tid) order by ctid limit ${BATCH}`,
                [after], 'all', em.getTransactionContext(),
              );
              if (batch.length === 0) break;
              rows[table] += batch.length;
              yield batch.map((row) => `[${JSON.stringify(table)},${row.r}]\n`).join('');
              after = batch.at(-1)!.c;
            }
          }
          const trailer: BackupTrailer = { end: true, rows };
          yield `${JSON.stringify(trailer)}\n`;
        }
        await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(partial, { mode: 0o600 }));
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { file, migrations: migrations.length, rows };
}

export interface RestoreSummary {
  readonly rows: Record<string, number>;
  /** Migrations of this version the backup did not have yet, applied after its rows. */
  readonly upgradedBy: readonly string[];
}

/** Restores `file` into the (empty) database of `orm`, then migrates it to this version. */
export async function restoreBackup(orm: MikroORM, file: string): Promise<RestoreSummary> {
  const header = await readHeader(file);
  const known = MIGRATIONS.map((m) => m.name);
  const newer = header.migrations.filter((name) => !known.includes(name));
  if (newer.length > 0) {
    throw new AppError(
      'BACKUP_FROM_NEWER_VERSION',
      `${file} was made by a newer qbd-bridge (its migration ${newer[0]} is unknown to this version). Restore it with that version or a later one; nothing was changed.`,
    );
  }
  if (header.migrations.some((name, i) => known[i] !== name)) {
    throw new AppError('BACKUP_INVALID', `${file} was made by migrations this version does not apply in the same order; nothing was changed.`);
  }
  const migrator = orm.getMigrator();
  await refuseNewerSchema(orm);
  const executed = (await migrator.getExecutedMigrations()).map((m) => m.name);
  if (executed.length > header.migrations.length || executed.some((name, i) => header.migrations[i] !== name)) {
    throw notEmpty('its schema is newer than the backup\'s');
  }
  const filled = await firstTableWithRows(orm.em.fork());
  if (filled) throw notEmpty(`table ${filled} has rows`);
  if (header.migrations.length > 0) await migrator.up({ to: header.migrations.at(-1)! });

  const rows = await orm.em.fork().transactional(async (em) => {
    const counted: Record<string, number> = {};
    let trailer: BackupTrailer | undefined;
    let pending: { table: string; rows: string[] } | undefined;
    const flush = async () => {
      if (!pending || pending.rows.length === 0) return;
      const table = quoteIdent(pending.table);
      await em.getConnection().execute(
        `insert into ${table} select * from json_populate_recordset(null::${table}, cast(? as json))`,
        [`[${pending.rows.join(',')}]`], 'run', em.getTransactionContext(),
      );
      pending.rows = [];
    };
    for await (const line of readLines(file, 1)) {
      if (line.startsWith('{')) {
        trailer = JSON.parse(line) as BackupTrailer;
        break;
      }
      const [table, row] = splitRowLine(line);
      if (!header.tables.includes(table)) throw invalid(file, `a row of table ${table}, which its header does not list`);
      if (pending?.table !== table) {
        await flush();
        pending = { table, rows: [] };
      }
      pending.rows.push(row);
      counted[table] = (counted[table] ?? 0) + 1;
      if (pending.rows.length >= BATCH) await flush();
    }
    await flush();
    if (!trailer?.end) throw invalid(file, 'it ends before its last line (cut short?)');
    for (const table of header.tables) {
      if ((counted[table] ?? 0) !== (trailer.rows[table] ?? 0)) throw invalid(file, `table ${table} has ${counted[table] ?? 0} rows where its trailer says ${trailer.rows[table] ?? 0}`);
    }
    return counted;
  });

  const upgradedBy = (await migrator.up()).map((m) => m.name);
  return { rows, upgradedBy };
}

async function readHeader(file: string): Promise<BackupHeader> {
  if (!fs.existsSync(file)) throw new AppError('BACKUP_INVALID', `There is no backup file at ${file}.`);
  for await (const line of readLines(file, 0)) {
    let header: Partial<BackupHeader>;
    try {
      header = JSON.parse(line) as Partial<BackupHeader>;
    } catch {
      break;
    }
    if (header.format !== FORMAT || !Array.isArray(header.migrations) || !Array.isArray(header.tables)) break;
    if (header.version !== VERSION) throw invalid(file, `its format version ${header.version} is not ${VERSION}`);
    return header as BackupHeader;
  }
  throw invalid(file, 'it is not a qbd-bridge backup');
}

/** The lines of the gzip'd file from line number `from` (0 = the header). */
async function* readLines(file: string, from: number): AsyncGenerator<string> {
  const input = fs.createReadStream(file).pipe(createGunzip());
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      if (n++ >= from && line !== '') yield line;
    }
  } catch (error) {
    throw invalid(file, `it cannot be read (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    lines.close();
    input.destroy();
  }
}

/** `["table",{…}]` → the table and the row's JSON text, without parsing the row. */
function splitRowLine(line: string): [string, string] {
  const comma = line.indexOf('",');
  return [JSON.parse(line.slice(1, comma + 1)) as string, line.slice(comma + 2, -1)];
}

async function firstTableWithRows(em: EntityManager): Promise<string | undefined> {
  for (const table of await tablesInInsertOrder(em)) {
    const [{ has }] = await em.getConnection().execute<[{ has: boolean }]>(`select exists (select 1 from ${quoteIdent(table)}) as has`);
    if (has) return table;
  }
  return undefined;
}

/** The schema's tables (except the migrations' own), each after the tables its foreign keys point at. */
async function tablesInInsertOrder(em: EntityManager): Promise<string[]> {
  const ctx = em.getTransactionContext();
  const tables = (await em.getConnection().execute<Array<{ name: string }>>(
    `select tablename as name from pg_tables where schemaname = current_schema() and tablename <> ? order by tablename`, [MIGRATIONS_TABLE], 'all', ctx,
  )).map((t) => t.name);
  const edges = await em.getConnection().execute<Array<{ child: string; parent: string }>>(
    `select c.relname as child, p.relname as parent from pg_constraint k
       join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and k.connamespace = current_schema()::regnamespace and k.conrelid <> k.confrelid`, [], 'all', ctx,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>) => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const edge of edges) if (edge.child === table) visit(edge.parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function invalid(file: string, why: string): AppError {
  return new AppError('BACKUP_INVALID', `${file} cannot be restored: ${why}. No rows were restored.`);
}

function notEmpty(why: string): AppError {
  return new AppError('RESTORE_TARGET_NOT_EMPTY', `A backup is restored into an empty database only (${why}): use a new DATA_DIR, or an empty database for DATABASE_URL. No rows were restored.`);
}
