/**
 * GraphQL query limits (src/graphql/query-limits.ts) over real HTTP: depth, aliases, tokens and cost are
 * refused before execution with a code naming the limit; the page size in a variable counts; a chain of
 * fragments cannot make the estimate itself expensive; introspection needs a token unless configured.
 * A second service with other settings shows each limit follows its variable.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { CreateApiCredentialDocument, CreateConnectorDocument, CreateRegistrationDocument } from '../generated/graphql.js';
import { aliasQuery, cycleQuery } from '../helpers/attack-queries.js';

let app: TestApp;
let viewer: { token: string };
// Refusals are checked with a viewer's token (as the issue attacked); what must run uses an admin's, who may read everything.
let admin: { token: string };
beforeAll(async () => {
  app = await startTestApp();
  admin = await app.createUser(Role.ADMIN, 'Ada');
  const carl = await app.createUser(Role.ACCOUNTANT, 'Carl');
  viewer = await app.createUser(Role.VIEWER, 'Vera');
  await app.gql(CreateApiCredentialDocument, { input: { userName: 'qbwc', password: 'correct horse battery staple' } }, admin.token);
  const connectorId = (await app.gql(CreateConnectorDocument, { input: { name: 'Acme' } }, admin.token)).data!.createConnector.id;
  const reg = await app.gql(CreateRegistrationDocument, { input: { connectorId, userId: carl.id } }, admin.token);
  expect(reg.errors).toBeUndefined();
});
afterAll(async () => {
  await app?.close();
});

async function post(target: TestApp, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${target.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

function expectRefusal(body: Awaited<ReturnType<typeof post>>['body'], errorCode: keyof typeof ERROR_CODES, variable: string, max: number) {
  expect(body.data).toBeUndefined();
  const error = onlyError(body);
  expect(error.extensions).toMatchObject({ code: ERROR_CODES[errorCode].graphql, errorCode, limit: { variable, max } });
  expect(error.message).toContain(variable);
  return error;
}

test('a depth-20 cycle is refused before execution, naming GRAPHQL_MAX_DEPTH', async () => {
  const { status, body } = await post(app, cycleQuery(20), {}, viewer.token);
  expect(status).toBe(400);
  const error = expectRefusal(body, 'QUERY_TOO_DEEP', 'GRAPHQL_MAX_DEPTH', 12);
  expect((error.extensions!.limit as { found: number }).found).toBe(23);
  // The same shape within the limit runs.
  const shallow = await post(app, cycleQuery(4, 5), {}, admin.token);
  expect(shallow.body.errors).toBeUndefined();
  expect(shallow.body.data).toMatchObject({ connectors: { nodes: [{ registrations: [{ connector: { registrations: [{ connector: { id: expect.any(String) } }] } }] }] } });
});

test('1,000 aliases are refused, naming GRAPHQL_MAX_ALIASES; a few run', async () => {
  const error = expectRefusal((await post(app, aliasQuery(1000), {}, viewer.token)).body, 'TOO_MANY_ALIASES', 'GRAPHQL_MAX_ALIASES', 30);
  expect(error.extensions!.limit).toMatchObject({ found: 1000 });
  const few = await post(app, aliasQuery(3, 'appName'), {}, admin.token);
  expect(few.body.errors).toBeUndefined();
  expect(few.body.data).toMatchObject({ connectors: { nodes: [{ registrations: [{ q0: expect.stringContaining('qbd-bridge'), q2: expect.any(String) }] }] } });
});

test('a document over GRAPHQL_MAX_TOKENS is refused while parsing', async () => {
  const { status, body } = await post(app, `{ me { ${'name '.repeat(10_001)} } }`, {}, viewer.token);
  expect(status).toBe(400);
  expectRefusal(body, 'TOO_MANY_TOKENS', 'GRAPHQL_MAX_TOKENS', 10_000);
});

test('list fields multiply the cost by their page size, also when it comes in a variable', async () => {
  // Depth 8, within the depth limit: only the cost model stops it (200 × 10 × 10 × 10 registrations).
  const wide = 'query Wide($n: Int!) { connectors(first: $n) { nodes { registrations { connector { registrations { connector { registrations { qwc } } } } } } } }';
  const { status, body } = await post(app, wide, { n: 200 }, viewer.token);
  expect(status).toBe(400);
  const error = expectRefusal(body, 'QUERY_TOO_COMPLEX', 'GRAPHQL_MAX_COST', 200_000);
  expect((error.extensions!.limit as { found: number }).found).toBe(244_401);
  const narrow = await post(app, wide, { n: 1 }, admin.token);
  expect(narrow.body.errors).toBeUndefined();
  // Left out, `first` costs its schema default (50 pages of 50).
  const byDefault = await post(app, '{ connectors { nodes { registrations { connector { registrations { connector { registrations { connector { registrations { id } } } } } } } } } }', {}, viewer.token);
  expectRefusal(byDefault.body, 'QUERY_TOO_COMPLEX', 'GRAPHQL_MAX_COST', 200_000);
});

test('a chain of fragments spread many times is refused without expanding it', async () => {
  // Within the depth limit (each spread counts as a level), but 11^4 selections if expanded.
  const levels = 5;
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `fragment F${i} on Query { me { name } }` : `fragment F${i} on Query { ${`...F${i + 1} `.repeat(11)} }`,
  );
  const started = Date.now();
  const { body } = await post(app, `query { ...F0 } ${fragments.join(' ')}`, {}, viewer.token);
  expect(Date.now() - started).toBeLessThan(5_000);
  const error = expectRefusal(body, 'QUERY_TOO_COMPLEX', 'GRAPHQL_MAX_COST', 200_000);
  expect(error.extensions!.limit).not.toHaveProperty('found');
});

test('introspection needs a token; signed-in users introspect the whole schema', async () => {
  for (const query of ['{ __schema { queryType { name } } }', '{ __type(name: "Connector") { name } }', getIntrospectionQuery()]) {
    const { status, body } = await post(app, query);
    expect(status).toBe(403);
    expect(onlyError(body).extensions).toEqual({ code: 'FORBIDDEN', errorCode: 'INTROSPECTION_DISABLED' });
  }
  const signedIn = await post(app, getIntrospectionQuery(), {}, viewer.token);
  expect(signedIn.body.errors).toBeUndefined();
  expect((signedIn.body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
  // __typename is not introspection; without a token the usual answer follows.
  expect((await post(app, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  expect(onlyError((await post(app, '{ me { name } }')).body).extensions?.code).toBe('UNAUTHENTICATED');
});

describe('with other settings', () => {
  let tight: TestApp;
  beforeAll(async () => {
    tight = await startTestApp({
      env: { GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_ALIASES: '1', GRAPHQL_MAX_TOKENS: '100', GRAPHQL_MAX_COST: '100', GRAPHQL_LIST_SIZE_ESTIMATE: '1', GRAPHQL_INTROSPECTION: 'everyone' },
    });
  });
  afterAll(async () => {
    await tight?.close();
  });

  test('each limit follows its variable, and GRAPHQL_INTROSPECTION=everyone lets anonymous callers introspect', async () => {
    expectRefusal((await post(tight, '{ connectors { nodes { registrations { id } } } }')).body, 'QUERY_TOO_DEEP', 'GRAPHQL_MAX_DEPTH', 3);
    expectRefusal((await post(tight, '{ a: me { id } b: me { id } }')).body, 'TOO_MANY_ALIASES', 'GRAPHQL_MAX_ALIASES', 1);
    expectRefusal((await post(tight, `{ me { ${'id '.repeat(100)} } }`)).body, 'TOO_MANY_TOKENS', 'GRAPHQL_MAX_TOKENS', 100);
    expectRefusal((await post(tight, '{ connectors(first: 20) { nodes { id name isDefault fileId enabled runEveryMinutes } } }')).body, 'QUERY_TOO_COMPLEX', 'GRAPHQL_MAX_COST', 100);
    expect((await post(tight, '{ __schema { queryType { name } } }')).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });
});
