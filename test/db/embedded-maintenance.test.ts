/**
 * The embedded database's vacuum and analyze (src/db/embedded-maintenance.ts): a table past autovacuum's
 * thresholds is vacuumed and analyzed by one pass, and left alone by the next. Run on whichever database the
 * tests use (the SQL is the same; a server's own autovacuum is kept off the probe table).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openTestDatabase } from '../helpers/test-database.js';
import type { Database } from '../../src/db/database.js';
import { maintainDatabase, startEmbeddedMaintenance } from '../../src/db/embedded-maintenance.js';
import { createLogger } from '../../src/app/logger.js';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

interface Counters { n_dead_tup: number; n_mod_since_analyze: number; vacuums: number; analyzes: number }

async function counters(table: string): Promise<Counters> {
  const [row] = await database.orm.em.fork().getConnection().execute<Counters[]>(
    `select n_dead_tup::int, n_mod_since_analyze::int, (vacuum_count + autovacuum_count)::int as vacuums, (analyze_count + autoanalyze_count)::int as analyzes
     from pg_stat_user_tables where relname = ?`, [table]);
  return row!;
}

/** The table's counters once the statistics of the changes made have reached the shared ones (a backend sends them at most once a second). */
async function countersOf(table: string, ready: (c: Counters) => boolean): Promise<Counters> {
  for (;;) {
    const now = await counters(table);
    if (ready(now)) return now;
    await database.orm.em.fork().getConnection().execute('select pg_stat_force_next_flush()');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a table with many dead rows is vacuumed and analyzed by one pass, and left alone by the next', async () => {
  const connection = database.orm.em.fork().getConnection();
  await connection.execute('create table maintenance_probe (id int primary key, state text not null) with (autovacuum_enabled = false)');
  await connection.execute(`insert into maintenance_probe select g, 'QUEUED' from generate_series(1, 2000) g`);
  // Every row changes state twice, as transfers do: 4000 dead row versions.
  await connection.execute(`update maintenance_probe set state = 'SENT'`);
  await connection.execute(`update maintenance_probe set state = 'SUCCEEDED'`);
  const before = await countersOf('maintenance_probe', (c) => c.n_dead_tup >= 4000);
  expect(before).toMatchObject({ vacuums: 0, analyzes: 0 });

  const done = await maintainDatabase(database.orm);
  expect(done).toContainEqual({ table: 'maintenance_probe', vacuumed: true, analyzed: true });
  const after = await countersOf('maintenance_probe', (c) => c.vacuums > 0);
  expect(after).toMatchObject({ n_dead_tup: 0, n_mod_since_analyze: 0, vacuums: 1, analyzes: 1 });

  // Nothing changed since: below every threshold now.
  expect((await maintainDatabase(database.orm)).map((t) => t.table)).not.toContain('maintenance_probe');
  expect(await counters('maintenance_probe')).toMatchObject({ vacuums: 1, analyzes: 1 });
});

test("changes past analyze's threshold but not vacuum's: analyzed, not vacuumed", async () => {
  const connection = database.orm.em.fork().getConnection();
  await connection.execute('create table maintenance_changes (id int primary key, v int not null) with (autovacuum_enabled = false)');
  await connection.execute('insert into maintenance_changes select g, 0 from generate_series(1, 1000) g');
  await countersOf('maintenance_changes', (c) => c.n_mod_since_analyze >= 1000);
  // 1000 new rows: analyzed (past 50), not vacuumed (1000 inserted is not past 1000 + 20 % of none).
  expect(await maintainDatabase(database.orm)).toContainEqual({ table: 'maintenance_changes', vacuumed: false, analyzed: true });
  // Now 1000 rows: 200 changed is past analyze's 50 + 100 and below vacuum's 50 + 200 dead rows.
  await connection.execute('update maintenance_changes set v = 1 where id <= 200');
  await countersOf('maintenance_changes', (c) => c.n_dead_tup >= 200);
  expect(await maintainDatabase(database.orm)).toContainEqual({ table: 'maintenance_changes', vacuumed: false, analyzed: true });
  expect((await maintainDatabase(database.orm)).map((t) => t.table)).not.toContain('maintenance_changes');
});

test("the service's timer runs a pass once its interval has passed", async () => {
  const connection = database.orm.em.fork().getConnection();
  await connection.execute('create table maintenance_timed (id int primary key, v int not null) with (autovacuum_enabled = false)');
  const maintenance = startEmbeddedMaintenance(database.orm, createLogger({ logLevel: 'silent' }), 20);
  try {
    await connection.execute('insert into maintenance_timed select g, 0 from generate_series(1, 500) g');
    await connection.execute('update maintenance_timed set v = 1');
    await countersOf('maintenance_timed', (c) => c.vacuums > 0 && c.n_dead_tup === 0);
  } finally {
    await maintenance.stop();
  }
});
