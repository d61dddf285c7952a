/**
 * Reaching the endpoint the way a real Web Connector does: over HTTPS with the service's own certificate
 * (reloaded without a restart when the files change), or behind a trusted reverse proxy; plus NoOp.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { authenticateOnce, createConnector, createFixture, quickbooks, register, update } from '../helpers/qbwc-fixture.js';
import type { OutboundRequest, WorkSource } from '../../src/qbwc/work/work-source.js';

const apps: TestApp[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-tls-'));
afterAll(async () => {
  for (const app of apps) await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A self-signed certificate for 127.0.0.1 with the given common name, written over cert.pem / key.pem. */
function writeCertificate(commonName: string): void {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${commonName}`,
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.tmp'), '-out', path.join(dir, 'cert.tmp'),
  ], { stdio: 'ignore' });
  // Renewals replace files by renaming, as certbot and friends do.
  fs.renameSync(path.join(dir, 'key.tmp'), path.join(dir, 'key.pem'));
  fs.renameSync(path.join(dir, 'cert.tmp'), path.join(dir, 'cert.pem'));
}

function servedCommonName(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time (no keep-alive, no TLS session resumption) so the current certificate is sent.
    const req = https.get(`${url}/healthz`, { rejectUnauthorized: false, agent: false }, (res) => {
      const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.resume();
      resolve(String(cert.subject.CN));
    });
    req.on('error', reject);
  });
}

test('serves HTTPS with the configured certificate and picks up a renewed one without a restart', async () => {
  writeCertificate('first.qbd.test');
  const app = await startTestApp({ env: { TLS_CERT_FILE: path.join(dir, 'cert.pem'), TLS_KEY_FILE: path.join(dir, 'key.pem') } });
  apps.push(app);
  expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(await servedCommonName(app.url)).toBe('first.qbd.test');
  writeCertificate('renewed.qbd.test');
  const until = Date.now() + 10_000;
  let name = '';
  while (Date.now() < until && (name = await servedCommonName(app.url)) !== 'renewed.qbd.test') await new Promise((r) => setTimeout(r, 250));
  expect(name).toBe('renewed.qbd.test');
});

test('behind a trusted proxy, sign-in throttling follows the forwarded client address', async () => {
  const app = await startTestApp({ env: { TRUST_PROXY: 'loopback' } });
  apps.push(app);
  const fixture = await createFixture(app);
  const { id } = await register(app, fixture, await createConnector(app, fixture, 'Proxied'));
  const authenticate = async (client: string, password: string) => (await authenticateOnce(app, id, password, { client }))[1];
  for (let i = 0; i < 5; i++) expect(await authenticate('203.0.113.7', 'wrong')).toBe('nvu');
  // That client is now blocked even with the right password; another client behind the same proxy is not.
  expect(await authenticate('203.0.113.7', 'a long enough password')).toBe('nvu');
  expect(await authenticate('198.51.100.9', 'a long enough password')).not.toBe('nvu');
});

test('work that is pending but not ready yet is waited for with NoOp', async () => {
  let asked = 0;
  const slow: WorkSource = {
    id: 'slow',
    pendingCount: async () => (asked >= 3 ? 0 : 1),
    nextRequests: async (): Promise<OutboundRequest[]> => {
      asked++;
      return asked < 3 ? [] : [{ requestId: 'slow:1', type: 'CustomerAddRq', innerXml: '<CustomerAdd><Name>Ready at last</Name></CustomerAdd>' }];
    },
    handleResponse: async () => [],
    handleUnknownOutcome: async () => undefined,
  };
  const app = await startTestApp({ reachableQwc: true, workSources: [slow] });
  apps.push(app);
  const fixture = await createFixture(app);
  const { qwc } = await register(app, fixture, await createConnector(app, fixture, 'Slow'));
  const qb = quickbooks('Slow');
  const run = await update(qwc, qb);
  expect(run.outcome).toBe('completed');
  expect(run.calls.filter((c) => c.operation === 'getLastError').map((c) => c.result)).toEqual(['NoOp', 'NoOp']);
  expect(qb.company.customers.map((c) => c.name)).toEqual(['Ready at last']);
});

test('NoOps are counted in a row: a session that waits now and then (more often than the limit in all) goes on to the end', async () => {
  const customers = 8;
  let asked = 0;
  let sent = 0;
  const waity: WorkSource = {
    id: 'waity',
    pendingCount: async () => customers - sent,
    // Two NoOps before each customer: 16 in the session, more than the 12 a session may wait in a row.
    nextRequests: async (): Promise<OutboundRequest[]> => {
      if (sent >= customers || ++asked % 3 !== 0) return [];
      sent++;
      return [{ requestId: `waity:${sent}`, type: 'CustomerAddRq', innerXml: `<CustomerAdd><Name>Customer ${sent}</Name></CustomerAdd>` }];
    },
    handleResponse: async () => [],
    handleUnknownOutcome: async () => undefined,
  };
  const app = await startTestApp({ reachableQwc: true, workSources: [waity] });
  apps.push(app);
  const fixture = await createFixture(app);
  const { qwc } = await register(app, fixture, await createConnector(app, fixture, 'Waity'));
  const qb = quickbooks('Waity');
  const run = await update(qwc, qb, { maxCalls: 200 });
  expect(run.outcome).toBe('completed');
  expect(run.calls.filter((c) => c.operation === 'getLastError' && c.result === 'NoOp')).toHaveLength(2 * customers);
  expect(qb.company.customers).toHaveLength(customers);
  expect(run.requests.filter((r) => r.includes('<HostQueryRq'))).toHaveLength(0);
});

test('work that never becomes ready ends the session after the NoOps instead of keeping QuickBooks busy', async () => {
  const stuck: WorkSource = {
    id: 'stuck',
    pendingCount: async () => 1,
    nextRequests: async (): Promise<OutboundRequest[]> => [],
    handleResponse: async () => [],
    handleUnknownOutcome: async () => undefined,
  };
  const app = await startTestApp({ reachableQwc: true, workSources: [stuck] });
  apps.push(app);
  const fixture = await createFixture(app);
  const { qwc } = await register(app, fixture, await createConnector(app, fixture, 'Stuck'));
  const run = await update(qwc, quickbooks('Stuck'), { maxCalls: 200 });
  expect(run.outcome).toBe('completed');
  const noOps = run.calls.filter((c) => c.operation === 'getLastError' && c.result === 'NoOp');
  expect(noOps.length).toBeGreaterThan(0);
  // After the NoOps, one harmless keep-alive query answers 100 %: the session closes with the work still pending.
  expect(run.requests.filter((r) => r.includes('<HostQueryRq'))).toHaveLength(1);
  expect(run.calls.at(-1)!.operation).toBe('closeConnection');
});
