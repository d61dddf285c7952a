/**
 * What the bench reads about the service from outside, as `top` would: CPU time and resident memory of a
 * process from /proc (Linux), and the CPU of the PostgreSQL backends serving the bench's database (the
 * server runs on this machine; pg_stat_activity names their pids). Reading from outside keeps the service
 * free of measuring code, and counts everything the process burns (GC, the embedded database's WASM).
 */
import fs from 'node:fs';
import pg from 'pg';

/** Linux reports process times in USER_HZ ticks, 100 per second on every mainstream kernel ABI. */
const TICKS_PER_SECOND = 100;

/** User + system CPU of a process in ms, or undefined when /proc cannot tell (not Linux, process gone). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so cut at its closing parenthesis): utime, stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Resident set size in MB (VmRSS), or undefined. */
export function processRssMb(pid: number): number | undefined {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Samples while a phase runs: the service's peak RSS, and the CPU of every PostgreSQL backend of `databaseUrl`
 * seen meanwhile (backends come and go with the pool, so each is followed from when it is first seen).
 */
export class PhaseSampler {
  private peakRss = 0;
  private readonly backendStart = new Map<number, number>();
  private readonly backendLast = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private pg: pg.Client | undefined;
  private sampling: Promise<void> = Promise.resolve();

  private constructor(private readonly pid: number) {}

  static async start(pid: number, databaseUrl: string | undefined, everyMs = 100): Promise<PhaseSampler> {
    const sampler = new PhaseSampler(pid);
    if (databaseUrl) {
      sampler.pg = new pg.Client({ connectionString: databaseUrl });
      await sampler.pg.connect();
    }
    await sampler.sample(true);
    sampler.timer = setInterval(() => {
      sampler.sampling = sampler.sampling.then(() => sampler.sample(false));
    }, everyMs);
    return sampler;
  }

  /** Stops sampling; the service's peak RSS (MB) and the backends' CPU (ms, undefined when unreadable). */
  async stop(): Promise<{ peakRssMb: number; databaseCpuMs: number | undefined }> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    await this.pg?.end();
    let databaseCpuMs: number | undefined;
    for (const [pid, last] of this.backendLast) databaseCpuMs = (databaseCpuMs ?? 0) + last - (this.backendStart.get(pid) ?? 0);
    return { peakRssMb: this.peakRss, databaseCpuMs };
  }

  private async sample(first: boolean): Promise<void> {
    this.peakRss = Math.max(this.peakRss, processRssMb(this.pid) ?? 0);
    if (!this.pg) return;
    const { rows } = await this.pg.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    for (const { pid } of rows) {
      const cpu = processCpuMs(pid);
      if (cpu === undefined) continue;
      // A backend already there when the phase starts counts from now; one born during it, from its birth.
      if (!this.backendStart.has(pid)) this.backendStart.set(pid, first ? cpu : 0);
      this.backendLast.set(pid, cpu);
    }
  }
}

/**
 * The bench's phases as windows of the monotonic clock in microseconds (V8's CPU profiles use the same clock), written
 * to `<dir>/windows.json` beside the service's profiles, so `bench/cpuprofile-summary.mjs <dir> upsert` summarizes
 * only the samples of that phase.
 */
export class PhaseWindows {
  private readonly windows: Record<string, [number, number]> = {};
  private open: string | undefined;

  begin(phase: string): void {
    this.end();
    this.windows[phase] = [PhaseWindows.now(), Infinity];
    this.open = phase;
  }

  end(): void {
    if (this.open !== undefined) this.windows[this.open]![1] = PhaseWindows.now();
    this.open = undefined;
  }

  write(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/windows.json`, JSON.stringify(this.windows));
  }

  private static now(): number {
    return Number(process.hrtime.bigint() / 1000n);
  }
}
