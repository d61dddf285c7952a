/**
 * A minimal QBWC web service for the emulator's tests: a node-soap server (built from our own WSDL) behind a
 * plain Node http server on 127.0.0.1, port 0. Each test scripts the answers per operation and can make the
 * HTTP layer misbehave (5xx, slow answers, wrong content type). Every call is recorded with its raw body and
 * headers so tests can assert on what went over the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as soap from 'soap';
import { buildQbwcWsdl } from './qbwc-wsdl.js';

export type QbwcOperationName =
  | 'serverVersion'
  | 'clientVersion'
  | 'authenticate'
  | 'sendRequestXML'
  | 'receiveResponseXML'
  | 'connectionError'
  | 'getLastError'
  | 'closeConnection';

/** Arguments as node-soap hands them to the service (ints as numbers, empty elements as ''). */
export type ServerArgs = Record<string, string | number | undefined>;

export interface ServerCall {
  /** 1-based, across the whole server life. */
  readonly index: number;
  readonly operation: QbwcOperationName;
  /** 1-based count of this operation. */
  readonly nth: number;
  readonly args: ServerArgs;
  readonly rawBody: string;
  readonly headers: {
    readonly contentType: string | undefined;
    readonly soapAction: string | undefined;
    readonly userAgent: string | undefined;
  };
  /** Whether the call reached the SOAP service (false when an HTTP fault answered it). */
  readonly handled: boolean;
  /** `performance.now()` when the request body had arrived. */
  readonly receivedAt: number;
}

export interface QbwcHandlers {
  serverVersion?: (args: ServerArgs, call: ServerCall) => string | Promise<string>;
  clientVersion?: (args: ServerArgs, call: ServerCall) => string | Promise<string>;
  authenticate?: (args: ServerArgs, call: ServerCall) => readonly string[] | Promise<readonly string[]>;
  sendRequestXML?: (args: ServerArgs, call: ServerCall) => string | Promise<string>;
  receiveResponseXML?: (args: ServerArgs, call: ServerCall) => number | Promise<number>;
  connectionError?: (args: ServerArgs, call: ServerCall) => string | Promise<string>;
  getLastError?: (args: ServerArgs, call: ServerCall) => string | Promise<string>;
  closeConnection?: (args: ServerArgs, call: ServerCall) => string | Promise<string>;
}

/** How the HTTP layer answers instead of (or before) the SOAP service. */
export interface HttpBehaviour {
  /** Wait this long before answering (the SOAP service still runs unless `status` is set). */
  readonly delayMs?: number;
  /** Answer with this status and body instead of calling the service. */
  readonly status?: number;
  readonly body?: string;
  readonly contentType?: string;
}

export interface ScriptedServerOptions {
  readonly handlers?: QbwcHandlers;
  /** Consulted for every call before the SOAP service runs. */
  readonly http?: (operation: QbwcOperationName, nth: number) => HttpBehaviour | undefined;
  readonly path?: string;
}

export interface ScriptedQbwcServer {
  /** The AppURL to put in the QWC file. */
  readonly url: string;
  readonly calls: ServerCall[];
  /** Operation names in call order. */
  operations(): QbwcOperationName[];
  /** Calls of one operation, in order. */
  callsOf(operation: QbwcOperationName): ServerCall[];
  close(): Promise<void>;
}

const CALL_INDEX_HEADER = 'x-scripted-call-index';

const DEFAULT_HANDLERS: Required<QbwcHandlers> = {
  serverVersion: () => '1.0.0-test',
  clientVersion: () => '',
  authenticate: () => ['{3F2504E0-4F89-11D3-9A0C-0305E82C3301}', ''],
  sendRequestXML: () => '',
  receiveResponseXML: () => 100,
  connectionError: () => 'done',
  getLastError: () => '',
  closeConnection: () => 'OK',
};

function operationOf(body: string, soapAction: string | undefined): QbwcOperationName {
  const fromHeader = soapAction?.replace(/^"|"$/g, '').replace('http://developer.intuit.com/', '');
  const fromBody = /<soap:Body>\s*<([A-Za-z]+)/.exec(body)?.[1];
  return (fromBody ?? fromHeader ?? 'unknown') as QbwcOperationName;
}

