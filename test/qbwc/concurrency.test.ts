/**
 * Two connectors syncing at once, and two people starting one connector at once: no request or response
 * crosses over (each company file holds exactly its own connector's customers), the second person gets "busy".
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { createConnector, createFixture, quickbooks, register, update, type Fixture } from '../helpers/qbwc-fixture.js';

const source = new CustomerWorkSource(7);
let app: TestApp;
let fixture: Fixture;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, workSources: [source], env: { QBWC_MAX_REQUESTS_PER_MESSAGE: '3' } });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

test('two connectors syncing at the same time keep to their own files', async () => {
  const north = await createConnector(app, fixture, 'North');
  const south = await createConnector(app, fixture, 'South');
  const northNames = Array.from({ length: 20 }, (_, i) => `North ${i}`);
  const southNames = Array.from({ length: 20 }, (_, i) => `South ${i}`);
  source.queue(north, { adds: northNames, queries: 1 });
  source.queue(south, { adds: southNames, queries: 1 });
  const northFile = quickbooks('North');
  const southFile = quickbooks('South');
  const [n, s] = await Promise.all([
    update((await register(app, fixture, north, 'Nora')).qwc, northFile),
    update((await register(app, fixture, south, 'Sam')).qwc, southFile),
  ]);
  expect([n.outcome, s.outcome]).toEqual(['completed', 'completed']);
  expect(northFile.company.customers.map((c) => c.name)).toEqual(northNames);
  expect(southFile.company.customers.map((c) => c.name)).toEqual(southNames);
  // Each query (7 per page, 3 requests per message) saw only its own file.
  expect([...source.of(north).received].sort()).toEqual([...northNames].sort());
  expect([...source.of(south).received].sort()).toEqual([...southNames].sort());
  expect(n.ticket).not.toBe(s.ticket);
});

test('two people starting one connector at once: one runs, the other is told "busy"', async () => {
  const shared = await createConnector(app, fixture, 'Shared');
  const names = Array.from({ length: 12 }, (_, i) => `Shared ${i}`);
  source.queue(shared, { adds: names });
  const file = quickbooks('Shared');
  const [a, b] = await Promise.all([
    update((await register(app, fixture, shared, 'Alice')).qwc, file),
    update((await register(app, fixture, shared, 'Bert')).qwc, file),
  ]);
  expect([a.outcome, b.outcome].sort()).toEqual(['busy', 'completed']);
  const busy = a.outcome === 'busy' ? a : b;
  expect(busy.calls.find((c) => c.operation === 'authenticate')!.result).toEqual(['', 'busy', '60']);
  expect(busy.requests).toEqual([]);
  expect(file.company.customers.map((c) => c.name)).toEqual(names);
});
