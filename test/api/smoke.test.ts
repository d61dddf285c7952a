import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { CreateConnectorDocument, MeDocument } from '../generated/graphql.js';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); });
afterAll(async () => { await app?.close(); });

test('smoke', async () => {
  const admin = await app.createUser(Role.ADMIN, 'Ada');
  const me = await app.gql(MeDocument, {}, admin.token);
  expect(me.data?.me.name).toBe('Ada');
  const c = await app.gql(CreateConnectorDocument, { input: { name: 'Main' } }, admin.token);
  expect(c.errors).toBeUndefined();
  expect(c.data?.createConnector.isDefault).toBe(true);
});
