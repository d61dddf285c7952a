/**
 * A session lasts only as long as the access that opened it: revoking the registration, changing the
 * credential's password, deactivating the person or the credential, pausing the connector, or leaving the
 * session idle ends it at its next call — nothing more is sent, what was in flight goes to reconciliation, and
 * getLastError says why. Idle sessions are expired by any call of any connector, not only by their own.
 */
import { expect, test } from 'vitest';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { createConnector, qbwcTestApp, quickbooks, register, PASSWORD } from '../helpers/qbwc-fixture.js';
import { SteppedWebConnector } from '../helpers/stepped-web-connector.js';
import { RegistrationsDocument, RevokeRegistrationDocument, RotateApiCredentialPasswordDocument, UpdateConnectorDocument, UpdateUserDocument } from '../generated/graphql.js';
import { QbwcSession, SessionState } from '../../src/qbwc/session/qbwc-session.entity.js';

const source = new CustomerWorkSource();
const env = qbwcTestApp({ workSources: [source], env: { QBWC_MAX_REQUESTS_PER_MESSAGE: '2' } });

interface Running {
  readonly connectorId: string;
  readonly registrationId: string;
  readonly wc: SteppedWebConnector;
}

/** A session past the identity check and stamping, with nothing in flight; four adds are queued. */
async function runningSession(name: string): Promise<Running> {
  const connectorId = await createConnector(env.app, env.fixture, name);
  const { id, qwc } = await register(env.app, env.fixture, connectorId, `${name} person`);
  source.queue(connectorId, { adds: [`${name} A`, `${name} B`, `${name} C`, `${name} D`] });
  const wc = new SteppedWebConnector(qwc, quickbooks(name));
  expect((await wc.authenticate())[0]).not.toBe('');
  await wc.exchange(2); // the identity check, then stamping the company file (first contact)
  return { connectorId, registrationId: id, wc };
}

async function sessionState(ticket: string): Promise<SessionState> {
  return (await env.app.database.orm.em.fork().findOneOrFail(QbwcSession, { ticket })).state;
}

async function userOf(connectorId: string, registrationId: string): Promise<string> {
  const res = await env.app.gql(RegistrationsDocument, { connectorId }, env.fixture.adminToken);
  return res.data!.registrations.nodes.find((r) => r.id === registrationId)!.user.id;
}

async function gqlOk(document: Parameters<typeof env.app.gql>[0], variables: Record<string, unknown>): Promise<void> {
  const res = await env.app.gql(document, variables as never, env.fixture.adminToken);
  expect(res.errors).toBeUndefined();
}

const SET_CREDENTIAL_ACTIVE = 'mutation ($id: ID!, $active: Boolean!) { setApiCredentialActive(id: $id, active: $active) { id active } }';

/** Each way access ends, how to take it away, how to give it back afterwards, and what getLastError then says. */
const endings: Array<{ name: string; take: (r: Running) => Promise<void>; restore?: () => Promise<void>; says: string; state: SessionState }> = [
  {
    name: 'the registration is revoked',
    take: (r) => gqlOk(RevokeRegistrationDocument, { id: r.registrationId }),
    says: 'the registration was revoked',
    state: SessionState.FAILED,
  },
  {
    name: 'the person is deactivated',
    take: async (r) => gqlOk(UpdateUserDocument, { id: await userOf(r.connectorId, r.registrationId), input: { active: false } }),
    says: 'is inactive',
    state: SessionState.FAILED,
  },
  {
    name: 'the connector is paused',
    take: (r) => gqlOk(UpdateConnectorDocument, { id: r.connectorId, input: { enabled: false } }),
    says: 'is paused',
    state: SessionState.FAILED,
  },
  {
    name: "the credential's password is changed",
    take: () => gqlOk(RotateApiCredentialPasswordDocument, { input: { id: env.fixture.credentialId, password: 'a brand new password' } }),
    // Sessions authenticated after this rotation are not affected by it.
    restore: () => gqlOk(RotateApiCredentialPasswordDocument, { input: { id: env.fixture.credentialId, password: PASSWORD } }),
    says: "the API credential's password was changed",
    state: SessionState.FAILED,
  },
  {
    name: 'the credential is deactivated',
    take: () => gqlOk(SET_CREDENTIAL_ACTIVE, { id: env.fixture.credentialId, active: false }),
    restore: () => gqlOk(SET_CREDENTIAL_ACTIVE, { id: env.fixture.credentialId, active: true }),
    says: 'the API credential is inactive',
    state: SessionState.FAILED,
  },
  {
    name: 'the session has been idle past QBWC_SESSION_IDLE_MINUTES',
    take: async (r) => {
      await env.app.database.orm.em.fork().nativeUpdate(QbwcSession, { ticket: r.wc.ticket }, { lastCallAt: new Date(Date.now() - 16 * 60_000) });
    },
    says: 'had no call for 15 minutes and has expired',
    state: SessionState.EXPIRED,
  },
];

