/**
 * `--invoices N`: the main run. A fresh service (first start timed; embedded: stopped and restarted, timed),
 * N 10-line invoices pushed and queued over GraphQL, then Web Connector updates by the emulator against a
 * simulated company file until nothing is left, as a scheduled QBWC would run them. Optionally a backlog of
 * queued rows on other connectors first, so the drain runs against a big ledger table.
 */
import { sampleInvoice, sampleOrganizations } from '../src/cli/demo-data.js';
import { createCompanyFile, QuickBooksSimulator } from '../src/simulator/quickbooks.js';
import { runWebConnectorUpdate, type SoapCallRecord } from '../src/simulator/web-connector/index.js';
import { BenchService, chunks } from './bench-service.js';
import { PhaseSampler, PhaseWindows, processCpuMs, processRssMb } from './process-stats.js';
import { figure, mean, type Say } from './report.js';

export interface InvoiceBenchOptions {
  readonly invoices: number;
  readonly serverUrl: string | undefined;
  /** Extra queued ledger rows (on other connectors, never drained) before the drain. */
  readonly backlog: number;
  /** Folder for the service's CPU profiles (one per start), or undefined. */
  readonly cpuProfileDir?: string;
  /**
   * Runs the service at LOG_LEVEL=trace and counts the SQL statements (and their text's size) of the drain per
   * qbXML message. Logging every statement costs CPU of its own: take the CPU figures from a run without it.
   */
  readonly sql?: boolean;
}

const INVOICES_PER_ORGANIZATION = 10;
const FIRST_ORGANIZATION = 100_000;
const FIRST_INVOICE = 500_000;
/** Updates before giving up on a ledger that does not settle (a scheduled QBWC would go on for ever). */
const MAX_UPDATES = 20;
/** Invoices of the later push (see laterUpsertMs). */
const LATER_PUSH = 1000;

