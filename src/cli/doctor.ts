/**
 * `qbd-bridge doctor`: what a person needs before the first Web Connector run, one line per check, with what to
 * do about each that is not right. Run it next to the running service: it reaches the service the way the Web
 * Connector machine will (PUBLIC_BASE_URL), and reads the same database.
 *   public URL     /healthz answers through PUBLIC_BASE_URL
 *   certificate    the HTTPS certificate there is trusted and not about to expire (QBWC refuses others)
 *   credential     the Web Connector user name and password are set
 *   connectors     a default connector, and a registration (QWC file) on each active one
 *   Autotask       the stored connection signs in and reads (optional: scripts may push instead)
 *   clock          this machine's clock agrees with Autotask's (incremental pulls read by modification time)
 *   disk           free space where the data directory is
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../app/config.js';
import { ApiCredential } from '../modules/credential/api-credential.entity.js';
import { Connector } from '../modules/connector/connector.entity.js';
import { Registration } from '../modules/registration/registration.entity.js';
import { clientFor, getAutotaskConnection, type AutotaskRuntime } from '../psa/autotask/autotask-connection.service.js';
import { where } from '../psa/autotask/filter.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do, when the status is not pass. */
  readonly hint?: string;
}

export interface DoctorOptions {
  readonly config: Config;
  readonly em: EntityManager;
  readonly autotask: AutotaskRuntime;
  /** Certificate authorities to trust besides Node's (tests; a private CA the Windows machine also trusts). */
  readonly ca?: string | Buffer;
  /** Per network check. */
  readonly timeoutMs?: number;
  /** Free space under which the disk check warns / fails (default 5 GiB / 1 GiB). */
  readonly disk?: { readonly warnBytes: number; readonly failBytes: number };
}

/** A certificate expiring sooner than this is a warning: renewals fail quietly and QBWC then stops. */
const CERT_WARN_DAYS = 21;
const CLOCK_WARN_SECONDS = 30;
const CLOCK_FAIL_SECONDS = 5 * 60;
const DISK = { warnBytes: 5 * 1024 ** 3, failBytes: 1024 ** 3 };

export async function runDoctor(options: DoctorOptions): Promise<CheckResult[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return [
    await checkPublicUrl(options.config.publicBaseUrl, timeoutMs),
    await checkCertificate(options.config.publicBaseUrl, options.ca, timeoutMs),
    await checkCredential(options.em),
    await checkConnectors(options.em),
    await checkAutotask(options.em, options.autotask),
    await checkClock(options.config.autotask.zoneLookupUrl, timeoutMs),
    checkDisk(options.config.databaseUrl ? undefined : options.config.dataDir, options.disk ?? DISK),
  ];
}

export function formatDoctor(results: readonly CheckResult[]): string {
  const mark: Record<CheckStatus, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  const lines = results.map((r) => `${mark[r.status]}  ${r.check.padEnd(12)} ${r.detail}${r.hint ? `\n      → ${r.hint}` : ''}`);
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push(failed + warned === 0 ? 'Everything the first Web Connector run needs is in place.' : `${failed} check(s) failed, ${warned} warning(s).`);
  return `${lines.join('\n')}\n`;
}

async function checkPublicUrl(publicBaseUrl: string, timeoutMs: number): Promise<CheckResult> {
  const check = 'public URL';
  const url = `${publicBaseUrl.replace(/\/$/, '')}/healthz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return { check, status: 'pass', detail: `${url} answers ${response.status}` };
    return { check, status: 'fail', detail: `${url} answers ${response.status}`, hint: 'the service answers but is not healthy: see its log (the database may be down)' };
  } catch (error) {
    return {
      check, status: 'fail', detail: `${url} cannot be reached (${describeFetchError(error)})`,
      hint: 'start the service, and make PUBLIC_BASE_URL the address the Web Connector machine reaches it at (HOST, firewall, proxy)',
    };
  }
}

async function checkCertificate(publicBaseUrl: string, ca: DoctorOptions['ca'], timeoutMs: number): Promise<CheckResult> {
  const check = 'certificate';
  const url = new URL(publicBaseUrl);
  if (url.protocol !== 'https:') return { check, status: 'pass', detail: `plain http is accepted by the Web Connector for ${url.hostname} only` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  try {
    const { authorized, authorizationError, validTo } = await new Promise<{ authorized: boolean; authorizationError?: string; validTo: Date }>((resolve, reject) => {
      const socket = tls.connect({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: false, ...(ca ? { ca: [...tls.rootCertificates, ca.toString()] } : {}) }, () => {
        const cert = socket.getPeerCertificate();
        const identityError = socket.authorized ? tls.checkServerIdentity(host, cert) : undefined;
        resolve({
          authorized: socket.authorized && !identityError,
          authorizationError: identityError?.message ?? (socket.authorizationError ? String(socket.authorizationError) : undefined),
          validTo: new Date(cert.valid_to),
        });
        socket.end();
      });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs} ms`)));
      socket.on('error', reject);
    });
    if (!authorized) {
      return { check, status: 'fail', detail: `${host}:${port} presents a certificate that is not trusted (${authorizationError})`, hint: 'the Web Connector only accepts a certificate Windows trusts for this name: use one from a public CA (or your domain CA on the Windows machine)' };
    }
    const days = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
    if (days < CERT_WARN_DAYS) return { check, status: 'warn', detail: `the certificate of ${host} expires in ${days} day(s) (${validTo.toISOString().slice(0, 10)})`, hint: 'renew it; the service picks up renewed files without a restart' };
    return { check, status: 'pass', detail: `trusted certificate for ${host}, valid until ${validTo.toISOString().slice(0, 10)}` };
  } catch (error) {
    return { check, status: 'fail', detail: `no TLS handshake with ${host}:${port} (${describeFetchError(error)})`, hint: 'serve HTTPS (TLS_CERT_FILE and TLS_KEY_FILE, or a proxy in front) at PUBLIC_BASE_URL' };
  }
}