test.each(endings)('$name while requests are in flight → receiveResponseXML -1, nothing more sent, in-flight reconciled', async (ending) => {
  const running = await runningSession(`In flight ${endings.indexOf(ending)}`);
  const { wc, connectorId } = running;
  const request = await wc.send();
  expect(request.match(/<CustomerAddRq /g)).toHaveLength(2);
  await ending.take(running);
  try {
    // QuickBooks did run the message; the service may not use the answer any more.
    expect(await wc.receive(request)).toBe(-1);
    expect(await wc.lastError()).toContain(ending.says);
    expect(await wc.send()).toBe('');
  } finally {
    await ending.restore?.();
  }
  const work = source.of(connectorId);
  expect(work.unknown.map((u) => u.requestId)).toHaveLength(2);
  expect(work.added).toEqual([]);
  expect(work.adds).toHaveLength(2);
  expect(await sessionState(wc.ticket)).toBe(ending.state);
});

test('access taken away between messages → sendRequestXML answers "" and getLastError says why', async () => {
  const running = await runningSession('Between messages');
  const { wc, connectorId } = running;
  expect(await wc.receive(await wc.send())).toBeGreaterThan(0);
  await gqlOk(RevokeRegistrationDocument, { id: running.registrationId });
  expect(await wc.send()).toBe('');
  expect(await wc.lastError()).toContain('the registration was revoked');
  expect(source.of(connectorId).adds).toHaveLength(2);
  expect(source.of(connectorId).unknown).toEqual([]);
  expect(await wc.close()).toContain('2 sent');
});

test('an idle session is expired by a call on another connector, not only by its own connector', async () => {
  const idle = await runningSession('Forgotten');
  const request = await idle.wc.send();
  await env.app.database.orm.em.fork().nativeUpdate(QbwcSession, { ticket: idle.wc.ticket }, { lastCallAt: new Date(Date.now() - 16 * 60_000) });

  // Someone signs in on a different connector (with nothing to do there).
  const other = await register(env.app, env.fixture, await createConnector(env.app, env.fixture, 'Elsewhere'), 'Elsewhere person');
  const elsewhere = new SteppedWebConnector(other.qwc, quickbooks('Elsewhere'));
  expect((await elsewhere.authenticate())[1]).toBe('none');

  expect(await sessionState(idle.wc.ticket)).toBe(SessionState.EXPIRED);
  expect(source.of(idle.connectorId).unknown.map((u) => u.reason)).toEqual([expect.stringContaining('abandoned'), expect.stringContaining('abandoned')]);
  expect(await idle.wc.receive(request)).toBe(-1);
  expect(await idle.wc.lastError()).toContain('has expired');
});

test('a session that keeps its access goes on to the end', async () => {
  const running = await runningSession('Untouched');
  expect(await running.wc.exchange(2)).toBe(100);
  expect(source.of(running.connectorId).added).toHaveLength(4);
});
