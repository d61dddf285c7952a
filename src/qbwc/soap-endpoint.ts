/**
 * The Web Connector's HTTP face: SOAP 1.1 at /qbwc/<registration id> (the AppURL of each QWC file), the
 * WSDL at /qbwc?wsdl, and the AppSupport page at /qbwc/support.
 *
 * Bodies are checked before the `soap` package sees them. A call without a live session is read only up to
 * ANONYMOUS_BODY_BYTES: serverVersion, clientVersion and authenticate are small, and a larger body must be a
 * sendRequestXML or receiveResponseXML whose leading ticket names an active session of the registration in
 * the URL (soap-body.ts finds it without parsing the payload; one indexed query checks it). Anything else is
 * refused after those few KB and the connection is closed unread, so an anonymous 19 MB post costs what a
 * small one does. A body read whole has its qbXML argument (receiveResponseXML's answer, hundreds of KB of
 * escaped text) lifted out and decoded in one pass (qbxml-argument.ts); the envelope left, a few hundred bytes,
 * is then checked in full: a size cap, no DTD or entity declarations (XXE, "billion laughs"), well-formed XML,
 * a known operation. Anything refused gets a SOAP Fault — never an HTML page or a stack — and changes nothing.
 * The `soap` package then parses the envelope against our WSDL and calls QbwcService, which never throws; the
 * lifted argument is handed to the handler as if the package had read it.
 */
import express, { type Request, type Response, type Router } from 'express';
import soap from 'soap';
import { XMLValidator } from 'fast-xml-parser';
import type { Config } from '../app/config.js';
import type { Logger } from '../app/logger.js';
import { QBWC_OPERATIONS, buildQbwcWsdl, type QbwcOperationName } from './wsdl.js';
import type { CallOrigin, QbwcService } from './qbwc-service.js';
import { readSoapBody, scanCallHead, type BodyRefusal } from './soap-body.js';
import { liftQbxmlArgument, type LiftedArgument } from './qbxml-argument.js';
import { soapCalls, soapDuration } from '../app/metrics.js';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
/**
 * Largest body read from a call that has no live session yet. authenticate with a 128-character password is
 * under 1 KB; sendRequestXML's first call carries QuickBooks' host, company and preferences answer, which is
 * why the two calls that may be large are let through by ticket rather than by a tighter cap.
 */
export const ANONYMOUS_BODY_BYTES = 16 * 1024;
/** The only calls whose bodies may exceed ANONYMOUS_BODY_BYTES (with a live ticket): they carry qbXML. */
const LARGE_OPERATIONS: ReadonlySet<string> = new Set(['sendRequestXML', 'receiveResponseXML']);
/** The document element of a SOAP envelope (after the XML declaration and comments, if any). */
const ENVELOPE = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[A-Za-z_][\w.-]*:)?Envelope\b/;

type Args = Record<string, unknown>;

/** What the handlers get as `req.connection`: the client, and the qbXML argument lifted out of the envelope. */
interface CallConnection {
  readonly remoteAddress: string | undefined;
  readonly lifted: LiftedArgument | undefined;
}

/** Strings as QBWC sends them: a missing or empty (`<hresult />`) element is "". */
function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function int(value: unknown): number {
  const n = Number(str(value));
  return Number.isInteger(n) ? n : 0;
}

