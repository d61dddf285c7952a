/**
 * One soak: the built service behind a fault proxy per company file, three connectors each with its own
 * simulated company file, a stream of Autotask data queued while the three files' Web Connector loops run at
 * once, each update of a loop carrying the next fault the seeded schedule dealt it — until every fault has
 * been injected (one that found nothing to hit is tried again on the next update), then clean updates until
 * the ledger settles, then the checker. README.md in bench/ describes it.
 */
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { runWebConnectorUpdate, type WebConnectorFaults, type WebConnectorRunResult } from '../../src/simulator/web-connector/index.js';
import { runOnServer } from '../../test/helpers/server-database.js';
import { BenchService } from '../bench-service.js';
import { check, readLedger, type Verdict } from './checker.js';
import { FaultProxy, type ProxyBreak } from './fault-proxy.js';
import { FAULT_KINDS, faultSchedule, type Fault, type FaultKind } from './schedule.js';
import { Workload } from './workload.js';

export interface SoakOptions {
  readonly faults: number;
  readonly seed: number;
  /** A PostgreSQL server (a database is created on it for the run), or undefined for the embedded database. */
  readonly serverUrl: string | undefined;
  readonly say: (line?: string) => void;
  /** Print each update's outcome and fault. */
  readonly verbose?: boolean;
}

export interface SoakResult {
  readonly verdict: Verdict;
  readonly faultsByKind: Readonly<Record<FaultKind, number>>;
  readonly sessions: number;
  readonly messages: number;
  readonly summary: string;
}

const FILES = 3;
const ORGANIZATIONS_PER_WAVE = 6;
/** Few requests per message: more messages per update, so more places inside an update for a fault to hit. */
const REQUESTS_PER_MESSAGE = '5';
/** Clean updates of a file that found work, after the last fault, before what is still open counts as stuck. */
const MAX_SETTLING_UPDATES = 40;
/** Between two starts of a killed service that found its data directory still locked (systemd's RestartSec). */
const RESTART_PAUSE_MS = 2000;
/** A progress line every this many faults (a long soak says how far it is). */
const PROGRESS_EVERY = 25;
/**
 * Nothing happened for this long (no update ended, no wave, no restart): the soak itself is stuck, and says
 * where each file's loop waits. Longer than anything a healthy soak waits for: a call's timeout (120 s) and a
 * killed service's restart.
 */
const STALL_MS = 300_000;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { say } = options;
  const onServer = options.serverUrl !== undefined;
  const schedule = faultSchedule(options.seed, options.faults, FILES, onServer);
  const service = await BenchService.create({
    serverUrl: options.serverUrl,
    env: { QBWC_MAX_REQUESTS_PER_MESSAGE: REQUESTS_PER_MESSAGE },
  });
  const proxies: FaultProxy[] = [];
  try {
    await service.start();
    await service.setUp();
    const connectors = [];
    for (let i = 0; i < FILES; i++) connectors.push(await service.connector(`Soak Company ${i + 1}`));
    // Credit memos create no items: the work type the credits name is mapped (invoices create theirs as needed).
    for (const connector of connectors) {
      await service.gql('mutation($input: UpsertMappingsInput!) { upsertMappings(input: $input) { id } }', {
        input: { connectorId: connector.id, mappings: [{ sourceKind: 'WORK_TYPE', sourceId: '29682801', sourceName: 'Remote Support', target: { fullName: 'Remote Support' }, itemType: 'SERVICE' }] },
      });
    }
    for (let i = 0; i < FILES; i++) proxies.push(await FaultProxy.start(service.harness.url));
    // Each file's Web Connector reaches the service through its own proxy.
    const qwcs = connectors.map((c, i) => c.qwc.replaceAll(service.harness.url, proxies[i]!.url));
    const files = connectors.map((_, i) => new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard', companyName: `Soak Company ${i + 1}` }) }));
    const workload = new Workload(service.gql, connectors.map((c) => c.id), options.seed, ORGANIZATIONS_PER_WAVE);
    const soak = new Soak(service, workload, files, qwcs, proxies, schedule, options);
    await soak.run();
    const verdict = await check(service.gql, workload, connectors.map((c) => c.id), files);
    const summary = soak.summary(verdict);
    return { verdict, faultsByKind: soak.fired, sessions: soak.sessions, messages: soak.messages, summary };
  } catch (error) {
    say(service.output().split('\n').slice(-30).join('\n'));
    throw error;
  } finally {
    await Promise.all(proxies.map((p) => p.close()));
    await service.close();
  }
}

