/**
 * A new embedded cluster starts from the cached initdb image (src/db/initdb-image.ts) instead of running initdb:
 * a data directory created while the cache holds an image has exactly that image's contents; a damaged image is
 * not an error: the cluster is initialised as if there were none, and the cache holds a good image again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { initdbImagePath } from '../../src/db/initdb-image.js';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-initdb-image-'));
const cache = initdbImagePath();
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
