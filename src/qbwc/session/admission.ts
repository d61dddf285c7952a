/**
 * Admission of new Web Connector sessions. Every call of a running session waits its turn for the database, so
 * a process serving too many sessions at once answers each call late (with 200 company files updating together
 * on two cores, several seconds a call) and every file waits longer for the same work. A process takes at most
 * QBWC_MAX_ACTIVE_SESSIONS sessions at a time; authenticate answers a new one beyond them `busy` with the retry
 * hint, before it reads anything, and QBWC comes back then. Sessions already running are never turned away.
 *
 * Counted per process (each instance guards its own CPU): a session from the authenticate that admitted it to the
 * call that ends it here, or until it has made no call here for `QUIET_MS` — QBWC died, QuickBooks is working on
 * a long message, or the session's calls now go to another instance.
 */
const QUIET_MS = 60_000;

/** A place taken by an authenticate that is still deciding: either it becomes its session's, or it is given back. */
export interface AdmissionSlot {
  admit(sessionId: string, now?: number): void;
  release(): void;
}

export class SessionAdmission {
  /** Last call per session id (or reserved slot), oldest first. */
  private readonly lastCall = new Map<string, number>();
  private nextReservation = 0;

  constructor(private readonly limit: number) {}

  /** A slot for a new session, or null when the process already serves its limit. */
  reserve(now = Date.now()): AdmissionSlot | null {
    if (this.lastCall.size >= this.limit) this.forgetQuiet(now);
    if (this.lastCall.size >= this.limit) return null;
    const key = `reserved:${this.nextReservation++}`;
    this.lastCall.set(key, now);
    let open = true;
    return {
      admit: (sessionId, at = Date.now()) => {
        if (!open) return;
        open = false;
        this.lastCall.delete(key);
        this.touch(sessionId, at);
      },
      release: () => {
        if (!open) return;
        open = false;
        this.lastCall.delete(key);
      },
    };
  }

  /** A call of a running session was served here. */
  touch(sessionId: string, now = Date.now()): void {
    // Re-inserted so the map stays in order of last call and forgetQuiet stops at the first recent one.
    this.lastCall.delete(sessionId);
    this.lastCall.set(sessionId, now);
  }

  /** The session ended (any way): its place is free. */
  end(sessionId: string): void {
    this.lastCall.delete(sessionId);
  }

  get active(): number {
    return this.lastCall.size;
  }

  private forgetQuiet(now: number): void {
    for (const [key, at] of this.lastCall) {
      if (now - at <= QUIET_MS) break;
      this.lastCall.delete(key);
    }
  }
}
