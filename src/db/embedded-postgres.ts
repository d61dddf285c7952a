/**
 * The embedded database: PostgreSQL compiled to WASM (PGlite), served over the PostgreSQL wire protocol
 * (wire-server.ts) so the ordinary `pg` driver and MikroORM use it exactly like a server.
 *
 * It listens on a unix socket inside the data directory (readable by its owner only), so no other
 * local user can reach it, and so the CLI can share a running service's database through it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EmbeddedWireServer } from './wire-server.js';
import { discardClusterImage, INITDB_IMAGE, readClusterImage, saveClusterImage, type ClusterImage } from './cluster-image.js';

/** pg looks for `<dir>/.s.PGSQL.<port>`; the port is only part of the file name here. */
const SOCKET_PORT = 5432;
/** Unix socket paths are limited to about 107 bytes; longer data-dir paths fall back to loopback TCP. */
const MAX_SOCKET_PATH = 100;
/** Where a running service says how to reach its embedded database (read by the CLI). */
export const ENDPOINT_FILE = 'embedded-endpoint.json';

export interface EmbeddedEndpoint {
  readonly clientUrl: string;
  readonly socketDir?: string;
}

/** What the cluster started from: its data directory as it was, a new one from the schema or the initdb image, or the caller's template. */
export type ClusterOrigin = 'existing' | 'schema-image' | 'initdb' | 'template';

export interface EmbeddedPostgres extends EmbeddedEndpoint {
  readonly db: PGlite;
  readonly origin: ClusterOrigin;
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Persist under this directory; omit for an in-memory database (tests). */
  readonly dataDir?: string;
  /** Start from this `dumpDataDir()` image (tests: a migrated one); otherwise a new cluster starts from the cached initdb image. */
  readonly template?: Blob;
  /**
   * The migrations the caller applies next (the service: all of this version's). A new cluster starts from their
   * cached schema image when there is one (cluster-image.ts). Called only for a new cluster.
   */
  readonly migrations?: () => Promise<readonly string[]>;
  /**
   * Connections the socket accepts. They all share PGlite's single backend: transactions are
   * serialised, so the service itself uses one; a second lets the CLI work while the service runs.
   */
  readonly maxConnections?: number;
}

/**
 * PGlite's defaults plus a smaller buffer pool. PostgreSQL's 128 MB of shared_buffers is allocated and zeroed
 * inside the WASM heap at every start: it was most of the service's idle RSS (about 300 of 410 MB) and about
 * half a second of each start. The service's working set (the open ledger rows, the lists of a few company
 * files) fits in 16 MB; what does not is read back from the data directory through the OS page cache.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const pgDataDir = options.dataDir ? path.join(options.dataDir, 'pgdata') : undefined;
  // PGlite creates only the last path segment itself.
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const { db, origin } = options.template
    ? { db: await PGlite.create({ ...(pgDataDir ? { dataDir: pgDataDir } : {}), loadDataDir: options.template, startParams: START_PARAMS }), origin: 'template' as const }
    : await openCluster(pgDataDir, options.migrations);

  const socketFile = options.dataDir ? path.join(options.dataDir, `.s.PGSQL.${SOCKET_PORT}`) : undefined;
  const useSocket = socketFile !== undefined && socketFile.length <= MAX_SOCKET_PATH;
  // A crash leaves the socket file behind; listening on it again would fail with EADDRINUSE.
  if (useSocket) fs.rmSync(socketFile, { force: true });
  const server = new EmbeddedWireServer(db, options.maxConnections ?? 1);
  const address = await server.listen(useSocket ? { path: socketFile } : { host: '127.0.0.1', port: 0 });

  // PGlite ignores user and password; the database is always "postgres".
  const endpoint: EmbeddedEndpoint = useSocket
    ? { clientUrl: `postgresql://postgres:postgres@localhost:${SOCKET_PORT}/postgres`, socketDir: options.dataDir }
    : { clientUrl: `postgresql://postgres:postgres@${address}/postgres` };

  const endpointFile = options.dataDir ? path.join(options.dataDir, ENDPOINT_FILE) : undefined;
  if (endpointFile) fs.writeFileSync(endpointFile, JSON.stringify(endpoint), { mode: 0o600 });

  return {
    ...endpoint,
    db,
    origin,
    async close() {
      if (endpointFile) fs.rmSync(endpointFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}

/**
 * PGlite on a data directory (or in memory): an existing directory is resumed; a new cluster starts from the
 * cached schema image of `migrations` if there is one, else from the cached initdb image (cluster-image.ts), or
 * runs initdb and leaves its result as that image for the next one.
 */
async function openCluster(pgDataDir: string | undefined, migrations?: () => Promise<readonly string[]>): Promise<{ db: PGlite; origin: ClusterOrigin }> {
  const dataDir = { ...(pgDataDir ? { dataDir: pgDataDir } : {}), startParams: START_PARAMS };
  if (pgDataDir && fs.existsSync(path.join(pgDataDir, 'PG_VERSION'))) return { db: await PGlite.create(dataDir), origin: 'existing' };
  const schema: ClusterImage | undefined = migrations ? { kind: 'schema', migrations: await migrations() } : undefined;
  for (const [image, origin] of [...(schema ? [[schema, 'schema-image'] as const] : []), [INITDB_IMAGE, 'initdb'] as const]) {
    const blob = readClusterImage(image);
    if (!blob) continue;
    try {
      return { db: await PGlite.create({ ...dataDir, loadDataDir: blob }), origin };
    } catch {
      // An image PGlite cannot load: forget it and go on as if there were none.
      discardClusterImage(image);
      if (pgDataDir) fs.rmSync(pgDataDir, { recursive: true, force: true });
    }
  }
  const db = await PGlite.create(dataDir);
  await saveClusterImage(db, INITDB_IMAGE);
  return { db, origin: 'initdb' };
}

/** How to reach the embedded database of the service running on `dataDir`, if it said. */
export function readEmbeddedEndpoint(dataDir: string): EmbeddedEndpoint | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, ENDPOINT_FILE), 'utf8')) as EmbeddedEndpoint;
  } catch {
    return undefined;
  }
}
