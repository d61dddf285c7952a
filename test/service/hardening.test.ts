/**
 * The running service attacked from outside, as issue #10 did: a viewer's exponential cycle query, 1,000
 * aliases and a wide multiplied query are refused in well under a second while /healthz keeps answering and
 * the process's memory stays put; malformed requests of every kind get a JSON answer (a SOAP Fault under
 * /qbwc) with a stable code, no stack and no path of this machine, and the request id of the answer is in
 * the service's log. A real process, so its RSS is what is measured. Runs on PostgreSQL with DATABASE_URL.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ERROR_CODES } from '../../src/errors/error-codes.js';
import { ServiceHarness, type ServiceRun } from '../helpers/service-process.js';
import { aliasQuery, cycleQuery } from '../helpers/attack-queries.js';

const QBWC_MAX_BODY_BYTES = 200_000;
let harness: ServiceHarness;
let service: ServiceRun;
let viewer = '';
let admin = '';
beforeAll(async () => {
  harness = await ServiceHarness.create();
  service = harness.start({ QBWC_MAX_BODY_BYTES: String(QBWC_MAX_BODY_BYTES) });
  await harness.waitForHealth();
  admin = await harness.createUser('Ada', 'ADMIN');
  viewer = await harness.createUser('Vera', 'VIEWER');
  // Data for the cycle to multiply: one connector with three accountants' registrations.
  const seed = async (query: string) => {
    const answer = await harness.graphql(admin, query);
    expect(answer.errors).toBeUndefined();
    return answer.data as Record<string, { id: string }>;
  };
  await seed('mutation { createApiCredential(input: { userName: "qbwc", password: "correct horse battery staple" }) { credential { id } } }');
  const connector = (await seed('mutation { createConnector(input: { name: "Acme" }) { id } }')).createConnector!.id;
  for (const name of ['Carl', 'Cora', 'Cruz']) {
    const user = (await seed(`mutation { createUser(input: { name: "${name}", role: ACCOUNTANT }) { id } }`)).createUser!.id;
    await seed(`mutation { createRegistration(input: { connectorId: "${connector}", userId: "${user}" }) { id } }`);
  }
}, 300_000);

afterAll(async () => {
  await harness?.close();
});

function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Polls /healthz until stopped; every status it saw. */
function watchHealth(): { stop(): Promise<number[]> } {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      statuses.push((await fetch(`${harness.url}/healthz`)).status);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return statuses;
    },
  };
}

test('a viewer\'s depth-20 cycle, 1,000 aliases and a wide query are refused in under a second; memory and /healthz unaffected', async () => {
  // The same shape within the limits runs (as an admin: viewers do not read registrations).
  expect((await harness.graphql(admin, cycleQuery(4))).errors).toBeUndefined();
  const rssBefore = rssBytes(service.child.pid!);
  const health = watchHealth();
  const attacks: Array<[string, string, Record<string, unknown>]> = [
    ['QUERY_TOO_DEEP', cycleQuery(20), {}],
    ['TOO_MANY_ALIASES', aliasQuery(1000), {}],
    ['QUERY_TOO_COMPLEX', 'query($n: Int!) { connectors(first: $n) { nodes { registrations { connector { registrations { connector { registrations { qwc } } } } } } } }', { n: 200 }],
  ];
  for (const [errorCode, query, variables] of attacks) {
    const durations: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      const answer = await harness.graphql(viewer, query, variables);
      durations.push(performance.now() - started);
      expect(answer.data).toBeUndefined();
      expect(answer.errors?.map((e) => e.extensions.errorCode)).toEqual([errorCode]);
    }
    // The fastest of three: a busy machine may delay one answer, an executed attack takes seconds every time.
    expect(Math.min(...durations), errorCode).toBeLessThan(1_000);
  }
  const statuses = await health.stop();
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(Math.abs(rssBytes(service.child.pid!) - rssBefore)).toBeLessThan(50 * 1024 * 1024);
});

