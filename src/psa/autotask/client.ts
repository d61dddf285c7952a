/**
 * Autotask REST API client (docs: /work/shared/docs/autotask-rest.md).
 *
 * - Zone discovery: `GET <lookup>/V1.0/zoneInformation?user=<API user>` (no auth headers) gives the zone's
 *   `url`; every other call goes to `<url>V1.0/...` with the headers ApiIntegrationCode, UserName and Secret.
 * - Queries are POSTed (`{Entity}/query` with `{filter, includeFields, maxRecords}`); pages follow
 *   `pageDetails.nextPageUrl` with the same body until it is null (docs §2.3 #54).
 * - Envelopes: `{item}`, `{items, pageDetails}`, `{queryCount}`, `{itemId}`; failures `{errors: string[]}`.
 * - At most `maxConcurrentPerEndpoint` (3) requests in flight per entity endpoint (docs §4 #91).
 * - Retries, bounded (`retry.maxAttempts`): 429 (Retry-After when sent, else exponential backoff with jitter),
 *   thread/request-threshold `{errors}` whatever the status, and — for idempotent calls only — 5xx answers
 *   without an `{errors}` body, 502/503/504, network errors and timeouts. A 5xx with an `{errors}` body is
 *   Autotask's documented way of refusing a request (docs §3 #78) and is not retried.
 * - 401/403 fail at once with a message naming the credential or permission to check.
 * Uses Node's global fetch unless one is injected; the zone lookup URL and hence every base URL is injectable.
 */
import type { Logger } from '../../app/logger.js';
import { AutotaskApiError } from './errors.js';
import { KeyedSemaphore } from '../../shared/semaphore.js';
import { MAX_PAGE_SIZE, type AtFilter, type AtQuery } from './filter.js';
import type { AtCountResult, AtFieldInfo, AtItemResult, AtQueryResult, AtThreshold, AtWriteResult, AtZoneInfo } from './types.js';

export interface AutotaskCredentials {
  /** The API user's user name (an e-mail-like login). */
  readonly userName: string;
  /** The API tracking identifier. */
  readonly integrationCode: string;
  /** The API user's password ("Secret"). */
  readonly secret: string;
}

