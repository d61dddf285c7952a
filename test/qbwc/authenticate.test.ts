/** authenticate's branches over real HTTP with the Web Connector emulator, and clientVersion. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { createConnector, createFixture, quickbooks, register, update, PASSWORD, type Fixture } from '../helpers/qbwc-fixture.js';
import { RevokeRegistrationDocument, UpdateConnectorDocument, UpdateUserDocument, RegistrationsDocument } from '../generated/graphql.js';
import { QbwcSession, SessionState } from '../../src/qbwc/session/qbwc-session.entity.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { Registration } from '../../src/modules/registration/registration.entity.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { AuthThrottle } from '../../src/qbwc/auth/auth-throttle.entity.js';

const source = new CustomerWorkSource();
let app: TestApp;
let fixture: Fixture;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, workSources: [source], env: { QBWC_MIN_VERSION: '2.1.0.30' } });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

function authenticateCall(run: Awaited<ReturnType<typeof update>>) {
  return run.calls.find((c) => c.operation === 'authenticate');
}

test('no work → "none"; the update ends without a session', async () => {
  const connectorId = await createConnector(app, fixture, 'Idle');
  const { qwc } = await register(app, fixture, connectorId);
  const run = await update(qwc, quickbooks('Idle'));
  expect(run.outcome).toBe('no-work');
  expect((authenticateCall(run)!.result as string[])[1]).toBe('none');
  expect(await app.database.orm.em.fork().count(QbwcSession, { connector: connectorId })).toBe(0);
});

test('a wrong password, user name or registration → "nvu", and nothing starts', async () => {
  const connectorId = await createConnector(app, fixture, 'Guarded');
  const { qwc, id } = await register(app, fixture, connectorId);
  source.queue(connectorId, { queries: 1 });
  expect((await update(qwc, quickbooks('Guarded'), { password: 'wrong password' })).outcome).toBe('nvu');
  expect((await update(qwc.replace('<UserName>qbwc</UserName>', '<UserName>someone</UserName>'), quickbooks('Guarded'))).outcome).toBe('nvu');
  expect((await update(qwc.replaceAll(id, 'reg_doesnotexist'), quickbooks('Guarded'))).outcome).toBe('nvu');
  expect(await app.database.orm.em.fork().count(QbwcSession, { connector: connectorId })).toBe(0);
  // The right password still works (three failures do not reach the throttle).
  expect((await update(qwc, quickbooks('Guarded'))).outcome).not.toBe('nvu');
});

test('a revoked registration, an inactive person or a paused connector → "nvu"', async () => {
  const connectorId = await createConnector(app, fixture, 'Switched off');
  source.queue(connectorId, { queries: 3 });
  const revoked = await register(app, fixture, connectorId, 'Rita');
  await app.gql(RevokeRegistrationDocument, { id: revoked.id }, fixture.adminToken);
  expect((await update(revoked.qwc, quickbooks('Switched off'))).outcome).toBe('nvu');

  const leaver = await register(app, fixture, connectorId, 'Leo');
  const leaverUser = (await app.gql(RegistrationsDocument, { connectorId }, fixture.adminToken)).data!.registrations.nodes.find((r) => r.id === leaver.id)!.user.id;
  await app.gql(UpdateUserDocument, { id: leaverUser, input: { active: false } }, fixture.adminToken);
  expect((await update(leaver.qwc, quickbooks('Switched off'))).outcome).toBe('nvu');

  const active = await register(app, fixture, connectorId, 'Ann');
  await app.gql(UpdateConnectorDocument, { id: connectorId, input: { enabled: false } }, fixture.adminToken);
  expect((await update(active.qwc, quickbooks('Switched off'))).outcome).toBe('nvu');
  await app.gql(UpdateConnectorDocument, { id: connectorId, input: { enabled: true } }, fixture.adminToken);
  expect((await update(active.qwc, quickbooks('Switched off'))).outcome).toBe('completed');
});

test('repeated failures are throttled: even the right password is refused for a while', async () => {
  const connectorId = await createConnector(app, fixture, 'Throttled');
  source.queue(connectorId, { queries: 1 });
  const { qwc } = await register(app, fixture, connectorId);
  for (let i = 0; i < 5; i++) expect((await update(qwc, quickbooks('Throttled'), { password: `guess ${i}` })).outcome).toBe('nvu');
  expect((await update(qwc, quickbooks('Throttled'), { password: PASSWORD })).outcome).toBe('nvu');
  // The block is on this client address (every test here signs in from 127.0.0.1): lift it for the next tests.
  await app.database.orm.em.fork().nativeDelete(AuthThrottle, {});
});

test('another person\'s active session on the connector → "busy" with a wait hint; the same entry restarting takes over', async () => {
  const connectorId = await createConnector(app, fixture, 'Shared');
  source.queue(connectorId, { queries: 2 });
  const first = await register(app, fixture, connectorId, 'First');
  const second = await register(app, fixture, connectorId, 'Second');
  const em = app.database.orm.em.fork();
  const stale = new QbwcSession('ticket-of-a-running-session', em.getReference(Registration, first.id), em.getReference(Connector, connectorId));
  await asActor({ id: 'test', name: 'test' }, () => em.persist(stale).flush());

  const busy = await update(second.qwc, quickbooks('Shared'));
  expect(busy.outcome).toBe('busy');
  expect(authenticateCall(busy)!.result).toEqual(['', 'busy', '60']);

  // The first person's Web Connector starts again (its previous run died): it takes over its own session.
  const restarted = await update(first.qwc, quickbooks('Shared'));
  expect(restarted.outcome).toBe('completed');
  const old = await app.database.orm.em.fork().findOneOrFail(QbwcSession, { id: stale.id });
  expect(old.state).toBe(SessionState.EXPIRED);
});

test('clientVersion asks an old Web Connector to upgrade ("O:") and lets a current one through', async () => {
  const connectorId = await createConnector(app, fixture, 'Versions');
  const { qwc } = await register(app, fixture, connectorId);
  const old = await update(qwc, quickbooks('Versions'), { clientVersion: '2.0.0.1' });
  expect(old.outcome).toBe('error');
  expect(old.calls.find((c) => c.operation === 'clientVersion')!.result).toBe('O:2.1.0.30');
  expect(old.calls.map((c) => c.operation)).not.toContain('authenticate');
  const current = await update(qwc, quickbooks('Versions'), { clientVersion: '2.3.0.215' });
  expect(current.calls.find((c) => c.operation === 'clientVersion')!.result).toBe('');
  expect(current.serverVersion).toBe('qbd-bridge 0.1.0');
});
