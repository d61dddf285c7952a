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
 *
 * One exception at the door: an authenticate of a Web Connector entry (its registration, from the AppURL) whose own
 * session holds a place here gets in even when the process is full. QBWC runs one update per entry at a time, so
 * that session died (QBWC or the machine restarted) and authenticate ends it: the new session takes the place the
 * old one held, instead of being turned away until the dead one has been quiet for a minute. One such authenticate
 * per entry at a time; a failed one gives the place back as any other.
 */
const QUIET_MS = 60_000;

/** A place taken by an authenticate that is still deciding: either it becomes its session's, or it is given back. */
export interface AdmissionSlot {
  /** The slot becomes the place of this session, of this Web Connector entry (registration). */
  admit(sessionId: string, registrationId?: string, now?: number): void;
  release(): void;
}

export class SessionAdmission {
  /** Last call per session id (or reserved slot), oldest first. */
  private readonly lastCall = new Map<string, number>();
  /** The session holding a place for each Web Connector entry (registration id → session id). */
  private readonly sessionOfEntry = new Map<string, string>();
  /** Entries with a reservation let in beyond the limit to take over their own session's place. */
  private readonly takingOver = new Set<string>();
  private nextReservation = 0;

  constructor(private readonly limit: number) {}

  /**
   * A slot for a new session, or null when the process already serves its limit — unless `registrationId` (the
   * entry the authenticate names) holds a place with a session of its own, which the new one is to replace.
   */
  reserve(now = Date.now(), registrationId?: string): AdmissionSlot | null {
    if (this.lastCall.size >= this.limit) this.forgetQuiet(now);
    const full = this.lastCall.size >= this.limit;
    const takesOver = full && registrationId !== undefined && this.sessionOfEntry.has(registrationId) && !this.takingOver.has(registrationId);
    if (full && !takesOver) return null;
    if (takesOver) this.takingOver.add(registrationId!);
    const key = `reserved:${this.nextReservation++}`;
    this.lastCall.set(key, now);
    let open = true;
    const close = () => {
      open = false;
      this.lastCall.delete(key);
      if (takesOver) this.takingOver.delete(registrationId!);
    };
    return {
      admit: (sessionId, entry, at = Date.now()) => {
        if (!open) return;
        close();
        if (entry !== undefined) {
          // The entry's previous session (ended by this authenticate, or never to call again) no longer counts.
          const previous = this.sessionOfEntry.get(entry);
          if (previous !== undefined && previous !== sessionId) this.end(previous);
          this.sessionOfEntry.set(entry, sessionId);
        }
        this.touch(sessionId, at);
      },
      release: () => {
        if (open) close();
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
    if (this.lastCall.delete(sessionId)) this.forgetEntryOf(sessionId);
  }

  get active(): number {
    return this.lastCall.size;
  }

  private forgetQuiet(now: number): void {
    for (const [key, at] of this.lastCall) {
      if (now - at <= QUIET_MS) break;
      this.lastCall.delete(key);
      this.forgetEntryOf(key);
    }
  }

  /** A session's entry no longer has a place (a scan of at most the limit's entries, on a session's end only). */
  private forgetEntryOf(sessionId: string): void {
    for (const [entry, session] of this.sessionOfEntry) {
      if (session !== sessionId) continue;
      this.sessionOfEntry.delete(entry);
      return;
    }
  }
}
