/**
 * The service's configuration: parsed from the environment once, validated, frozen.
 * Nothing else in the code base reads `process.env`; everything takes a `Config` (or a part of it).
 * A bad value stops the start with a message naming the variable.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The project's root folder (where package.json lives), both from `src/` and from `dist/src/`. */
export const PROJECT_ROOT = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const parts = here.split(path.sep);
  const distAt = parts.lastIndexOf('dist');
  const srcAt = parts.lastIndexOf('src');
  const rootParts = distAt >= 0 ? parts.slice(0, distAt) : parts.slice(0, srcAt);
  return rootParts.join(path.sep) || path.sep;
})();

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const absoluteUrl = z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' });

/**
 * QBWC_MAX_ACTIVE_SESSIONS' default per CPU core. A Web Connector call costs the service and its database about
 * 15-20 ms of CPU on the reference box, so 15 sessions calling back to back keep a core busy and each call is
 * answered in about a third of a second; 200 files at once on 2 cores: p99 1.2 s per call with 30, 2.3 s with 50,
 * 6.5 s without a limit, all done in the same 50 s (bench/README.md, --sessions).
 */
const SESSIONS_PER_CORE = 15;

const envSchema = z.object({
  PORT: port.default(4000),
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PUBLIC_BASE_URL: absoluteUrl.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  QBXML_SPEC_DIR: z.string().min(1, 'must not be empty').optional(),
  APP_NAME: z.string().min(1).max(31, 'must be at most 31 characters').default('qbd-bridge'),
  EXPOSE_ERROR_STACKS: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false'),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TRUST_PROXY: z.string().regex(/^(true|false|\d+|[A-Za-z0-9.:/, -]+)$/, 'must be true, false, a hop count, or addresses/subnets (loopback, 10.0.0.0/8, ...)').optional(),
  PLUGINS: z.string().regex(/^[^,]+(,[^,]+)*$/, 'must be a comma-separated list of module paths or package names').optional(),
  PLUGINS_DIR: z.string().min(1, 'must not be empty').optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (e.g. openssl rand -hex 16)').optional(),
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  GRAPHQL_MAX_DEPTH: positiveInt(2, 100).default(12),
  GRAPHQL_MAX_ALIASES: positiveInt(0, 1000).default(30),
  GRAPHQL_MAX_TOKENS: positiveInt(100, 1_000_000).default(10_000),
  GRAPHQL_MAX_COST: positiveInt(100, 100_000_000).default(200_000),
  GRAPHQL_LIST_SIZE_ESTIMATE: positiveInt(1, 10_000).default(10),
  GRAPHQL_INTROSPECTION: z.enum(['signed-in', 'everyone'], { message: 'must be signed-in or everyone' }).default('signed-in'),
  QBWC_MIN_VERSION: z.string().regex(/^\d+(\.\d+){0,3}$/, 'must be a version like 2.1.0.30').optional(),
  QBWC_MAX_REQUESTS_PER_MESSAGE: positiveInt(1, 500).default(50),
  QBWC_MAX_MESSAGE_BYTES: positiveInt(10_000, 9_000_000).default(2_000_000),
  QBWC_MAX_BODY_BYTES: positiveInt(100_000, 100_000_000).default(20_000_000),
  QBWC_SESSION_IDLE_MINUTES: positiveInt(1, 240).default(15),
  QBWC_BUSY_RETRY_SECONDS: positiveInt(5, 3600).default(60),
  QBWC_MAX_ACTIVE_SESSIONS: positiveInt(1, 100_000).default(() => SESSIONS_PER_CORE * availableParallelism()),
  QBWC_SIGNIN_MAX_FAILURES: positiveInt(1, 1000).default(5),
  QBWC_SIGNIN_MAX_FAILURES_PER_CREDENTIAL: positiveInt(1, 100_000).default(50),
  QBWC_SIGNIN_WINDOW_MINUTES: positiveInt(1, 1440).default(15),
  QBWC_SIGNIN_BLOCK_MINUTES: positiveInt(1, 1440).default(15),
  LIST_SYNC_MAX_AGE_HOURS: positiveInt(1, 8760).default(24),
  LIST_SYNC_FULL_EVERY_DAYS: positiveInt(1, 365).default(7),
  LIST_SYNC_PAGE_SIZE: positiveInt(10, 1000).default(500),
  LIST_SYNC_OVERLAP_MINUTES: positiveInt(0, 1440).default(10),
  PAID_STATUS_EVERY_MINUTES: positiveInt(0, 10_080).default(60),
  PAID_STATUS_PAGE_SIZE: positiveInt(10, 1000).default(200),
  PAID_STATUS_OVERLAP_MINUTES: positiveInt(0, 1440).default(10),
  AUTOTASK_TICK_SECONDS: positiveInt(5, 3600).default(60),
  AUTOTASK_WRITE_BACK_BATCH_SIZE: positiveInt(1, 1000).default(50),
  AUTOTASK_WRITE_BACK_RETRY_MINUTES: positiveInt(1, 1440).default(5),
  AUTOTASK_CREDENTIALS_KEY: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 random bytes written in base64 (44 characters; make one with `openssl rand -base64 32`)',
    })
    .optional(),
  AUTOTASK_ZONE_LOOKUP_URL: absoluteUrl.default('https://webservices.autotask.net/ATServicesRest/'),
});

