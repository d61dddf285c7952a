/**
 * Every query and mutation needs a role; no token → UNAUTHENTICATED, too low a role → FORBIDDEN;
 * bad input → BAD_USER_INPUT naming the field, with nothing partially written.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { getMetadataStorage } from 'type-graphql';
import { buildAppSchema } from '../../src/graphql/schema.js';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import {
  ConnectorsDocument,
  CreateConnectorDocument,
  CreateUserDocument,
  MappingsDocument,
  MeDocument,
  UpsertMappingsDocument,
  UsersDocument,
  AuditLogDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
  SetRoutesDocument,
  UpdateUserDocument,
} from '../generated/graphql.js';

let app: TestApp;
let admin: { id: string; token: string };
let accountant: { id: string; token: string };
let viewer: { id: string; token: string };
beforeAll(async () => {
  app = await startTestApp();
  admin = await app.createUser(Role.ADMIN, 'Ada');
  accountant = await app.createUser(Role.ACCOUNTANT, 'Carl');
  viewer = await app.createUser(Role.VIEWER, 'Vera');
});
afterAll(async () => {
  await app?.close();
});

test('every root query and mutation declares the role it needs', async () => {
  const schema = await buildAppSchema();
  const declared = new Set(getMetadataStorage().authorizedFields.map((f) => f.fieldName));
  const roots = [schema.getQueryType()!, schema.getMutationType()!].flatMap((t) => Object.keys(t.getFields()));
  expect(roots.length).toBeGreaterThan(20);
  expect(roots.filter((name) => !declared.has(name))).toEqual([]);
});

test('no token → UNAUTHENTICATED; a garbage or revoked token too', async () => {
  expect(onlyError(await app.gql(MeDocument, {})).extensions?.code).toBe('UNAUTHENTICATED');
  expect(onlyError(await app.gql(ConnectorsDocument, {}, 'qbdb_not-a-token')).extensions?.code).toBe('UNAUTHENTICATED');
  const created = await app.gql(CreateApiTokenDocument, { input: { label: 'temporary' } }, viewer.token);
  const secret = created.data!.createApiToken.secret;
  expect((await app.gql(MeDocument, {}, secret)).data?.me.name).toBe('Vera');
  await app.gql(RevokeApiTokenDocument, { id: created.data!.createApiToken.apiToken.id }, viewer.token);
  expect(onlyError(await app.gql(MeDocument, {}, secret)).extensions?.code).toBe('UNAUTHENTICATED');
});

test('too low a role → FORBIDDEN, and nothing happens', async () => {
  const asViewer = await app.gql(CreateConnectorDocument, { input: { name: 'Nope' } }, viewer.token);
  expect(onlyError(asViewer).extensions).toMatchObject({ code: 'FORBIDDEN', errorCode: 'FORBIDDEN' });
  expect(onlyError(await app.gql(CreateConnectorDocument, { input: { name: 'Nope' } }, accountant.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(UsersDocument, {}, accountant.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(AuditLogDocument, {}, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  const list = await app.gql(ConnectorsDocument, {}, viewer.token);
  expect(list.data?.connectors.nodes.map((c) => c.name)).not.toContain('Nope');
});

test('a viewer may read and manage only their own tokens', async () => {
  const forOther = await app.gql(CreateApiTokenDocument, { input: { userId: accountant.id, label: 'x' } }, viewer.token);
  expect(onlyError(forOther).extensions?.code).toBe('FORBIDDEN');
  const byAdmin = await app.gql(CreateApiTokenDocument, { input: { userId: accountant.id, label: 'x' } }, admin.token);
  expect(byAdmin.data?.createApiToken.apiToken.user.id).toBe(accountant.id);
});

test('bad input → BAD_USER_INPUT naming each field', async () => {
  const res = await app.gql(CreateConnectorDocument, { input: { name: '', runEveryMinutes: 0, qbxmlVersionCap: '9.9' } }, admin.token);
  const error = onlyError(res);
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  const fields = (error.extensions?.fields as Array<{ field: string }>).map((f) => f.field).sort();
  expect(fields).toEqual(['name', 'qbxmlVersionCap', 'runEveryMinutes']);
  expect(error.message).toContain('runEveryMinutes: must be at least 1 minute');

  const email = onlyError(await app.gql(CreateUserDocument, { input: { name: 'X', role: 'VIEWER', email: 'not-an-email' } }, admin.token));
  expect(email.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'email', message: 'must be an e-mail address' }] });

  const psaTax = onlyError(await app.gql(CreateConnectorDocument, { input: { name: 'Tax line', taxMode: 'PSA_TAX_AS_LINE' } }, admin.token));
  expect(psaTax.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'psaTaxItem' }] });

  // A wrongly typed variable is rejected by GraphQL itself, also as BAD_USER_INPUT.
  const typed = onlyError(await app.gql(CreateConnectorDocument, { input: { name: 'X', runEveryMinutes: 'often' } } as never, admin.token));
  expect(typed.extensions?.code).toBe('BAD_USER_INPUT');
  const list = await app.gql(ConnectorsDocument, {}, admin.token);
  expect(list.data?.connectors.nodes.map((c) => c.name)).not.toContain('Tax line');
});

test('a bulk upsert with one bad item writes nothing and names the item', async () => {
  const connector = (await app.gql(CreateConnectorDocument, { input: { name: 'Bulk' } }, admin.token)).data!.createConnector;
  const res = await app.gql(UpsertMappingsDocument, {
    input: {
      connectorId: connector.id,
      mappings: [
        { sourceKind: 'WORK_TYPE', sourceId: '1', sourceName: 'Remote', target: { fullName: 'Labor' } },
        { sourceKind: 'LINE_OF_BUSINESS', sourceId: '2', sourceName: 'Managed', autoCreate: true },
        { sourceKind: 'TAXABILITY', sourceId: 'MAYBE', sourceName: 'Odd', target: { fullName: 'Tax' } },
        { sourceKind: 'WORK_TYPE', sourceId: '1', sourceName: 'Remote again', target: { fullName: 'Labor' } },
      ],
    },
  }, admin.token);
  const error = onlyError(res);
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  const fields = (error.extensions?.fields as Array<{ field: string }>).map((f) => f.field).sort();
  expect(fields).toEqual(['mappings.1.autoCreate', 'mappings.1.target', 'mappings.2.sourceId', 'mappings.3']);
  // Shape checks (lengths, formats) run before the batch rules and name the nested field too.
  const tooLong = onlyError(await app.gql(UpsertMappingsDocument, {
    input: { connectorId: connector.id, mappings: [{ sourceKind: 'MATERIAL', sourceId: '3', sourceName: 'Cable', target: { fullName: 'x'.repeat(160) } }] },
  }, admin.token));
  expect(tooLong.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'mappings.0.target.fullName', message: 'must be 1 to 159 characters' }] });
  const stored = await app.gql(MappingsDocument, { connectorId: connector.id }, admin.token);
  expect(stored.data?.mappings.totalCount).toBe(0);

  const routes = onlyError(await app.gql(SetRoutesDocument, {
    input: { routes: [{ subject: 'ORGANIZATION', autotaskId: 5, connectorId: connector.id }, { subject: 'ORGANIZATION', autotaskId: 6, connectorId: 'conn_missing' }] },
  }, admin.token));
  expect(routes.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'routes.1.connectorId' }] });
});

test('the last active admin cannot be demoted or deactivated', async () => {
  const res = onlyError(await app.gql(UpdateUserDocument, { id: admin.id, input: { role: 'VIEWER' } }, admin.token));
  expect(res.extensions).toMatchObject({ code: 'CONFLICT', errorCode: 'CONFLICT' });
  expect(res.message).toContain('last active admin');
});

test('unexpected errors are masked', async () => {
  // An id of the wrong shape is just "not found", never a leaked database error.
  const res = await app.gql('query { connector(id: "\' or 1=1 --") { id } }', {}, viewer.token);
  expect(res.errors).toBeUndefined();
  expect(res.data).toEqual({ connector: null });
});
