/**
 * Backups and upgrades (issue #15, items 2 and 4), on real databases: a backup taken while a Web Connector
 * session runs restores every row it holds into an empty database; one taken at rest, restored by the CLI into a
 * new data directory, has every row equal to the source; a backup of
 * a newer version or a file cut short is refused with nothing restored; release 0.1.0's backup (committed,
 * made from a real session) is restored and upgraded by this version's newer migrations to the schema a fresh
 * database has; `migrate --check` says what would run; two instances starting together on a server migrate once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.js';
import { buildCli } from '../../src/cli/index.js';
import { restoreBackup, writeBackup } from '../../src/db/backup.js';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { openDatabase, openOrm, type Database } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrateToLatest } from '../../src/db/schema-version.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';
import { pushInvoices, pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';
import { update } from '../helpers/qbwc-fixture.js';
import { createServerDatabase } from '../helpers/test-database.js';

const RELEASE_0_1_0_BACKUP = path.join(import.meta.dirname, 'fixtures', 'backup-release-0.1.0.jsonl.gz');

/** An empty database (no migrations applied): an in-memory embedded one from the run's initdb image, or a new one on the server. */
async function openEmptyDatabase(): Promise<Database & { readonly url: string }> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const created = await createServerDatabase(serverUrl);
    const db = await openOrm({ clientUrl: created.url, poolMax: 2 }, 'empty (test)', { migrate: false });
    return { ...db, url: created.url, close: async () => { await db.close(); await created.drop(); } };
  }
  const embedded = await startEmbeddedPostgres({ template: new Blob([fs.readFileSync(inject('pgEmptyTemplatePath'))]) });
  const db = await openOrm({ clientUrl: embedded.clientUrl, poolMax: 1 }, 'empty embedded (test)', { migrate: false });
  return { ...db, url: embedded.clientUrl, close: async () => { await db.close(); await embedded.close(); } };
}

/** Every row of every table as JSON text, sorted: what "every row equal" compares. */
async function allRows(db: Database): Promise<Record<string, string[]>> {
  const conn = db.orm.em.fork().getConnection();
  const tables = await conn.execute<Array<{ name: string }>>(
    `select tablename as name from pg_tables where schemaname = current_schema() and tablename <> 'mikro_orm_migrations' order by 1`,
  );
  const rows: Record<string, string[]> = {};
  for (const { name } of tables) {
    rows[name] = (await conn.execute<Array<{ r: string }>>(`select row_to_json(t)::text as r from "${name}" t`)).map((r) => r.r).sort();
  }
  return rows;
}

/** The rows a backup file holds, per table, as JSON text, sorted (as {@link allRows} reads them). */
function rowsInBackup(file: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const line of gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')) {
    if (!line.startsWith('[')) continue;
    const comma = line.indexOf('",');
    (rows[JSON.parse(line.slice(1, comma + 1)) as string] ??= []).push(JSON.stringify(JSON.parse(line.slice(comma + 2, -1))));
  }
  for (const table of Object.keys(rows)) rows[table]!.sort();
  return rows;
}

/**
 * `qbd-bridge restore <file>` as a person runs it, into a new data directory (embedded) or a new database on the
 * server; then that database, opened again the way the service opens it, for reading.
 */
async function restoreWithCli(file: string): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  const created = serverUrl ? await createServerDatabase(serverUrl) : undefined;
  const { DATABASE_URL: _server, ...env } = process.env;
  const config = loadConfig({ ...env, DATA_DIR: path.join(workDir, `restored-${Date.now()}`), ...(created ? { DATABASE_URL: created.url } : {}), LOG_LEVEL: 'silent' });
  let out = '';
  await buildCli(() => config, { stdout: { write: (s: string) => ((out += s), true), isTTY: false } as never }).parseAsync(['node', 'qbd-bridge', 'restore', file]);
  expect(out).toMatch(/^Restored .* into (embedded PostgreSQL in|PostgreSQL at) .*: \d+ rows in \d+ tables\.$/m);
  const db = await openDatabase(config, createLogger({ logLevel: 'silent' }), { role: 'cli' });
  return { ...db, close: async () => { await db.close(); await created?.drop(); } };
}

