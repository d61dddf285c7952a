/** The service over HTTP plus a fake Autotask it is configured to reach, and small helpers for both. */
import { randomBytes } from 'node:crypto';
import { openOrm } from '../../../src/db/database.js';
import type { MikroORM } from '@mikro-orm/postgresql';
import { asActor } from '../../../src/modules/audit/actor.js';
import { Connector } from '../../../src/modules/connector/connector.entity.js';
import { Route, RouteSubject } from '../../../src/modules/routing/route.entity.js';
import { Role } from '../../../src/modules/user/role.js';
import type { AutotaskRuntime } from '../../../src/psa/autotask/autotask-connection.service.js';
import { startTestApp, type TestApp, type TestAppOptions } from '../../helpers/test-app.js';
import { FakeAutotask, type FakeAutotaskOptions } from './fake-autotask.js';

export const TEST_KEY = randomBytes(32).toString('base64');

export interface AutotaskTestApp {
  readonly app: TestApp;
  readonly fake: FakeAutotask;
  readonly admin: string;
  /** What the service's own calls use (the app's config; fast retries). */
  readonly runtime: AutotaskRuntime;
  close(): Promise<void>;
}

/** `app`: more test-app options (the mapping engine, work sources, a reachable QWC) for end-to-end tests. */
export async function startAutotaskTestApp(options: { key?: string | null; fake?: FakeAutotaskOptions; app?: TestAppOptions } = {}): Promise<AutotaskTestApp> {
  const fake = await new FakeAutotask(options.fake).start();
  const key = options.key === undefined ? TEST_KEY : options.key;
  const app = await startTestApp({
    ...options.app,
    env: { ...options.app?.env, AUTOTASK_ZONE_LOOKUP_URL: fake.zoneUrl, ...(key ? { AUTOTASK_CREDENTIALS_KEY: key } : {}) },
  });
  const { token } = await app.createUser(Role.ADMIN, 'Admin');
  return {
    app,
    fake,
    admin: token,
    runtime: { config: app.config, http: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50 } } },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}

/** The connection input for the fake tenant. */
export function connectionInput(fake: FakeAutotask, over: Record<string, unknown> = {}) {
  return { userName: fake.userName, integrationCode: fake.integrationCode, secret: fake.secret, ...over };
}

/** A default connector "Main" and a second one, "Other"; `routed` companies go to Other. */
export async function seedConnectors(app: TestApp, routed: number[] = []): Promise<{ main: Connector; other: Connector }> {
  const em = app.database.orm.em.fork();
  const main = new Connector('Main');
  main.isDefault = true;
  const other = new Connector('Other');
  await asActor({ id: 'test', name: 'seed' }, async () => {
    em.persist([main, other]);
    for (const id of routed) em.persist(new Route(RouteSubject.ORGANIZATION, id, other));
    await em.flush();
  });
  return { main, other };
}

/**
 * A second "service instance" on the same database: its own ORM (own connections) on a PostgreSQL server;
 * on the embedded database, which serves one process, the same ORM (its transactions are serialised anyway).
 */
export async function secondInstance(app: TestApp): Promise<{ orm: MikroORM; close(): Promise<void> }> {
  if (!process.env.DATABASE_URL) return { orm: app.database.orm as MikroORM, close: async () => undefined };
  const clientUrl = app.database.orm.config.get('clientUrl')!;
  const db = await openOrm({ clientUrl, poolMax: 4 }, 'second instance (test)', { migrate: false });
  return { orm: db.orm as MikroORM, close: () => db.close() };
}
