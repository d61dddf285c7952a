/**
 * The embedded database's wire-protocol server (src/db/wire-server.ts) and its framing (src/db/wire-framing.ts):
 * messages come out whole however the bytes are cut into chunks, several whole messages as one run, a message of
 * several MB in linear time; PGlite answers a run of messages as it answers them one by one (pglite-socket's
 * server, which runs each message as its own call, is the reference, byte for byte); transactions, an error in the
 * middle of a pipeline, queries `pg` queues back to back, and connections taking turns at the one backend.
 */
import fs from 'node:fs';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { FrontendMessageReader, ProtocolViolation, SSL_REQUEST_CODE, type FrontendUnit } from '../../src/db/wire-framing.js';

// ---- frontend messages, as a client writes them ----

function packet(code: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(code, 4);
  return Buffer.concat([head, body]);
}
const sslRequest = () => packet(SSL_REQUEST_CODE);
const startup = () => packet(196608, Buffer.from('user\0postgres\0database\0postgres\0\0'));

function message(type: string, ...parts: Array<Buffer | string | number>): Buffer {
  const body = Buffer.concat(parts.map((p) => {
    if (typeof p === 'string') return Buffer.from(`${p}\0`);
    if (typeof p === 'number') { const b = Buffer.alloc(2); b.writeInt16BE(p); return b; }
    return p;
  }));
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const query = (sql: string) => message('Q', sql);
const parse = (sql: string) => message('P', '', sql, 0);
/** Bind of the unnamed statement, text parameters. */
const bind = (...params: string[]) => message('B', '', '', 0, params.length,
  ...params.flatMap((p) => { const v = Buffer.from(p); return [int32(v.length), v]; }), 0);
const describePortal = () => message('D', Buffer.from('P'), '');
const execute = () => message('E', '', int32(0));
const sync = () => message('S');
const terminate = () => message('X');
const extendedQuery = (sql: string, ...params: string[]) => Buffer.concat([parse(sql), bind(...params), describePortal(), execute(), sync()]);

function readAll(reader: FrontendMessageReader, chunks: Buffer[]): FrontendUnit[] {
  return chunks.flatMap((c) => reader.read(c));
}
/** The units with the runs' bytes joined: what must not depend on where the chunks were cut. */
function summary(units: FrontendUnit[]): { kinds: string[]; messages: Buffer } {
  const kinds = units.filter((u) => u.kind !== 'messages').map((u) => u.kind);
  return { kinds, messages: Buffer.concat(units.flatMap((u) => (u.kind === 'messages' ? [u.bytes] : []))) };
}

describe('framing', () => {
  const regular = Buffer.concat([query('select 1'), extendedQuery('select $1::int', '7')]);
  const stream = Buffer.concat([sslRequest(), startup(), regular, terminate()]);

  test('several whole messages in one chunk come out as one run', () => {
    const units = new FrontendMessageReader().read(stream);
    expect(units.map((u) => u.kind)).toEqual(['encryption-request', 'startup', 'messages', 'terminate']);
    expect(units[1]).toEqual({ kind: 'startup', bytes: startup() });
    expect(units[2]).toEqual({ kind: 'messages', bytes: regular, endsExchange: true });
  });

  test('cut into two chunks at every byte, or into single bytes: the same messages, each whole once', () => {
    const whole = summary(new FrontendMessageReader().read(stream));
    for (let cut = 1; cut < stream.length; cut++) {
      expect(summary(readAll(new FrontendMessageReader(), [stream.subarray(0, cut), stream.subarray(cut)])), `cut at ${cut}`).toEqual(whole);
    }
    const bytes = [...stream].map((b) => Buffer.from([b]));
    const units = readAll(new FrontendMessageReader(), bytes);
    expect(summary(units)).toEqual(whole);
    // Byte by byte, every message completes on its own: one run each.
    expect(units.filter((u) => u.kind === 'messages')).toHaveLength(6);
  });

  test('a run that stops inside an extended query says so; the rest comes with its chunk', () => {
    const reader = new FrontendMessageReader();
    reader.read(startup());
    const exchange = extendedQuery('select 1');
    const cut = parse('select 1').length + 3;
    expect(reader.read(exchange.subarray(0, cut))).toEqual([{ kind: 'messages', bytes: parse('select 1'), endsExchange: false }]);
    expect(reader.read(exchange.subarray(cut))).toEqual([{ kind: 'messages', bytes: exchange.subarray(parse('select 1').length), endsExchange: true }]);
  });

  test('a message of 16 MB in 4 KB chunks: nothing until its last chunk, then all of it, in linear time', () => {
    const reader = new FrontendMessageReader();
    reader.read(startup());
    const head = parse('select length($1)');
    const rest = Buffer.concat([bind('x'.repeat(16 * 1024 * 1024)), execute(), sync()]);
    const stream = Buffer.concat([head, rest]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < stream.length; at += 4096) chunks.push(stream.subarray(at, at + 4096));
    const startedAt = performance.now();
    const units = chunks.map((c) => reader.read(c));
    // Joining each 4 KB chunk to all the pending bytes (pglite-socket's handler) copies about 32 GB here.
    expect(performance.now() - startedAt).toBeLessThan(2_000);
    expect(units[0]).toEqual([{ kind: 'messages', bytes: head, endsExchange: false }]);
    expect(units.slice(1, -1).flat()).toEqual([]);
    const last = units.at(-1)!;
    expect(last.map((u) => u.kind === 'messages' && u.endsExchange && u.bytes.equals(rest))).toEqual([true]);
  });

  test('a length prefix outside the protocol is refused', () => {
    const reader = new FrontendMessageReader();
    reader.read(startup());
    expect(() => reader.read(Buffer.from([0x51, 0, 0, 0, 2]))).toThrow(ProtocolViolation);
    expect(() => new FrontendMessageReader().read(packet(196608).subarray(0, 4).fill(0xff))).not.toThrow();
    expect(() => new FrontendMessageReader().read(Buffer.from([0, 0, 0, 4, 0, 3, 0, 0]))).toThrow(ProtocolViolation);
  });
});

// ---- the server ----

/** A PGlite from the run's initdb image (no migrations: these tests make their own tables). */
async function startDatabase(maxConnections = 1): Promise<EmbeddedPostgres> {
  const template = inject('pgEmptyTemplatePath');
  return startEmbeddedPostgres({ maxConnections, ...(template ? { template: new Blob([fs.readFileSync(template)]) } : {}) });
}

/**
 * A client that writes raw protocol bytes: connects, starts up, then `exchange(bytes, done)` writes `bytes` and
 * resolves with what came back once `done` says so of its message types (by default: at the first ReadyForQuery).
 */
async function rawClient(port: number, host = '127.0.0.1') {
  const socket = net.connect(port, host);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  // As libpq with sslmode=prefer: ask for TLS first, and go on without it when the server says "N".
  const refused = await new Promise<Buffer>((resolve) => { socket.once('data', resolve); socket.write(sslRequest()); });
  expect(refused.toString()).toBe('N');
  let received = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => { received = Buffer.concat([received, chunk]); waiter?.(); });
  const exchange = async (bytes: Buffer, done = readyForQuery(1)): Promise<Buffer> => {
    received = Buffer.alloc(0);
    socket.write(bytes);
    await new Promise<void>((resolve) => {
      waiter = () => { if (done(types(received))) resolve(); };
    });
    return received;
  };
  await exchange(startup());
  return { exchange, close: () => new Promise<void>((resolve) => socket.end(terminate(), () => resolve())) };
}