async function expectRefused(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-backup-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

describe('backup and restore', () => {
  let billing: BillingSetup;
  let duringSession: string;
  let atRest: string;

  beforeAll(async () => {
    billing = await startBillingSetup('Backup Books');
    const { app, fixture } = billing;
    const em = app.database.orm.em.fork();
    await pushOrganization(em, 701, 'Backup Dental');
    const invoiceIds = await pushInvoices(em, 701, [70_001, 70_002, 70_003]);
    const queued = await app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: invoiceIds } }, fixture.adminToken);
    expect(queued.errors).toBeUndefined();

  }, 300_000);
  afterAll(async () => {
    await billing?.app.close();
  });

  test('a backup taken mid-session (its session row still ACTIVE) restores every row it holds, as it holds it', { timeout: 300_000 }, async () => {
    const { app, qwc, qb } = billing;
    // The Web Connector stops right after QuickBooks added the customer (its answer never posted): the session is
    // left ACTIVE with the invoices still to send, and stays so while the backup runs, whatever the machine's speed.
    let current = '';
    let lost = false;
    const interrupted = await update(qwc, qb, {
      timeoutMs: 90_000,
      log: (line) => { if (line.includes('strRequestXML =')) current = line; },
      faults: { loseResponseAfterProcessing: () => (!lost && /<CustomerAddRq /.test(current) ? (lost = true) : false) },
    });
    expect(interrupted.outcome, interrupted.lastError).toBe('aborted');
    expect(qb.company.customers.some((c) => c.name === 'Backup Dental')).toBe(true);
    duringSession = path.join(workDir, 'during-session.jsonl.gz');
    await writeBackup(app.database.orm, duringSession);
    const run = await update(qwc, qb, { timeoutMs: 90_000 });
    expect(run.outcome, run.lastError).toBe('completed');
    atRest = path.join(workDir, 'at-rest.jsonl.gz');
    await writeBackup(app.database.orm, atRest);

    const target = await openEmptyDatabase();
    try {
      const summary = await restoreBackup(target.orm, duringSession);
      expect(summary.upgradedBy).toEqual([]);
      expect(summary.rows.organization).toBe(1);
      expect(summary.rows.invoice).toBe(3);
      // It was taken mid-session (the session row is ACTIVE in it), and every row it holds is restored as it was.
      const inFile = rowsInBackup(duringSession);
      expect(inFile.qbwc_session!.map((r) => (JSON.parse(r) as { state: string }).state)).toEqual(['ACTIVE']);
      const restored = await allRows(target);
      const compact = (rows: string[]) => rows.map((r) => JSON.stringify(JSON.parse(r))).sort();
      for (const table of Object.keys(restored)) expect(compact(restored[table]!), table).toEqual(inFile[table] ?? []);
    } finally {
      await target.close();
    }
  });

  test('a backup at rest restored by `qbd-bridge restore` into a new data directory has every row equal, and is usable', { timeout: 300_000 }, async () => {
    const target = await restoreWithCli(atRest);
    try {
      expect(await allRows(target)).toEqual(await allRows(billing.app.database));
      const em = target.orm.em.fork();
      expect((await em.find(TransferItem, { entityType: 'INVOICE' as never })).map((i) => i.state)).toEqual(Array(3).fill(TransferState.SUCCEEDED));
      // A second restore into the same (now filled) database is refused.
      await expectRefused(restoreBackup(target.orm, atRest), 'RESTORE_TARGET_NOT_EMPTY', /empty database only \(table \w+ has rows\)/);
    } finally {
      await target.close();
    }
  });

  // At a release: WRITE_RELEASE_BACKUP=<version> npx vitest run test/db/backup-restore.test.ts keeps its backup
  // as the fixture the next releases' upgrade test restores.
  test.runIf(process.env.WRITE_RELEASE_BACKUP)('writes the release backup fixture', () => {
    fs.mkdirSync(path.dirname(RELEASE_0_1_0_BACKUP), { recursive: true });
    fs.copyFileSync(atRest, path.join(path.dirname(RELEASE_0_1_0_BACKUP), `backup-release-${process.env.WRITE_RELEASE_BACKUP}.jsonl.gz`));
  });

  test('a backup made by a newer version, and a file cut short, are refused with nothing restored', { timeout: 120_000 }, async () => {
    const lines = gunzipSync(fs.readFileSync(atRest)).toString('utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0]!) as { migrations: string[] };
    const newer = path.join(workDir, 'newer.jsonl.gz');
    fs.writeFileSync(newer, gzipSync([JSON.stringify({ ...header, migrations: [...header.migrations, 'Migration29991231000000'] }), ...lines.slice(1)].join('\n')));
    const cut = path.join(workDir, 'cut.jsonl.gz');
    fs.writeFileSync(cut, gzipSync(lines.slice(0, -1).join('\n')));
    const notABackup = path.join(workDir, 'not-a-backup.gz');
    fs.writeFileSync(notABackup, gzipSync('hello'));

    const target = await openEmptyDatabase();
    try {
      await expectRefused(restoreBackup(target.orm, newer), 'BACKUP_FROM_NEWER_VERSION', /made by a newer qbd-bridge \(its migration Migration29991231000000 is unknown/);
      expect(await target.orm.getMigrator().getExecutedMigrations()).toEqual([]);
      await expectRefused(restoreBackup(target.orm, notABackup), 'BACKUP_INVALID', /it is not a qbd-bridge backup/);
      await expectRefused(restoreBackup(target.orm, cut), 'BACKUP_INVALID', /ends before its last line/);
      expect(await target.orm.em.fork().count(Invoice, {})).toBe(0);
    } finally {
      await target.close();
    }
  });
});

