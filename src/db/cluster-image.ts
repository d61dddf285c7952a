/**
 * A fresh embedded data directory starts from a cached image of a cluster instead of being built from nothing:
 *   initdb   an empty, just-initialised cluster: PGlite's initdb in WASM takes 5–20 s, loading the image about 1 s.
 *            It depends only on the PGlite release.
 *   schema   the same cluster with every migration of this version applied, before anything else is written: a
 *            service's first start on a new data directory then has no migration to run (25 of them took about
 *            1.5 s). It depends on the PGlite release and the list of migrations, both in its name.
 * Images are cached per release in `node_modules/.cache/qbd-bridge/` beside PGlite itself, made by the first
 * fresh start on the machine that needed them and read by every later one. A cache that cannot be written
 * (read-only install) is only slower; an image PGlite cannot load is dropped and made again.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { PGlite } from '@electric-sql/pglite';

/** Which image: the empty cluster, or the one migrated by a given list of migrations. */
export type ClusterImage = { readonly kind: 'initdb' } | { readonly kind: 'schema'; readonly migrations: readonly string[] };

export const INITDB_IMAGE: ClusterImage = { kind: 'initdb' };

/** Where PGlite is installed: its folder holds package.json with the release the images belong to. */
function pgliteDir(): string {
  // .../node_modules/@electric-sql/pglite/dist/index.cjs → .../node_modules/@electric-sql/pglite
  return path.resolve(path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..');
}

/** The cache file of `image` for the installed PGlite release. */
export function clusterImagePath(image: ClusterImage): string {
  const dir = pgliteDir();
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  const name = image.kind === 'initdb' ? 'initdb' : `schema-${createHash('sha256').update(image.migrations.join('\n')).digest('hex').slice(0, 16)}`;
  return path.join(dir, '..', '..', '.cache', 'qbd-bridge', `pglite-${version}-${name}.tar.gz`);
}

/** The cached image, or undefined when there is none yet. */
export function readClusterImage(image: ClusterImage): Blob | undefined {
  try {
    return new Blob([fs.readFileSync(clusterImagePath(image))]);
  } catch {
    return undefined;
  }
}

/** Keeps `db`'s data directory as `image`; written to a temporary name and renamed, so concurrent starts never read half a file. */
export async function saveClusterImage(db: PGlite, image: ClusterImage): Promise<void> {
  const file = clusterImagePath(image);
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, Buffer.from(await (await db.dumpDataDir('gzip')).arrayBuffer()));
    fs.renameSync(partial, file);
  } catch {
    fs.rmSync(partial, { force: true });
  }
}

/** Drops a cached image PGlite could not load (cut short, or from a broken write), so that a later start makes a new one. */
export function discardClusterImage(image: ClusterImage): void {
  fs.rmSync(clusterImagePath(image), { force: true });
}
