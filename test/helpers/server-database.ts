/**
 * A new, empty database on a PostgreSQL server, and its removal. Apart from test-database.ts because it must
 * load outside vitest too: the service-process harness serves the bench (bench/), which is a plain program.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates an empty database on the server for one test file (or one bench run); `drop()` removes it. */
export async function createServerDatabase(serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `qbd_test_${randomBytes(6).toString('hex')}`;
  await runOnServer(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => runOnServer(serverUrl, `drop database if exists "${name}" with (force)`) };
}

export async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

