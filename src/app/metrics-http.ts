/**
 * Serving the metrics (metrics.ts): a middleware that counts and times every request, the /metrics handler
 * (Prometheus text format; on the main port it needs `Authorization: Bearer <METRICS_TOKEN>`), and the optional
 * listener of its own on METRICS_HOST:METRICS_PORT, which needs no token (bind it to a private address).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { RequestHandler } from 'express';
import type { Config } from './config.js';
import { AppError } from '../errors/app-error.js';
import { httpDuration, httpInFlight, httpRequests, registry, routeOf } from './metrics.js';

export const httpMetrics: RequestHandler = (req, res, next) => {
  const route = routeOf(req.path);
  const timer = httpDuration.startTimer({ method: req.method, route });
  httpInFlight.inc({ route });
  // 'close' follows 'finish', and also comes alone when the client goes away before the answer.
  res.once('close', () => httpInFlight.dec({ route }));
  res.once('finish', () => {
    timer();
    httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
};

/** GET /metrics on the main port: only with the token (a scrape without it is refused like any API call). */
export function metricsRoute(token: string): RequestHandler {
  const expected = digest(token);
  return async (req, res) => {
    const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      throw new AppError('UNAUTHENTICATED', 'The metrics need "Authorization: Bearer <METRICS_TOKEN>".');
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}

/** The metrics on a port of their own (METRICS_PORT), for a scraper on a private network; null when not configured. */
export async function startMetricsServer(config: Config['metrics']): Promise<http.Server | null> {
  if (config.port === undefined) return null;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here.\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('The metrics could not be collected; see the service log.\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  return server;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