async function checkCredential(em: EntityManager): Promise<CheckResult> {
  const check = 'credential';
  const credential = await em.findOne(ApiCredential, { active: true });
  return credential
    ? { check, status: 'pass', detail: `the Web Connector signs in as ${credential.userName}` }
    : { check, status: 'fail', detail: 'no Web Connector credential is set', hint: 'create it with the setCredential mutation (README: First run)' };
}

async function checkConnectors(em: EntityManager): Promise<CheckResult> {
  const check = 'connectors';
  const connectors = await em.find(Connector, {}, { orderBy: { name: 'asc' } });
  if (connectors.length === 0) return { check, status: 'fail', detail: 'no connector', hint: 'create one per QuickBooks company file (createConnector); the first is the default' };
  const registered = new Set(
    (await em.find(Registration, { revokedAt: null }, { fields: ['connector'] })).map((r) => r.connector.id),
  );
  const unregistered = connectors.filter((c) => c.enabled && !registered.has(c.id)).map((c) => c.name);
  const summary = `${connectors.length} connector(s), default ${connectors.find((c) => c.isDefault)?.name ?? 'none'}`;
  if (!connectors.some((c) => c.isDefault)) return { check, status: 'fail', detail: `${summary}`, hint: 'make one the default (setDefaultConnector)' };
  if (unregistered.length > 0) {
    return { check, status: unregistered.length === connectors.length ? 'fail' : 'warn', detail: `${summary}; without a registration: ${unregistered.join(', ')}`, hint: 'register a user on each (createRegistration) and load its QWC file into the Web Connector' };
  }
  return { check, status: 'pass', detail: `${summary}, each with a registration` };
}

async function checkAutotask(em: EntityManager, runtime: AutotaskRuntime): Promise<CheckResult> {
  const check = 'Autotask';
  const connection = await getAutotaskConnection(em);
  if (!connection) return { check, status: 'warn', detail: 'no Autotask connection: invoices come only from scripts (upsertInvoices)', hint: 'set one with setAutotaskConnection to pull invoices and write numbers back' };
  try {
    const { client } = await clientFor(em, runtime, connection);
    await client.pages('Invoices', { filter: [where.eq('id', 0)], includeFields: ['id'], maxRecords: 1 }).next();
    return { check, status: 'pass', detail: `${connection.userName} signs in to ${connection.zoneName ?? 'its zone'} and reads invoices` };
  } catch (error) {
    return { check, status: 'fail', detail: `${connection.userName} cannot read Autotask (${describeFetchError(error)})`, hint: 'check the API user, its secret and tracking identifier, and its security level (setAutotaskConnection)' };
  }
}

async function checkClock(zoneLookupUrl: string, timeoutMs: number): Promise<CheckResult> {
  const check = 'clock';
  const sentAt = Date.now();
  try {
    const response = await fetch(zoneLookupUrl, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    const receivedAt = Date.now();
    const date = response.headers.get('date');
    if (!date) return { check, status: 'warn', detail: `${new URL(zoneLookupUrl).host} sent no Date header to compare with` };
    // The server's second-resolution Date lies within the round trip; compare with its middle.
    const skew = Math.round((Date.parse(date) + 500 - (sentAt + receivedAt) / 2) / 1000);
    const detail = `this machine's clock is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} ${new URL(zoneLookupUrl).host}`;
    if (Math.abs(skew) >= CLOCK_FAIL_SECONDS) return { check, status: 'fail', detail, hint: 'synchronise the clock (NTP): incremental Autotask pulls select by modification time and would miss changes' };
    if (Math.abs(skew) >= CLOCK_WARN_SECONDS) return { check, status: 'warn', detail, hint: 'synchronise the clock (NTP)' };
    return { check, status: 'pass', detail };
  } catch (error) {
    return { check, status: 'warn', detail: `${new URL(zoneLookupUrl).host} cannot be reached to compare clocks (${describeFetchError(error)})` };
  }
}

function checkDisk(dataDir: string | undefined, limits: NonNullable<DoctorOptions['disk']>): CheckResult {
  const check = 'disk';
  if (!dataDir) return { check, status: 'pass', detail: 'the database is a PostgreSQL server (DATABASE_URL): its disk is its own' };
  const existing = existingParent(dataDir);
  const stats = fs.statfsSync(existing);
  const free = stats.bavail * stats.bsize;
  const detail = `${(free / 1024 ** 3).toFixed(1)} GiB free where ${dataDir} is`;
  if (free < limits.failBytes) return { check, status: 'fail', detail, hint: 'free space: the embedded database stops writing when the disk is full' };
  if (free < limits.warnBytes) return { check, status: 'warn', detail, hint: 'free space, or move DATA_DIR' };
  return { check, status: 'pass', detail };
}

/** The data directory, or the nearest folder above it that exists yet (before the first start). */
function existingParent(dir: string): string {
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) current = path.dirname(current);
  return current;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