/** What must never reach a client: stack frames, dependency or source paths, absolute paths of this machine. */
function expectNothingInternal(body: string): void {
  expect(body).not.toMatch(/\bat .+:\d+:\d+/);
  expect(body).not.toContain('node_modules');
  expect(body).not.toContain('/src/');
  expect(body).not.toMatch(/\/(home|root|tmp|work|usr|var|opt)\//);
  expect(body).not.toContain(harness.dataDir);
}

interface MalformedCase {
  readonly name: string;
  readonly path: string;
  readonly init?: RequestInit;
  /** The exact status, or any client error (4xx) where the exact one is the /qbwc endpoint's own business. */
  readonly status?: number;
}

/** Sends one malformed request; checks what every answer must be (status, nothing internal, a request id) and returns it. */
async function sendCase(c: MalformedCase, contentType: string): Promise<{ body: string; requestId: string }> {
  const res = await fetch(`${harness.url}${c.path}`, c.init);
  const body = await res.text();
  expectNothingInternal(body);
  if (c.status) expect(res.status, c.name).toBe(c.status);
  else expect(Math.floor(res.status / 100), `${c.name}: ${res.status}`).toBe(4);
  expect(res.headers.get('content-type'), c.name).toContain(contentType);
  const requestId = res.headers.get('x-request-id') ?? '';
  expect(requestId, c.name).toMatch(/^[0-9a-f-]{36}$/);
  return { body, requestId };
}

async function expectLogged(requestId: string): Promise<void> {
  // The log line is written when the answer is out; give the pipe a moment by waiting for it, not for a time.
  const until = Date.now() + 10_000;
  while (!service.output().includes(`"requestId":"${requestId}"`)) {
    if (Date.now() > until) throw new Error(`request ${requestId} was not logged`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('malformed requests get JSON with a stable code, no stack and no path, and are logged with their request id', async () => {
  const json = { 'content-type': 'application/json' };
  const cases: Array<MalformedCase & { code: string }> = [
    { name: 'truncated JSON', path: '/graphql', init: { method: 'POST', headers: json, body: '{"query": "{ me { name }' }, status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'JSON over the limit', path: '/graphql', init: { method: 'POST', headers: json, body: JSON.stringify({ query: '{ me { name } }', variables: { x: 'x'.repeat(6 * 1024 * 1024) } }) }, status: 413, code: 'REQUEST_TOO_LARGE' },
    { name: 'wrong content type', path: '/graphql', init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{ me { name } }' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'unsupported charset', path: '/graphql', init: { method: 'POST', headers: { 'content-type': 'application/json; charset=klingon' }, body: '{}' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'a JSON batch', path: '/graphql', init: { method: 'POST', headers: json, body: '[{"query": "{ me { name } }"}]' }, status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'an empty JSON object', path: '/graphql', init: { method: 'POST', headers: json, body: '{}' }, status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'bad method on /graphql', path: '/graphql', init: { method: 'PUT', headers: json, body: '{}' }, status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'GET without a query', path: '/graphql', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'bad query string on /graphql', path: '/graphql?query=%E0%A4%A&variables=%ZZ', init: { headers: { 'apollo-require-preflight': 'true' } }, status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'bad percent escape in /qwc/…', path: '/qwc/%E0%A4%A', status: 400, code: 'MALFORMED_REQUEST' },
    { name: 'unknown route', path: '/wp-admin/setup.php', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'bad method on /healthz', path: '/healthz', init: { method: 'DELETE' }, status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'QWC download without a token', path: '/qwc/reg_nope', status: 401, code: 'UNAUTHENTICATED' },
  ];
  for (const c of cases) {
    const { body, requestId } = await sendCase(c, 'application/json');
    const parsed = JSON.parse(body) as { error?: { code: string; requestId: string }; errors?: Array<{ extensions: { errorCode: string } }> };
    const code = parsed.error?.code ?? parsed.errors?.[0]?.extensions.errorCode;
    expect(code, c.name).toBe(c.code);
    expect(Object.keys(ERROR_CODES)).toContain(code);
    if (parsed.error) expect(parsed.error.requestId).toBe(requestId);
    await expectLogged(requestId);
  }
  // A bad query string elsewhere is simply ignored.
  expect((await fetch(`${harness.url}/healthz?%ZZ=%E0%A4%A`)).status).toBe(200);
  // A proxy's own request id is kept.
  expect((await fetch(`${harness.url}/nope`, { headers: { 'x-request-id': 'proxy-1234-abcd' } })).headers.get('x-request-id')).toBe('proxy-1234-abcd');
});

test('/qbwc keeps answering SOAP Faults without stacks: oversized, empty, unknown method, bad escape', async () => {
  const xml = { 'content-type': 'text/xml; charset=utf-8' };
  const cases: MalformedCase[] = [
    { name: 'oversized body', path: '/qbwc', init: { method: 'POST', headers: xml, body: `<x>${'a'.repeat(QBWC_MAX_BODY_BYTES + 1)}</x>` } },
    { name: 'empty body', path: '/qbwc', init: { method: 'POST', headers: xml, body: '' } },
    { name: 'bad method', path: '/qbwc', init: { method: 'PUT', headers: xml, body: '<x/>' } },
    { name: 'bad percent escape', path: '/qbwc/%E0%A4%A', init: { method: 'POST', headers: xml, body: '<x/>' } },
  ];
  for (const c of cases) {
    const { body } = await sendCase(c, 'text/xml');
    expect(body, c.name).toMatch(/<soap:Fault><faultcode>soap:Client<\/faultcode><faultstring>[^<]+<\/faultstring><\/soap:Fault>/);
  }
});