export async function benchInvoices(options: InvoiceBenchOptions, say: Say): Promise<boolean> {
  const embedded = options.serverUrl === undefined;
  return BenchService.measure({ serverUrl: options.serverUrl, cpuProfileDir: options.cpuProfileDir, ...(options.sql ? { logLevel: 'trace' } : {}) }, say, async (service, check) => {
    say(`qbd-bridge bench: ${options.invoices} invoices of 10 lines, ${embedded ? 'embedded database' : `PostgreSQL server (${new URL(service.databaseUrl!).host})`}`);
    const firstStartMs = await service.start();
    let restartMs: number | undefined;
    if (embedded) {
      await service.stop();
      restartMs = await service.start();
    }
    const idleRssMb = processRssMb(service.pid);
    await service.setUp();
    const connector = await service.connector('Bench Company');

    const organizations = sampleOrganizations(Math.ceil(options.invoices / INVOICES_PER_ORGANIZATION), FIRST_ORGANIZATION);
    for (const batch of chunks(organizations)) {
      await service.gql('mutation($input: UpsertOrganizationsInput!) { upsertOrganizations(input: $input) { created } }', { input: { organizations: batch } });
    }
    const invoices = Array.from({ length: options.invoices }, (_, i) =>
      sampleInvoice(FIRST_INVOICE + i, organizations[Math.floor(i / INVOICES_PER_ORGANIZATION)]!.autotaskId, i));

    const rssBeforeMb = processRssMb(service.pid);
    const cpuBefore = processCpuMs(service.pid);
    const pushSampler = await PhaseSampler.start(service.pid, service.databaseUrl);
    const windows = new PhaseWindows();
    windows.begin('upsert');
    const push = async (pushed: typeof invoices): Promise<{ ms: number; ids: string[] }> => {
      let ms = 0;
      const ids: string[] = [];
      for (const batch of chunks(pushed)) {
        const startedAt = performance.now();
        const { upsertInvoices } = await service.gql<{ upsertInvoices: { invoices: Array<{ id: string }> } }>(
          'mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { invoices { id } } }', { input: { invoices: batch } });
        ms += performance.now() - startedAt;
        ids.push(...upsertInvoices.invoices.map((i) => i.id));
      }
      return { ms, ids };
    };
    const { ms: upsertMs, ids: invoiceIds } = await push(invoices);
    const queue = async (connectorId: string | null): Promise<number> => {
      let ms = 0;
      for (const batch of chunks(invoiceIds)) {
        const startedAt = performance.now();
        await service.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }',
          { input: { entityType: 'INVOICE', entityIds: batch, connectorId } });
        ms += performance.now() - startedAt;
      }
      return ms;
    };
    windows.begin('queue');
    const queueMs = await queue(connector.id);
    windows.end();
    const rssQueuedMb = processRssMb(service.pid);
    const cpuQueued = processCpuMs(service.pid);
    let sampler = pushSampler;
    let pushPhase: Awaited<ReturnType<PhaseSampler['stop']>> | undefined;

    // Backlog: the same invoices (and their organizations) queued to other connectors, never drained. What the
    // service keeps in memory for a queue that size is its RSS idle after a restart with it, against the same
    // with only the bench's invoices queued (right after a push, RSS holds the push's garbage, whatever the queue).
    let backlogRows = 0;
    let rssIdleQueuedMb: number | undefined;
    let rssIdleBacklogMb: number | undefined;
    let rssBacklogMb: number | undefined;
    /** The last backlog connector's queueTransfers: the same batches, against a ledger grown by the rest of the backlog. */
    let backlogLastQueueMs: number | undefined;
    if (options.backlog > 0) {
      pushPhase = await pushSampler.stop();
      await service.stop();
      await service.start();
      rssIdleQueuedMb = processRssMb(service.pid);
      const perConnector = invoiceIds.length + organizations.length;
      for (let n = 0; backlogRows < options.backlog; n++) {
        backlogLastQueueMs = await queue((await service.connector(`Backlog ${n + 1}`)).id);
        backlogRows += perConnector;
      }
      rssBacklogMb = processRssMb(service.pid);
      await service.stop();
      await service.start();
      rssIdleBacklogMb = processRssMb(service.pid);
      sampler = await PhaseSampler.start(service.pid, service.databaseUrl);
    }
    const cpuDrainStart = processCpuMs(service.pid);

    const quickbooks = new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard', companyName: 'Bench Company' }) });
    const calls: SoapCallRecord[] = [];
    const requestsPerMessage: number[] = [];
    const logBeforeDrain = service.output().length;
    const drainStartedAt = performance.now();
    windows.begin('drain');
    const benchCpuBefore = process.cpuUsage();
    let updates = 0;
    for (; updates < MAX_UPDATES; updates++) {
      const result = await runWebConnectorUpdate({ qwcXml: connector.qwc, password: service.password, quickbooks, noOpPauseMs: 0, maxCalls: 1_000_000 });
      calls.push(...result.calls);
      for (const request of result.requests) requestsPerMessage.push(request.match(/requestID="/g)?.length ?? 0);
      if (result.outcome === 'no-work') break;
      if (result.outcome !== 'completed') throw new Error(`a Web Connector update ended ${result.outcome}: ${result.lastError ?? ''}`);
    }
    const drainMs = performance.now() - drainStartedAt;
    windows.end();
    if (options.cpuProfileDir) windows.write(options.cpuProfileDir);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const drainStatements = options.sql ? await statementsSince(service, logBeforeDrain) : undefined;
    const cpuAfter = processCpuMs(service.pid);
    const drainPhase = await sampler.stop();
    // With a backlog the push and the drain ran in two service processes, sampled apart.
    const phase = pushPhase
      ? {
          peakRssMb: Math.max(pushPhase.peakRssMb, drainPhase.peakRssMb),
          databaseCpuMs: pushPhase.databaseCpuMs === undefined || drainPhase.databaseCpuMs === undefined ? undefined : pushPhase.databaseCpuMs + drainPhase.databaseCpuMs,
        }
      : drainPhase;
    const rssAfterMb = processRssMb(service.pid);

    const { transferItems } = await service.gql<{ transferItems: { totalCount: number } }>(
      'query($filter: TransferItemFilter) { transferItems(first: 1, filter: $filter) { totalCount } }',
      { filter: { connectorId: connector.id, entityType: 'INVOICE', state: 'SUCCEEDED' } });
    const landed = quickbooks.company.invoices.length;
    const duplicates = landed - new Set(quickbooks.company.invoices.map((i) => i.refNumber)).size;

    // 1000 more invoices (never queued) pushed by the process now warm, after every other figure is taken: the
    // first push after a start also pays for compiling its code paths (V8's JIT of the service's JavaScript and,
    // embedded, of PGlite's WebAssembly), which every later push finds done.
    const laterPush = Array.from({ length: LATER_PUSH }, (_, i) =>
      sampleInvoice(FIRST_INVOICE + options.invoices + i, organizations[i % organizations.length]!.autotaskId, i));
    const laterUpsertMs = (await push(laterPush)).ms;

    const n = options.invoices;
    const cpu = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : (to - from) / n);
    // The backlog's own queueing is not the bench's invoices' cost (and ran in another process).
    const pushCpu = cpu(cpuBefore, cpuQueued);
    const drainCpu = cpu(cpuDrainStart, cpuAfter);
    const perThousand = (ms: number) => (ms * 1000) / n / 1000;
    // The drain's messages: each exchange is sendRequestXML + receiveResponseXML of one qbXML message.
    const exchanges = messageCosts(calls);
    const tenth = Math.max(1, Math.floor(exchanges.length / 10));

    say();
    say('Start');
    check(figure(say, embedded ? 'first start to healthy (new data dir)' : 'start to healthy', firstStartMs / 1000, 's', embedded ? { op: '<=', value: 5 } : undefined));
    if (restartMs !== undefined) check(figure(say, 'restart to healthy (existing data dir)', restartMs / 1000, 's', { op: '<=', value: 2 }));
    check(figure(say, 'RSS idle', idleRssMb, 'MB', { op: '<=', value: 250 }));
    say('Push and queue');
    check(figure(say, 'upsertInvoices per 1000 10-line invoices', perThousand(upsertMs) , 's', { op: '<=', value: 1 }));
    check(figure(say, `upsertInvoices of ${LATER_PUSH} more, after the drain`, laterUpsertMs / 1000, 's', { op: '<=', value: LATER_PUSH / 1000 }));
    check(figure(say, 'queueTransfers per 1000 invoices', perThousand(queueMs), 's', { op: '<=', value: 0.5 }));
    figure(say, `RSS with ${n} invoices queued`, rssQueuedMb, 'MB');
    if (rssIdleQueuedMb !== undefined && rssIdleBacklogMb !== undefined) {
      check(figure(say, `queueTransfers per 1000, the last of the backlog (ledger near ${backlogRows} rows)`, perThousand(backlogLastQueueMs!), 's', { op: '<=', value: 0.5 }));
      figure(say, `RSS right after queueing ${backlogRows} more`, rssBacklogMb, 'MB');
      figure(say, `RSS idle after a restart, ${n} queued`, rssIdleQueuedMb, 'MB');
      figure(say, `RSS idle after a restart, ${n + backlogRows} queued`, rssIdleBacklogMb, 'MB');
      check(figure(say, `RSS growth for the backlog`, rssIdleBacklogMb - rssIdleQueuedMb, 'MB', { op: '<=', value: 50 }));
    }
    say('Drain through the Web Connector emulator');
    figure(say, 'Web Connector updates', updates + 1, '');
    figure(say, 'drain time', drainMs / 1000, 's');
    check(figure(say, 'invoices/s', n / (drainMs / 1000), '/s', embedded ? undefined : { op: '>=', value: 10_000 / 60 }));
    figure(say, 'SOAP round trips', calls.length, '');
    // The drain is one session's calls one after the other: its time is the service's answers plus what the
    // Web Connector and QuickBooks (here the emulator and the simulated company file, in this process) take between them.
    const inCalls = calls.reduce((sum, c) => sum + c.durationMs, 0);
    figure(say, 'time in SOAP calls (the service answering)', inCalls / 1000, 's');
    figure(say, 'time between calls (emulator, simulated QuickBooks)', (drainMs - inCalls) / 1000, 's');
    figure(say, 'bench CPU in the drain (emulator, simulated QuickBooks)', (benchCpu.user + benchCpu.system) / 1000 / 1000, 's');
    const byOperation = new Map<string, number>();
    for (const c of calls) byOperation.set(c.operation, (byOperation.get(c.operation) ?? 0) + 1);
    say(`  calls by method: ${[...byOperation].map(([op, count]) => `${op} ${count}`).join(', ')}`);
    figure(say, 'qbXML messages', requestsPerMessage.length, '');
    figure(say, 'requests per message (mean)', mean(requestsPerMessage), '');
    figure(say, 'per message, first tenth (send+receive)', mean(exchanges.slice(0, tenth)), 'ms');
    figure(say, 'per message, last tenth (send+receive)', mean(exchanges.slice(-tenth)), 'ms');
    if (drainStatements) {
      figure(say, 'SQL statements per message (drain)', drainStatements.count / requestsPerMessage.length, '');
      figure(say, 'SQL text per message (drain)', drainStatements.bytes / requestsPerMessage.length / 1024, 'KB');
    }
    say('Server CPU');
    check(figure(say, 'service CPU per invoice, end to end', pushCpu === undefined || drainCpu === undefined ? undefined : pushCpu + drainCpu, 'ms', { op: '<=', value: embedded ? 10 : 5 }));
    figure(say, 'service CPU per invoice, upsert + queue', pushCpu, 'ms');
    figure(say, 'service CPU per invoice, drain', drainCpu, 'ms');
    if (!embedded) figure(say, 'PostgreSQL backends CPU per invoice', phase.databaseCpuMs === undefined ? undefined : phase.databaseCpuMs / n, 'ms');
    say('Memory');
    figure(say, 'RSS before push', rssBeforeMb, 'MB');
    figure(say, 'RSS peak (push, queue, drain)', phase.peakRssMb, 'MB');
    figure(say, 'RSS after drain', rssAfterMb, 'MB');
    say('Outcome');
    check(figure(say, 'invoices SUCCEEDED in the ledger', transferItems.totalCount, '', { op: '>=', value: n }));
    check(figure(say, 'invoices in the company file', landed, '', { op: '>=', value: n }));
    check(figure(say, 'duplicates in the company file', duplicates, '', { op: '<=', value: 0 }));
    // What Prometheus would see of the same run: the ledger's steps into SUCCEEDED since the (re)start.
    const succeededSteps = /^qbd_bridge_transfer_steps_total\{entity_type="INVOICE",state="SUCCEEDED"\} (\d+)$/m.exec(await service.metrics())?.[1];
    check(figure(say, 'metrics: INVOICE steps into SUCCEEDED', succeededSteps === undefined ? undefined : Number(succeededSteps), '', { op: '>=', value: n }));
  });
}

