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

async function openServerDatabase(serverUrl: string, options: TestDatabaseOptions): Promise<Database> {
  const name = `qbd_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openOrm({ clientUrl: url.toString(), poolMax: 4 }, `PostgreSQL ${name} (test)`, options);
  return {
    ...db,
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}
