/**
 * The soak's fault schedule: a seeded random sequence of faults, dealt to the three company files' Web
 * Connector loops before the run starts, so one seed gives the same faults in the same order to each file
 * (how the three loops interleave still depends on timing; each file's own sequence does not).
 */

/** Every fault the soak injects. `between` faults change the company file before an update; the rest act inside one. */
export const FAULT_KINDS = [
  /** QuickBooks applied the message, then the Web Connector died before posting its answer. */
  'lost-response',
  /** The proxy in front of the service answers HTTP 500 (before or after the service saw the call). */
  'http-500',
  /** The proxy resets the connection (before or after the service saw the call). */
  'connection-reset',
  /** The service process is SIGKILLed while it handles a call (the embedded database dies with it), then restarted. */
  'service-killed',
  /** PostgreSQL server only: the service's database connections are terminated while it handles a call. */
  'database-restarted',
  /** QuickBooks answers one message slowly (the Web Connector posts its answer late). */
  'slow-answer',
  /** A modal dialog blocks QuickBooks for one message (0x80040414). */
  'modal-dialog',
  /** QuickBooks cannot be started (0x80040408). */
  'quickbooks-not-running',
  /** Another connector's company file is open in QuickBooks. */
  'wrong-company-file',
  /** Between sessions a user edits visible fields (memo, Other, PO number) of transactions in the company file. */
  'user-edit',
  /** Between sessions a user saves customers the service wrote, so the EditSequence the service holds is stale. */
  'stale-edit-sequence',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Relative frequencies. Kills are rarer: each restart of the built service takes seconds on a busy box. */
const WEIGHTS: Record<FaultKind, number> = {
  'lost-response': 14,
  'http-500': 12,
  'connection-reset': 12,
  'service-killed': 2,
  'database-restarted': 3,
  'slow-answer': 6,
  'modal-dialog': 8,
  'quickbooks-not-running': 5,
  'wrong-company-file': 6,
  'user-edit': 10,
  'stale-edit-sequence': 6,
};

export interface Fault {
  readonly kind: FaultKind;
  /** Which request message (1-based) or SOAP call (1-based) of the update it hits. */
  readonly at: number;
  /** Proxy faults: after the service handled the call (its answer is lost) rather than before it saw it. */
  readonly afterService: boolean;
  /** A number for the fault's own choices (which other file, which transactions, how slow). */
  readonly pick: number;
}

/** mulberry32: a small, fast, seeded PRNG; `next()` is uniform in [0, 1). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

/**
 * `faults` faults dealt round-robin to `files` company files, kinds drawn by weight (`database-restarted` only
 * on the PostgreSQL server: an embedded database is killed with the service, which `service-killed` does).
 */
export function faultSchedule(seed: number, faults: number, files: number, onServer: boolean): Fault[][] {
  const random = new Random(seed);
  const kinds = FAULT_KINDS.filter((kind) => onServer || kind !== 'database-restarted');
  const total = kinds.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  const dealt: Fault[][] = Array.from({ length: files }, () => []);
  for (let i = 0; i < faults; i++) {
    let roll = random.next() * total;
    const kind = kinds.find((k) => (roll -= WEIGHTS[k]) < 0) ?? kinds[0]!;
    dealt[i % files]!.push({ kind, at: random.int(1, 4), afterService: random.next() < 0.5, pick: random.int(0, 1_000_000) });
  }
  return dealt;
}