/** What one update of a file carries: the Web Connector's faults, the proxy's, and how to tell the fault came. */
interface UpdatePlan {
  readonly faults?: WebConnectorFaults;
  readonly proxy?: ProxyBreak;
  readonly proxyAt?: number;
  readonly fired: (result: WebConnectorRunResult) => boolean;
}

class Soak {
  readonly fired = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  sessions = 0;
  messages = 0;
  private remaining: number;
  /** Resolves while the service is up; replaced by the restart while a killed service comes back. */
  private serviceUp: Promise<void> = Promise.resolve();
  private restarting = false;
  private restarts = 0;
  private readonly waiters = new Set<() => void>();
  private idleFiles = new Set<number>();
  /** Where each file's loop is, for the stall report. */
  private readonly waitingFor: string[];
  private lastProgress = Date.now();

  constructor(
    private readonly service: BenchService,
    private readonly workload: Workload,
    private readonly files: readonly QuickBooksSimulator[],
    private readonly qwcs: readonly string[],
    private readonly proxies: readonly FaultProxy[],
    private readonly schedule: readonly Fault[][],
    private readonly options: SoakOptions,
  ) {
    this.remaining = schedule.reduce((sum, faults) => sum + faults.length, 0);
    this.waitingFor = schedule.map(() => 'starting');
  }