/** Builds the router serving /qbwc. */
export async function qbwcRouter(config: Pick<Config, 'publicBaseUrl' | 'qbwc'>, service: QbwcService, logger: Logger): Promise<Router> {
  const log = logger.child({ module: 'qbwc-http' });
  const wsdl = buildQbwcWsdl(`${config.publicBaseUrl}/qbwc`);
  const soapServer = await createSoapServer(wsdl, service);
  const router = express.Router();

  router.get('/support', (_req, res) => {
    res.type('text/plain').send(
      'qbd-bridge: QuickBooks Web Connector endpoint.\n' +
        'If an update fails, the message in the Web Connector says what to do; your qbd-bridge administrator can see the same in the connector\'s alerts.\n',
    );
  });

  router.get(['/', '/:registrationId'], (req, res) => {
    if ('wsdl' in req.query || 'WSDL' in req.query) {
      res.type('text/xml; charset=utf-8').send(wsdl);
      return;
    }
    res.status(405).type('text/plain').send('The Web Connector endpoint accepts SOAP POSTs. The WSDL is at ?wsdl.\n');
  });

  router.post(['/', '/:registrationId'], async (req: Request, res: Response) => {
    const origin = originOf({ url: req.originalUrl, connection: { remoteAddress: clientOf(req) } });
    const read = await readSoapBody(req, { headBytes: ANONYMOUS_BODY_BYTES, maxBytes: config.qbwc.maxBodyBytes }, (head) =>
      mayReadOn(head, origin, service, log),
    );
    if (!read.ok) {
      log.warn({ path: req.originalUrl, client: origin.client, status: read.status, reason: read.message }, 'SOAP request refused before reading it whole');
      // The rest of the body stays unread: the connection is closed once the fault is sent.
      res.setHeader('Connection', 'close');
      sendFault(res, read.status, read.message);
      return;
    }
    const refuseCall = (reason: string) => {
      log.warn({ path: req.originalUrl, reason }, 'SOAP request refused');
      sendFault(res, 400, reason);
    };
    const call = liftQbxmlArgument(read.body.toString('utf8'));
    if (!call.ok) return refuseCall(notWellFormed(call.reason, call.line));
    const refusal = refuse(call.envelope);
    if (refusal) return refuseCall(refusal);
    const connection: CallConnection = { remoteAddress: origin.client, lifted: call.lifted };
    const result = await soapServer.processRequest(call.envelope, {
      method: 'POST',
      url: req.originalUrl,
      headers: req.headers as Record<string, string>,
      connection,
    } as never);
    res.status(result.statusCode ?? 200).type('text/xml; charset=utf-8').send(result.body);
  });

  // Any other method or path under /qbwc: a SOAP Fault too, not Express' HTML page.
  router.use((req: Request, res: Response) => {
    sendFault(res, 404, `Nothing is served at ${req.method} ${req.baseUrl}${req.path}: the Web Connector endpoint is POST /qbwc/<registration id>.`);
  });

  // An undecodable path, an unexpected failure...: a SOAP Fault, never an HTML error page or a stack.
  router.use((error: Error & { status?: number }, req: Request, res: Response, _next: express.NextFunction) => {
    const status = error.status ?? 500;
    const message = status < 500 ? `The request could not be read (${error.message}).` : 'Internal error; it has been logged.';
    log.warn({ path: req.originalUrl, status, err: error }, 'SOAP request failed before processing');
    if (res.headersSent) res.destroy();
    else sendFault(res, status, message);
  });
  return router;
}

/**
 * Whether a body larger than ANONYMOUS_BODY_BYTES may be read on, judged from its head: only a
 * sendRequestXML or receiveResponseXML whose ticket is an active session of the registration in the URL.
 */
async function mayReadOn(head: string, origin: CallOrigin, service: QbwcService, log: Logger): Promise<BodyRefusal | null> {
  const { operation, ticket } = scanCallHead(head);
  if (!operation || !(operation in QBWC_OPERATIONS)) {
    return { status: 400, message: `The request does not start like a Web Connector call (no SOAP Body with a known operation in its first ${ANONYMOUS_BODY_BYTES} bytes).` };
  }
  if (!LARGE_OPERATIONS.has(operation)) return { status: 413, message: `A ${operation} request is at most ${ANONYMOUS_BODY_BYTES} bytes; this one is larger.` };
  const refusal = {
    status: 403,
    message: `A ${operation} request larger than ${ANONYMOUS_BODY_BYTES} bytes is accepted only from an active Web Connector session of this registration; this one's ticket is missing, unknown or no longer active. Run the update again.`,
  };
  if (!ticket) return refusal;
  try {
    return (await service.mayStreamLargeCall(origin, ticket)) ? null : refusal;
  } catch (error) {
    log.error({ err: error }, 'checking the ticket of a large SOAP request failed');
    return { status: 503, message: 'The service could not check this session just now (it has been logged). Try again later.' };
  }
}

/** Why a body is refused before SOAP processing, or null when it may go on. */
function refuse(xml: string): string | null {
  if (xml.trim() === '') return 'The request body is empty; a SOAP envelope was expected.';
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return 'XML with a DOCTYPE or entity declarations is refused.';
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return notWellFormed(valid.err.msg, valid.err.line);
  // Well-formed, so the envelope's shape can be scanned rather than parsed into objects (the `soap` package parses
  // it next).
  const { operation } = scanCallHead(xml);
  if (!ENVELOPE.test(xml) || operation === undefined) return 'The request is not a SOAP envelope with a Body.';
  if (!(operation in QBWC_OPERATIONS)) return `Unknown operation "${operation}": this is a QuickBooks Web Connector endpoint.`;
  return null;
}

function notWellFormed(reason: string, line: number): string {
  return `The request is not well-formed XML (${reason}, line ${line}).`;
}

function sendFault(res: Response, status: number, message: string): void {
  const text = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  res
    .status(status)
    .type('text/xml; charset=utf-8')
    .send(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP_ENV}"><soap:Body><soap:Fault>` +
        `<faultcode>soap:Client</faultcode><faultstring>${text}</faultstring></soap:Fault></soap:Body></soap:Envelope>`,
    );
}

/** req.ip follows TRUST_PROXY: behind a trusted proxy it is the client's address, not the proxy's. */
function clientOf(req: Request): string | undefined {
  return req.ip ?? req.socket.remoteAddress;
}

/** The registration id from the AppURL path /qbwc/<id>, and the client address, of a call. */
function originOf(req: { url?: string; connection?: { remoteAddress?: string } } | undefined): CallOrigin {
  const path = new URL(req?.url ?? '/', 'http://localhost').pathname;
  const match = /^\/qbwc\/([A-Za-z0-9_-]+)\/?$/.exec(path);
  return { registrationId: match?.[1], client: req?.connection?.remoteAddress ?? 'unknown' };
}

