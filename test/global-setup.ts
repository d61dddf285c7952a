/**
 * Once per test run: build an embedded-PostgreSQL image with every migration applied, so each test file
 * starts its own database from it in about a second instead of running initdb (about five) and the
 * migrations again. Against a PostgreSQL server (DATABASE_URL) each test file creates its own database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { openOrm } from '../src/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated embedded-database image; empty when tests use DATABASE_URL. */
    pgTemplatePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.DATABASE_URL) {
    project.provide('pgTemplatePath', '');
    return () => undefined;
  }
  const embedded = await startEmbeddedPostgres();
  const db = await openOrm({ clientUrl: embedded.clientUrl, poolMax: 1 }, 'template');
  await db.close();
  const image = await embedded.db.dumpDataDir('gzip');
  await embedded.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-bridge-test-'));
  const file = path.join(dir, 'pg-template.tar.gz');
  fs.writeFileSync(file, Buffer.from(await image.arrayBuffer()));
  project.provide('pgTemplatePath', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