function backendMessages(bytes: Buffer): Array<{ type: string; body: Buffer }> {
  const messages = [];
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = bytes.readInt32BE(at + 1);
    if (at + 1 + length > bytes.length) break;
    messages.push({ type: String.fromCharCode(bytes[at]!), body: bytes.subarray(at + 5, at + 1 + length) });
    at += 1 + length;
  }
  return messages;
}
const types = (bytes: Buffer) => backendMessages(bytes).map((m) => m.type).join('');
const readyForQuery = (n: number) => (answerTypes: string) => answerTypes.split('Z').length > n;

/**
 * A pipeline written at once: an error at Bind and one at Parse (the backend skips to their Sync), a transaction
 * begun in one message and rolled back in a later one.
 */
const PIPELINE = Buffer.concat([
  extendedQuery('select $1::int as n', '1'),
  extendedQuery('select 1/0'),
  extendedQuery('select $1::int as n', '3'),
  query('create table t (n int)'),
  query('begin; insert into t values (1)'),
  extendedQuery('insert into t values (2)'),
  extendedQuery('select nope from t'),
  query('rollback; select count(*) from t'),
]);
const PIPELINE_READY = 8;
/** The backend's answers, by message type (after the first query PGlite reports its settings: ParameterStatus "S"). */
const PIPELINE_ANSWERS = /^12TDCS*Z1EZ12TDCZCZCCZ12nCZEZCTDCZ$/;