/**
 * The SQL statements the service logged (LOG_LEVEL=trace) after `from` characters of its output, and their
 * text's size. The log comes through a pipe: waits until it has been quiet for a moment.
 */
export async function statementsSince(service: BenchService, from: number): Promise<{ count: number; bytes: number; lists: number }> {
  for (let length = -1; length !== service.output().length; ) {
    length = service.output().length;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  let count = 0;
  let bytes = 0;
  let lists = 0;
  if (process.env.BENCH_SQL_DUMP) (await import('node:fs')).writeFileSync(process.env.BENCH_SQL_DUMP, service.output().slice(from));
  for (const line of service.output().slice(from).split('\n')) {
    if (!line.includes('"msg":"sql"') || !line.includes('[query]')) continue;
    count++;
    bytes += line.length;
    // The list sync's share (its tables, or the company binding; the paid-status check reads the binding with its own state).
    if (line.includes('quickbooks_list') || (line.includes('first_contact_at') && !line.includes('paid_status_sync'))) lists++;
  }
  return { count, bytes, lists };
}

/** ms of each message exchange: a sendRequestXML that carried a message plus the receiveResponseXML after it. */
function messageCosts(calls: readonly SoapCallRecord[]): number[] {
  const costs: number[] = [];
  for (let i = 0; i + 1 < calls.length; i++) {
    const [send, receive] = [calls[i]!, calls[i + 1]!];
    if (send.operation === 'sendRequestXML' && receive.operation === 'receiveResponseXML') costs.push(send.durationMs + receive.durationMs);
  }
  return costs;
}
