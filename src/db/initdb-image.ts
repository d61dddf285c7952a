/**
 * A fresh embedded data directory starts from an image of an empty, just-initialised cluster instead of running
 * initdb (PGlite's initdb in WASM takes 5–20 s; loading the image about one). The image depends only on the
 * PGlite release, so it is cached per release in `node_modules/.cache/qbd-bridge/` beside PGlite itself: made by
 * the first fresh start on the machine (or by `npm run build`, so a built install or a Docker image has it from
 * the start), read by every later one. A cache that cannot be written (read-only install) is only slower.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { PGlite } from '@electric-sql/pglite';

/** Where PGlite is installed: its folder holds package.json with the release the image belongs to. */
function pgliteDir(): string {
  // .../node_modules/@electric-sql/pglite/dist/index.cjs → .../node_modules/@electric-sql/pglite
  return path.resolve(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..');
}

/** The cache file for the installed PGlite release. */
export function initdbImagePath(): string {
  const dir = pgliteDir();
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return path.join(dir, '..', '..', '.cache', 'qbd-bridge', `pglite-${version}-initdb.tar.gz`);
}

/** The cached image, or undefined when there is none yet. */
export function readInitdbImage(): Blob | undefined {
  try {
    return new Blob([fs.readFileSync(initdbImagePath())]);
  } catch {
    return undefined;
  }
}

/** Keeps `db`'s data directory, just initialised, as the image; written to a temporary name and renamed, so concurrent starts never read half a file. */
export async function saveInitdbImage(db: PGlite): Promise<void> {
  const file = initdbImagePath();
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()));
    fs.renameSync(partial, file);
  } catch {
    fs.rmSync(partial, { force: true });
  }
}

/** Drops a cached image PGlite could not load (cut short, or from a broken write), so the next start makes a new one. */
export function discardInitdbImage(): void {
  fs.rmSync(initdbImagePath(), { force: true });
}
