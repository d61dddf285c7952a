/**
 * `qbd-bridge doctor` (issue #15, item 5): each check passes, and fails (or warns) for the reason it exists,
 * against real parts: the running service over HTTP, HTTPS servers with a trusted, an expiring and an
 * untrusted certificate, the fake Autotask, a server whose clock is off, the data directory's disk.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Config } from '../../src/app/config.js';
import { buildCli } from '../../src/cli/index.js';
import { runDoctor, type CheckResult, type DoctorOptions } from '../../src/cli/doctor.js';
import { SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { connectionInput, startAutotaskTestApp, type AutotaskTestApp } from '../autotask/helpers/autotask-app.js';
import { createConnector, createFixture, register, type Fixture } from '../helpers/qbwc-fixture.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-doctor-'));
const servers: Array<http.Server | https.Server> = [];
let t: AutotaskTestApp;

beforeAll(async () => {
  t = await startAutotaskTestApp();
}, 120_000);
afterAll(async () => {
  for (const server of servers) server.close();
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A certificate for 127.0.0.1 signed by the test CA (or self-signed), valid for `days`. */
function certificate(name: string, days: number, signedByCa: boolean): { cert: Buffer; key: Buffer } {
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  if (signedByCa) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-extfile', 'san.ext', '-out', `${name}.pem`);
  } else {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${name}.key`, '-out', `${name}.pem`);
  }
  return { cert: fs.readFileSync(path.join(dir, `${name}.pem`)), key: fs.readFileSync(path.join(dir, `${name}.key`)) };
}

async function listen(server: http.Server | https.Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function httpsUrl(pair: { cert: Buffer; key: Buffer }): Promise<string> {
  return `https://127.0.0.1:${await listen(https.createServer(pair, (_req, res) => res.end('ok')))}`;
}

async function doctor(over: Partial<Config> = {}, options: Partial<DoctorOptions> = {}): Promise<Record<string, CheckResult>> {
  const config = { ...t.app.config, publicBaseUrl: t.app.url, ...over } as Config;
  const results = await runDoctor({ config, em: t.app.database.orm.em.fork(), autotask: t.runtime, timeoutMs: 5_000, ...options });
  return Object.fromEntries(results.map((r) => [r.check, r]));
}

