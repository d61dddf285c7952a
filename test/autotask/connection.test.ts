/**
 * setAutotaskConnection / autotaskConnection over GraphQL: the credentials are checked against (fake) Autotask
 * before anything is stored, the secret is stored encrypted (read from the raw column) and never returned,
 * and a missing AUTOTASK_CREDENTIALS_KEY stops it with a message naming the variable.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig, ConfigError } from '../../src/app/config.js';
import { Role } from '../../src/modules/user/role.js';
import { decryptSecret, encryptSecret } from '../../src/psa/autotask/secret-box.js';
import { AutotaskConnectionDocument, SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { onlyError } from '../helpers/test-app.js';
import { connectionInput, startAutotaskTestApp, TEST_KEY, type AutotaskTestApp } from './helpers/autotask-app.js';

const PURPOSE = 'AutotaskConnection.secret';

describe('without AUTOTASK_CREDENTIALS_KEY', () => {
  let t: AutotaskTestApp;
  beforeAll(async () => {
    t = await startAutotaskTestApp({ key: null });
  });
  afterAll(async () => {
    await t?.close();
  });

  test('credentials are refused before anything is stored or sent, naming the variable to set', async () => {
    const error = onlyError(await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake) }, t.admin));
    expect(error.message).toContain('Set the environment variable AUTOTASK_CREDENTIALS_KEY to 32 random bytes in base64');
    expect(error.extensions).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', errorCode: 'INTERNAL' });
    expect(t.fake.requests).toEqual([]);
    const after = await t.app.gql(AutotaskConnectionDocument, {}, t.admin);
    expect(after.data?.autotaskConnection).toBeNull();
  });
});

describe('with a key', () => {
  let t: AutotaskTestApp;
  beforeAll(async () => {
    t = await startAutotaskTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  test('only admins: an accountant is refused', async () => {
    const { token } = await t.app.createUser(Role.ACCOUNTANT, 'Acc');
    expect(onlyError(await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake) }, token)).extensions?.code).toBe('FORBIDDEN');
    expect(onlyError(await t.app.gql(AutotaskConnectionDocument, {}, token)).extensions?.code).toBe('FORBIDDEN');
  });

  test('a wrong secret is refused with the field to fix; nothing is stored', async () => {
    const response = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { secret: 'not-it' }) }, t.admin);
    const error = onlyError(response);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
    expect(error.message).toContain(`Check the API user name ("${t.fake.userName}") and its secret`);
    expect(error.extensions?.fields).toEqual([{ field: 'input.secret', message: expect.stringContaining('refused by Autotask') }]);
    expect(JSON.stringify(response)).not.toContain('not-it');
    expect((await t.app.gql(AutotaskConnectionDocument, {}, t.admin)).data?.autotaskConnection).toBeNull();
  });

  test('an unknown user name is refused by zone discovery', async () => {
    const error = onlyError(await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { userName: 'nobody@example.com' }) }, t.admin));
    expect(error.extensions?.fields).toEqual([{ field: 'input.userName', message: expect.stringContaining('not an Autotask API user') }]);
  });

  test('the first time needs a secret; BATCH needs a batch id', async () => {
    const first = onlyError(await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { secret: null }) }, t.admin));
    expect(first.extensions?.fields).toEqual([{ field: 'input.secret', message: 'is required the first time the connection is set' }]);
    const batch = onlyError(await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { invoiceSelection: 'BATCH' }) }, t.admin));
    expect(batch.extensions?.fields).toEqual([{ field: 'input.invoiceBatchId', message: 'is required when invoiceSelection is BATCH' }]);
  });

  test('valid credentials: zone discovered, one authenticated query, stored; the secret never comes back', async () => {
    t.fake.resetLog();
    const response = await t.app.gql(
      SetAutotaskConnectionDocument,
      { input: connectionInput(t.fake, { pullEveryMinutes: 15, invoicesFrom: '2024-01-01', billingItemKinds: [{ billingItemType: 4, kind: 'MATERIAL' }] }) },
      t.admin,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.setAutotaskConnection).toMatchObject({
      userName: t.fake.userName,
      integrationCode: t.fake.integrationCode,
      secretSet: true,
      zoneName: 'Fake Zone',
      zoneUrl: t.fake.zoneUrl,
      invoiceSelection: 'UNPROCESSED',
      invoicesFrom: '2024-01-01',
      pullEveryMinutes: 15,
      enabled: true,
      billingItemKinds: [{ billingItemType: 4, kind: 'MATERIAL' }],
      lastPull: null,
    });
    expect(JSON.stringify(response)).not.toContain(t.fake.secret);
    expect(t.fake.requests.map((r) => `${r.method} ${r.entity} ${r.status}`)).toEqual(['GET zoneinformation 200', 'POST invoices 200']);

    const read = await t.app.gql(AutotaskConnectionDocument, {}, t.admin);
    expect(read.data!.autotaskConnection!.id).toBe(response.data!.setAutotaskConnection.id);
    expect(JSON.stringify(read)).not.toContain(t.fake.secret);
  });

  test('the schema has no field that could return the secret', async () => {
    const response = await t.app.gql<{ __type: { fields: Array<{ name: string }> } }, object>(
      '{ __type(name: "AutotaskConnection") { fields { name } } }',
      {},
      t.admin,
    );
    const names = response.data!.__type.fields.map((f) => f.name);
    expect(names).toContain('secretSet');
    expect(names.filter((n) => /secret/i.test(n)).sort()).toEqual(['secretSet', 'secretUpdatedAt']);
  });

  test('the secret is encrypted in the database: raw column, and nowhere in plain text (audit log included)', async () => {
    const conn = t.app.database.orm.em.getConnection();
    const [row] = (await conn.execute('select secret_encrypted, user_name from autotask_connection')) as Array<{ secret_encrypted: string; user_name: string }>;
    expect(row!.user_name).toBe(t.fake.userName);
    expect(row!.secret_encrypted).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9+/=]+$/);
    expect(row!.secret_encrypted).not.toContain(t.fake.secret);
    expect(Buffer.from(row!.secret_encrypted.split(':')[2]!, 'base64').toString('latin1')).not.toContain(t.fake.secret);
    expect(decryptSecret(row!.secret_encrypted, Buffer.from(TEST_KEY, 'base64'), PURPOSE)).toBe(t.fake.secret);
    const audit = (await conn.execute(`select changes::text as changes from audit_entry where entity_type = 'AutotaskConnection'`)) as Array<{ changes: string }>;
    expect(audit.length).toBeGreaterThan(0);
    for (const entry of audit) expect(entry.changes).not.toContain(t.fake.secret);
  });

  test('settings change without resending the secret (checked with the stored one); a new user name needs one', async () => {
    const before = (await t.app.gql(AutotaskConnectionDocument, {}, t.admin)).data!.autotaskConnection!;
    const response = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { secret: null, enabled: false, pullResources: false }) }, t.admin);
    expect(response.errors).toBeUndefined();
    expect(response.data!.setAutotaskConnection).toMatchObject({ enabled: false, pullResources: false, pullEveryMinutes: 15, secretUpdatedAt: before.secretUpdatedAt });
    const renamed = onlyError(await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { userName: 'other@example.com', secret: null }) }, t.admin));
    expect(renamed.extensions?.fields).toEqual([{ field: 'input.secret', message: 'is required when the user name changes' }]);
  });

  test('a new secret is re-encrypted with a fresh IV', async () => {
    const conn = t.app.database.orm.em.getConnection();
    const [before] = (await conn.execute('select secret_encrypted from autotask_connection')) as Array<{ secret_encrypted: string }>;
    expect((await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake) }, t.admin)).errors).toBeUndefined();
    const [after] = (await conn.execute('select secret_encrypted from autotask_connection')) as Array<{ secret_encrypted: string }>;
    expect(after!.secret_encrypted).not.toBe(before!.secret_encrypted);
    const rows = (await conn.execute('select count(*)::int as n from autotask_connection')) as Array<{ n: number }>;
    expect(rows[0]!.n).toBe(1);
  });
});

describe('secret box', () => {
  const key = Buffer.from(TEST_KEY, 'base64');

  test('round trip; tampering and the wrong key are told apart', () => {
    const stored = encryptSecret('hunter2', key, PURPOSE);
    expect(decryptSecret(stored, key, PURPOSE)).toBe('hunter2');
    const [v, id, payload] = stored.split(':');
    const raw = Buffer.from(payload!, 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => decryptSecret(`${v}:${id}:${raw.toString('base64')}`, key, PURPOSE)).toThrow(/integrity check/);
    expect(() => decryptSecret(stored, key, 'Other.column')).toThrow(/integrity check/);
    expect(() => decryptSecret(stored, Buffer.alloc(32, 7), PURPOSE)).toThrow(/encrypted with another AUTOTASK_CREDENTIALS_KEY/);
    expect(() => decryptSecret(stored, undefined, PURPOSE)).toThrow(/AUTOTASK_CREDENTIALS_KEY/);
  });

  test('a malformed key stops the start without echoing it', () => {
    try {
      loadConfig({ AUTOTASK_CREDENTIALS_KEY: 'c2hvcnQta2V5' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain('AUTOTASK_CREDENTIALS_KEY must be 32 random bytes written in base64');
      expect((error as Error).message).not.toContain('c2hvcnQta2V5');
    }
    expect(loadConfig({ AUTOTASK_CREDENTIALS_KEY: TEST_KEY }).autotask.credentialsKey).toEqual(key);
  });
});
