/**
 * Reading a SOAP request body in two steps, so that a call without a live session costs a few KB of reading
 * and no parsing, however large the body it announces.
 *
 * Step one reads up to `headBytes`. A body that ends within it is handed on whole (the endpoint's full checks
 * and the `soap` package deal with it). A body that goes on is paused, and its head — the envelope's first
 * bytes — is scanned without an XML parser for the operation and, in ticketed calls, the ticket (QBWC writes
 * `<ticket>` as the operation's first child, before the qbXML payload). Only when `mayGoOn` accepts the head
 * is the rest read, up to `maxBytes`; otherwise the stream stays paused and the caller answers and closes
 * the connection, so the rest is never read.
 */
import type { IncomingMessage } from 'node:http';

export interface BodyRefusal {
  readonly status: number;
  readonly message: string;
}

export type BodyRead = { readonly ok: true; readonly body: Buffer } | ({ readonly ok: false } & BodyRefusal);

export interface BodyLimits {
  /** Bodies up to this size are read whole; larger ones only after `mayGoOn` accepted their head. */
  readonly headBytes: number;
  /** No body is read beyond this. */
  readonly maxBytes: number;
}

/** What a SOAP call's first bytes say: the operation (the Body's first element) and the ticket, when present. */
export interface CallHead {
  readonly operation: string | undefined;
  readonly ticket: string | undefined;
  /** Where the operation's start tag ends: its arguments follow. */
  readonly operationEnd?: number;
}

/** An XML name as QBWC writes them (ASCII), in pattern source. */
export const XML_NAME = '[A-Za-z_][\\w.-]*';
const OPERATION = new RegExp(`<(?:${XML_NAME}:)?Body\\b[^>]*>\\s*<(?:${XML_NAME}:)?(${XML_NAME})\\b[^>]*>`);
const TICKET = new RegExp(`^\\s*<(?:${XML_NAME}:)?ticket\\s*>([^<]*)</(?:${XML_NAME}:)?ticket\\s*>`);

/** Scans the head of an envelope (never the payload) for the operation and its leading ticket. */
export function scanCallHead(head: string): CallHead {
  const operation = OPERATION.exec(head);
  if (!operation) return { operation: undefined, ticket: undefined };
  const operationEnd = operation.index + operation[0].length;
  const ticket = TICKET.exec(head.slice(operationEnd));
  return { operation: operation[1], ticket: ticket?.[1]?.trim() || undefined, operationEnd };
}

/** Reads the body of `req` within `limits`, asking `mayGoOn` about the head of a body larger than `headBytes`. */
export function readSoapBody(req: IncomingMessage, limits: BodyLimits, mayGoOn: (head: string) => Promise<BodyRefusal | null>): Promise<BodyRead> {
  const tooLarge: BodyRead = {
    ok: false,
    status: 413,
    message: `The request is larger than the ${limits.maxBytes} bytes this service accepts (QBWC_MAX_BODY_BYTES).`,
  };
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity') {
    // Compressed bodies would have to be inflated before their size is known (a zip bomb); QBWC never sends them.
    return Promise.resolve({ ok: false, status: 415, message: `Compressed request bodies (Content-Encoding: ${encoding}) are not accepted.` });
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limits.maxBytes) return Promise.resolve(tooLarge);

  return new Promise<BodyRead>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let headChecked = false;
    let settled = false;
    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onError);
      // A refused body stays unread: the caller answers with Connection: close.
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limits.maxBytes) return settle(tooLarge);
      if (headChecked || size <= limits.headBytes) return;
      headChecked = true;
      req.pause();
      const head = Buffer.concat(chunks).subarray(0, limits.headBytes).toString('utf8');
      mayGoOn(head).then(
        (refusal) => (refusal ? settle({ ok: false, ...refusal }) : req.resume()),
        () => settle({ ok: false, status: 500, message: 'Internal error; it has been logged.' }),
      );
    };
    const onEnd = () => settle({ ok: true, body: Buffer.concat(chunks) });
    const onError = (error: Error) => settle({ ok: false, status: 400, message: `The request could not be read (${error.message}).` });
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