describe('upgrades', () => {
  test("release 0.1.0's backup is restored and upgraded to the schema a fresh database has", { timeout: 120_000 }, async () => {
    const target = await openEmptyDatabase();
    try {
      const summary = await restoreBackup(target.orm, RELEASE_0_1_0_BACKUP);
      const header = JSON.parse(gunzipSync(fs.readFileSync(RELEASE_0_1_0_BACKUP)).toString('utf8').split('\n', 1)[0]!) as { migrations: string[] };
      expect(summary.upgradedBy).toEqual(MIGRATIONS.map((m) => m.name).slice(header.migrations.length));
      expect(summary.rows.invoice).toBeGreaterThan(0);
      // The upgraded schema is exactly what the entities describe: nothing left for a migration to do.
      expect(await target.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false })).toBe('');
      const em = target.orm.em.fork();
      const landed = await em.find(TransferItem, { entityType: 'INVOICE' as never, state: TransferState.SUCCEEDED });
      expect(landed.length).toBe(summary.rows.invoice);
      expect(landed.every((item) => item.qbTxnId)).toBe(true);
    } finally {
      await target.close();
    }
  });

  test('`migrate --check` lists what would run, nothing once migrated; a newer schema is refused', { timeout: 120_000 }, async () => {
    const target = await openEmptyDatabase();
    try {
      let out = '';
      const cli = (migrate: boolean) =>
        buildCli(() => ({}) as never, {
          stdout: { write: (s: string) => ((out += s), true), isTTY: false } as never,
          openDatabase: async (_config, options) => {
            if (options.migrate) await target.orm.getMigrator().up();
            expect(options.migrate).toBe(migrate);
            return { ...target, close: async () => undefined };
          },
        });
      await cli(false).parseAsync(['node', 'qbd-bridge', 'migrate', '--check']);
      expect(out).toContain(`${MIGRATIONS.length} migrations would run on`);
      expect(out).toContain(`  ${MIGRATIONS.at(-1)!.name}\n`);
      out = '';
      await cli(true).parseAsync(['node', 'qbd-bridge', 'migrate']);
      await cli(false).parseAsync(['node', 'qbd-bridge', 'migrate', '--check']);
      expect(out).toContain('Nothing to migrate');

      // A newer version migrated it further: this one refuses to start on it, and --check says why.
      await target.orm.em.fork().getConnection().execute(`insert into mikro_orm_migrations (name, executed_at) values ('Migration29991231000000', now())`);
      await expectRefused(migrateToLatest(target.orm), 'SCHEMA_NEWER_THAN_CODE', /migrated by a newer qbd-bridge \(migration Migration29991231000000 is unknown/);
      await expect(cli(false).parseAsync(['node', 'qbd-bridge', 'migrate', '--check'])).rejects.toThrow(/newer qbd-bridge: Migration29991231000000 unknown/);
    } finally {
      await target.close();
    }
  });

  test.skipIf(!process.env.DATABASE_URL)('two instances starting together on a server migrate once, under the lock', { timeout: 120_000 }, async () => {
    const created = await createServerDatabase(process.env.DATABASE_URL!);
    try {
      const open = () => openOrm({ clientUrl: created.url, poolMax: 2 }, 'instance', { migrationLockUrl: created.url });
      const instances = await Promise.all([open(), open()]);
      try {
        const executed = await instances[0].orm.getMigrator().getExecutedMigrations();
        expect(executed.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
      } finally {
        await Promise.all(instances.map((db) => db.close()));
      }
    } finally {
      await created.drop();
    }
  });
});
