/**
 * The company-file lock: the first contact binds the connector to the open file and stamps it; afterwards
 * a different file gets nothing (alert, getLastError naming both files), the same file at a new path is
 * accepted, and clearing the binding lets a new file be bound.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { CustomerWorkSource } from '../helpers/customer-work-source.js';
import { createConnector, createFixture, quickbooks, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { ClearCompanyBindingDocument, ConnectorActivityDocument } from '../generated/graphql.js';
import { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';

const source = new CustomerWorkSource();
let app: TestApp;
let fixture: Fixture;
beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, workSources: [source] });
  fixture = await createFixture(app);
});
afterAll(async () => {
  await app?.close();
});

async function activity(connectorId: string, includeResolved = false) {
  const res = await app.gql(ConnectorActivityDocument, { id: connectorId, includeResolved }, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data!.connector!;
}

/** Customer names in a simulated company file (what a request left behind). */
function customers(qb: QuickBooksSimulator): string[] {
  return qb.company.customers.map((c) => c.name);
}

test('a wrong company file gets nothing, raises an alert, and the right file works afterwards', async () => {
  const connectorId = await createConnector(app, fixture, 'Acme');
  const ann = await register(app, fixture, connectorId, 'Ann');
  const acme = quickbooks('Acme');
  source.queue(connectorId, { adds: ['Bound Customer'] });
  expect((await update(ann.qwc, acme)).outcome).toBe('completed');
  expect(customers(acme)).toEqual(['Bound Customer']);

  // A new person's first connection, with another company file open in QuickBooks.
  const bob = await register(app, fixture, connectorId, 'Bob');
  const other = quickbooks('Other Company');
  source.queue(connectorId, { adds: ['Must Not Land'] });
  const wrong = await update(bob.qwc, acme, { faults: { differentCompanyFile: other } });
  expect(wrong.outcome).toBe('error');
  expect(wrong.lastError).toContain('Wrong company file');
  expect(wrong.lastError).toContain('C:\\QB\\Other Company.QBW');
  expect(wrong.lastError).toContain('C:\\QB\\Acme.QBW');
  // Only the identity check reached QuickBooks: nothing was added to the wrong file.
  expect(wrong.requests).toHaveLength(1);
  expect(wrong.requests[0]).toContain('CompanyQueryRq');
  expect(customers(other)).toEqual([]);

  const alerted = await activity(connectorId);
  expect(alerted.alerts).toHaveLength(1);
  expect(alerted.alerts[0]).toMatchObject({ kind: 'WRONG_COMPANY_FILE', resolvedAt: null });
  expect(alerted.alerts[0]!.details).toMatchObject({ openedPath: 'C:\\QB\\Other Company.QBW', boundPath: 'C:\\QB\\Acme.QBW' });
  expect(alerted.lastSession).toMatchObject({ state: 'FAILED' });

  // The right file: the queued add lands, and the alert is resolved.
  const right = await update(bob.qwc, acme);
  expect(right.outcome).toBe('completed');
  expect(customers(acme)).toEqual(['Bound Customer', 'Must Not Land']);
  const after = await activity(connectorId, true);
  expect(after.alerts[0]!.resolvedAt).not.toBeNull();
  expect((await activity(connectorId)).alerts).toEqual([]);
});

test('a file stamped by another connector is refused even on that file\'s first contact with this one', async () => {
  const first = await createConnector(app, fixture, 'First file');
  const second = await createConnector(app, fixture, 'Second file');
  const file = quickbooks('Shared file');
  source.queue(first, { adds: ['One'] });
  expect((await update((await register(app, fixture, first)).qwc, file)).outcome).toBe('completed');

  source.queue(second, { adds: ['Two'] });
  const run = await update((await register(app, fixture, second)).qwc, file);
  expect(run.outcome).toBe('error');
  expect(run.lastError).toContain('another connector');
  expect(customers(file)).toEqual(['One']);
  expect((await activity(second)).company).toBeNull();
});

test('the same company file at a new path is accepted and the path updated', async () => {
  const connectorId = await createConnector(app, fixture, 'Moving');
  const { qwc } = await register(app, fixture, connectorId);
  const original = quickbooks('Moving', 'C:\\QB\\Moving.QBW');
  source.queue(connectorId, { adds: ['Before'] });
  expect((await update(qwc, original)).outcome).toBe('completed');

  const moved = new QuickBooksSimulator({ validator, company: original.company, companyFilePath: 'D:\\Shared\\Moving.QBW' });
  source.queue(connectorId, { adds: ['After'] });
  const run = await update(qwc, moved);
  // authenticate names the bound path; QBWC cannot open it and reports connectionError; the service answers ""
  // (use the open file); the identity check recognises the file, and the new path is recorded.
  expect(run.outcome).toBe('completed');
  expect(run.calls.filter((c) => c.operation === 'connectionError').map((c) => c.result)).toEqual(['']);
  expect((await activity(connectorId)).company!.filePath).toBe('D:\\Shared\\Moving.QBW');
  expect(customers(moved)).toEqual(['Before', 'After']);
});

test('clearing the binding lets the connector bind to a new file', async () => {
  const connectorId = await createConnector(app, fixture, 'Rebound');
  const { qwc } = await register(app, fixture, connectorId);
  source.queue(connectorId, { adds: ['Old'] });
  expect((await update(qwc, quickbooks('Old file'))).outcome).toBe('completed');
  const cleared = await app.gql(ClearCompanyBindingDocument, { connectorId }, fixture.adminToken);
  expect(cleared.data!.clearCompanyBinding.company).toBeNull();
  const fresh = quickbooks('New file');
  source.queue(connectorId, { adds: ['New'] });
  expect((await update(qwc, fresh)).outcome).toBe('completed');
  expect(customers(fresh)).toEqual(['New']);
  expect((await activity(connectorId)).company!.filePath).toBe('C:\\QB\\New file.QBW');
});
