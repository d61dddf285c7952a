/**
 * Faults on the QuickBooks side: a modal dialog (HRESULT instead of a response), a response lost after
 * QuickBooks processed it, QuickBooks not running. Work in flight is never silently re-queued: its source
 * hears "outcome unknown"; the person sees an alert and a getLastError message.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { createConnector, createFixture, quickbooks, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { SteppedWebConnector } from '../helpers/stepped-web-connector.js';
import { ConnectorActivityDocument } from '../generated/graphql.js';

const source = new CustomerWorkSource();
let app: TestApp;
let fixture: Fixture;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, workSources: [source], env: { QBWC_MAX_REQUESTS_PER_MESSAGE: '2' } });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

async function activity(connectorId: string) {
  return (await app.gql(ConnectorActivityDocument, { id: connectorId }, fixture.adminToken)).data!.connector!;
}

test('a modal dialog in QuickBooks: the requests in flight are reported as unknown, the session ends with a message', async () => {
  const connectorId = await createConnector(app, fixture, 'Modal');
  const { qwc } = await register(app, fixture, connectorId);
  const file = quickbooks('Modal');
  source.queue(connectorId, { adds: ['A', 'B', 'C'] });
  // Request messages: 1 identity check, 2 stamping, 3 = first adds (blocked by the dialog).
  const run = await update(qwc, file, { faults: { modalDialog: 3 } });
  expect(run.outcome).toBe('error');
  expect(run.percentDone).toBeLessThan(0);
  expect(run.lastError).toContain('QuickBooks could not process the request message (HRESULT 0x8004');
  const unknown = source.of(connectorId).unknown;
  expect(unknown.map((u) => u.requestId)).toHaveLength(2);
  expect(file.company.customers).toEqual([]);
  const seen = await activity(connectorId);
  expect(seen.alerts.map((a) => a.kind)).toEqual(['QUICKBOOKS_ERROR']);
  expect(seen.lastSession).toMatchObject({ state: 'FAILED', lastError: run.lastError });
});

test('a response lost after QuickBooks processed it: the next update reports those requests as unknown', async () => {
  const connectorId = await createConnector(app, fixture, 'Lost');
  const { qwc } = await register(app, fixture, connectorId);
  const file = quickbooks('Lost');
  source.queue(connectorId, { adds: ['X', 'Y', 'Z'] });
  const crashed = await update(qwc, file, { faults: { loseResponseAfterProcessing: 3 } });
  expect(crashed.outcome).toBe('aborted');
  // QuickBooks did add X and Y; the service never heard.
  expect(file.company.customers.map((c) => c.name)).toEqual(['X', 'Y']);
  expect(source.of(connectorId).unknown).toEqual([]);

  const next = await update(qwc, file);
  expect(next.outcome).toBe('completed');
  const unknown = source.of(connectorId).unknown;
  expect(unknown).toHaveLength(2);
  expect(unknown[0]!.reason).toContain('started a new update before finishing this one');
  expect(file.company.customers.map((c) => c.name)).toEqual(['X', 'Y', 'Z']);
});

test('QuickBooks not running: connectionError is recorded, answered, and alerted; nothing is sent', async () => {
  const connectorId = await createConnector(app, fixture, 'Closed');
  const { qwc } = await register(app, fixture, connectorId);
  source.queue(connectorId, { adds: ['Never'] });
  const run = await update(qwc, quickbooks('Closed'), { faults: { quickBooksNotRunning: true } });
  expect(run.outcome).toBe('error');
  expect(run.calls.find((c) => c.operation === 'connectionError')!.result).toBe('done');
  expect(run.requests).toEqual([]);
  const seen = await activity(connectorId);
  expect(seen.alerts[0]).toMatchObject({ kind: 'QUICKBOOKS_UNREACHABLE' });
  expect(seen.alerts[0]!.message).toContain('0x80040408');
  expect(seen.lastSession!.state).toBe('FAILED');
  // getLastError after the session ended still explains it; an unknown ticket gets a clear answer too.
  expect(source.of(connectorId).adds).toEqual(['Never']);
});

test('an identity check QuickBooks never answers is asked once more, then the session ends with a message (never re-sent for ever)', async () => {
  const connectorId = await createConnector(app, fixture, 'Silent');
  const { qwc } = await register(app, fixture, connectorId);
  source.queue(connectorId, { adds: ['A'] });
  const wc = new SteppedWebConnector(qwc, quickbooks('Silent'));
  expect((await wc.authenticate())[0]).not.toBe('');
  const noAnswer = '<?xml version="1.0" ?><QBXML><QBXMLMsgsRs onError="continueOnError"></QBXMLMsgsRs></QBXML>';
  expect(await wc.send()).toContain('requestID="identity:check"');
  expect(await wc.post(noAnswer)).toBe(1);
  expect(await wc.send()).toContain('requestID="identity:check"');
  expect(await wc.post(noAnswer)).toBeLessThan(0);
  expect(await wc.lastError()).toContain('could not be identified and nothing was sent');
  expect(await wc.send()).toBe(''); // the session is over: nothing more goes out
  expect(source.of(connectorId).unknown).toEqual([]);
  expect((await activity(connectorId)).lastSession).toMatchObject({ state: 'FAILED', sentCount: 0 });
});
