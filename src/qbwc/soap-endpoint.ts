/**
 * The Web Connector's HTTP face: SOAP 1.1 at /qbwc/<registration id> (the AppURL of each QWC file), the
 * WSDL at /qbwc?wsdl, and the AppSupport page at /qbwc/support.
 *
 * Bodies are checked before the `soap` package sees them: a size cap, no DTD or entity declarations (XXE,
 * "billion laughs"), well-formed XML, a known operation. Anything else gets a SOAP Fault and changes nothing.
 * The `soap` package then parses the envelope against our WSDL and calls QbwcService, which never throws.
 */
import express, { type Request, type Response, type Router } from 'express';
import soap from 'soap';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Config } from '../app/config.js';
import type { Logger } from '../app/logger.js';
import { QBWC_OPERATIONS, buildQbwcWsdl, type QbwcOperationName } from './wsdl.js';
import type { CallOrigin, QbwcService } from './qbwc-service.js';

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const envelopeParser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, processEntities: false, parseTagValue: false });

type Args = Record<string, unknown>;

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

  router.post(
    ['/', '/:registrationId'],
    express.raw({ type: () => true, limit: config.qbwc.maxBodyBytes }),
    async (req: Request, res: Response) => {
      const xml = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const refusal = refuse(xml);
      if (refusal) {
        log.warn({ path: req.originalUrl, reason: refusal }, 'SOAP request refused');
        sendFault(res, 400, refusal);
        return;
      }
      const result = await soapServer.processRequest(xml, {
        method: 'POST',
        url: req.originalUrl,
        headers: req.headers as Record<string, string>,
        // req.ip follows TRUST_PROXY: behind a trusted proxy it is the client's address, not the proxy's.
        connection: { remoteAddress: req.ip ?? req.socket.remoteAddress },
      } as never);
      res.status(result.statusCode ?? 200).type('text/xml; charset=utf-8').send(result.body);
    },
  );

  // Body too large, unreadable encoding...: a SOAP Fault, never an HTML error page.
  router.use((error: Error & { status?: number; type?: string }, req: Request, res: Response, _next: express.NextFunction) => {
    const status = error.status ?? 500;
    const message =
      error.type === 'entity.too.large'
        ? `The request is larger than the ${config.qbwc.maxBodyBytes} bytes this service accepts (QBWC_MAX_BODY_BYTES).`
        : status < 500
          ? `The request could not be read (${error.message}).`
          : 'Internal error; it has been logged.';
    log.warn({ path: req.originalUrl, status, err: error }, 'SOAP request failed before processing');
    sendFault(res, status, message);
  });
  return router;
}

/** Why a body is refused before SOAP processing, or null when it may go on. */
function refuse(xml: string): string | null {
  if (xml.trim() === '') return 'The request body is empty; a SOAP envelope was expected.';
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return 'XML with a DOCTYPE or entity declarations is refused.';
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return `The request is not well-formed XML (${valid.err.msg}, line ${valid.err.line}).`;
  const envelope = (envelopeParser.parse(xml) as { Envelope?: { Body?: Record<string, unknown> } }).Envelope;
  if (!envelope?.Body || typeof envelope.Body !== 'object') return 'The request is not a SOAP envelope with a Body.';
  const operation = Object.keys(envelope.Body)[0];
  if (!operation || !(operation in QBWC_OPERATIONS)) return `Unknown operation "${operation ?? ''}": this is a QuickBooks Web Connector endpoint.`;
  return null;
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

/** The registration id from the AppURL path /qbwc/<id>, and the client address, of a call. */
function originOf(req: { url?: string; connection?: { remoteAddress?: string } } | undefined): CallOrigin {
  const path = new URL(req?.url ?? '/', 'http://localhost').pathname;
  const match = /^\/qbwc\/([A-Za-z0-9_-]+)\/?$/.exec(path);
  return { registrationId: match?.[1], client: req?.connection?.remoteAddress ?? 'unknown' };
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
      (args: Args, _callback: unknown, _headers: unknown, req: Parameters<typeof originOf>[0]) => handler(args ?? {}, originOf(req)),
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
