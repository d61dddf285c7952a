/**
 * A whole Web Connector session over real HTTP: the emulator (QBWC) runs an update against the service,
 * with the simulated QuickBooks behind it. Binding, stamping, batching, iterators, progress, summary.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { createConnector, createFixture, quickbooks, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { ConnectorActivityDocument } from '../generated/graphql.js';

const source = new CustomerWorkSource(100);
let app: TestApp;
let fixture: Fixture;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, workSources: [source], env: { QBWC_MAX_REQUESTS_PER_MESSAGE: '10' } });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

test('first contact binds the company file, stamps it, and runs batched adds and an iterated query', async () => {
  const connectorId = await createConnector(app, fixture, 'Acme');
  const { qwc } = await register(app, fixture, connectorId);
  const qb = quickbooks('Acme');
  const names = Array.from({ length: 25 }, (_, i) => `Customer ${String(i).padStart(2, '0')}`);
  source.queue(connectorId, { adds: names, queries: 1 });

  const run = await update(qwc, qb);
  expect(run.lastError).toBeUndefined();
  expect(run.outcome).toBe('completed');
  expect(run.percentDone).toBe(100);
  const work = source.of(connectorId);
  expect(work.added).toEqual(names);
  // The query ran after the adds, in pages of 10 (MaxReturned 100 but the file has 25), each name once.
  expect([...work.received].sort()).toEqual(names);
  expect(work.unknown).toEqual([]);
  // identity check, stamp, 3 messages of adds/query (10 per message), the query's continuation pages.
  expect(run.requests[0]).toContain('<CompanyQueryRq requestID="identity:check">');
  expect(run.requests[1]).toContain('<DataExtDefAddRq requestID="identity:define">');
  expect(run.requests.slice(2).every((r) => (r.match(/Rq requestID=/g) ?? []).length <= 10)).toBe(true);
  expect(run.closeConnectionResult).toMatch(/^\d+ sent, \d+ succeeded, 0 failed$/);

  const activity = await app.gql(ConnectorActivityDocument, { id: connectorId }, fixture.adminToken);
  const connector = activity.data!.connector!;
  expect(connector.company).toMatchObject({ filePath: 'C:\\QB\\Acme.QBW', companyName: expect.any(String), supportedQbxmlVersions: expect.arrayContaining(['13.0']) });
  expect(connector.company!.fileId).toMatch(/^\{/);
  expect(connector.lastSession).toMatchObject({ state: 'CLOSED', phase: 'FINISHED', failedCount: 0, qbxmlVersion: '13.0' });
  expect(connector.lastSession!.outcome).toBe(run.closeConnectionResult);
  expect(connector.lastContactAt).not.toBeNull();
  expect(connector.alerts).toEqual([]);
});
