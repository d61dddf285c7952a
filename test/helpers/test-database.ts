/**
 * A fresh, migrated database for one test file: an in-memory embedded PostgreSQL started from the
 * run's template image, or — when DATABASE_URL is set — a new database on that server, dropped afterwards.
 */
import fs from 'node:fs';
import { inject } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { openOrm, type Database } from '../../src/db/database.js';
import { createServerDatabase } from './server-database.js';

export { createServerDatabase };

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
