/**
 * Cuts the bytes a PostgreSQL client sends into whole protocol messages, for the embedded database's server
 * (wire-server.ts).
 *
 * Why not pglite-socket's handler (0.2.17): it joins each socket chunk to all the bytes still pending with
 * Buffer.concat, copying them again for every chunk, which is quadratic in a message of several MB (a push's audit
 * insert binds several MB of JSON). Here the chunks of an incomplete message wait in a list, and the length prefix
 * says how many bytes to wait for: each message is copied once, when it is whole, and a chunk that completes
 * nothing costs no more than its push.
 */

/** Asks for TLS; the embedded database has none (answered "N", and the client goes on unencrypted). */
export const SSL_REQUEST_CODE = 80877103;
/** Asks for GSSAPI encryption; answered "N" like the SSLRequest. */
export const GSSENC_REQUEST_CODE = 80877104;
/** Cancels a running query, on a connection of its own; PGlite runs one statement at a time and cannot cancel it. */
export const CANCEL_REQUEST_CODE = 80877102;
/** PostgreSQL caps a startup packet at 10000 bytes (MAX_STARTUP_PACKET_LENGTH). */
const MAX_STARTUP_PACKET = 10_000;
/** And any other message below 1 GB (PQ_LARGE_MESSAGE_LIMIT): a longer length prefix is not PostgreSQL's protocol. */
const MAX_MESSAGE = 0x3fff_ffff;
const TERMINATE = 0x58; // 'X'
/** After these the backend answers ReadyForQuery: a simple Query, a Sync ending an extended query, a FunctionCall. */
const ENDS_EXCHANGE = new Set([0x51 /* Q */, 0x53 /* S */, 0x46 /* F */]);

export type FrontendUnit =
  /** SSLRequest or GSSENCRequest, before the startup message. */
  | { readonly kind: 'encryption-request' }
  | { readonly kind: 'cancel-request' }
  /** The startup message (no type byte): for PGlite on its own. */
  | { readonly kind: 'startup'; readonly bytes: Buffer }
  /**
   * Whole messages, in the order they came, as one buffer. `endsExchange`: the last is a Query, Sync or
   * FunctionCall, so the backend is left waiting for the next command rather than in the middle of one.
   */
  | { readonly kind: 'messages'; readonly bytes: Buffer; readonly endsExchange: boolean }
  /** Terminate: the client is done. */
  | { readonly kind: 'terminate' };

export class ProtocolViolation extends Error {
  readonly code = 'EMBEDDED_DB_PROTOCOL_VIOLATION';
}

export class FrontendMessageReader {
  /** Bytes received and not yet handed out, in order. */
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  /** Until the startup message, packets have no type byte. */
  #startup = true;
  /** Bytes the first pending message needs; until that many are buffered there is nothing to cut. */
  #needed = 0;

  /**
   * The units `chunk` completes, in order; the part of a message still incomplete waits for the next chunks. Whole
   * messages that follow each other come out as one `messages` unit (cut before a Terminate).
   */
  read(chunk: Buffer): FrontendUnit[] {
    if (chunk.length === 0) return [];
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered < this.#needed) return [];
    const units: FrontendUnit[] = [];
    while (this.#startup) {
      if (this.#buffered < 8) return this.#wait(8, units);
      const length = this.#int32At(0);
      if (length < 8 || length > MAX_STARTUP_PACKET) throw new ProtocolViolation(`invalid startup packet length ${length}`);
      if (this.#buffered < length) return this.#wait(length, units);
      const code = this.#int32At(4);
      const bytes = this.#take(length);
      if (code === SSL_REQUEST_CODE || code === GSSENC_REQUEST_CODE) units.push({ kind: 'encryption-request' });
      else if (code === CANCEL_REQUEST_CODE) units.push({ kind: 'cancel-request' });
      else {
        this.#startup = false;
        units.push({ kind: 'startup', bytes });
      }
      if (this.#buffered === 0) return this.#wait(0, units);
    }
    // A run of whole messages: measured by their length prefixes first, then taken out in one piece.
    let run = 0;
    let lastType = 0;
    for (;;) {
      if (this.#buffered < run + 5) break;
      const type = this.#byteAt(run);
      const length = this.#int32At(run + 1);
      if (length < 4 || length > MAX_MESSAGE) throw new ProtocolViolation(`invalid length ${length} of a message of type ${type}`);
      if (this.#buffered < run + 1 + length) break;
      if (type === TERMINATE) {
        this.#flushRun(run, lastType, units);
        this.#take(1 + length);
        units.push({ kind: 'terminate' });
        run = 0;
        lastType = 0;
        continue;
      }
      run += 1 + length;
      lastType = type;
    }
    this.#flushRun(run, lastType, units);
    // What is left is the start of one message: wait for its header, then for all of it.
    return this.#wait(this.#buffered < 5 ? 5 : 1 + this.#int32At(1), units);
  }

  #flushRun(run: number, lastType: number, units: FrontendUnit[]): void {
    if (run > 0) units.push({ kind: 'messages', bytes: this.#take(run), endsExchange: ENDS_EXCHANGE.has(lastType) });
  }

  #wait(needed: number, units: FrontendUnit[]): FrontendUnit[] {
    this.#needed = needed;
    return units;
  }

  /** Removes the first `n` buffered bytes: a view of the first chunk if they lie in it, else copied once. */
  #take(n: number): Buffer {
    const first = this.#chunks[0]!;
    let taken: Buffer;
    if (first.length >= n) {
      taken = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      taken = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const chunk = this.#chunks[0]!;
        const part = Math.min(chunk.length, n - filled);
        chunk.copy(taken, filled, 0, part);
        filled += part;
        if (part === chunk.length) this.#chunks.shift();
        else this.#chunks[0] = chunk.subarray(part);
      }
    }
    this.#buffered -= n;
    return taken;
  }

  #byteAt(offset: number): number {
    for (const chunk of this.#chunks) {
      if (offset < chunk.length) return chunk[offset]!;
      offset -= chunk.length;
    }
    throw new RangeError('read past the buffered bytes');
  }

  /** A big-endian int32 whose bytes may straddle chunks. */
  #int32At(offset: number): number {
    return ((this.#byteAt(offset) << 24) | (this.#byteAt(offset + 1) << 16) | (this.#byteAt(offset + 2) << 8) | this.#byteAt(offset + 3)) >>> 0;
  }
}