describe('qbd-bridge doctor', () => {
  let fixture: Fixture;

  test('before anything is set up: the service answers; no credential, no connector, no Autotask connection', { timeout: 60_000 }, async () => {
    const checks = await doctor();
    expect(checks['public URL']).toMatchObject({ status: 'pass', detail: `${t.app.url}/healthz answers 200` });
    expect(checks.certificate).toMatchObject({ status: 'pass', detail: expect.stringContaining('plain http is accepted') });
    expect(checks.credential).toMatchObject({ status: 'fail', hint: expect.stringContaining('setCredential') });
    expect(checks.connectors).toMatchObject({ status: 'fail', detail: 'no connector' });
    expect(checks.Autotask).toMatchObject({ status: 'warn', detail: expect.stringContaining('no Autotask connection') });
  });

  test('a service that is not there fails the public URL check with what to do', { timeout: 60_000 }, async () => {
    const port = await listen(http.createServer());
    servers.at(-1)!.close();
    const checks = await doctor({ publicBaseUrl: `http://127.0.0.1:${port}` });
    expect(checks['public URL']).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot be reached'), hint: expect.stringContaining('PUBLIC_BASE_URL') });
  });

  test('credential, connectors with and without registrations, the Autotask connection', { timeout: 120_000 }, async () => {
    fixture = await createFixture(t.app);
    const connectorId = await createConnector(t.app, fixture, 'Main Books');
    let checks = await doctor();
    expect(checks.credential).toMatchObject({ status: 'pass', detail: 'the Web Connector signs in as qbwc' });
    expect(checks.connectors).toMatchObject({ status: 'fail', detail: '1 connector(s), default Main Books; without a registration: Main Books' });

    await register(t.app, fixture, connectorId);
    await createConnector(t.app, fixture, 'Second Books');
    checks = await doctor();
    expect(checks.connectors).toMatchObject({ status: 'warn', detail: '2 connector(s), default Main Books; without a registration: Second Books' });

    const stored = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake) }, t.admin);
    expect(stored.errors).toBeUndefined();
    checks = await doctor();
    expect(checks.Autotask).toMatchObject({ status: 'pass', detail: `${t.fake.userName} signs in to Fake Zone and reads invoices` });
    t.fake.faults.push({ entity: 'invoices', status: 401, body: { errors: ['Unauthorized'] }, times: 10 });
    checks = await doctor();
    expect(checks.Autotask).toMatchObject({ status: 'fail', hint: expect.stringContaining('API user') });
    t.fake.faults.length = 0;
  });

  test('certificates: trusted, expiring soon, untrusted', { timeout: 120_000 }, async () => {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=qbd-bridge test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
    const ca = fs.readFileSync(path.join(dir, 'ca.pem'));
    const trusted = await doctor({ publicBaseUrl: await httpsUrl(certificate('trusted', 90, true)) }, { ca });
    expect(trusted.certificate).toMatchObject({ status: 'pass', detail: expect.stringContaining('trusted certificate for 127.0.0.1, valid until') });
    const expiring = await doctor({ publicBaseUrl: await httpsUrl(certificate('expiring', 5, true)) }, { ca });
    expect(expiring.certificate).toMatchObject({ status: 'warn', detail: expect.stringMatching(/expires in [45] day/) });
    const selfSigned = await doctor({ publicBaseUrl: await httpsUrl(certificate('self-signed', 90, false)) }, { ca });
    expect(selfSigned.certificate).toMatchObject({ status: 'fail', detail: expect.stringContaining('not trusted'), hint: expect.stringContaining('Windows trusts') });
  });

  test("the clock against Autotask's, and the disk", { timeout: 60_000 }, async () => {
    const inTime = await doctor();
    expect(inTime.clock).toMatchObject({ status: 'pass' });
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000).toUTCString();
    const port = await listen(http.createServer((_req, res) => res.writeHead(200, { date: tenMinutesAgo }).end()));
    const behind = await doctor({ autotask: { ...t.app.config.autotask, zoneLookupUrl: `http://127.0.0.1:${port}/zone` } });
    expect(behind.clock).toMatchObject({ status: 'fail', detail: expect.stringMatching(/clock is (59\d|60\d) s ahead of/), hint: expect.stringContaining('NTP') });

    const dataDir = path.join(dir, 'data', 'not-yet-created');
    expect((await doctor({ databaseUrl: undefined, dataDir })).disk).toMatchObject({ status: 'pass', detail: expect.stringContaining('GiB free') });
    const full = await doctor({ databaseUrl: undefined, dataDir }, { disk: { warnBytes: Number.MAX_SAFE_INTEGER, failBytes: Number.MAX_SAFE_INTEGER } });
    expect(full.disk).toMatchObject({ status: 'fail', hint: expect.stringContaining('free space') });
  });

  test('the command prints one line per check and exits non-zero when one fails', { timeout: 60_000 }, async () => {
    let out = '';
    const cli = buildCli(() => ({ ...t.app.config, publicBaseUrl: 'http://127.0.0.1:9' }) as Config, {
      stdout: { write: (s: string) => ((out += s), true), isTTY: false } as never,
      openDatabase: async () => ({ ...t.app.database, close: async () => undefined }),
    });
    await expect(cli.parseAsync(['node', 'qbd-bridge', 'doctor'])).rejects.toThrow(/check\(s\) failed/);
    expect(out).toMatch(/^FAIL {2}public URL {3}http:\/\/127\.0\.0\.1:9\/healthz cannot be reached/m);
    expect(out).toMatch(/^ok {4}credential/m);
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^\d+ check\(s\) failed, \d+ warning\(s\)\.$/);
  });
});