/** Variables whose values never appear in error messages. */
const SECRET_VARIABLES: ReadonlySet<string> = new Set(['AUTOTASK_CREDENTIALS_KEY']);

function positiveInt(min: number, max: number) {
  return z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`);
}

/** Environment variable names, for documentation and error messages. */
export type EnvName = keyof z.infer<typeof envSchema>;

export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the data directory (embedded database, lock file). */
  readonly dataDir: string;
  /** Set when a PostgreSQL server is used instead of the embedded database. */
  readonly databaseUrl: string | undefined;
  /** Base URL the Web Connector and browsers reach this service at; QWC AppURLs follow it. */
  readonly publicBaseUrl: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Folder holding Intuit's qbXML XSDs and the QBWC WSDL (read at build/test time, never copied). */
  readonly specDir: string;
  /** The AppName prefix shown in the Web Connector and in QuickBooks' Integrated Applications list. */
  readonly appName: string;
  readonly exposeErrorStacks: boolean;
  readonly graphql: GraphQLLimitsConfig;
  readonly qbwc: QbwcConfig;
  readonly listSync: ListSyncConfig;
  readonly paidStatus: PaidStatusConfig;
  readonly autotask: AutotaskConfig;
  /** Serve HTTPS with this certificate and key (PEM files, re-read when they change). */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** Express "trust proxy": which reverse proxies' X-Forwarded-* headers to believe (client address). */
  readonly trustProxy: boolean | number | string;
  /** Partner plugin modules (paths or package names) registered after the built-in ones. */
  readonly plugins: readonly string[];
  /**
   * Where PLUGINS are looked up: relative paths from it, package names from its node_modules (then from
   * qbd-bridge's own). A folder of its own keeps partner plugins out of the checkout, which `npm ci` empties.
   */
  readonly pluginsDir: string;
  /**
   * GET /metrics (Prometheus): served on the main port to callers presenting `token`, and/or on a port of its
   * own (`port` on `host`, for a scraper on a private network) without one; neither set: not served.
   */
  readonly metrics: { readonly token: string | undefined; readonly port: number | undefined; readonly host: string };
}

/** The Autotask REST connection (src/psa/autotask). */
export interface AutotaskConfig {
  /** AES-256-GCM key for the stored Autotask API secret; without it no credentials can be stored or used. */
  readonly credentialsKey: Buffer | undefined;
  /** Where zone discovery asks which zone (webservicesN host) an API user lives in. */
  readonly zoneLookupUrl: string;
  /** How often the scheduler looks for a due pull and pending write-backs. */
  readonly tickSeconds: number;
  /** Write-backs (QuickBooks numbers, paid dates) pushed to Autotask per tick at most. */
  readonly writeBackBatchSize: number;
  /** Wait before retrying a failed write-back; doubles with each failure, up to a day. */
  readonly writeBackRetryMinutes: number;
}

/** Reading QuickBooks' paid status of transferred invoices per connector (src/modules/paid-status). */
export interface PaidStatusConfig {
  /** A connector's invoices are checked at its first Web Connector session this long after the last check (0: every session). */
  readonly everyMinutes: number;
  /** MaxReturned of each iterator page. */
  readonly pageSize: number;
  /** Checks start this long before the newest TimeModified seen (clock skew between QuickBooks workstations). */
  readonly overlapMinutes: number;
}

/** What one GraphQL request may ask for (src/graphql/query-limits.ts), checked before anything runs. */
export interface GraphQLLimitsConfig {
  /** Nesting of selections; the schema has cycles (Connector.registrations ↔ Registration.connector). */
  readonly maxDepth: number;
  /** Aliased fields per operation (1,000 aliases of one field are 1,000 resolutions). */
  readonly maxAliases: number;
  /** Lexical tokens of the document; the parser stops counting past this (variables do not count). */
  readonly maxTokens: number;
  /** Estimated cost: 1 per field, list fields multiply what they select by their page size. */
  readonly maxCost: number;
  /** The length assumed for lists without a page size (a connector's registrations, an invoice's lines...). */
  readonly listSizeEstimate: number;
  /** Who may introspect the schema: signed-in callers only, or anyone. */
  readonly introspection: 'signed-in' | 'everyone';
}

/** The Web Connector endpoint's limits. */
export interface QbwcConfig {
  /** clientVersion answers "O:<this>" to older Web Connectors. */
  readonly minClientVersion: string | undefined;
  /** Requests per qbXML message. */
  readonly maxRequestsPerMessage: number;
  /** Size of one qbXML request message (Autotask's extension stops at 10 MB). */
  readonly maxMessageBytes: number;
  /** Largest SOAP body accepted (QuickBooks' responses arrive in one POST). */
  readonly maxBodyBytes: number;
  /** A session with no call for this long is abandoned; its connector is free again. */
  readonly sessionIdleMinutes: number;
  /** The wait hint sent with "busy". */
  readonly busyRetrySeconds: number;
  /** Sessions this process serves at once; a new one beyond them is answered "busy" (src/qbwc/session/admission.ts). */
  readonly maxActiveSessions: number;
  readonly signIn: SignInThrottleConfig;
}

/**
 * Throttling of failed Web Connector sign-ins (src/qbwc/auth): counted per client address and per credential
 * user name, in windows; reaching a limit blocks that address or user name, even with the right password.
 */
export interface SignInThrottleConfig {
  /** Failures from one client address (any user name, any registration) before it is blocked. */
  readonly maxFailuresPerAddress: number;
  /** Failures naming one credential's user name, from all addresses together, before it is blocked for everyone. */
  readonly maxFailuresPerCredential: number;
  /** Failures are counted within a window of this length, starting at the first one. */
  readonly windowMinutes: number;
  /** How long a block lasts. */
  readonly blockMinutes: number;
}

/** Mirroring QuickBooks lists (accounts, classes, items, customers...) per connector through the Web Connector. */
export interface ListSyncConfig {
  /** A list older than this is refreshed at the connector's next Web Connector session. */
  readonly maxAgeHours: number;
  /** Refreshes are incremental (FromModifiedDate); a full pull this often also notices deleted elements. */
  readonly fullEveryDays: number;
  /** MaxReturned of each iterator page. */
  readonly pageSize: number;
  /** Incremental pulls start this long before the newest TimeModified seen (clock skew between QuickBooks workstations). */
  readonly overlapMinutes: number;
}

/** Thrown when the environment holds an invalid value; the message names each bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable} ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment (default: `process.env`). */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  // Empty strings count as "not set": shells and .env files often export VAR= to mean "default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '(environment)');
        const got = SECRET_VARIABLES.has(variable) ? 'a value that is not shown' : JSON.stringify(cleaned[variable] ?? null);
        return { variable, message: `${issue.message} (got ${got})` };
      }),
    );
  }
  const e = parsed.data;
  if (e.PORT === 0 && !e.PUBLIC_BASE_URL) {
    // QWC files must name a reachable URL; with a random port there is none to name.
    throw new ConfigError([{ variable: 'PUBLIC_BASE_URL', message: 'is required when PORT is 0 (a random port cannot go into QWC files)' }]);
  }
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    const missing = e.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    throw new ConfigError([{ variable: missing, message: 'is required together with the other TLS_*_FILE variable' }]);
  }
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? 'localhost' : e.HOST;
  const scheme = e.TLS_CERT_FILE ? 'https' : 'http';
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `${scheme}://${displayHost}:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    publicBaseUrl,
    logLevel: e.LOG_LEVEL,
    specDir: e.QBXML_SPEC_DIR ? path.resolve(cwd, e.QBXML_SPEC_DIR) : path.resolve(PROJECT_ROOT, '..', 'shared', 'spec'),
    appName: e.APP_NAME,
    exposeErrorStacks: e.EXPOSE_ERROR_STACKS === 'true',
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: path.resolve(cwd, e.TLS_CERT_FILE), keyFile: path.resolve(cwd, e.TLS_KEY_FILE) } : undefined,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    plugins: Object.freeze((e.PLUGINS ?? '').split(',').map((p) => p.trim()).filter(Boolean)),
    pluginsDir: path.resolve(cwd, e.PLUGINS_DIR ?? '.'),
    metrics: Object.freeze({ token: e.METRICS_TOKEN, port: e.METRICS_PORT, host: e.METRICS_HOST }),
    graphql: Object.freeze({
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxCost: e.GRAPHQL_MAX_COST,
      listSizeEstimate: e.GRAPHQL_LIST_SIZE_ESTIMATE,
      introspection: e.GRAPHQL_INTROSPECTION,
    }),
    qbwc: Object.freeze({
      minClientVersion: e.QBWC_MIN_VERSION,
      maxRequestsPerMessage: e.QBWC_MAX_REQUESTS_PER_MESSAGE,
      maxMessageBytes: e.QBWC_MAX_MESSAGE_BYTES,
      maxBodyBytes: e.QBWC_MAX_BODY_BYTES,
      sessionIdleMinutes: e.QBWC_SESSION_IDLE_MINUTES,
      busyRetrySeconds: e.QBWC_BUSY_RETRY_SECONDS,
      maxActiveSessions: e.QBWC_MAX_ACTIVE_SESSIONS,
      signIn: Object.freeze({
        maxFailuresPerAddress: e.QBWC_SIGNIN_MAX_FAILURES,
        maxFailuresPerCredential: e.QBWC_SIGNIN_MAX_FAILURES_PER_CREDENTIAL,
        windowMinutes: e.QBWC_SIGNIN_WINDOW_MINUTES,
        blockMinutes: e.QBWC_SIGNIN_BLOCK_MINUTES,
      }),
    }),
    listSync: Object.freeze({
      maxAgeHours: e.LIST_SYNC_MAX_AGE_HOURS,
      fullEveryDays: e.LIST_SYNC_FULL_EVERY_DAYS,
      pageSize: e.LIST_SYNC_PAGE_SIZE,
      overlapMinutes: e.LIST_SYNC_OVERLAP_MINUTES,
    }),
    paidStatus: Object.freeze({
      everyMinutes: e.PAID_STATUS_EVERY_MINUTES,
      pageSize: e.PAID_STATUS_PAGE_SIZE,
      overlapMinutes: e.PAID_STATUS_OVERLAP_MINUTES,
    }),
    autotask: Object.freeze({
      credentialsKey: e.AUTOTASK_CREDENTIALS_KEY ? Buffer.from(e.AUTOTASK_CREDENTIALS_KEY, 'base64') : undefined,
      zoneLookupUrl: e.AUTOTASK_ZONE_LOOKUP_URL,
      tickSeconds: e.AUTOTASK_TICK_SECONDS,
      writeBackBatchSize: e.AUTOTASK_WRITE_BACK_BATCH_SIZE,
      writeBackRetryMinutes: e.AUTOTASK_WRITE_BACK_RETRY_MINUTES,
    }),
  });
}

/** TRUST_PROXY: "true"/"false", a hop count, or a comma list of addresses/subnets/names Express knows (loopback...). */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}
