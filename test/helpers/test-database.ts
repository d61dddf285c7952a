/**
 * A fresh, migrated database for one test file: an in-memory embedded PostgreSQL started from the
 * run's template image, or — when DATABASE_URL is set — a new database on that server, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { openOrm, type Database } from '../../src/db/database.js';

export interface TestDatabaseOptions {
  readonly onQuery?: (sql: string) => void;
}

export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) return openServerDatabase(serverUrl, options);
  const templatePath = inject('pgTemplatePath');
  const template = new Blob([fs.readFileSync(templatePath)]);
  const embedded = await startEmbeddedPostgres({ template });
  const db = await openOrm({ clientUrl: embedded.clientUrl, poolMax: 1 }, 'embedded (test)', options);
  return {
    ...db,
    async close() {
      await db.close();
      await embedded.close();
    },
  };
}

/** Creates an empty database on the server for one test file; `drop()` removes it. */
export async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `qbd_test_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => runOnServer(serverUrl, `drop database if exists "${name}" with (force)`) };
}

async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function openServerDatabase(serverUrl: string, options: TestDatabaseOptions): Promise<Database> {
  const created = await createServerDatabase(serverUrl);
  const db = await openOrm({ clientUrl: created.url, poolMax: 4 }, 'PostgreSQL (test)', options);
  return {
    ...db,
    async close() {
      await db.close();
      await created.drop();
    },
  };
}
