/** Set-up shared by the Web Connector endpoint tests: connectors, registrations, QWC files, simulators. */
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
import { validator } from './spec.js';
import { Role } from '../../src/modules/user/role.js';
import { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { buildEnvelope, runWebConnectorUpdate, type WebConnectorRunOptions, type WebConnectorRunResult } from '../../src/simulator/web-connector/index.js';
import { CreateApiCredentialDocument, CreateConnectorDocument, CreateRegistrationDocument } from '../generated/graphql.js';

export const PASSWORD = 'a long enough password';

export interface Fixture {
  readonly adminToken: string;
  readonly credentialId: string;
}

export async function createFixture(app: TestApp): Promise<Fixture> {
  const admin = await app.createUser(Role.ADMIN, 'Ada');
  const res = await app.gql(CreateApiCredentialDocument, { input: { userName: 'qbwc', password: PASSWORD } }, admin.token);
  expect(res.errors).toBeUndefined();
  return { adminToken: admin.token, credentialId: res.data!.createApiCredential.credential.id };
}

/**
 * For the whole test file: the service with QWC files pointing at it, and the admin fixture. The fields are
 * set once `beforeAll` has run (read them inside tests).
 */
export function qbwcTestApp(options: TestAppOptions = {}): { readonly app: TestApp; readonly fixture: Fixture } {
  const state = {} as { app: TestApp; fixture: Fixture };
  beforeAll(async () => {
    state.app = await startTestApp({ reachableQwc: true, ...options });
    state.fixture = await createFixture(state.app);
  });
  afterAll(async () => {
    await state.app?.close();
  });
  return state;
}

export async function createConnector(app: TestApp, fixture: Fixture, name: string): Promise<string> {
  const res = await app.gql(CreateConnectorDocument, { input: { name } }, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data!.createConnector.id;
}

/** A registration (a QWC file) for a new accountant on the connector. */
export async function register(app: TestApp, fixture: Fixture, connectorId: string, person = 'Carl'): Promise<{ id: string; qwc: string }> {
  const user = await app.createUser(Role.ACCOUNTANT, person);
  const res = await app.gql(CreateRegistrationDocument, { input: { connectorId, userId: user.id, credentialId: fixture.credentialId } }, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return { id: res.data!.createRegistration.id, qwc: res.data!.createRegistration.qwc };
}

/** A QuickBooks with an empty company file open at `path`. */
export function quickbooks(companyName: string, path?: string): QuickBooksSimulator {
  return new QuickBooksSimulator({ validator, companyFilePath: path ?? `C:\\QB\\${companyName}.QBW` });
}

/** One Web Connector update with the fixture's password and no pauses. */
export function update(qwcXml: string, qb: QuickBooksSimulator, options: Partial<WebConnectorRunOptions> = {}): Promise<WebConnectorRunResult> {
  return runWebConnectorUpdate({ qwcXml, password: PASSWORD, quickbooks: qb, noOpPauseMs: 0, timeoutMs: 20_000, ...options });
}

/**
 * Web Connector options (for `update`) that lose the answer to the first message matching `pattern`, after
 * QuickBooks applied it: the Web Connector dies as it receives it.
 */
export function losingFirst(pattern: RegExp): Pick<WebConnectorRunOptions, 'log' | 'faults'> {
  let current = '';
  let lost = false;
  return {
    log: (line: string) => {
      if (line.includes('strRequestXML =')) current = line;
    },
    faults: { loseResponseAfterProcessing: () => (!lost && pattern.test(current) ? (lost = true) : false) },
  };
}

/**
 * One authenticate call as QBWC posts it, for `client` when the service trusts the loopback proxy
 * (TRUST_PROXY=loopback); returns authenticate's strings ([ticket, "nvu" | "none" | path, ...]).
 */
export async function authenticateOnce(
  app: TestApp,
  registrationId: string,
  password: string,
  options: { readonly userName?: string; readonly client?: string } = {},
): Promise<string[]> {
  const res = await fetch(`${app.url}/qbwc/${registrationId}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', ...(options.client ? { 'x-forwarded-for': options.client } : {}) },
    body: buildEnvelope('authenticate', [['strUserName', options.userName ?? 'qbwc'], ['strPassword', password]]),
  });
  const text = await res.text();
  return [...text.matchAll(/<(?:\w+:)?string(?:\s*\/>|>([^<]*)<\/(?:\w+:)?string>)/g)].map((m) => m[1] ?? '');
}
