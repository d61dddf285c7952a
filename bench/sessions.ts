/**
 * `--sessions K`: K company files at once. K connectors, each with one organization and one 10-line invoice
 * routed to it, then K Web Connector emulators started together, each on its own simulated company file.
 * Figures: per-call latency (p50/p95/p99) of the sessions let in, failures, and how long company files waited for
 * their invoice. A `busy` answer is no failure: the service turns new sessions away when too many calls wait for
 * the database, and QBWC comes back at the hint, as the bench does (with the shortest hint the service allows);
 * an `error`, an aborted run or a failed call is one.
 */
import { sampleInvoice, sampleOrganizations } from '../src/cli/demo-data.js';
import { createCompanyFile, QuickBooksSimulator } from '../src/simulator/quickbooks.js';
import { runWebConnectorUpdate, type WebConnectorRunResult } from '../src/simulator/web-connector/index.js';
import { BenchService, chunks } from './bench-service.js';
import { statementsSince } from './invoices.js';
import { PhaseSampler, processCpuMs } from './process-stats.js';
import { figure, percentile, type Say } from './report.js';

export interface SessionBenchOptions {
  readonly sessions: number;
  readonly serverUrl: string | undefined;
  readonly cpuProfileDir?: string;
  /** The service at LOG_LEVEL=trace: its SQL statements per session counted (costs CPU: not with the CPU figures). */
  readonly sql?: boolean;
}

const FIRST_ORGANIZATION = 200_000;
const FIRST_INVOICE = 700_000;
/** QBWC_BUSY_RETRY_SECONDS for the run: the shortest hint the service takes (a real Web Connector waits it). */
const BUSY_RETRY_SECONDS = 5;
/** A company file still turned away after this long counts as failed. */
const GIVE_UP_MS = 15 * 60_000;

