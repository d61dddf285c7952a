/**
 * GET /metrics (issue #15, item 1): after a real Web Connector session landed two invoices, the Prometheus
 * text shows that session, its calls, the ledger steps, the one invoice still queued and the HTTP traffic;
 * the main port refuses a scrape without METRICS_TOKEN (or with another), the metrics port needs none.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../src/app/free-port.js';
import { registry } from '../../src/app/metrics.js';
import { pushInvoices, pushOrganization, startBillingSetup, type BillingSetup } from '../helpers/billing-fixture.js';
import { update } from '../helpers/qbwc-fixture.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';
let billing: BillingSetup;
let metricsPort: number;

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The samples of a Prometheus text exposition. */
function parse(text: string): Sample[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line)!;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    return { name: m[1]!, labels, value: Number(m[3]) };
  });
}

/** The value of the one sample named so whose labels include `labels` (0 when there is none). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

beforeAll(async () => {
  // Test files share their worker's process (vitest isolate: false), and the counters are the process's: this
  // service's start from zero, as a freshly started service's do.
  registry.resetMetrics();
  metricsPort = await freePort();
  billing = await startBillingSetup('Metrics Books', { env: { METRICS_TOKEN: TOKEN, METRICS_PORT: String(metricsPort) } });
}, 120_000);
afterAll(async () => {
  await billing?.app.close();
});

test('a session that landed two invoices shows in the metrics; the main port needs the token', { timeout: 300_000 }, async () => {
  const { app, fixture, qwc, qb, connectorId } = billing;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 801, 'Metrics Dental');
  const queue = (ids: string[]) => app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: ids } }, fixture.adminToken);
  expect((await queue(await pushInvoices(em, 801, [80_001, 80_002]))).errors).toBeUndefined();
  const run = await update(qwc, qb, { timeoutMs: 90_000 });
  expect(run.outcome, run.lastError).toBe('completed');
  // One more queued and not sent yet: the queue depth.
  expect((await queue(await pushInvoices(em, 801, [80_003]))).errors).toBeUndefined();

  expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
  const wrong = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
  expect(wrong.status).toBe(401);
  expect(((await wrong.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('METRICS_TOKEN') });

  const scraped = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(scraped.status).toBe(200);
  expect(scraped.headers.get('content-type')).toContain('text/plain');
  const samples = parse(await scraped.text());
  expect(value(samples, 'qbd_bridge_sessions_started_total')).toBe(1);
  expect(value(samples, 'qbd_bridge_sessions_ended_total', { outcome: 'completed' })).toBe(1);
  expect(value(samples, 'qbd_bridge_soap_calls_total', { operation: 'authenticate', outcome: 'started' })).toBe(1);
  expect(value(samples, 'qbd_bridge_soap_calls_total', { operation: 'sendRequestXML', outcome: 'sent' })).toBeGreaterThanOrEqual(1);
  expect(value(samples, 'qbd_bridge_soap_calls_total', { operation: 'closeConnection', outcome: 'ok' })).toBe(1);
  expect(value(samples, 'qbd_bridge_soap_call_duration_seconds_count', { operation: 'receiveResponseXML' })).toBe(
    value(samples, 'qbd_bridge_soap_calls_total', { operation: 'receiveResponseXML', outcome: 'ok' }),
  );
  expect(value(samples, 'qbd_bridge_transfer_steps_total', { entity_type: 'INVOICE', state: 'SUCCEEDED' })).toBe(2);
  expect(value(samples, 'qbd_bridge_transfer_steps_total', { entity_type: 'ORGANIZATION', state: 'SUCCEEDED' })).toBe(1);
  expect(value(samples, 'qbd_bridge_transfer_steps_total', { entity_type: 'INVOICE', state: 'QUEUED' })).toBe(3);
  expect(value(samples, 'qbd_bridge_transfers_pending', { connector: connectorId })).toBe(1);
  expect(value(samples, 'qbd_bridge_http_requests_total', { method: 'POST', route: '/qbwc', status: '200' })).toBeGreaterThanOrEqual(6);
  expect(value(samples, 'qbd_bridge_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(2);
  expect(value(samples, 'qbd_bridge_http_requests_total', { method: 'GET', route: '/metrics', status: '401' })).toBe(2);
  expect(samples.some((s) => s.name === 'qbd_bridge_db_pool_connections' && s.labels.state === 'used')).toBe(true);
  expect(samples.some((s) => s.name === 'qbd_bridge_process_cpu_seconds_total')).toBe(true);

  // The metrics port: no token, only /metrics.
  const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(own.status).toBe(200);
  expect(value(parse(await own.text()), 'qbd_bridge_sessions_started_total')).toBe(1);
  expect((await fetch(`http://127.0.0.1:${metricsPort}/graphql`)).status).toBe(404);
});