export interface RetryPolicy {
  /** Tries per request, the first included. */
  readonly maxAttempts: number;
  /** First backoff step; doubles per attempt, with jitter. */
  readonly baseDelayMs: number;
  /** Largest backoff step. */
  readonly maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one is cut to this. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export interface AutotaskHttpOptions {
  readonly fetch?: typeof fetch;
  readonly retry?: Partial<RetryPolicy>;
  /** Autotask allows 3 threads per endpoint and tracking identifier for new integrations. */
  readonly maxConcurrentPerEndpoint?: number;
  /**
   * The per-endpoint semaphores. By default every client of one tracking identifier in this process shares
   * them (Autotask counts threads per tracking identifier and endpoint), so a pull and write-backs running at
   * the same time stay within the limit together.
   */
  readonly semaphores?: KeyedSemaphore;
  /** Per request (default 60 s). */
  readonly timeoutMs?: number;
  /** Aborts waiting and in-flight requests (service shutdown). */
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Injectable for tests. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

/** "https://webservices3.autotask.net/ATServicesRest/" → "https://webservices3.autotask.net/ATServicesRest/V1.0/". */
export function apiBaseFromZoneUrl(zoneUrl: string): string {
  const base = zoneUrl.endsWith('/') ? zoneUrl : `${zoneUrl}/`;
  return /\/v1\.0\/$/i.test(base) ? base : `${base}V1.0/`;
}

/**
 * Which zone the API user lives in. Unauthenticated (docs §1.2 #13), exempt from thread limiting (#16).
 * A user Autotask does not know is reported as an `auth` failure naming the user name.
 */
export async function discoverZone(lookupUrl: string, userName: string, options: AutotaskHttpOptions = {}): Promise<AtZoneInfo> {
  const http = new AutotaskHttp(options);
  const url = `${apiBaseFromZoneUrl(lookupUrl)}zoneInformation?user=${encodeURIComponent(userName)}`;
  const unknownUser = (detail: string, status?: number, autotaskErrors?: string[]) =>
    new AutotaskApiError(
      `Autotask's zone lookup does not know the API user "${userName}" (${detail}). Check the user name: it is the API ` +
        "user's login (usually an e-mail address), under Admin > Resources (Users).",
      { failure: 'auth', status, request: 'GET zoneInformation', autotaskErrors, fields: [{ field: 'userName', message: 'is not an Autotask API user (the zone lookup found no zone)' }] },
    );
  let result: SendResult;
  try {
    result = await http.send({ method: 'GET', url, label: 'GET zoneInformation', endpoint: null, idempotent: true, allow: [404] });
  } catch (error) {
    // The docs do not say how an unknown user is answered; a definite refusal is read as "no such user".
    if (error instanceof AutotaskApiError && error.failure === 'rejected') throw unknownUser(error.autotaskErrors.join(' ') || `HTTP ${error.status}`, error.status, [...error.autotaskErrors]);
    throw error;
  }
  const zone = result.body as Partial<AtZoneInfo> | null;
  if (result.status === 404) throw unknownUser('HTTP 404', 404);
  if (!zone || typeof zone.url !== 'string' || !zone.url) throw unknownUser('the answer named no zone URL', result.status);
  return { zoneName: zone.zoneName ?? '', url: zone.url, webUrl: zone.webUrl ?? '', ci: zone.ci ?? 0 };
}

export class AutotaskClient {
  /** e.g. https://webservices3.autotask.net/ATServicesRest/V1.0/ */
  readonly apiBase: string;
  private readonly http: AutotaskHttp;

  constructor(
    private readonly credentials: AutotaskCredentials,
    zoneUrl: string,
    options: AutotaskHttpOptions = {},
  ) {
    this.apiBase = apiBaseFromZoneUrl(zoneUrl);
    this.http = new AutotaskHttp(options, credentials);
  }

  /** One record by id; null when Autotask answers 404. */
  async get<T>(entity: string, id: number): Promise<T | null> {
    const { status, body } = await this.call({ method: 'GET', path: `${entity}/${id}`, entity, idempotent: true, allow: [404] });
    if (status === 404) return null;
    return expectShape<AtItemResult<T>>(body, 'item', `GET ${entity}/${id}`).item ?? null;
  }

  /** Every page of a query, in order (POST, then POST the same body to each nextPageUrl). */
  async *pages<T>(entity: string, query: AtQuery): AsyncGenerator<T[]> {
    const body = normaliseQuery(query);
    let result = expectShape<AtQueryResult<T>>(
      (await this.call({ method: 'POST', path: `${entity}/query`, entity, body, idempotent: true })).body,
      'items',
      `POST ${entity}/query`,
    );
    const seen = new Set<string>();
    for (;;) {
      yield result.items;
      const next = result.pageDetails?.nextPageUrl;
      if (!next) return;
      const url = this.sameOrigin(next, entity);
      if (seen.has(url)) throw badResponse(`POST ${entity}/query`, `pageDetails.nextPageUrl repeats an earlier page (${url})`);
      seen.add(url);
      const response = await this.http.send({
        method: 'POST',
        url,
        label: `POST ${entity}/query (page ${seen.size + 1})`,
        endpoint: endpointOf(url) ?? entity,
        body,
        idempotent: true,
      });
      result = expectShape<AtQueryResult<T>>(response.body, 'items', `POST ${entity}/query (page ${seen.size + 1})`);
    }
  }

  /** All records of a query, every page. */
  async queryAll<T>(entity: string, query: AtQuery): Promise<T[]> {
    const all: T[] = [];
    for await (const page of this.pages<T>(entity, query)) all.push(...page);
    return all;
  }

  async count(entity: string, filter: AtFilter[]): Promise<number> {
    const { body } = await this.call({ method: 'POST', path: `${entity}/query/count`, entity, body: { filter }, idempotent: true });
    return expectShape<AtCountResult>(body, 'queryCount', `POST ${entity}/query/count`).queryCount;
  }

  /** POST a new record (a bare object, docs §3 #71); its new id. Not retried on 5xx or network errors (no duplicates). */
  async create(entity: string, record: object): Promise<number> {
    const { body } = await this.call({ method: 'POST', path: entity, entity, body: record, idempotent: false });
    return Number(expectShape<AtWriteResult>(body, 'itemId', `POST ${entity}`).itemId);
  }

  /** PATCH: changes only the fields sent; `id` goes in the body, not the URL (docs §3 #72). */
  async update(entity: string, changes: { id: number } & Record<string, unknown>): Promise<number> {
    const { body } = await this.call({ method: 'PATCH', path: entity, entity, body: changes, idempotent: true });
    return Number(expectShape<AtWriteResult>(body, 'itemId', `PATCH ${entity}`).itemId);
  }

  /**
   * A sub-resource that is one object, such as `Companies/{id}/invoiceSettings` (docs §2.4 #62); null on 404.
   * Read as `{item}` or as the bare object: the docs show the fields, not the envelope.
   */
  async getSub<T extends object>(entity: string, id: number, sub: string): Promise<T | null> {
    const path = `${entity}/${id}/${sub}`;
    const { status, body } = await this.call({ method: 'GET', path, entity, idempotent: true, allow: [404] });
    if (status === 404 || !body || typeof body !== 'object') return null;
    return ('item' in body ? (body as AtItemResult<T>).item : (body as T)) ?? null;
  }

  /** PUT a whole sub-resource object (absolute values, so safe to repeat). */
  async putSub(entity: string, id: number, sub: string, value: object): Promise<void> {
    await this.call({ method: 'PUT', path: `${entity}/${id}/${sub}`, entity, body: value, idempotent: true });
  }

  /** An entity's field metadata (`{entity}/entityInformation/fields`, docs §2.5 #65): picklist values and labels. */
  async fields(entity: string): Promise<AtFieldInfo[]> {
    const { body } = await this.call({ method: 'GET', path: `${entity}/entityInformation/fields`, entity, idempotent: true });
    return expectShape<{ fields: AtFieldInfo[] }>(body, 'fields', `GET ${entity}/entityInformation/fields`).fields;
  }

  async threshold(): Promise<AtThreshold> {
    const { body } = await this.call({ method: 'GET', path: 'ThresholdInformation', entity: 'ThresholdInformation', idempotent: true });
    return expectShape<AtThreshold>(body, 'externalRequestThreshold', 'GET ThresholdInformation');
  }

  private call(request: { method: string; path: string; entity: string; body?: unknown; idempotent: boolean; allow?: number[] }) {
    return this.http.send({
      method: request.method,
      url: this.apiBase + request.path,
      label: `${request.method} ${request.path}`,
      endpoint: request.entity,
      body: request.body,
      idempotent: request.idempotent,
      allow: request.allow,
    });
  }

  /** Credentials only ever go to the zone host: a nextPageUrl elsewhere is refused. */
  private sameOrigin(url: string, entity: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url, this.apiBase);
    } catch {
      throw badResponse(`POST ${entity}/query`, `pageDetails.nextPageUrl is not a URL: ${JSON.stringify(url)}`);
    }
    if (parsed.origin !== new URL(this.apiBase).origin) {
      throw badResponse(`POST ${entity}/query`, `pageDetails.nextPageUrl points at another host (${parsed.origin}); not following it with our credentials`);
    }
    return parsed.toString();
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface SendRequest {
  readonly method: string;
  readonly url: string;
  /** For messages and logs: `POST Invoices/query`. */
  readonly label: string;
  /** Semaphore key (entity endpoint); null = not thread-limited (zone lookup). */
  readonly endpoint: string | null;
  readonly body?: unknown;
  /** Safe to send again when the outcome is unknown (queries, GET, PATCH of absolute values). */
  readonly idempotent: boolean;
  /** Statuses returned to the caller instead of raised. */
  readonly allow?: readonly number[];
}

interface SendResult {
  readonly status: number;
  readonly body: unknown;
}

const SHARED_SEMAPHORES = new Map<string, KeyedSemaphore>();

function sharedSemaphores(integrationCode: string, limit: number): KeyedSemaphore {
  const key = `${limit}\u0000${integrationCode}`;
  let semaphores = SHARED_SEMAPHORES.get(key);
  if (!semaphores) SHARED_SEMAPHORES.set(key, (semaphores = new KeyedSemaphore(limit)));
  return semaphores;
}

/** Threshold and thread-limit rejections (docs §4 #93: "Thread Threshold Exceeded", code Itgenatr005). */
const THRESHOLD_TEXT = /thread threshold|threshold (of .*)?(has been )?exceeded|request threshold|itgenatr005|too many requests/i;

class AutotaskHttp {
  private readonly fetchFn: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly semaphores: KeyedSemaphore;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(
    private readonly options: AutotaskHttpOptions,
    private readonly credentials?: AutotaskCredentials,
  ) {
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.semaphores = options.semaphores ?? sharedSemaphores(credentials?.integrationCode ?? '', options.maxConcurrentPerEndpoint ?? 3);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
  }

  async send(request: SendRequest): Promise<SendResult> {
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      this.throwIfAborted(request);
      const outcome = await this.attempt(request);
      if ('result' in outcome) return outcome.result;
      lastProblem = outcome.problem;
      if (!outcome.retry || attempt >= this.retry.maxAttempts) {
        if (outcome.error) throw outcome.error;
        throw new AutotaskApiError(
          `Autotask did not answer ${request.label} successfully after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${lastProblem}. ` +
            'The next pull tries again; if it keeps failing, check the Autotask status page and the API usage (ThresholdInformation).',
          { failure: 'unavailable', status: outcome.status, request: request.label, autotaskErrors: outcome.autotaskErrors },
        );
      }
      const delay = this.delayFor(attempt, outcome.retryAfterMs);
      this.options.logger?.warn({ request: request.label, status: outcome.status, attempt, delayMs: delay, problem: lastProblem }, 'Autotask request will be retried');
      await this.sleep(delay, this.options.signal).catch(() => undefined);
    }
  }

  /** Exponential backoff with jitter (half fixed, half random), or the server's Retry-After; both bounded. */
  private delayFor(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.retry.maxRetryAfterMs);
    const step = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + this.random() * (step / 2));
  }

  private throwIfAborted(request: SendRequest): void {
    if (this.options.signal?.aborted) {
      throw new AutotaskApiError(`${request.label} was not sent: the service is stopping.`, { failure: 'aborted', request: request.label });
    }
  }

  private async attempt(request: SendRequest): Promise<Attempt> {
    const run = () => this.fetchOnce(request);
    return request.endpoint === null ? run() : this.semaphores.run(request.endpoint.toLowerCase(), run);
  }

  private async fetchOnce(request: SendRequest): Promise<Attempt> {
    this.throwIfAborted(request);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.credentials) {
      headers.ApiIntegrationCode = this.credentials.integrationCode;
      headers.UserName = this.credentials.userName;
      headers.Secret = this.credentials.secret;
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(request.url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal,
        redirect: 'error',
      });
      text = await response.text();
    } catch (error) {
      this.throwIfAborted(request);
      const problem = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : `network error (${describe(error)})`;
      return { retry: request.idempotent, problem, status: undefined };
    }
    const status = response.status;
    const body = parseJson(text);
    const errors = errorsOf(body);

    if (status >= 200 && status < 300) {
      if (errors.length && !hasEnvelope(body)) {
        return { retry: false, problem: errors.join(' '), status, error: rejected(request, status, errors) };
      }
      return { result: { status, body } };
    }
    if (request.allow?.includes(status)) return { result: { status, body } };
    if (status === 401) return { retry: false, problem: 'HTTP 401', status, error: this.authError(request, errors) };
    if (status === 403) return { retry: false, problem: 'HTTP 403', status, error: forbiddenError(request, errors) };

    const thresholdHit = errors.some((e) => THRESHOLD_TEXT.test(e));
    if (status === 429 || thresholdHit) {
      return {
        retry: true,
        problem: errors.length ? `${thresholdHit ? 'threshold' : `HTTP ${status}`}: ${errors.join(' ')}` : `HTTP ${status} (rate limited)`,
        status,
        autotaskErrors: errors,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    }
    if (status >= 500) {
      if (errors.length && status === 500) {
        return { retry: false, problem: errors.join(' '), status, error: rejected(request, status, errors) };
      }
      return { retry: request.idempotent, problem: `HTTP ${status}${text ? ` (${snippet(text)})` : ''}`, status, autotaskErrors: errors };
    }
    if (status === 404) {
      return {
        retry: false,
        problem: 'HTTP 404',
        status,
        error: new AutotaskApiError(
          `Autotask answered 404 to ${request.label}` + (errors.length ? `: ${errors.join(' ')}` : '') +
            '. The record does not exist, or the zone URL is wrong (set the connection again to rediscover the zone).',
          { failure: 'not-found', status, request: request.label, autotaskErrors: errors },
        ),
      };
    }
    return { retry: false, problem: `HTTP ${status}`, status, error: rejected(request, status, errors.length ? errors : [snippet(text) || `HTTP ${status}`]) };
  }

  private authError(request: SendRequest, errors: string[]): AutotaskApiError {
    const said = errors.join(' ');
    const aboutCode = /integration|tracking/i.test(said);
    const user = this.credentials?.userName ?? '';
    const check = aboutCode
      ? 'Check the API tracking identifier (ApiIntegrationCode): it must be the one on the API user\'s "API Tracking Identifier" setting.'
      : `Check the API user name ("${user}") and its secret (the API user's password); if both are right, check the API tracking identifier (ApiIntegrationCode) set on that API user.`;
    return new AutotaskApiError(`Autotask refused the credentials (HTTP 401) for ${request.label}${said ? ` ("${said}")` : ''}. ${check}`, {
      failure: 'auth',
      status: 401,
      request: request.label,
      autotaskErrors: errors,
      fields: aboutCode
        ? [{ field: 'integrationCode', message: 'was refused by Autotask (HTTP 401)' }]
        : [{ field: 'secret', message: 'was refused by Autotask together with the user name (HTTP 401); check both, and the integration code' }],
    });
  }
}

