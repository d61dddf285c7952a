/**
 * The embedded database's PostgreSQL wire-protocol server: PGlite's one backend, shared by a few connections (the
 * service's, and the CLI's beside it).
 *
 * It does what pglite-socket's PGLiteSocketServer (0.2.17) did, without what made it cost 10-12 % of a push's CPU:
 * that handler copied all its pending bytes again for each socket chunk (see wire-framing.ts) and ran every
 * message (Parse, Bind, Describe, Execute, Sync) as a PGlite call, with its own promise, mutex turn and socket write.
 * Here the whole messages a chunk completes go to PGlite in one `execProtocolRawStream` call: PGlite's loop runs
 * `PostgresMainLoopOnce` until the call's bytes are all read, one message a turn, exactly as for a socket (an error
 * in one makes the backend skip to the next Sync, as PostgreSQL does), and what PGlite answers to the call goes out
 * in one socket write.
 *
 * The backend has one session state, so connections take turns at exchange boundaries: a connection keeps it while
 * it is inside a transaction block, or in the middle of an extended query (messages up to a Sync may come in
 * several chunks); the others' messages wait. A connection that closes holding it leaves it reset (Sync, and
 * ROLLBACK of its transaction).
 */
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { FrontendMessageReader, type FrontendUnit } from './wire-framing.js';

export type WireListenTarget = { readonly path: string } | { readonly host: string; readonly port: number };

interface Connection {
  readonly socket: net.Socket;
  readonly reader: FrontendMessageReader;
  closed: boolean;
}

type Work = FrontendUnit | { readonly kind: 'reset' };

const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);
const ROLLBACK = simpleQuery('ROLLBACK');
/** What PostgreSQL answers past max_connections (FATAL 53300), so that pg reports it as such. */
const TOO_MANY_CONNECTIONS = errorResponse('FATAL', '53300', 'sorry, too many clients already');

export class EmbeddedWireServer {
  readonly #server: net.Server;
  readonly #connections = new Set<Connection>();
  readonly #queue: Array<{ readonly connection: Connection; readonly work: Work }> = [];
  /** The connection the backend is kept for, between its turns. */
  #holder: Connection | undefined;
  /** Settles when the queue is worked off; undefined while idle. */
  #working: Promise<void> | undefined;
  #stopping = false;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections: number,
  ) {
    this.#server = net.createServer((socket) => this.#accept(socket));
  }

  /** Listens; resolves with the address (the socket path, or host:port with the port chosen). */
  listen(target: WireListenTarget): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      const listening = () => {
        this.#server.off('error', reject);
        const address = this.#server.address();
        resolve(typeof address === 'string' || address === null ? ('path' in target ? target.path : '') : `${address.address}:${address.port}`);
      };
      if ('path' in target) this.#server.listen(target.path, listening);
      else this.#server.listen(target.port, target.host, listening);
    });
  }

  /** Stops listening, closes every connection and waits for the call PGlite is running. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#queue.length = 0;
    for (const connection of this.#connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    await this.#working;
  }

  #accept(socket: net.Socket): void {
    if (this.#stopping || this.#connections.size >= this.maxConnections) {
      socket.on('error', () => undefined);
      // Closed for good once written: a client that keeps its end open would hold stop() up.
      socket.end(TOO_MANY_CONNECTIONS, () => socket.destroy());
      return;
    }
    const connection: Connection = { socket, reader: new FrontendMessageReader(), closed: false };
    this.#connections.add(connection);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.#stopping) return;
      let units: FrontendUnit[];
      try {
        units = connection.reader.read(chunk);
      } catch {
        // Not PostgreSQL's protocol: nothing sensible to answer.
        socket.destroy();
        return;
      }
      for (const work of units) this.#queue.push({ connection, work });
      this.#work();
    });
    // 'close' follows an error; the connection is dropped there.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connection.closed = true;
      this.#connections.delete(connection);
      for (let i = this.#queue.length - 1; i >= 0; i--) if (this.#queue[i]!.connection === connection) this.#queue.splice(i, 1);
      if (!this.#stopping) {
        this.#queue.push({ connection, work: { kind: 'reset' } });
        this.#work();
      }
    });
  }

  #work(): void {
    this.#working ??= this.#workOff().finally(() => (this.#working = undefined));
  }

  async #workOff(): Promise<void> {
    for (;;) {
      const next = this.#holder ? this.#queue.findIndex((q) => q.connection === this.#holder) : this.#queue.length > 0 ? 0 : -1;
      if (next < 0) return;
      const [{ connection, work }] = this.#queue.splice(next, 1) as [{ connection: Connection; work: Work }];
      try {
        await this.#run(connection, work);
      } catch (error) {
        // PGlite failed the call (not an SQL error: those are answers). The connection cannot go on; the others can,
        // after its reset (queued when it closes) has ended what it left.
        this.#holder = connection;
        connection.socket.destroy(error as Error);
      }
    }
  }

  async #run(connection: Connection, work: Work): Promise<void> {
    const { socket } = connection;
    switch (work.kind) {
      case 'encryption-request':
        socket.write('N');
        return;
      case 'cancel-request':
      case 'terminate':
        // PostgreSQL closes the connection after either; the client does too.
        socket.end();
        return;
      case 'reset':
        // The connection closed (its reset comes after its last turn): what it left unfinished is ended, the answers
        // go nowhere. Sync ends an extended query (and the skipping to it after an error); ROLLBACK its transaction.
        if (this.#holder !== connection) return;
        this.#holder = undefined;
        await this.#exec(SYNC, () => undefined);
        if (this.db.isInTransaction()) await this.#exec(ROLLBACK, () => undefined);
        return;
      case 'startup':
      case 'messages': {
        // PGlite answers in several pieces (each flush of its output buffer): corked, they leave in one write.
        socket.cork();
        try {
          await this.#exec(work.bytes, (answer) => {
            if (!connection.closed) socket.write(Buffer.from(answer));
          });
        } finally {
          socket.uncork();
        }
        const midExchange = work.kind === 'messages' && !work.endsExchange;
        this.#holder = midExchange || this.db.isInTransaction() ? connection : undefined;
        return;
      }
    }
  }

  /** One PGlite call, in turn with the process's own queries (PGlite's query mutex). */
  #exec(message: Uint8Array, onRawData: (answer: Uint8Array) => void): Promise<void> {
    return this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData }));
  }
}

function simpleQuery(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`);
  const message = Buffer.alloc(5 + text.length);
  message.write('Q', 0);
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}

function errorResponse(severity: string, sqlState: string, text: string): Buffer {
  const fields = Buffer.from(`S${severity}\0V${severity}\0C${sqlState}\0M${text}\0\0`);
  const message = Buffer.alloc(5 + fields.length);
  message.write('E', 0);
  message.writeInt32BE(4 + fields.length, 1);
  fields.copy(message, 5);
  return message;
}