describe('server', () => {
  let embedded: EmbeddedPostgres;
  beforeAll(async () => {
    embedded = await startDatabase(3);
  });
  afterAll(async () => {
    await embedded?.close();
  });
  const port = () => Number(new URL(embedded.clientUrl).port);

  test('after an SSLRequest ("N"), a pipeline with errors in the middle is answered as PGlite answers each message on its own (pglite-socket)', async () => {
    const client = await rawClient(port());
    const ours = await client.exchange(PIPELINE, readyForQuery(PIPELINE_READY));
    await client.close();
    // The failing query: an error, then nothing until its Sync, as PostgreSQL does; the others are answered.
    expect(types(ours)).toMatch(PIPELINE_ANSWERS);

    const template = inject('pgEmptyTemplatePath');
    const reference = await PGlite.create(template ? { loadDataDir: new Blob([fs.readFileSync(template)]) } : {});
    const server = new PGLiteSocketServer({ db: reference, host: '127.0.0.1', port: 0 });
    await server.start();
    try {
      const theirs = await rawClient(Number(server.getServerConn().split(':')[1]));
      const answer = await theirs.exchange(PIPELINE, readyForQuery(PIPELINE_READY));
      await theirs.close();
      expect(ours.equals(answer)).toBe(true);
    } finally {
      await server.stop();
      await reference.close();
    }
  });

  test('pg: transactions, queries queued back to back with one failing, a 4 MB parameter', async () => {
    const client = new pg.Client({ connectionString: embedded.clientUrl });
    await client.connect();
    try {
      await client.query('create table queued (n int primary key)');
      await client.query('begin');
      await client.query('insert into queued values ($1)', [1]);
      await client.query('rollback');
      await client.query('begin');
      await client.query('insert into queued values ($1)', [2]);
      await client.query('commit');
      expect((await client.query('select n from queued')).rows).toEqual([{ n: 2 }]);

      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => client.query('insert into queued values ($1) returning n', [i === 25 ? 2 : 100 + i])));
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['23505']);
      expect((await client.query('select count(*)::int as n from queued')).rows).toEqual([{ n: 50 }]);

      const big = 'é'.repeat(2 * 1024 * 1024);
      expect((await client.query('select length($1::text) as n, md5($1::text) as h', [big])).rows)
        .toEqual([{ n: big.length, h: (await client.query('select md5(repeat($1, $2)) as h', ['é', big.length])).rows[0].h }]);
    } finally {
      await client.end();
    }
  });

  test('connections take turns: another waits while one is in a transaction; one that closes in it is rolled back', async () => {
    const a = new pg.Client({ connectionString: embedded.clientUrl });
    const b = new pg.Client({ connectionString: embedded.clientUrl });
    await a.connect();
    await b.connect();
    try {
      await a.query('create table turns (n int)');
      await a.query('begin');
      await a.query('insert into turns values (1)');
      let bAnswered = false;
      const bCount = b.query('select count(*)::int as n from turns').then((r) => { bAnswered = true; return r.rows[0].n; });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(bAnswered).toBe(false);
      await a.query('insert into turns values (2)');
      await a.query('commit');
      expect(await bCount).toBe(2);

      const c = new pg.Client({ connectionString: embedded.clientUrl });
      await c.connect();
      await c.query('begin');
      await c.query('insert into turns values (3)');
      c.on('error', () => undefined);
      (c as unknown as { connection: { stream: net.Socket } }).connection.stream.destroy();
      expect((await b.query('select count(*)::int as n from turns')).rows[0].n).toBe(2);
    } finally {
      await a.end();
      await b.end();
    }
  });

  test('a connection that closes in the middle of an extended query, after an error, leaves the backend to the next one', async () => {
    const broken = await rawClient(port());
    // Parse fails: the backend now skips everything up to a Sync that this connection never sends.
    expect(types(await broken.exchange(Buffer.concat([parse('select nope'), bind(), message('H')]), (t) => t === 'E'))).toBe('E');
    await broken.close();
    const next = await rawClient(port());
    expect(types(await next.exchange(extendedQuery('select 1')))).toBe('12TDCZ');
    await next.close();
  });

  test('past its connections it refuses as PostgreSQL does', async () => {
    const single = await startDatabase(1);
    const first = new pg.Client({ connectionString: single.clientUrl });
    await first.connect();
    try {
      const second = new pg.Client({ connectionString: single.clientUrl });
      await expect(second.connect()).rejects.toThrow(/too many clients/);
      expect((await first.query('select 1 as n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await first.end();
      await single.close();
    }
  });
});
