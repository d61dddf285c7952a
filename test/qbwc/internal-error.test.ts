/**
 * A Web Connector call that fails inside the service (a bug in a work source, a database connection cut
 * mid-call): the call's transaction rolls back, the session ends with getLastError's message, and the requests
 * QuickBooks may already have applied go to their source as "outcome unknown" (to be reconciled) instead of
 * staying sent for ever; so do the follow-ups the session would have sent next. The fault soak found both stuck
 * (seed 11 on PostgreSQL).
 */
import { afterAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { createConnector, createFixture, quickbooks, register, update } from '../helpers/qbwc-fixture.js';
import type { OutboundRequest, WorkSource } from '../../src/qbwc/work/work-source.js';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function connectorFor(workSource: WorkSource, name: string) {
  const app = await startTestApp({ reachableQwc: true, workSources: [workSource] });
  apps.push(app);
  const fixture = await createFixture(app);
  const { qwc } = await register(app, fixture, await createConnector(app, fixture, name));
  return { qwc, qb: quickbooks(name) };
}

test('a call that fails inside the service ends the session with a message, and what was in flight is reconciled, not left sent', async () => {
  const unknown: Array<{ requestId: string; reason: string }> = [];
  let sent = false;
  const failing: WorkSource = {
    id: 'fails-on-answer',
    pendingCount: async () => (sent ? 0 : 1),
    nextRequests: async (): Promise<OutboundRequest[]> => {
      if (sent) return [];
      sent = true;
      return [{ requestId: 'fails:1', type: 'CustomerAddRq', innerXml: '<CustomerAdd><Name>Half handled</Name></CustomerAdd>' }];
    },
    handleResponse: async () => {
      throw new Error('a bug in a work source');
    },
    handleUnknownOutcome: async (_ctx, requests, reason) => {
      unknown.push(...requests.map((r) => ({ requestId: r.requestId, reason })));
    },
  };
  const { qwc, qb } = await connectorFor(failing, 'Internal Error');

  const run = await update(qwc, qb);
  expect(run.outcome).toBe('error');
  expect(run.lastError).toContain('The qbd-bridge service had an internal error');
  // QuickBooks applied the request; the service could not take the answer in.
  expect(qb.company.customers.map((c) => c.name)).toEqual(['Half handled']);
  expect(unknown).toEqual([{ requestId: 'fails:1', reason: 'the service failed while handling receiveResponseXML' }]);

  // The next update starts a new session: nothing is left to send, nothing is in flight.
  const next = await update(qwc, qb);
  expect(next.outcome).toBe('no-work');
  expect(unknown).toHaveLength(1);
});

test('the follow-ups a failed session would have sent are settled too: their items go to reconciliation', async () => {
  const unknown: Array<{ requestId: string; reason: string }> = [];
  let asked = 0;
  const source: WorkSource = {
    id: 'follows-up',
    pendingCount: async () => (asked === 0 ? 1 : 0),
    nextRequests: async (): Promise<OutboundRequest[]> => {
      if (asked++ === 0) return [{ requestId: 'first', type: 'CustomerAddRq', innerXml: '<CustomerAdd><Name>First step</Name></CustomerAdd>' }];
      throw new Error('a bug in a work source');
    },
    // The first answer leads on to a second request, which the next sendRequestXML would carry.
    handleResponse: async () => [{ requestId: 'second', type: 'CustomerAddRq', innerXml: '<CustomerAdd><Name>Second step</Name></CustomerAdd>' }],
    handleUnknownOutcome: async (_ctx, requests, reason) => {
      unknown.push(...requests.map((r) => ({ requestId: r.requestId, reason })));
    },
  };
  const { qwc, qb } = await connectorFor(source, 'Follow Up Error');

  const run = await update(qwc, qb);
  expect(run.outcome).toBe('error');
  expect(run.lastError).toContain('The qbd-bridge service had an internal error');
  expect(qb.company.customers.map((c) => c.name)).toEqual(['First step']);
  expect(unknown).toEqual([{ requestId: 'second', reason: 'the service failed while handling sendRequestXML' }]);
});