type Attempt =
  | { readonly result: SendResult }
  | {
      readonly retry: boolean;
      readonly problem: string;
      readonly status: number | undefined;
      readonly autotaskErrors?: string[];
      readonly retryAfterMs?: number;
      /** Raised as is when not retried. */
      readonly error?: AutotaskApiError;
    };

function forbiddenError(request: SendRequest, errors: string[]): AutotaskApiError {
  const entity = request.label.split(' ')[1]?.split('/')[0] ?? 'this entity';
  return new AutotaskApiError(
    `Autotask denied ${request.label} (HTTP 403)${errors.length ? `: ${errors.join(' ')}` : ''}. The credentials are valid but the API user's ` +
      `security level does not allow this call on ${entity}: give the API user (API-only security level) access to ${entity}, ` +
      'and to the lines of business whose invoices it must read.',
    {
      failure: 'forbidden',
      status: 403,
      request: request.label,
      autotaskErrors: errors,
      fields: [{ field: 'userName', message: `is not allowed to use ${entity} (HTTP 403); check the API user's security level` }],
    },
  );
}

function rejected(request: SendRequest, status: number, errors: string[]): AutotaskApiError {
  return new AutotaskApiError(`Autotask refused ${request.label} (HTTP ${status}): ${errors.join(' ')}`, {
    failure: 'rejected',
    status,
    request: request.label,
    autotaskErrors: errors,
  });
}

