/**
 * The service as a user runs it: a real process on the embedded database in a fresh data directory.
 * A second process on the same directory refuses clearly; the CLI creates a user while the service runs
 * (sharing its database); /healthz and /graphql answer; SIGTERM stops it cleanly; data survives a restart.
 * With DATABASE_URL set, the same test runs against that PostgreSQL server instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/app/config.js';
import { createServerDatabase } from '../helpers/test-database.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-service-'));
const port = 40_000 + Math.floor(Math.random() * 20_000);
const env: Record<string, string | undefined> = {
  ...process.env,
  DATA_DIR: dataDir,
  PORT: String(port),
  LOG_LEVEL: 'info',
  NODE_OPTIONS: '--import @swc-node/register/esm-register',
};
const running: ChildProcess[] = [];

function start(extraEnv: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: PROJECT_ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitForHealth(timeoutMs = 60_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return res;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('service did not become healthy');
    await new Promise((r) => setTimeout(r, 200));
  }
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // The source CLI (bin/qbd-bridge.js prefers a build, which may be stale here; .ci/run tests the built bin).
    const child = spawn(process.execPath, ['src/cli/index.ts', ...args], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function graphql(token: string | undefined, query: string): Promise<{ data?: unknown; errors?: Array<{ extensions: { code: string } }> }> {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as never;
}

let service: ReturnType<typeof start>;
let dropDatabase = async () => undefined as void;
beforeAll(async () => {
  if (process.env.DATABASE_URL) {
    const created = await createServerDatabase(process.env.DATABASE_URL);
    env.DATABASE_URL = created.url;
    dropDatabase = created.drop;
  }
  service = start();
  await waitForHealth();
}, 90_000);

afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(running.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
  await dropDatabase();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('serves /healthz with the database up', async () => {
  const res = await waitForHealth();
  expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
});

test.skipIf(Boolean(process.env.DATABASE_URL))('a second service on the same data directory refuses clearly', async () => {
  const second = start({ PORT: String(port + 1) });
  const code = await second.exited;
  expect(code).toBe(1);
  expect(second.output()).toContain(`The data directory ${dataDir} is in use by another qbd-bridge process`);
});

let adminToken = '';
test('the CLI creates an admin while the service runs, and the token works on /graphql', async () => {
  const result = await cli(['user', 'create', '--name', 'Ada Lovelace', '--role', 'ADMIN']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  adminToken = /^(qbdb_[A-Za-z0-9_-]{43})$/m.exec(result.stdout)?.[1] ?? '';
  expect(adminToken).not.toBe('');
  const me = await graphql(adminToken, '{ me { name role } }');
  expect(me.data).toEqual({ me: { name: 'Ada Lovelace', role: 'ADMIN' } });
  expect((await graphql(undefined, '{ me { name } }')).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

  const bad = await cli(['user', 'create', '--name', 'X', '--role', 'BOSS']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain("argument 'BOSS' is invalid");
});

test('the Web Connector endpoint serves its WSDL and answers garbage with a SOAP Fault', async () => {
  const wsdl = await fetch(`http://127.0.0.1:${port}/qbwc?wsdl`);
  expect(wsdl.status).toBe(200);
  expect(await wsdl.text()).toContain('targetNamespace="http://developer.intuit.com/"');
  const res = await fetch(`http://127.0.0.1:${port}/qbwc`, { method: 'POST', body: '<x/>' });
  expect(res.status).toBe(400);
  expect(await res.text()).toContain('<faultstring>The request is not a SOAP envelope with a Body.</faultstring>');
});

test('SIGTERM stops the service cleanly; after a restart the data is still there', async () => {
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect(service.output()).toContain('"msg":"stopped"');
  if (!process.env.DATABASE_URL) expect(fs.existsSync(path.join(dataDir, 'qbd-bridge.lock'))).toBe(false);

  service = start();
  await waitForHealth();
  const me = await graphql(adminToken, '{ me { name } }');
  expect(me.data).toEqual({ me: { name: 'Ada Lovelace' } });
}, 90_000);
