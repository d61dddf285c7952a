/**
 * The Autotask REST client against the local fake server: zone discovery, headers, filters, paging over
 * nextPageUrl, envelopes, retries (429 + Retry-After, backoff, 5xx, thresholds), auth failures, and the
 * 3-requests-per-endpoint limit (the fake server records any excess as a violation).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AutotaskClient, discoverZone, type AutotaskHttpOptions } from '../../src/psa/autotask/client.js';
import { AutotaskApiError } from '../../src/psa/autotask/errors.js';
import { where } from '../../src/psa/autotask/filter.js';
import { KeyedSemaphore } from '../../src/shared/semaphore.js';
import type { AtCompany, AtInvoice } from '../../src/psa/autotask/types.js';
import { FakeAutotask, invoice, seedTenant } from './helpers/fake-autotask.js';

let fake: FakeAutotask;
let sleeps: number[];
let http: AutotaskHttpOptions;

function client(options: Partial<AutotaskHttpOptions> = {}, secret = fake.secret): AutotaskClient {
  return new AutotaskClient({ userName: fake.userName, integrationCode: fake.integrationCode, secret }, fake.zoneUrl, { ...http, ...options });
}

async function failure(promise: Promise<unknown>): Promise<AutotaskApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AutotaskApiError);
    return error as AutotaskApiError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  fake = await new FakeAutotask().start();
  seedTenant(fake, { companies: 4, invoices: 1200 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  sleeps = [];
  http = { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 } };
  fake.resetLog();
  fake.faults.length = 0;
});
afterEach(() => {
  expect(fake.violations, 'more than 3 concurrent requests on one endpoint').toEqual([]);
});

describe('zone discovery', () => {
  test('asks zoneInformation for the user, without auth headers, and returns the zone', async () => {
    const zone = await discoverZone(fake.zoneUrl, fake.userName, http);
    expect(zone).toEqual({ zoneName: 'Fake Zone', url: fake.zoneUrl, webUrl: `${fake.url}/`, ci: 287654 });
    const [call] = fake.calls('zoneinformation');
    expect(call!.url).toBe(`/ATServicesRest/V1.0/zoneInformation?user=${encodeURIComponent(fake.userName)}`);
    expect(call!.headers.secret).toBeUndefined();
    expect(call!.headers.apiintegrationcode).toBeUndefined();
  });

  test('an unknown user is an auth failure naming the user name', async () => {
    const error = await failure(discoverZone(fake.zoneUrl, 'nobody@example.com', http));
    expect(error.failure).toBe('auth');
    expect(error.message).toContain('does not know the API user "nobody@example.com"');
    expect(error.fields).toEqual([{ field: 'userName', message: expect.stringContaining('not an Autotask API user') }]);
  });

  test('a lookup URL already ending in V1.0/ is used as is', async () => {
    await discoverZone(`${fake.zoneUrl}V1.0/`, fake.userName, http);
    expect(fake.calls('zoneinformation')[0]!.url).toMatch(/^\/ATServicesRest\/V1\.0\/zoneInformation\?/);
  });
});

describe('queries and envelopes', () => {
  test('sends the three auth headers and JSON', async () => {
    await client().count('Invoices', [where.all()]);
    const [call] = fake.calls('invoices');
    expect(call!.headers).toMatchObject({
      apiintegrationcode: fake.integrationCode,
      username: fake.userName,
      secret: fake.secret,
      'content-type': 'application/json',
    });
  });

  test('1,200 invoices arrive over 3 pages, following pageDetails.nextPageUrl with the same POST body', async () => {
    const pages: number[] = [];
    const ids: number[] = [];
    for await (const page of client().pages<AtInvoice>('Invoices', { filter: [where.notExist<AtInvoice>('webServiceDate')] })) {
      pages.push(page.length);
      ids.push(...page.map((i) => i.id));
    }
    expect(pages).toEqual([500, 500, 200]);
    expect(new Set(ids).size).toBe(1200);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const calls = fake.calls('invoices', 'POST');
    expect(calls.map((c) => new URL(c.url, fake.url).pathname)).toEqual([
      '/ATServicesRest/V1.0/Invoices/query',
      '/ATServicesRest/V1.0/Invoices/query/next',
      '/ATServicesRest/V1.0/Invoices/query/next',
    ]);
    expect(calls.map((c) => c.body)).toEqual(Array(3).fill({ filter: [{ op: 'notExist', field: 'webServiceDate' }] }));
  });

  test('maxRecords sets the page size (bounded to 500) and includeFields always carries id', async () => {
    const pages: number[] = [];
    for await (const page of client().pages('Invoices', { filter: [where.lte<AtInvoice>('id', 29684010)], includeFields: ['companyID'], maxRecords: 4 })) {
      pages.push(page.length);
      expect(Object.keys(page[0] as object).sort()).toEqual(['companyID', 'id']);
    }
    expect(pages).toEqual([4, 4, 2]);
    await client().queryAll('Invoices', { filter: [where.eq<AtInvoice>('id', 29684001)], maxRecords: 9999 });
    expect((fake.calls('invoices', 'POST').at(-1)!.body as { maxRecords: number }).maxRecords).toBe(500);
  });

  test('the filter helper: in, notExist, gte, or/and groups; and query/count', async () => {
    const c = client();
    const byIn = await c.queryAll<AtInvoice>('Invoices', { filter: [where.in<AtInvoice>('id', [29684001, 29684003, 1])] });
    expect(byIn.map((i) => i.id)).toEqual([29684001, 29684003]);
    const grouped = await c.queryAll<AtInvoice>('Invoices', {
      filter: [where.or(where.eq('id', 29684001), where.and(where.gte('id', 29684100), where.lt('id', 29684102)))],
    });
    expect(grouped.map((i) => i.id)).toEqual([29684001, 29684100, 29684101]);
    const companies = await c.queryAll<AtCompany>('Companies', { filter: [where.beginsWith<AtCompany>('companyName', 'customer 2')] });
    expect(companies.map((x) => x.companyName)).toEqual(['Customer 2']);
    expect(await c.count('Invoices', [where.notExist('webServiceDate'), where.eq('isVoided', false)])).toBe(1200);
  });

  test('GET by id answers {item}; a missing id is null (404)', async () => {
    const c = client();
    expect((await c.get<AtInvoice>('Invoices', 29684001))!.companyID).toBe(29683600);
    expect(await c.get('Invoices', 1)).toBeNull();
  });

  test('PATCH sends the id in the body and returns {itemId}', async () => {
    fake.put('invoices', [invoice(1, 29683600)]);
    expect(await client().update('Invoices', { id: 1, invoiceNumber: '10452', webServiceDate: '2024-05-02T14:03:00.000' })).toBe(1);
    expect(fake.record('invoices', 1)).toMatchObject({ invoiceNumber: '10452', webServiceDate: '2024-05-02T14:03:00.000' });
    const [call] = fake.calls('invoices', 'PATCH');
    expect(new URL(call!.url, fake.url).pathname).toBe('/ATServicesRest/V1.0/Invoices');
  });

  test('an {errors} body is a refusal with Autotask\'s messages, not retried', async () => {
    const error = await failure(client().queryAll('Invoices', { filter: [where.eq('dueDate', '2024-05-31T00:00:00')] }));
    expect(error.failure).toBe('rejected');
    expect(error.status).toBe(500);
    expect(error.message).toContain('Field [dueDate] cannot be used in a query filter for entity [Invoices]');
    expect(fake.calls('invoices')).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('a nextPageUrl on another host is not followed with our credentials', async () => {
    fake.fault({
      entity: 'companies',
      status: 200,
      body: { items: [{ id: 1 }], pageDetails: { count: 1, requestCount: 1, prevPageUrl: null, nextPageUrl: 'https://evil.example.com/ATServicesRest/V1.0/Companies/query/next' } },
    });
    const error = await failure(client().queryAll('Companies', { filter: [where.all()] }));
    expect(error.failure).toBe('bad-response');
    expect(error.message).toContain('another host');
  });
});

describe('retries', () => {
  test('429 with Retry-After waits that long, then succeeds', async () => {
    fake.fault({ entity: 'companies', status: 429, headers: { 'Retry-After': '2' }, body: { errors: ['Too many requests.'] } });
    const companies = await client().queryAll('Companies', { filter: [where.all()] });
    expect(companies).toHaveLength(4);
    expect(sleeps).toEqual([2000]);
    expect(fake.calls('companies').map((c) => c.status)).toEqual([429, 200]);
  });

  test('a Retry-After longer than the bound is cut to it', async () => {
    fake.fault({ entity: 'companies', status: 429, headers: { 'Retry-After': '3600' } });
    await client().queryAll('Companies', { filter: [where.all()] });
    expect(sleeps).toEqual([5000]);
  });

  test('429 without Retry-After backs off exponentially with jitter, bounded, and gives up after maxAttempts', async () => {
    fake.fault({ entity: 'companies', status: 429, times: 10 });
    const error = await failure(client({ random: () => 1 }).queryAll('Companies', { filter: [where.all()] }));
    expect(error.failure).toBe('unavailable');
    expect(error.message).toContain('after 4 attempts');
    // base 100 ms doubling; half fixed + random half (random = 1 → the full step), capped at 1000 ms.
    expect(sleeps).toEqual([100, 200, 400]);
    expect(fake.calls('companies')).toHaveLength(4);
  });

  test('backoff steps stop growing at maxDelayMs', async () => {
    fake.fault({ entity: 'companies', status: 429, times: 10 });
    await failure(client({ random: () => 0, retry: { maxAttempts: 7, baseDelayMs: 100, maxDelayMs: 500 } }).queryAll('Companies', { filter: [where.all()] }));
    expect(sleeps).toEqual([50, 100, 200, 250, 250, 250]);
  });

  test('500 without {errors}, then success: retried', async () => {
    fake.fault({ entity: 'invoices', status: 500, body: 'Internal Server Error' });
    expect((await client().get<AtInvoice>('Invoices', 29684002))!.id).toBe(29684002);
    expect(fake.calls('invoices').map((c) => c.status)).toEqual([500, 200]);
    expect(sleeps).toEqual([75]);
  });

  test('503 on a paging request is retried and paging goes on', async () => {
    fake.fault({ entity: 'invoices', path: /query\/next/, status: 503 });
    const all = await client().queryAll('Invoices', { filter: [where.notExist('webServiceDate')] });
    expect(all).toHaveLength(1200);
    expect(fake.calls('invoices').map((c) => c.status)).toEqual([200, 503, 200, 200]);
  });

  test('the thread-threshold {errors} answer is retried whatever its status', async () => {
    fake.fault({ entity: 'invoices', status: 500, body: { errors: ['Thread Threshold Exceeded — The Autotask API thread threshold of 3 threads has been exceeded.'] } });
    await client().count('Invoices', [where.all()]);
    expect(fake.calls('invoices').map((c) => c.status)).toEqual([500, 200]);
  });

  test('a create (POST) is not retried on 5xx: it might have been applied', async () => {
    fake.fault({ entity: 'companies', method: 'POST', status: 503 });
    const error = await failure(client().create('Companies', { companyName: 'X', companyType: 1, ownerResourceID: 1, phone: '1' }));
    expect(error.failure).toBe('unavailable');
    expect(fake.calls('companies', 'POST')).toHaveLength(1);
  });

  test('but a 429 on a create is retried (rejected before processing)', async () => {
    fake.fault({ entity: 'companies', method: 'POST', status: 429, headers: { 'Retry-After': '1' } });
    const id = await client().create('Companies', { companyName: 'Retry Co', companyType: 1, ownerResourceID: 1, phone: '1' });
    expect(fake.record('companies', id)).toMatchObject({ companyName: 'Retry Co' });
    expect(fake.calls('companies', 'POST').map((c) => c.status)).toEqual([429, 200]);
  });

  test('a request that times out is retried', async () => {
    fake.latencyMs = 200;
    try {
      const error = await failure(client({ timeoutMs: 50, retry: { maxAttempts: 2 } }).count('Invoices', [where.all()]));
      expect(error.failure).toBe('unavailable');
      expect(error.message).toContain('no answer within 50 ms');
      expect(sleeps).toHaveLength(1);
    } finally {
      fake.latencyMs = 5;
      await new Promise((r) => setTimeout(r, 250));
    }
  });
});

describe('authentication', () => {
  test('401: an AppError telling which credentials to check, not retried', async () => {
    const error = await failure(client({}, 'wrong').count('Invoices', [where.all()]));
    expect(error.failure).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toContain(`Check the API user name ("${fake.userName}") and its secret`);
    expect(error.message).not.toContain('wrong');
    expect(error.fields[0]!.field).toBe('secret');
    expect(fake.calls('invoices')).toHaveLength(1);
  });

  test('401 naming the integration code points at the tracking identifier', async () => {
    fake.fault({ entity: 'invoices', status: 401, body: { errors: ['Invalid ApiIntegrationCode.'] } });
    const error = await failure(client().count('Invoices', [where.all()]));
    expect(error.message).toContain('Check the API tracking identifier (ApiIntegrationCode)');
    expect(error.fields[0]!.field).toBe('integrationCode');
  });

  test('403: the security level, naming the entity', async () => {
    fake.fault({ entity: 'billingitems', status: 403 });
    const error = await failure(client().queryAll('BillingItems', { filter: [where.all()] }));
    expect(error.failure).toBe('forbidden');
    expect(error.message).toContain("security level does not allow this call on BillingItems");
  });
});

describe('at most 3 requests in flight per endpoint', () => {
  test('12 queries at once on one endpoint: never more than 3 in flight there, other endpoints run alongside', async () => {
    fake.latencyMs = 20;
    try {
      const c = client();
      await Promise.all([
        ...Array.from({ length: 12 }, (_, i) => c.get('Invoices', 29684001 + i)),
        ...Array.from({ length: 6 }, () => c.count('Companies', [where.all()])),
      ]);
      expect(fake.maxInFlight.get('invoices')).toBe(3);
      expect(fake.maxInFlight.get('companies')).toBe(3);
    } finally {
      fake.latencyMs = 5;
    }
  });

  test('the fake server catches a client that sends more (the oracle works)', async () => {
    fake.latencyMs = 20;
    try {
      const greedy = client({ semaphores: new KeyedSemaphore(6), retry: { maxAttempts: 1 } });
      await Promise.allSettled(Array.from({ length: 6 }, (_, i) => greedy.get('Invoices', 29684001 + i)));
      expect(fake.violations.length).toBeGreaterThan(0);
      expect(fake.calls('invoices').some((c) => c.status === 500)).toBe(true);
    } finally {
      fake.violations.length = 0;
      fake.latencyMs = 5;
    }
  });
});