export async function startScriptedQbwcServer(options: ScriptedServerOptions = {}): Promise<ScriptedQbwcServer> {
  const path = options.path ?? '/qbwc';
  const handlers = { ...DEFAULT_HANDLERS, ...options.handlers };
  const calls: ServerCall[] = [];
  const counts = new Map<string, number>();

  // node-soap hands the parsed arguments and the request to these; the request carries the index of the
  // recorded call, so concurrent sessions (two Web Connectors at once) are told apart.
  const wrap =
    <T>(name: QbwcOperationName, resultName: string, map: (value: T) => unknown) =>
    async (args: ServerArgs, _callback: unknown, _soapHeaders: unknown, req: { headers: Record<string, string> }) => {
      const call = calls[Number(req.headers[CALL_INDEX_HEADER]) - 1]!;
      (call as { args: ServerArgs }).args = args ?? {};
      const fn = handlers[name] as (a: ServerArgs, c: ServerCall) => T | Promise<T>;
      return { [resultName]: map(await fn(args ?? {}, call)) };
    };
  const services = {
    QBWebConnectorSvc: {
      QBWebConnectorSvcSoap: {
        serverVersion: wrap<string>('serverVersion', 'serverVersionResult', (v) => v),
        clientVersion: wrap<string>('clientVersion', 'clientVersionResult', (v) => v),
        authenticate: wrap<readonly string[]>('authenticate', 'authenticateResult', (v) => ({ string: [...v] })),
        sendRequestXML: wrap<string>('sendRequestXML', 'sendRequestXMLResult', (v) => v),
        receiveResponseXML: wrap<number>('receiveResponseXML', 'receiveResponseXMLResult', (v) => v),
        connectionError: wrap<string>('connectionError', 'connectionErrorResult', (v) => v),
        getLastError: wrap<string>('getLastError', 'getLastErrorResult', (v) => v),
        closeConnection: wrap<string>('closeConnection', 'closeConnectionResult', (v) => v),
      },
    },
  };
  const soapServer = await new Promise<soap.Server>((resolve, reject) => {
    const server: soap.Server = soap.listen(null, {
      path,
      services,
      xml: buildQbwcWsdl(),
      callback: (err: unknown) => (err ? reject(err) : resolve(server)),
    });
  });

  const httpServer = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const soapAction = req.headers['soapaction'] as string | undefined;
        const operation = operationOf(rawBody, soapAction);
        const nth = (counts.get(operation) ?? 0) + 1;
        counts.set(operation, nth);
        const call: ServerCall = {
          index: calls.length + 1,
          operation,
          nth,
          args: {},
          rawBody,
          headers: { contentType: req.headers['content-type'], soapAction, userAgent: req.headers['user-agent'] },
          handled: false,
          receivedAt: performance.now(),
        };
        calls.push(call);
        const behaviour = options.http?.(operation, nth);
        if (behaviour?.delayMs) await sleep(behaviour.delayMs);
        if (res.destroyed) return;
        if (behaviour?.status !== undefined) {
          res.writeHead(behaviour.status, { 'Content-Type': behaviour.contentType ?? 'text/html; charset=utf-8' });
          res.end(behaviour.body ?? `<html><body>${behaviour.status}</body></html>`);
          return;
        }
        (call as { handled: boolean }).handled = true;
        const answer = await soapServer.processRequest(rawBody, {
          url: req.url ?? path,
          method: req.method ?? 'POST',
          headers: { ...(req.headers as Record<string, string>), [CALL_INDEX_HEADER]: String(call.index) },
        });
        if (res.destroyed) return;
        res.writeHead(answer.statusCode, {
          'Content-Type': behaviour?.contentType ?? String(answer.headers['content-type'] ?? 'text/xml; charset=utf-8'),
        });
        res.end(answer.body);
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    calls,
    operations: () => calls.map((c) => c.operation),
    callsOf: (operation) => calls.filter((c) => c.operation === operation),
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