export async function benchSessions(options: SessionBenchOptions, say: Say): Promise<boolean> {
  return BenchService.measure({ serverUrl: options.serverUrl, cpuProfileDir: options.cpuProfileDir, env: { QBWC_BUSY_RETRY_SECONDS: String(BUSY_RETRY_SECONDS) }, ...(options.sql ? { logLevel: 'trace' } : {}) }, say, async (service, check) => {
    say(`qbd-bridge bench: ${options.sessions} concurrent Web Connector sessions, ${options.serverUrl ? 'PostgreSQL server' : 'embedded database'}`);
    await service.start();
    await service.setUp();
    const connectors: Array<{ id: string; qwc: string }> = [];
    for (let i = 0; i < options.sessions; i++) connectors.push(await service.connector(`Company ${i + 1}`));
    const organizations = sampleOrganizations(options.sessions, FIRST_ORGANIZATION);
    for (const batch of chunks(organizations)) {
      await service.gql('mutation($input: UpsertOrganizationsInput!) { upsertOrganizations(input: $input) { created } }', { input: { organizations: batch } });
    }
    const routes = organizations.map((o, i) => ({ subject: 'ORGANIZATION', autotaskId: o.autotaskId, connectorId: connectors[i]!.id }));
    for (const batch of chunks(routes)) await service.gql('mutation($input: SetRoutesInput!) { setRoutes(input: $input) { id } }', { input: { routes: batch } });
    const invoices = organizations.map((o, i) => sampleInvoice(FIRST_INVOICE + i, o.autotaskId, i));
    const ids: string[] = [];
    for (const batch of chunks(invoices)) {
      const { upsertInvoices } = await service.gql<{ upsertInvoices: { invoices: Array<{ id: string }> } }>(
        'mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { invoices { id } } }', { input: { invoices: batch } });
      ids.push(...upsertInvoices.invoices.map((i) => i.id));
    }
    for (const batch of chunks(ids)) {
      await service.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: batch } });
    }

    const sampler = await PhaseSampler.start(service.pid, service.databaseUrl);
    const serviceCpuBefore = processCpuMs(service.pid);
    const benchCpuBefore = process.cpuUsage();
    const logBeforeSessions = service.output().length;
    const startedAt = performance.now();
    const runs = await Promise.all(connectors.map((connector, i) => runUntilDone(connector.qwc, service.password, `Company ${i + 1}`, startedAt)));
    const wallMs = performance.now() - startedAt;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const serviceCpuAfter = processCpuMs(service.pid);
    const phase = await sampler.stop();
    // Latency of the sessions let in; a turned-away attempt's calls (serverVersion, clientVersion, a busy
    // authenticate) are counted apart.
    const admitted = runs.flatMap((r) => r.results.filter((result) => result.outcome !== 'busy'));
    const durations = admitted.flatMap((result) => result.calls.map((c) => c.durationMs));
    const refusedCalls = runs.reduce((sum, r) => sum + r.results.filter((result) => result.outcome === 'busy').reduce((s, result) => s + result.calls.length, 0), 0);
    const failedCalls = runs.reduce((sum, r) => sum + r.results.reduce((s, result) => s + result.calls.filter((c) => c.error).length, 0), 0);
    const failedRuns = runs.filter((r) => !r.completed);
    const landed = runs.filter((r) => r.invoices === 1).length;
    const statements = options.sql ? await statementsSince(service, logBeforeSessions) : undefined;

    say();
    figure(say, 'wall time, all sessions', wallMs / 1000, 's');
    figure(say, 'SOAP calls of the sessions let in', durations.length, '');
    figure(say, 'SOAP calls of attempts turned away (busy)', refusedCalls, '');
    const perCall = (ms: number | undefined) => (ms === undefined || durations.length === 0 ? undefined : ms / durations.length);
    figure(say, 'service CPU per SOAP call', perCall(serviceCpuAfter === undefined || serviceCpuBefore === undefined ? undefined : serviceCpuAfter - serviceCpuBefore), 'ms');
    if (options.serverUrl) figure(say, 'PostgreSQL backends CPU per SOAP call', perCall(phase.databaseCpuMs), 'ms');
    // The emulators and simulated company files run in this process, on the same cores as the service.
    figure(say, 'bench CPU per SOAP call (emulators)', perCall((benchCpu.user + benchCpu.system) / 1000), 'ms');
    if (statements) {
      // Per company file: its first session, the update that finds nothing left, and any busy attempts.
      figure(say, 'SQL statements per company file', statements.count / options.sessions, '');
      figure(say, '  of them the list sync\'s (quickbooks_list*, company binding)', statements.lists / options.sessions, '');
    }
    figure(say, 'busy answers (retried at the hint)', runs.reduce((s, r) => s + r.busy, 0), '');
    const doneAtSeconds = runs.map((r) => r.doneAtMs / 1000);
    figure(say, 'company file done after, p50', percentile(doneAtSeconds, 50), 's');
    figure(say, 'company file done after, p99', percentile(doneAtSeconds, 99), 's');
    figure(say, 'per call p50', percentile(durations, 50), 'ms');
    figure(say, 'per call p95', percentile(durations, 95), 'ms');
    check(figure(say, 'per call p99 (quiet machine)', percentile(durations, 99), 'ms', { op: '<=', value: 2000 }));
    // Which calls make the tail: the same percentiles per Web Connector method.
    const byOperation = new Map<string, number[]>();
    for (const call of admitted.flatMap((result) => result.calls)) {
      const list = byOperation.get(call.operation) ?? [];
      list.push(call.durationMs);
      byOperation.set(call.operation, list);
    }
    for (const [operation, list] of byOperation) {
      say(`  ${operation}: ${list.length} calls, p50 ${percentile(list, 50)?.toFixed(0)} ms, p99 ${percentile(list, 99)?.toFixed(0)} ms`);
    }
    check(figure(say, 'failed sessions', failedRuns.length, '', { op: '<=', value: 0 }));
    check(figure(say, 'failed SOAP calls', failedCalls, '', { op: '<=', value: 0 }));
    check(figure(say, 'company files with their one invoice', landed, '', { op: '>=', value: options.sessions }));
    for (const run of failedRuns.slice(0, 5)) say(`  failed: ${run.name}: ${run.results.at(-1)?.outcome} ${run.results.at(-1)?.lastError ?? ''}`);
  });
}

interface SessionRun {
  readonly name: string;
  readonly results: WebConnectorRunResult[];
  readonly completed: boolean;
  readonly busy: number;
  readonly invoices: number;
  /** ms from the start of all sessions until this file's work was done (or given up). */
  readonly doneAtMs: number;
}

/** Updates of one company file until its work is done (a `busy` answer is retried, as QBWC does at the hint). */
async function runUntilDone(qwcXml: string, password: string, name: string, startedAt: number): Promise<SessionRun> {
  const quickbooks = new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard', companyName: name }) });
  const results: WebConnectorRunResult[] = [];
  let busy = 0;
  for (;;) {
    const result = await runWebConnectorUpdate({ qwcXml, password, quickbooks, noOpPauseMs: 0 });
    results.push(result);
    if (result.outcome === 'busy' && performance.now() - startedAt < GIVE_UP_MS) {
      busy++;
      const hint = result.calls.find((c) => c.operation === 'authenticate')?.result;
      const seconds = Array.isArray(hint) && Number(hint[2]) > 0 ? Number(hint[2]) : BUSY_RETRY_SECONDS;
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    // One update sends everything; a second one must find nothing left.
    if (result.outcome === 'completed' && results.filter((r) => r.outcome === 'completed').length < 2) continue;
    const completed = result.outcome === 'no-work' || result.outcome === 'completed';
    return { name, results, completed, busy, invoices: quickbooks.company.invoices.length, doneAtMs: performance.now() - startedAt };
  }
}
