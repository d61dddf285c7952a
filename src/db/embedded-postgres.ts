/**
 * The embedded database: PostgreSQL compiled to WASM (PGlite), served over the PostgreSQL wire protocol
 * by pglite-socket so the ordinary `pg` driver and MikroORM use it exactly like a server.
 *
 * It listens on a unix socket inside the data directory (readable by its owner only), so no other
 * local user can reach it, and so the CLI can share a running service's database through it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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

export interface EmbeddedPostgres extends EmbeddedEndpoint {
  readonly db: PGlite;
  close(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Persist under this directory; omit for an in-memory database (tests). */
  readonly dataDir?: string;
  /** Start from a `dumpDataDir()` image instead of running initdb (tests: ~1 s instead of ~5 s). */
  readonly template?: Blob;
  /**
   * Connections the socket accepts. They all share PGlite's single backend: transactions are
   * serialised, so the service itself uses one; a second lets the CLI work while the service runs.
   */
  readonly maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const pgDataDir = options.dataDir ? path.join(options.dataDir, 'pgdata') : undefined;
  // PGlite creates only the last path segment itself.
  if (options.dataDir) fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create({
    ...(pgDataDir ? { dataDir: pgDataDir } : {}),
    ...(options.template ? { loadDataDir: options.template } : {}),
  });

  const socketFile = options.dataDir ? path.join(options.dataDir, `.s.PGSQL.${SOCKET_PORT}`) : undefined;
  const useSocket = socketFile !== undefined && socketFile.length <= MAX_SOCKET_PATH;
  // A crash leaves the socket file behind; listening on it again would fail with EADDRINUSE.
  if (useSocket) fs.rmSync(socketFile, { force: true });
  const server = new PGLiteSocketServer({
    db,
    maxConnections: options.maxConnections ?? 1,
    ...(useSocket ? { path: socketFile } : { host: '127.0.0.1', port: 0 }),
  });
  await server.start();

  // PGlite ignores user and password; the database is always "postgres".
  const endpoint: EmbeddedEndpoint = useSocket
    ? { clientUrl: `postgresql://postgres:postgres@localhost:${SOCKET_PORT}/postgres`, socketDir: options.dataDir }
    : { clientUrl: `postgresql://postgres:postgres@${server.getServerConn()}/postgres` };

  const endpointFile = options.dataDir ? path.join(options.dataDir, ENDPOINT_FILE) : undefined;
  if (endpointFile) fs.writeFileSync(endpointFile, JSON.stringify(endpoint), { mode: 0o600 });

  return {
    ...endpoint,
    db,
    async close() {
      if (endpointFile) fs.rmSync(endpointFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}

/** How to reach the embedded database of the service running on `dataDir`, if it said. */
export function readEmbeddedEndpoint(dataDir: string): EmbeddedEndpoint | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, ENDPOINT_FILE), 'utf8')) as EmbeddedEndpoint;
  } catch {
    return undefined;
  }
}
