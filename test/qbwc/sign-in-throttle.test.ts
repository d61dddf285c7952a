/**
 * Sign-in throttling counts per client address and per credential user name — not per registration, since
 * one credential serves them all — creates no rows for things that do not exist, and forgets old rows.
 */
import { expect, test } from 'vitest';
import { authenticateOnce, createConnector, qbwcTestApp, register, PASSWORD } from '../helpers/qbwc-fixture.js';
import { CreateApiCredentialDocument } from '../generated/graphql.js';
import { AuthThrottle } from '../../src/qbwc/auth/auth-throttle.entity.js';

const env = qbwcTestApp({ env: { TRUST_PROXY: 'loopback', QBWC_SIGNIN_MAX_FAILURES: '5', QBWC_SIGNIN_MAX_FAILURES_PER_CREDENTIAL: '12' } });

async function throttleRows(): Promise<AuthThrottle[]> {
  return env.app.database.orm.em.fork().find(AuthThrottle, {}, { orderBy: { key: 'asc' } });
}

test('300 wrong passwords over 60 registration ids from one address: blocked after 5, one row per address and user name', async () => {
  const connectorId = await createConnector(env.app, env.fixture, 'Sprayed');
  const real = [await register(env.app, env.fixture, connectorId, 'Ann'), await register(env.app, env.fixture, connectorId, 'Ben'), await register(env.app, env.fixture, connectorId, 'Cy')];
  const ids = [...real.map((r) => r.id), ...Array.from({ length: 57 }, (_, i) => `reg_doesnotexist${i}`)];
  for (let i = 0; i < 300; i++) {
    expect((await authenticateOnce(env.app, ids[i % ids.length]!, `guess ${i}`, { client: '203.0.113.10' }))[1]).toBe('nvu');
  }
  const rows = await throttleRows();
  expect(rows.map((r) => r.key)).toEqual(['address:203.0.113.10', 'user:qbwc']);
  const [address, user] = rows as [AuthThrottle, AuthThrottle];
  // Blocked at the 5th failure; what came after was refused without counting (or checking a password).
  expect(address.failures).toBe(5);
  expect(address.blockedUntil!.getTime()).toBeGreaterThan(Date.now());
  expect(user.failures).toBe(5);
  expect(user.blockedUntil).toBeNull();

  // The right password from that address is refused too; the same registration from another address works.
  expect((await authenticateOnce(env.app, real[0]!.id, PASSWORD, { client: '203.0.113.10' }))[1]).toBe('nvu');
  expect((await authenticateOnce(env.app, real[0]!.id, PASSWORD, { client: '198.51.100.20' }))[1]).toBe('none');
}, 300_000);

test('failures from many addresses add up per credential user name; unknown user names get no row', async () => {
  const created = await env.app.gql(CreateApiCredentialDocument, { input: { userName: 'shared', password: PASSWORD } }, env.fixture.adminToken);
  const credentialId = created.data!.createApiCredential.credential.id;
  const { id } = await register(env.app, { ...env.fixture, credentialId }, await createConnector(env.app, env.fixture, 'Distributed'), 'Dee');
  for (let a = 1; a <= 6; a++) {
    for (let i = 0; i < 2; i++) expect((await authenticateOnce(env.app, id, `guess ${a}.${i}`, { userName: 'shared', client: `10.0.0.${a}` }))[1]).toBe('nvu');
  }
  // 12 failures, none of the six addresses at its own limit: the user name is blocked for everyone.
  const shared = (await throttleRows()).find((r) => r.key === 'user:shared')!;
  expect(shared.failures).toBe(12);
  expect(shared.blockedUntil!.getTime()).toBeGreaterThan(Date.now());
  expect((await authenticateOnce(env.app, id, PASSWORD, { userName: 'shared', client: '10.0.0.99' }))[1]).toBe('nvu');

  expect((await authenticateOnce(env.app, id, 'whatever', { userName: 'nobody-has-this-name', client: '10.0.0.98' }))[1]).toBe('nvu');
  const keys = (await throttleRows()).map((r) => r.key);
  expect(keys).toContain('address:10.0.0.98');
  expect(keys.filter((k) => k.includes('nobody'))).toEqual([]);
});

test('rows whose window and block are over are deleted at the next sign-in', async () => {
  const em = env.app.database.orm.em.fork();
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  const stale = Object.assign(new AuthThrottle('address:192.0.2.1'), { failures: 3, windowStartedAt: dayAgo });
  const legacy = Object.assign(new AuthThrottle('reg_old|192.0.2.2'), { failures: 1, windowStartedAt: dayAgo });
  const stillBlocked = Object.assign(new AuthThrottle('address:192.0.2.3'), { failures: 5, windowStartedAt: dayAgo, blockedUntil: new Date(Date.now() + 3600_000) });
  await em.persist([stale, legacy, stillBlocked]).flush();

  const { id } = await register(env.app, env.fixture, await createConnector(env.app, env.fixture, 'Pruned'), 'Eve');
  expect((await authenticateOnce(env.app, id, PASSWORD, { client: '192.0.2.50' }))[1]).toBe('none');
  const keys = (await throttleRows()).map((r) => r.key);
  expect(keys).not.toContain('address:192.0.2.1');
  expect(keys).not.toContain('reg_old|192.0.2.2');
  expect(keys).toContain('address:192.0.2.3');
});
