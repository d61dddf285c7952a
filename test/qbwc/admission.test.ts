/**
 * Admission of new sessions (QBWC_MAX_ACTIVE_SESSIONS, src/qbwc/session/admission.ts): a process serving its limit
 * answers a new session `busy` with the retry hint and starts nothing; the running session is served to its end,
 * and the file turned away gets its session once a place is free. The cached password check is covered here too:
 * a right password is accepted again from the cache, a wrong one never. A Web Connector entry that starts over while
 * its dead session holds the last place takes that place over instead of being turned away.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { authenticateOnce, createConnector, createFixture, PASSWORD, quickbooks, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { buildEnvelope } from '../../src/simulator/web-connector/index.js';
import { QbwcSession, SessionState } from '../../src/qbwc/session/qbwc-session.entity.js';
import { SessionAdmission } from '../../src/qbwc/session/admission.js';

const source = new CustomerWorkSource();
let app: TestApp;
let fixture: Fixture;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, workSources: [source], env: { QBWC_MAX_ACTIVE_SESSIONS: '1', QBWC_BUSY_RETRY_SECONDS: '7' } });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

async function closeConnection(registrationId: string, ticket: string): Promise<string> {
  const res = await fetch(`${app.url}/qbwc/${registrationId}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: buildEnvelope('closeConnection', [['ticket', ticket]]),
  });
  return res.text();
}

/** A connector with one customer to add, and a Web Connector entry (registration) of a user of its own for it. */
async function entryWithWork(name: string, userName: string) {
  const connector = await createConnector(app, fixture, name);
  source.queue(connector, { adds: [`${name} customer`] });
  return { connector, registration: await register(app, fixture, connector, userName) };
}

test('a process serving QBWC_MAX_ACTIVE_SESSIONS answers a new session busy; the file gets its turn once the running one ends', async () => {
  const { registration: firstRegistration } = await entryWithWork('First', 'Fay');
  const { connector: second, registration: secondRegistration } = await entryWithWork('Second', 'Sid');

  const [ticket, path] = await authenticateOnce(app, firstRegistration.id, PASSWORD);
  expect(ticket).toMatch(/^[0-9a-f-]{36}$/);
  expect(path).not.toMatch(/^(busy|none|nvu)$/);

  const secondFile = quickbooks('Second');
  const turnedAway = await update(secondRegistration.qwc, secondFile);
  expect(turnedAway.outcome).toBe('busy');
  expect(turnedAway.calls.find((c) => c.operation === 'authenticate')!.result).toEqual(['', 'busy', '7']);
  expect(turnedAway.requests).toEqual([]);
  const em = app.database.orm.em.fork();
  expect(await em.count(QbwcSession, { connector: second })).toBe(0);

  // The running session is not turned away: it is served to its end.
  expect(await closeConnection(firstRegistration.id, ticket!)).toContain('sent');
  expect((await em.fork().findOneOrFail(QbwcSession, { ticket: ticket! })).state).toBe(SessionState.CLOSED);

  const admitted = await update(secondRegistration.qwc, secondFile);
  expect(admitted.outcome).toBe('completed');
  expect(secondFile.company.customers.map((c) => c.name)).toEqual(['Second customer']);
});

test("an entry starting over while its own dead session holds the last place gets a session; another entry is still turned away", async () => {
  const { registration: entry } = await entryWithWork('Restarting', 'Rita');
  const { registration: otherEntry } = await entryWithWork('Waiting', 'Walt');

  // The entry's first run authenticates and dies (QBWC or its machine restarted): its session holds the only place.
  const [deadTicket] = await authenticateOnce(app, entry.id, PASSWORD);
  expect(deadTicket).toMatch(/^[0-9a-f-]{36}$/);
  expect((await authenticateOnce(app, otherEntry.id, PASSWORD))).toEqual(['', 'busy', '7']);

  // The same entry starts over: let in, its old session ended, and the update runs to the end.
  const file = quickbooks('Restarting');
  const restarted = await update(entry.qwc, file);
  expect(restarted.outcome).toBe('completed');
  expect(file.company.customers.map((c) => c.name)).toEqual(['Restarting customer']);
  const em = app.database.orm.em.fork();
  expect((await em.findOneOrFail(QbwcSession, { ticket: deadTicket! })).state).toBe(SessionState.EXPIRED);

  // Its place is free again once it ended: the other entry is served now.
  const otherFile = quickbooks('Waiting');
  expect((await update(otherEntry.qwc, otherFile)).outcome).toBe('completed');
  expect(otherFile.company.customers.map((c) => c.name)).toEqual(['Waiting customer']);
});

test('a wrong password is refused after the right one was accepted (the cached check keeps only successes)', async () => {
  const connector = await createConnector(app, fixture, 'Cached');
  const registration = await register(app, fixture, connector, 'Cora');
  expect((await authenticateOnce(app, registration.id, PASSWORD))[1]).toBe('none');
  expect((await authenticateOnce(app, registration.id, PASSWORD))[1]).toBe('none');
  expect((await authenticateOnce(app, registration.id, `${PASSWORD}!`))[1]).toBe('nvu');
  expect((await authenticateOnce(app, registration.id, PASSWORD.slice(0, -1)))[1]).toBe('nvu');
});

test('SessionAdmission: reserved places count, a given-back one frees, a quiet session stops counting after a minute', () => {
  const admission = new SessionAdmission(2);
  const t0 = 1_000_000;
  const a = admission.reserve(t0)!;
  const b = admission.reserve(t0)!;
  expect(admission.reserve(t0)).toBeNull();
  b.release();
  b.release();
  expect(admission.active).toBe(1);
  a.admit('session-a', undefined, t0);
  a.release();
  expect(admission.active).toBe(1);
  admission.reserve(t0)!.admit('session-b', undefined, t0);
  expect(admission.reserve(t0 + 30_000)).toBeNull();
  admission.touch('session-b', t0 + 30_000);
  // session-a made no call for over a minute: its place is taken by the next; session-b still counts.
  const c = admission.reserve(t0 + 61_000);
  expect(c).not.toBeNull();
  expect(admission.reserve(t0 + 61_000)).toBeNull();
  admission.end('session-b');
  expect(admission.reserve(t0 + 61_000)).not.toBeNull();
});

test('SessionAdmission: a full process lets in one authenticate per entry holding a place, which takes that place over', () => {
  const admission = new SessionAdmission(1);
  const t0 = 1_000_000;
  admission.reserve(t0, 'reg-a')!.admit('session-a1', 'reg-a', t0);
  expect(admission.reserve(t0, 'reg-b')).toBeNull();
  expect(admission.reserve(t0)).toBeNull();
  const again = admission.reserve(t0, 'reg-a')!;
  expect(again).not.toBeNull();
  // One at a time per entry.
  expect(admission.reserve(t0, 'reg-a')).toBeNull();
  // Refused after all (wrong password, say): nothing changes.
  again.release();
  expect(admission.active).toBe(1);
  // Admitted: the entry's new session holds the place, its old one no longer counts.
  admission.reserve(t0, 'reg-a')!.admit('session-a2', 'reg-a', t0);
  expect(admission.active).toBe(1);
  admission.end('session-a1');
  expect(admission.active).toBe(1);
  expect(admission.reserve(t0, 'reg-b')).toBeNull();
  admission.end('session-a2');
  expect(admission.reserve(t0, 'reg-a')).not.toBeNull();
});
