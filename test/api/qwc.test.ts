/** QWC files: well-formed, braced GUIDs, the identity scheme of qwc.ts, and the authorised download. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { BRACED_GUID } from '../../src/shared/ids.js';
import { verifyPassword } from '../../src/modules/credential/password.js';
import { ApiCredential } from '../../src/modules/credential/api-credential.entity.js';
import {
  CreateApiCredentialDocument,
  CreateConnectorDocument,
  CreateRegistrationDocument,
  RegistrationsDocument,
  RevokeRegistrationDocument,
  RotateApiCredentialPasswordDocument,
  UpdateConnectorDocument,
} from '../generated/graphql.js';

let app: TestApp;
let admin: { id: string; token: string };
let ann: { id: string; token: string };
let bob: { id: string; token: string };
let connectorId: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = await app.createUser(Role.ADMIN, 'Ada');
  ann = await app.createUser(Role.ACCOUNTANT, 'Ann');
  bob = await app.createUser(Role.ACCOUNTANT, 'Bob');
  await app.gql(CreateApiCredentialDocument, { input: { userName: 'qbwc', password: 'correct horse battery staple' } }, admin.token);
  connectorId = (await app.gql(CreateConnectorDocument, { input: { name: 'Smith & "Sons" <Ltd>' } }, admin.token)).data!.createConnector.id;
});
afterAll(async () => {
  await app?.close();
});

async function register(userId: string, label?: string) {
  const res = await app.gql(CreateRegistrationDocument, { input: { connectorId, userId, label } }, admin.token);
  expect(res.errors).toBeUndefined();
  return res.data!.createRegistration;
}

const parse = (xml: string) => new XMLParser({ parseTagValue: false }).parse(xml).QBWCXML as Record<string, unknown>;

test('a QWC file is well-formed XML with every element QBWC needs, values escaped', async () => {
  const reg = await register(ann.id, 'front desk');
  expect(XMLValidator.validate(reg.qwc)).toBe(true);
  const qwc = parse(reg.qwc);
  expect(qwc).toMatchObject({
    AppName: 'qbd-bridge - Smith & "Sons" <Ltd>',
    AppUniqueName: reg.id,
    AppURL: `https://qbd.test/qbwc/${reg.id}`,
    AppSupport: 'https://qbd.test/qbwc/support',
    UserName: 'qbwc',
    QBType: 'QBFS',
    IsReadOnly: 'false',
    Scheduler: { RunEveryNMinutes: '60' },
    PersonalDataPref: 'pdpNotNeeded',
    UnattendedModePref: 'umpOptional',
  });
  expect(reg.qwc).toContain('Smith &amp; &quot;Sons&quot; &lt;Ltd&gt;');
  expect(qwc.OwnerID).toMatch(BRACED_GUID);
  expect(qwc.FileID).toMatch(BRACED_GUID);
  expect(qwc.FileID).toBe(reg.connector.fileId);
  expect(qwc.OwnerID).toBe(reg.ownerId);
  expect(String(qwc.AppDisplayName)).toContain('Ann, front desk');
  expect(String(qwc.AppDescription).length).toBeLessThanOrEqual(80);
});

test('registrations of one connector share the FileID and differ in OwnerID; the schedule follows the connector', async () => {
  const a = await register(bob.id);
  const b = await register(bob.id, 'second PC');
  expect(parse(a.qwc).FileID).toBe(parse(b.qwc).FileID);
  expect(parse(a.qwc).OwnerID).not.toBe(parse(b.qwc).OwnerID);
  await app.gql(UpdateConnectorDocument, { id: connectorId, input: { runEveryMinutes: 5 } }, admin.token);
  const res = await fetch(`${app.url}/qwc/${a.id}`, { headers: { authorization: `Bearer ${bob.token}` } });
  expect(parse(await res.text()).Scheduler).toEqual({ RunEveryNMinutes: '5' });
});

test('the download needs a token and is limited to the owner or an admin', async () => {
  const reg = await register(ann.id);
  const url = `${app.url}/qwc/${reg.id}`;
  const anonymous = await fetch(url);
  expect(anonymous.status).toBe(401);
  expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  expect((await fetch(url, { headers: { authorization: `Bearer ${bob.token}` } })).status).toBe(404);
  const own = await fetch(url, { headers: { authorization: `Bearer ${ann.token}` } });
  expect(own.status).toBe(200);
  expect(own.headers.get('content-type')).toContain('application/x-qwc');
  expect((await fetch(url, { headers: { authorization: `Bearer ${admin.token}` } })).status).toBe(200);

  await app.gql(RevokeRegistrationDocument, { id: reg.id }, admin.token);
  const revoked = await fetch(url, { headers: { authorization: `Bearer ${ann.token}` } });
  expect(revoked.status).toBe(409);
});

test('accountants list only their own registrations', async () => {
  const mine = await app.gql(RegistrationsDocument, { first: 100 }, ann.token);
  expect(mine.data!.registrations.nodes.every((r) => r.user.id === ann.id)).toBe(true);
  const all = await app.gql(RegistrationsDocument, { first: 100 }, admin.token);
  expect(all.data!.registrations.totalCount).toBeGreaterThan(mine.data!.registrations.totalCount);
});

test('viewers cannot be given a QWC file', async () => {
  const viewer = await app.createUser(Role.VIEWER, 'Vic');
  const res = onlyError(await app.gql(CreateRegistrationDocument, { input: { connectorId, userId: viewer.id } }, admin.token));
  expect(res.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'userId' }] });
});

test('the credential password is stored as an argon2id hash and can be rotated', async () => {
  const em = app.database.orm.em.fork();
  const stored = await em.findOneOrFail(ApiCredential, { userName: 'qbwc' });
  expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  expect(await verifyPassword(stored.passwordHash, 'correct horse battery staple')).toBe(true);

  const rotated = await app.gql(RotateApiCredentialPasswordDocument, { input: { id: stored.id } }, admin.token);
  const generated = rotated.data!.rotateApiCredentialPassword.generatedPassword!;
  expect(generated).toHaveLength(24);
  const after = await app.database.orm.em.fork().findOneOrFail(ApiCredential, { id: stored.id });
  expect(await verifyPassword(after.passwordHash, generated)).toBe(true);
  expect(await verifyPassword(after.passwordHash, 'correct horse battery staple')).toBe(false);
  expect(JSON.stringify(rotated)).not.toContain('argon2');

  const weak = onlyError(await app.gql(CreateApiCredentialDocument, { input: { userName: 'other', password: 'short' } }, admin.token));
  expect(weak.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'password' }] });
  // With two credentials, a registration must say which one.
  await app.gql(CreateApiCredentialDocument, { input: { userName: 'other' } }, admin.token);
  const ambiguous = onlyError(await app.gql(CreateRegistrationDocument, { input: { connectorId, userId: ann.id } }, admin.token));
  expect(ambiguous.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'credentialId' }] });
});