function badResponse(label: string, problem: string): AutotaskApiError {
  return new AutotaskApiError(`Autotask's answer to ${label} was not understood: ${problem}.`, { failure: 'bad-response', request: label });
}

function expectShape<T>(body: unknown, key: string, label: string): T {
  if (body && typeof body === 'object' && key in body) return body as T;
  throw badResponse(label, `expected a JSON object with "${key}", got ${snippet(JSON.stringify(body) ?? 'nothing')}`);
}

function hasEnvelope(body: unknown): boolean {
  return !!body && typeof body === 'object' && ['item', 'items', 'itemId', 'queryCount'].some((k) => k in body);
}

/** Query bodies: page size bounded to Autotask's 1–500. */
function normaliseQuery(query: AtQuery): AtQuery {
  const out: AtQuery = { filter: query.filter };
  if (query.includeFields?.length) out.includeFields = [...new Set(['id', ...query.includeFields])];
  if (query.maxRecords !== undefined) out.maxRecords = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(query.maxRecords)));
  return out;
}

/** The entity segment after V1.0 in an Autotask URL (for the per-endpoint semaphore). */
export function endpointOf(url: string): string | undefined {
  const parts = new URL(url).pathname.split('/').filter(Boolean);
  const at = parts.findIndex((p) => p.toLowerCase() === 'v1.0');
  return at >= 0 ? parts[at + 1] : undefined;
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorsOf(body: unknown): string[] {
  if (!body || typeof body !== 'object') return [];
  const errors = (body as { errors?: unknown; Errors?: unknown }).errors ?? (body as { Errors?: unknown }).Errors;
  return Array.isArray(errors) ? errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))) : [];
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
