/**
 * The service as a user runs it: a real process on the embedded database in a fresh data directory.
 * A second process on the same directory refuses clearly; the CLI creates a user while the service runs
 * (sharing its database); /healthz and /graphql answer; SIGTERM stops it cleanly; data survives a restart.
 * With DATABASE_URL set, the same test runs against that PostgreSQL server instead.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ServiceHarness, type ServiceRun } from '../helpers/service-process.js';

const METRICS_TOKEN = 'service-process-metrics-token';
let harness: ServiceHarness;
let service: ServiceRun;
beforeAll(async () => {
  harness = await ServiceHarness.create();
  harness.env.METRICS_TOKEN = METRICS_TOKEN;
  service = harness.start();
  await harness.waitForHealth();
}, 300_000);

afterAll(async () => {
  await harness?.close();
});

test('serves /healthz with the database up', async () => {
  const res = await harness.waitForHealth();
  expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
});

test.skipIf(Boolean(process.env.DATABASE_URL))('a second service on the same data directory refuses clearly', async () => {
  const second = harness.start({ PORT: String(harness.port + 1) });
  const code = await second.exited;
  expect(code).toBe(1);
  expect(second.output()).toContain(`The data directory ${harness.dataDir} is in use by another qbd-bridge process`);
});

let adminToken = '';
test('the CLI creates an admin while the service runs, and the token works on /graphql', async () => {
  const result = await harness.cli(['user', 'create', '--name', 'Ada Lovelace', '--role', 'ADMIN']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  adminToken = /^(qbdb_[A-Za-z0-9_-]{43})$/m.exec(result.stdout)?.[1] ?? '';
  expect(adminToken).not.toBe('');
  const me = await harness.graphql(adminToken, '{ me { name role } }');
  expect(me.data).toEqual({ me: { name: 'Ada Lovelace', role: 'ADMIN' } });
  expect((await harness.graphql(undefined, '{ me { name } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

  const bad = await harness.cli(['user', 'create', '--name', 'X', '--role', 'BOSS']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain("argument 'BOSS' is invalid");
});

test('the Web Connector endpoint serves its WSDL and answers garbage with a SOAP Fault', async () => {
  const wsdl = await fetch(`${harness.url}/qbwc?wsdl`);
  expect(wsdl.status).toBe(200);
  expect(await wsdl.text()).toContain('targetNamespace="http://developer.intuit.com/"');
  const res = await fetch(`${harness.url}/qbwc`, { method: 'POST', body: '<x/>' });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('<faultstring>The request is not a SOAP envelope with a Body.</faultstring>');
});

/** A serverVersion call whose body arrives in two parts: `finish()` sends the rest and reads the answer. */
function soapCallInFlight(): { finish(): Promise<{ status: number; text: string }> } {
  const body = Buffer.from(
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
      '<soap:Body><serverVersion xmlns="http://developer.intuit.com/"/></soap:Body></soap:Envelope>',
  );
  let pending = () => undefined as unknown;
  const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(`${harness.url}/qbwc`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://developer.intuit.com/serverVersion"', 'content-length': body.length },
    }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d)).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
    req.write(body.subarray(0, 40));
    pending = () => req.end(body.subarray(40));
  });
  return { finish: () => (pending(), answer) };
}

/** `qbd_bridge_http_requests_in_flight{route="/qbwc"}` from the service's /metrics. */
async function qbwcRequestsInFlight(): Promise<number> {
  const text = await (await fetch(`${harness.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  return Number(/^qbd_bridge_http_requests_in_flight\{route="\/qbwc"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

test('SIGTERM finishes the SOAP call in flight, then stops the service cleanly; after a restart the data is still there', async () => {
  const inFlight = soapCallInFlight();
  // SIGTERM only once the service is serving that call (its headers read), as its metrics say.
  await expect.poll(() => qbwcRequestsInFlight(), { timeout: 60_000, interval: 50 }).toBe(1);
  service.child.kill('SIGTERM');
  await expect.poll(() => service.output().includes('"msg":"shutting down"'), { timeout: 30_000 }).toBe(true);
  const answer = await inFlight.finish();
  expect(answer.status).toBe(200);
  expect(answer.text).toContain('<serverVersionResult>qbd-bridge');
  expect(await service.exited).toBe(0);
  expect(service.output()).toContain('"msg":"stopped"');
  if (!process.env.DATABASE_URL) expect(fs.existsSync(path.join(harness.dataDir, 'qbd-bridge.lock'))).toBe(false);

  service = harness.start();
  await harness.waitForHealth();
  const me = await harness.graphql(adminToken, '{ me { name } }');
  expect(me.data).toEqual({ me: { name: 'Ada Lovelace' } });
}, 300_000);