  async run(): Promise<void> {
    await this.pushWave();
    // Each file's first update is clean: the service learns which company file is the connector's (a wrong
    // file at the very first connection cannot be told from the right one, by QBWC or anyone).
    await Promise.all(this.files.map((_, i) => this.update(i, { fired: () => false })));
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      watchdog = setInterval(() => {
        if (Date.now() - this.lastProgress < STALL_MS) return;
        const files = this.waitingFor.map((w, i) => `file ${i + 1}: ${w}`).join('; ');
        reject(new Error(`the soak made no progress for ${STALL_MS / 1000} s with ${this.remaining} faults left (${files}); replay with --seed ${this.options.seed} --verbose`));
      }, 5_000);
    });
    try {
      await Promise.race([Promise.all([this.produce(), ...this.files.map((_, i) => this.drive(i))]), stalled]);
    } finally {
      clearInterval(watchdog);
    }
  }

  summary(verdict: Verdict): string {
    const kinds = FAULT_KINDS.filter((k) => this.fired[k] > 0).map((k) => `${k} ${this.fired[k]}`).join(', ');
    const injected = Object.values(this.fired).reduce((a, b) => a + b, 0);
    return `soak seed=${this.options.seed} db=${this.options.serverUrl ? 'postgres' : 'embedded'} faults=${injected} (${kinds}) restarts=${this.restarts} sessions=${this.sessions} ` +
      `messages=${this.messages} waves=${this.workload.waves} entities=${verdict.entities} failed=${verdict.failed} duplicates=${verdict.duplicates} lost=${verdict.lost} stuck=${verdict.stuck} violations=${verdict.violations.length}`;
  }

  /** Pushes a new wave of data whenever a file found nothing to do while faults are still to be injected. */
  private async produce(): Promise<void> {
    while (this.remaining > 0) {
      await this.until(() => this.remaining === 0 || this.idleFiles.size > 0);
      if (this.remaining === 0) return;
      this.idleFiles.clear();
      await this.pushWave();
      this.changed();
    }
  }

  /**
   * One wave, pushed again when the service was killed or lost its database under the push (the pushes are
   * upserts by Autotask id, so a second push of the same wave changes nothing).
   */
  private async pushWave(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.serviceUp;
      try {
        return await this.workload.wave();
      } catch (error) {
        if (attempt >= 5) throw error;
        await this.until(() => !this.restarting);
      }
    }
  }

  /** One file's Web Connector: its faults, one per update, then clean updates until its ledger settles. */
  private async drive(file: number): Promise<void> {
    const faults = [...this.schedule[file]!];
    let current: Fault | undefined;
    let misses = 0;
    let settling = 0;
    for (;;) {
      if (!current && faults.length > 0) {
        current = faults.shift();
        misses = 0;
      }
      const result = await this.update(file, current ? this.plan(file, current, misses) : { fired: () => false }, current);
      if (current && result.fired) {
        this.fired[current.kind]++;
        this.remaining--;
        current = undefined;
        this.changed();
        const injected = this.options.faults - this.remaining;
        if (injected % PROGRESS_EVERY === 0) this.options.say(`  ${injected}/${this.options.faults} faults, ${this.sessions} sessions, ${this.workload.waves} waves, ${this.restarts} restarts`);
      } else if (current) {
        misses++;
      }
      const idle = result.outcome === 'no-work';
      // A fault just fired is not the file's last unless its list is empty: an idle update then needs the next
      // wave like a missed fault does (waiting as a finished file would, with the others finished, waits for ever).
      if (current || faults.length > 0) {
        if (!idle) continue;
        // Nothing for this fault to hit: ask for the next wave of data and wait for it.
        const waves = this.workload.waves;
        this.idleFiles.add(file);
        this.changed();
        this.waitingFor[file] = `wave ${waves + 1} for ${current?.kind ?? faults[0]!.kind}, ${faults.length} faults queued`;
        await this.until(() => this.workload.waves > waves);
      } else if (this.remaining > 0) {
        // This file's faults are done, the others' are not: its Web Connector keeps running on schedule.
        const waves = this.workload.waves;
        this.waitingFor[file] = `faults done, wave ${waves + 1} or the others' faults`;
        if (idle) await this.until(() => this.remaining === 0 || this.workload.waves > waves);
      } else if (idle || ++settling > MAX_SETTLING_UPDATES) {
        // Settled (authenticate found no work), or what is still open is stuck: the checker says so.
        return;
      }
    }
  }

  private async update(file: number, plan: UpdatePlan, fault?: Fault): Promise<{ outcome: string; fired: boolean }> {
    for (;;) {
      this.waitingFor[file] = `the service (up, or restarting) for ${fault?.kind ?? 'a clean update'}`;
      await this.serviceUp;
      this.waitingFor[file] = `an update with ${fault?.kind ?? 'no fault'}`;
      this.proxies[file]!.arm(plan.proxy, plan.proxyAt);
      const result = await runWebConnectorUpdate({
        qwcXml: this.qwcs[file]!, password: this.service.password, quickbooks: this.files[file]!, faults: plan.faults,
        noOpPauseMs: 0, timeoutMs: 120_000, maxCalls: 100_000,
      });
      const fired = plan.fired(result);
      this.proxies[file]!.arm(undefined);
      this.sessions++;
      this.messages += result.requests.length;
      this.lastProgress = Date.now();
      if (this.options.verbose) this.options.say(`  file ${file + 1}: ${fault ? `${fault.kind}${fired ? '' : ' (missed)'}` : 'clean'} → ${result.outcome}${result.lastError ? `: ${result.lastError.slice(0, 120)}` : ''}`);
      // QBWC retries a busy answer at the hint (QBWC_BUSY_RETRY_SECONDS); a second keeps the soak short, as in the bench.
      if (result.outcome === 'busy') {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (!fired) continue;
      }
      return { outcome: result.outcome, fired };
    }
  }

  /** The faults of one update; a fault that missed before is aimed at the first message or call. */
  private plan(file: number, fault: Fault, misses: number): UpdatePlan {
    const at = misses > 0 ? 1 : fault.at;
    let hit = false;
    const once = (index: number) => (!hit && index === at ? (hit = true) : false);
    const proxyFired = () => this.proxies[file]!.fired();
    const connected = (r: WebConnectorRunResult) => r.calls.some((c) => c.operation === 'sendRequestXML' || c.operation === 'connectionError');
    switch (fault.kind) {
      case 'lost-response':
        return { faults: { loseResponseAfterProcessing: once }, fired: () => hit };
      case 'modal-dialog':
        return { faults: { modalDialog: once }, fired: () => hit };
      case 'quickbooks-not-running':
        return { faults: { quickBooksNotRunning: true }, fired: connected };
      case 'wrong-company-file':
        return { faults: { differentCompanyFile: this.files[(file + 1 + (fault.pick % (FILES - 1))) % FILES]! }, fired: connected };
      case 'http-500':
      case 'connection-reset':
        return { proxy: { kind: fault.kind, afterService: fault.afterService }, proxyAt: at + 1, fired: proxyFired };
      case 'slow-answer':
        return { proxy: { kind: 'slow-answer', delayMs: 1000 + (fault.pick % 3000) }, proxyAt: at, fired: proxyFired };
      case 'service-killed':
        return { proxy: { kind: 'in-flight', during: () => this.killService(fault.pick % 40), cutsConnection: true }, proxyAt: at + 1, fired: proxyFired };
      case 'database-restarted':
        return { proxy: { kind: 'in-flight', during: () => this.cutDatabase(fault.pick % 40), cutsConnection: false }, proxyAt: at + 1, fired: proxyFired };
      case 'user-edit': {
        const edited = userEdit(this.files[file]!, fault.pick);
        return { fired: () => edited };
      }
      case 'stale-edit-sequence': {
        const saved = userSavesCustomers(this.files[file]!, fault.pick);
        return { fired: () => saved };
      }
    }
  }

  /** SIGKILL while a call is in flight (after `delayMs`), then a restart the other files' loops wait for. */
  private async killService(delayMs: number): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const killed = this.service.kill();
    this.serviceUp = killed.then(async () => {
      await this.startAgain();
      this.restarts++;
      this.restarting = false;
      this.changed();
    });
    await killed;
  }

  /**
   * Starts the killed service again as a service manager would (systemd's Restart=on-failure): on the embedded
   * database the data directory's lock of the killed process holds until it goes stale (15 s, src/db/data-dir-lock.ts),
   * and a start before that exits with DATA_DIR_LOCKED, so it is started again after a pause like RestartSec.
   */
  private async startAgain(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.service.start();
        return;
      } catch (error) {
        if (attempt >= 30 || !this.service.output().includes('DATA_DIR_LOCKED')) throw error;
        await new Promise((resolve) => setTimeout(resolve, RESTART_PAUSE_MS));
      }
    }
  }

  /** The PostgreSQL server drops the service's connections (what a database restart does to it) while a call is in flight. */
  private async cutDatabase(delayMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const url = new URL(this.service.databaseUrl!);
    const database = url.pathname.slice(1);
    url.pathname = '/postgres';
    await runOnServer(url.toString(), `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${database}' and pid <> pg_backend_pid()`);
  }

  /** Resolves once `condition` holds; re-checked whenever the soak's state changes. */
  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = () => {
        if (!condition()) return;
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  private changed(): void {
    this.lastProgress = Date.now();
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * A user edits what they see on a few of the file's transactions between two updates: the memo, the Other field
 * (cleared, or another transaction's stamp typed in) and the PO number. QuickBooks changes the EditSequence.
 */
function userEdit(qb: QuickBooksSimulator, pick: number): boolean {
  const transactions = [...qb.company.invoices, ...qb.company.creditMemos];
  if (transactions.length === 0) return false;
  for (let n = 0; n < 3; n++) {
    const txn = transactions[(pick + n * 7919) % transactions.length]!;
    txn.fields.Memo = `Called the customer (${pick})`;
    if (n % 2 === 0) delete txn.fields.Other;
    else txn.fields.Other = String(transactions[(pick + 1) % transactions.length]!.fields.Other ?? 'AT:1');
    if ('PONumber' in txn.fields) txn.fields.PONumber = `PO-EDITED-${pick}`;
    touch(txn);
  }
  return true;
}

/** A user opens and saves a few customers: the EditSequence the service holds for them is stale now. */
function userSavesCustomers(qb: QuickBooksSimulator, pick: number): boolean {
  const ours = qb.company.customers.filter((c) => c.fields.ExternalGUID !== undefined);
  if (ours.length === 0) return false;
  for (let n = 0; n < 2; n++) {
    const customer = ours[(pick + n * 104_729) % ours.length]!;
    customer.fields.Phone = `555-${String(pick % 10_000).padStart(4, '0')}`;
    touch(customer);
  }
  return true;
}

/** What QuickBooks does to a record a user saves: a new EditSequence and TimeModified. */
function touch(record: { editSequence: string; timeModified: string }): void {
  record.editSequence = String(Number(record.editSequence) + 1);
  record.timeModified = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
}

export { readLedger };
