/**
 * The whole service on a real HTTP port (0 = any free one) over a fresh test database, plus a small
 * GraphQL client. Tests talk to it exactly as a frontend or script would.
 */
import { freePort } from '../../src/app/free-port.js';
import { print, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { loadConfig, type Config } from '../../src/app/config.js';
import { createLogger } from '../../src/app/logger.js';
import { startServer, type RunningServer } from '../../src/app/server.js';
import type { Database } from '../../src/db/database.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Role } from '../../src/modules/user/role.js';
import { UserService } from '../../src/modules/user/user.service.js';
import { openTestDatabase } from './test-database.js';
import type { WorkSource } from '../../src/qbwc/work/work-source.js';
import { createMappingEngine, type MappingEngine } from '../../src/mapping-engine/index.js';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> & { code?: string } }>;
}

export interface TestApp {
  readonly url: string;
  readonly config: Config;
  readonly database: Database;
  /** Sends a GraphQL operation; `token` undefined = no Authorization header. */
  gql<R, V>(document: TypedDocumentNode<R, V> | DocumentNode | string, variables: V, token?: string): Promise<GraphQLResponse<R>>;
  readonly engine: MappingEngine | undefined;
  /** Stops the HTTP server and starts a new one on the same port and database (a service restart). */
  restartServer(): Promise<void>;
  /** Creates a user the way `npx qbd-bridge user create` does and returns their token. */
  createUser(role: Role, name?: string): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly onQuery?: (sql: string) => void;
  readonly env?: Record<string, string>;
  readonly workSources?: readonly WorkSource[];
  /** Run the mapping engine (built-in plugins plus PLUGINS from `env`) as the production service does. */
  readonly engine?: boolean;
  /**
   * Listen on a known free port and make it the public base URL, so QWC files point at this server
   * (the Web Connector emulator follows their AppURL). Otherwise the public URL is https://qbd.test.
   */
  readonly reachableQwc?: boolean;
  /** A built web console to serve at `/` (default: the repository's dist/web when built). */
  readonly consoleDir?: string;
}


export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase({ onQuery: options.onQuery });
  const configFor = (port: number) =>
    loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PUBLIC_BASE_URL: options.reachableQwc ? `http://127.0.0.1:${port}` : 'https://qbd.test',
      ...options.env,
    });
  // The engine reads only the plugin and Web Connector settings, which do not depend on the port.
  const engine = options.engine ? await createMappingEngine(configFor(0)) : undefined;
  const serveWith = (config: Config) =>
    startServer(config, createLogger(config), database, { engine, workSources: options.workSources, consoleDir: options.consoleDir });

  // A port that was free a moment ago can be taken before we listen (another process's outgoing connection draws
  // from the same range): take another one.
  let config!: Config;
  let server: RunningServer | undefined;
  for (let attempt = 1; !server; attempt++) {
    config = configFor(options.reachableQwc ? await freePort() : 0);
    try {
      server = await serveWith(config);
    } catch (error) {
      if (!isAddressInUse(error) || attempt === LISTEN_ATTEMPTS) throw error;
    }
  }
  let running = server;
  return {
    url: running.url,
    config,
    database,
    engine,
    async restartServer() {
      await running.close();
      // The QWC files name this port, so the restarted service must have it again: wait until it is free.
      const deadline = Date.now() + RESTART_PORT_WAIT_MS;
      for (;;) {
        try {
          running = await serveWith(config);
          return;
        } catch (error) {
          if (!isAddressInUse(error) || Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
    async gql(document, variables, token) {
      const query = typeof document === 'string' ? document : print(document);
      const res = await fetch(`${running.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GraphQLResponse<never>;
    },
    async createUser(role, name = `${role.toLowerCase()} user`) {
      const service = new UserService(database.orm.em.fork());
      const { user, secret } = await asActor({ id: 'cli', name: 'cli' }, () => service.create({ name, role }, 'test'));
      return { id: user.id, token: secret! };
    },
    async close() {
      await running.close();
      await database.close();
    },
  };
}

const LISTEN_ATTEMPTS = 5;
const RESTART_PORT_WAIT_MS = 30_000;

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** The single error of a failed response (fails the test when there is not exactly one). */
export function onlyError<T>(response: GraphQLResponse<T>): NonNullable<GraphQLResponse<T>['errors']>[number] {
  if (response.errors?.length !== 1) {
    throw new Error(`expected exactly one error, got ${JSON.stringify(response.errors ?? response.data)}`);
  }
  return response.errors[0]!;
}