/** What a call's answer means, for the metrics: authenticate's verdict, whether work was sent, a failed session. */
function callOutcome(operation: QbwcOperationName, result: unknown): string {
  const value = Object.values(result as Record<string, unknown>)[0];
  switch (operation) {
    case 'authenticate': {
      const verdict = (value as { string: string[] }).string[1] ?? '';
      return ['nvu', 'none', 'busy'].includes(verdict) ? verdict : 'started';
    }
    case 'sendRequestXML':
      return value === '' ? 'nothing_to_send' : 'sent';
    case 'receiveResponseXML':
      return typeof value === 'number' && value < 0 ? 'error' : 'ok';
    default:
      return 'ok';
  }
}

/** What the `soap` package escapes in a string result, and how (its xmlEscape): the wire stays byte for byte the same. */
const SOAP_ESCAPES: Readonly<Record<number, string>> = {
  38: '&amp;', 60: '&lt;', 62: '&gt;', 34: '&quot;', 39: '&apos;', 9: '&#x9;', 13: '&#xD;', 10: '&#xA;',
};

/**
 * A string result escaped here in one pass and handed on as ready XML (the package's `$xml` key). The package's
 * own escaping makes eight regular-expression passes over it, and sendRequestXML's result is a qbXML request
 * of hundreds of KB.
 */
function withTextEscaped(result: Record<string, unknown>): Record<string, unknown> {
  const [name, value] = Object.entries(result)[0] ?? [];
  if (name === undefined || typeof value !== 'string') return result;
  let xml = '';
  let copied = 0;
  for (let at = 0; at < value.length; at++) {
    const escape = SOAP_ESCAPES[value.charCodeAt(at)];
    if (escape === undefined) continue;
    xml += value.slice(copied, at) + escape;
    copied = at + 1;
  }
  return { [name]: { $xml: xml + value.slice(copied) } };
}

function createSoapServer(wsdl: string, service: QbwcService): Promise<soap.Server> {
  type Handler = (args: Args, origin: CallOrigin) => Promise<unknown> | unknown;
  const handlers: Record<QbwcOperationName, Handler> = {
    serverVersion: () => ({ serverVersionResult: service.serverVersion() }),
    clientVersion: (a) => ({ clientVersionResult: service.clientVersion(str(a.strVersion)) }),
    authenticate: async (a, o) => ({
      authenticateResult: { string: await service.authenticate(o, str(a.strUserName), str(a.strPassword)) },
    }),
    sendRequestXML: async (a, o) => ({
      sendRequestXMLResult: await service.sendRequestXML(
        o, str(a.ticket), str(a.strHCPResponse), str(a.strCompanyFileName), str(a.qbXMLCountry), int(a.qbXMLMajorVers), int(a.qbXMLMinorVers),
      ),
    }),
    receiveResponseXML: async (a, o) => ({
      receiveResponseXMLResult: await service.receiveResponseXML(o, str(a.ticket), str(a.response), str(a.hresult), str(a.message)),
    }),
    connectionError: async (a, o) => ({ connectionErrorResult: await service.connectionError(o, str(a.ticket), str(a.hresult), str(a.message)) }),
    getLastError: async (a, o) => ({ getLastErrorResult: await service.getLastError(o, str(a.ticket)) }),
    closeConnection: async (a, o) => ({ closeConnectionResult: await service.closeConnection(o, str(a.ticket)) }),
    // Interactive mode is never requested (getLastError never answers "Interactive mode"); answer safely anyway.
    getInteractiveURL: () => ({ getInteractiveURLResult: '' }),
    interactiveDone: () => ({ interactiveDoneResult: 'Done' }),
    interactiveRejected: () => ({ interactiveRejectedResult: 'OK' }),
  };
  const port = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (args: Args, _callback: unknown, _headers: unknown, req: { url?: string; connection?: CallConnection } | undefined) => {
        const timer = soapDuration.startTimer({ operation: name });
        try {
          const lifted = req?.connection?.lifted;
          const result = await handler(lifted ? { ...args, [lifted.name]: lifted.text } : (args ?? {}), originOf(req));
          soapCalls.inc({ operation: name, outcome: callOutcome(name as QbwcOperationName, result) });
          return withTextEscaped(result as Record<string, unknown>);
        } catch (error) {
          soapCalls.inc({ operation: name, outcome: 'fault' });
          throw error;
        } finally {
          timer();
        }
      },
    ]),
  );
  return new Promise((resolve, reject) => {
    soap.listen(null, {
      path: '/qbwc',
      services: { QBWebConnectorSvc: { QBWebConnectorSvcSoap: port } },
      xml: wsdl,
      suppressStack: true,
      callback: (err: unknown, server: soap.Server) => (err ? reject(err) : resolve(server)),
    });
  });
}
