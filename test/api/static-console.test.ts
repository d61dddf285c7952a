/**
 * The web console served at `/` by the API's own server (src/app/static-console.ts), over real HTTP, from a
 * console build laid out as Vite lays it out (index.html naming hashed assets).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { consoleRouter } from '../../src/app/static-console.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>';
const page = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

let app: TestApp;
let distDir: string;
beforeAll(async () => {
  distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-console-'));
  fs.mkdirSync(path.join(distDir, 'assets'));
  fs.writeFileSync(path.join(distDir, 'index.html'), INDEX);
  fs.writeFileSync(path.join(distDir, 'assets', 'index-Ab12Cd34.js'), 'console.log("console");');
  fs.writeFileSync(path.join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  app = await startTestApp({ consoleDir: distDir });
});
afterAll(async () => {
  await app?.close().catch(() => undefined);
  fs.rmSync(distDir, { recursive: true, force: true });
});

test('/ is the console: revalidated on every load, under a CSP that allows no inline script or style', async () => {
  const res = await fetch(`${app.url}/`, { headers: page });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(await res.text()).toBe(INDEX);
});

test('hashed assets are immutable for a year; other files are revalidated', async () => {
  const asset = await fetch(`${app.url}/assets/index-Ab12Cd34.js`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get('content-type')).toMatch(/javascript/);
  expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  const icon = await fetch(`${app.url}/favicon.svg`);
  expect(icon.status).toBe(200);
  expect(icon.headers.get('cache-control')).toBe('no-cache');
});

test('a deep link a browser opens gets the console; a missing asset or a script asking is a 404', async () => {
  for (const deepLink of ['/transfers', '/connectors/conn_1/setup/3']) {
    const res = await fetch(`${app.url}${deepLink}`, { headers: page });
    expect(res.status, deepLink).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(INDEX);
  }
  const staleAsset = await fetch(`${app.url}/assets/index-Old00000.js`, { headers: page });
  expect(staleAsset.status).toBe(404);
  expect(((await staleAsset.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  const script = await fetch(`${app.url}/transfers`);
  expect(script.status).toBe(404);
  const post = await fetch(`${app.url}/transfers`, { method: 'POST', headers: page });
  expect(post.status).toBe(404);
});

test('the API keeps its own paths: nothing under /graphql, /qwc, /qbwc or /healthz is answered with the console', async () => {
  const health = await fetch(`${app.url}/healthz`, { headers: page });
  expect(await health.json()).toEqual({ status: 'ok', database: 'up' });
  for (const apiPath of ['/healthz/more', '/qwc', '/qbwc/unknown/more', '/graphql/deeper']) {
    const res = await fetch(`${app.url}${apiPath}`, { headers: page });
    expect(res.headers.get('content-type'), apiPath).not.toMatch(/^text\/html/);
    expect(await res.text(), apiPath).not.toContain('<div id="root">');
  }
  const graphql = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...page, 'apollo-require-preflight': 'true' } });
  expect(graphql.headers.get('content-type')).toMatch(/json/);
});

test('without a console build there is nothing to serve (the server then answers / with its 404, as before)', () => {
  expect(consoleRouter(path.join(distDir, 'not-built'))).toBeUndefined();
  expect(consoleRouter(distDir)).toBeDefined();
});
