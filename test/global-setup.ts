/**
 * Once per test run: say in one line whether the qbXML oracle (Intuit's XSDs, outside the repository) runs,
 * and build an embedded-PostgreSQL image with every migration applied (and one before any, for restores), so each test file
 * starts its own database from it in about a second instead of running initdb (about five) and the
 * migrations again. Against a PostgreSQL server (DATABASE_URL) each test file creates its own database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { openOrm } from '../src/db/database.js';
import { loadConfig } from '../src/app/config.js';
import { hasQbxmlSchemas } from '../src/qbxml/xsd/oracle.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the migrated embedded-database image; empty when tests use DATABASE_URL. */
    pgTemplatePath: string;
    /** Path of an embedded-database image before any migration (restore and upgrade tests); empty with DATABASE_URL. */
    pgEmptyTemplatePath: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const specDir = loadConfig().specDir;
  console.log(
    hasQbxmlSchemas(specDir)
      ? `qbXML oracle: Intuit's XSDs at ${specDir} — ran (every simulated message is also checked by libxml2)`
      : `qbXML oracle: Intuit's XSDs not found at ${specDir} — did not run (the generated rules alone; set QBXML_SPEC_DIR to run it)`,
  );
  if (process.env.DATABASE_URL) {
    project.provide('pgTemplatePath', '');
    project.provide('pgEmptyTemplatePath', '');
    return () => undefined;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-bridge-test-'));
  const embedded = await startEmbeddedPostgres();
  const emptyFile = path.join(dir, 'pg-empty.tar.gz');
  fs.writeFileSync(emptyFile, Buffer.from(await (await embedded.db.dumpDataDir('gzip')).arrayBuffer()));
  project.provide('pgEmptyTemplatePath', emptyFile);
  const db = await openOrm({ clientUrl: embedded.clientUrl, poolMax: 1 }, 'template');
  await db.close();
  const image = await embedded.db.dumpDataDir('gzip');
  await embedded.close();
  const file = path.join(dir, 'pg-template.tar.gz');
  fs.writeFileSync(file, Buffer.from(await image.arrayBuffer()));
  project.provide('pgTemplatePath', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
