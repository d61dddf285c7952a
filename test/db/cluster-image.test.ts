/**
 * A new embedded cluster starts from the cached initdb image (src/db/cluster-image.ts) instead of running initdb:
 * a data directory created while the cache holds an image has exactly that image's contents; a damaged image is
 * not an error: the cluster is initialised as if there were none, and the cache holds a good image again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MIGRATIONS } from '../../migrations/index.js';
import { loadConfig } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { openDatabase } from '../../src/db/database.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { schemaStatus } from '../../src/db/schema-version.js';
import { clusterImagePath, INITDB_IMAGE } from '../../src/db/cluster-image.js';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-initdb-image-'));
const cache = clusterImagePath(INITDB_IMAGE);
let original: Buffer | undefined;

beforeAll(() => {
  original = fs.existsSync(cache) ? fs.readFileSync(cache) : undefined;
});
afterAll(() => {
  // Other test files start clusters from the cache too: it goes back to what it was.
  if (original) fs.writeFileSync(cache, original);
  fs.rmSync(workDir, { recursive: true, force: true });
});

test('a damaged image is replaced by a good one, and a new data directory is the cached image', { timeout: 300_000 }, async () => {
  fs.mkdirSync(path.dirname(cache), { recursive: true });
  fs.writeFileSync(cache, 'not a tarball');
  const first = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'first') });
  try {
    expect((await first.db.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    expect([...fs.readFileSync(cache).subarray(0, 2)], 'a gzip file again').toEqual([0x1f, 0x8b]);

    // An image with a mark in it, as the cache: the next new directory has the mark, so it came from the image.
    await first.db.exec('create schema initdb_image_test; create table initdb_image_test.mark (v text); insert into initdb_image_test.mark values (\'from the image\')');
    fs.writeFileSync(cache, Buffer.from(await (await first.db.dumpDataDir('gzip')).arrayBuffer()));
  } finally {
    await first.close();
  }
  const second = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'second') });
  try {
    if (original) fs.writeFileSync(cache, original);
    expect((await second.db.query<{ v: string }>('select v from initdb_image_test.mark')).rows).toEqual([{ v: 'from the image' }]);
  } finally {
    await second.close();
  }
  // Resumed, not loaded again: the directory exists now.
  const again = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'second') });
  try {
    expect((await again.db.query<{ v: string }>('select v from initdb_image_test.mark')).rows).toEqual([{ v: 'from the image' }]);
  } finally {
    await again.close();
  }
});

test('the service migrates a new data directory once per schema: the next new one starts from that schema image with nothing to apply', { timeout: 300_000 }, async () => {
  const migrations = MIGRATIONS.map((m) => m.name);
  const schemaCache = clusterImagePath({ kind: 'schema', migrations });
  const kept = fs.existsSync(schemaCache) ? fs.readFileSync(schemaCache) : undefined;
  fs.rmSync(schemaCache, { force: true });
  try {
    const config = (dir: string) => loadConfig({ DATA_DIR: path.join(workDir, dir) }, workDir);
    const first = await openDatabase(config('service-first'), createLogger({ logLevel: 'silent' }), { role: 'service' });
    try {
      expect(await schemaStatus(first.orm)).toEqual({ pending: [], unknown: [] });
    } finally {
      await first.close();
    }
    expect(fs.existsSync(schemaCache), 'the first new directory, once migrated, became the schema image').toBe(true);

    const second = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'service-second'), migrations: async () => migrations });
    try {
      expect(second.origin).toBe('schema-image');
      const { rows } = await second.db.query<{ name: string }>('select name from mikro_orm_migrations order by id');
      expect(rows.map((row) => row.name)).toEqual(migrations);
      // Only the schema: the image was taken before the service wrote anything (the first admin, say).
      expect((await second.db.query<{ n: number }>('select count(*)::int as n from app_user')).rows).toEqual([{ n: 0 }]);
    } finally {
      await second.close();
    }

    // The CLI does not take the schema image (a restore wants an empty database): a new directory is the initdb one.
    const cli = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'cli-new') });
    try {
      expect(cli.origin).toBe('initdb');
      expect((await cli.db.query<{ present: boolean }>(`select to_regclass('mikro_orm_migrations') is not null as present`)).rows).toEqual([{ present: false }]);
    } finally {
      await cli.close();
    }
  } finally {
    if (kept) fs.writeFileSync(schemaCache, kept);
  }
});
