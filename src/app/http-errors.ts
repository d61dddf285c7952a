/**
 * The one error answer of the HTTP server, for every route: anything that fails before or outside a
 * route's own answer (a body that is not JSON or too large, a bad percent-escape in the URL, an unknown
 * route or method, an error thrown by a handler) ends here, and never in Express's HTML page with a stack.
 *
 * Each answer carries a stable code from errors/error-codes.ts and the request id (the `x-request-id`
 * header of every response, also in the log line), so a person can match what they saw to the log. The
 * shape follows what the caller speaks: GraphQL's `{ errors: [...] }` on /graphql, a SOAP Fault on /qbwc
 * (the Web Connector reads nothing else; its router answers its own errors and this only catches what
 * falls past it), `{ error: { code, message, requestId } }` elsewhere. Messages never carry
 * an error's own message or stack, or a path on this machine; unexpected errors are logged and masked.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { XMLBuilder } from 'fast-xml-parser';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from './logger.js';
import { AppError } from '../errors/app-error.js';
import { ERROR_CODES } from '../errors/error-codes.js';

/** A request id a reverse proxy already assigned is kept when it looks like one (it then ties both logs). */
const FORWARDED_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The path as the client sent it (inside a mounted router `req.path` is relative to the mount), without the query. */
function routeOf(req: Request): string {
  return req.originalUrl.split('?')[0] ?? '';
}

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId ?? '');
}

/**
 * Gives every request an id, answered in `x-request-id`, and logs every request answered with an error
 * status, whoever answered it (this handler, Apollo's own refusals, the /qbwc router), once, with that id.
 */
export function requestIds(logger: Logger): RequestHandler {
  const log = logger.child({ module: 'http' });
  return (req, res, next) => {
    const forwarded = req.get('x-request-id');
    const id = forwarded && FORWARDED_ID.test(forwarded) ? forwarded : uuidv7();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    res.once('finish', () => {
      if (res.statusCode < 400) return;
      const line = { requestId: id, method: req.method, path: routeOf(req), status: res.statusCode, code: res.locals.errorCode as string | undefined };
      if (res.statusCode >= 500) log.error(line, 'HTTP request failed');
      else log.warn(line, 'HTTP request refused');
    });
    next();
  };
}

/** After every route: nothing matched the method and path. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new AppError('ROUTE_NOT_FOUND', `There is no ${req.method} ${routeOf(req)} here. The service serves /graphql, /healthz, /qwc/<registration> and /qbwc.`));
};

/** Express's body-parser and router errors (http-errors: `status`, `type`), as AppErrors a caller can act on. */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const e = error as { status?: unknown; type?: unknown; limit?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  // The router decodes path parameters with decodeURIComponent and passes its URIError on.
  if (error instanceof URIError) return new AppError('MALFORMED_REQUEST', 'The URL contains an invalid percent-escape (a % not followed by two hex digits of valid UTF-8).');
  switch (e?.type) {
    case 'entity.parse.failed':
      return new AppError('MALFORMED_REQUEST', 'The request body is not valid JSON.');
    case 'entity.too.large':
    case 'parameters.too.many':
      return new AppError('REQUEST_TOO_LARGE', `The request body is larger than the ${typeof e.limit === 'number' ? `${e.limit} bytes` : 'size'} this endpoint accepts.`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'The request body is in an encoding or charset this service does not read; send UTF-8.');
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('MALFORMED_REQUEST', 'The request body ended before its Content-Length.');
  }
  if (status !== undefined && status >= 400 && status < 500) return new AppError('MALFORMED_REQUEST', 'The request could not be read.');
  return undefined;
}

const faultBuilder = new XMLBuilder({ ignoreAttributes: false });

function soapFault(message: string): string {
  return faultBuilder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' },
    'soap:Envelope': {
      '@_xmlns:soap': 'http://schemas.xmlsoap.org/soap/envelope/',
      'soap:Body': { 'soap:Fault': { faultcode: 'soap:Client', faultstring: message } },
    },
  });
}

/** Answers `error` in the shape the route's callers speak (see the file header). */
function send(req: Request, res: Response, error: AppError): void {
  const { http, graphql } = ERROR_CODES[error.code];
  const requestId = requestIdOf(res);
  const route = routeOf(req);
  res.status(http);
  if (route === '/qbwc' || route.startsWith('/qbwc/')) {
    res.type('text/xml; charset=utf-8').send(soapFault(`${error.message} (request ${requestId})`));
  } else if (route === '/graphql' || route.startsWith('/graphql/')) {
    res.json({ errors: [{ message: error.message, extensions: { code: graphql, errorCode: error.code, requestId } }] });
  } else {
    res.json({ error: { code: error.code, message: error.message, requestId } });
  }
}

/** The last middleware: every error of every route. */
export function httpErrorHandler(logger: Logger) {
  const log = logger.child({ module: 'http' });
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const requestId = requestIdOf(res);
    const known = toAppError(error);
    // Refusals are logged by requestIds when the answer is out; only the unexpected need their details here.
    if (!known || ERROR_CODES[known.code].http >= 500) log.error({ requestId, method: req.method, path: routeOf(req), err: error }, 'unexpected error in HTTP route');
    if (res.headersSent) {
      // Part of an answer is out; the only honest ending left is to cut the connection.
      req.socket.destroy();
      return;
    }
    const answer = known ?? new AppError('INTERNAL', `Internal error; it has been logged (request ${requestId}).`);
    res.locals.errorCode = answer.code;
    send(req, res, answer);
  };
}
