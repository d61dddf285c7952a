/**
 * Prometheus metrics (prom-client), served at GET /metrics to a caller with METRICS_TOKEN, or on a port of its
 * own (METRICS_PORT/METRICS_HOST). What is counted, and where:
 *   qbd_bridge_http_requests_total / _http_request_duration_seconds   every HTTP request, by route and status
 *   qbd_bridge_http_requests_in_flight                                 requests being served now, by route
 *   qbd_bridge_soap_calls_total / _soap_call_duration_seconds          Web Connector calls, by operation and outcome
 *   qbd_bridge_sessions_started_total / _sessions_ended_total          Web Connector sessions, ended by outcome
 *   qbd_bridge_transfer_steps_total                                    ledger state changes, by entity type and state
 *   qbd_bridge_transfers_pending                                       queue depth per connector (see below)
 *   qbd_bridge_autotask_pulls_total / _autotask_write_backs_total      scheduled Autotask work, by outcome
 *   qbd_bridge_db_pool_connections                                     database pool use (used, free, waiting)
 *   plus Node's process metrics (CPU, memory, event-loop lag) under the same prefix.
 * The queue depth is read at most every PENDING_TTL_MS however often Prometheus scrapes, by one grouped
 * statement over the ledger's partial index of pending rows (it holds only QUEUED / NEEDS_RECONCILE rows).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import client from 'prom-client';

const PREFIX = 'qbd_bridge_';
const PENDING_TTL_MS = 15_000;
const PENDING_GAUGE = `${PREFIX}transfers_pending`;
const POOL_GAUGE = `${PREFIX}db_pool_connections`;

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: PREFIX });

export const httpRequests = new client.Counter({ name: `${PREFIX}http_requests_total`, help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
export const httpDuration = new client.Histogram({
  name: `${PREFIX}http_request_duration_seconds`, help: 'HTTP request latency by route.', labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
});
export const httpInFlight = new client.Gauge({ name: `${PREFIX}http_requests_in_flight`, help: 'HTTP requests being served now (headers read, answer not yet sent), by route.', labelNames: ['route'] as const, registers: [registry] });
export const soapCalls = new client.Counter({ name: `${PREFIX}soap_calls_total`, help: 'Web Connector calls by operation and outcome.', labelNames: ['operation', 'outcome'] as const, registers: [registry] });
export const soapDuration = new client.Histogram({
  name: `${PREFIX}soap_call_duration_seconds`, help: 'Web Connector call latency by operation.', labelNames: ['operation'] as const,
  buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry],
});
export const sessionsStarted = new client.Counter({ name: `${PREFIX}sessions_started_total`, help: 'Web Connector sessions started (authenticate with work to do).', registers: [registry] });
export const sessionsEnded = new client.Counter({ name: `${PREFIX}sessions_ended_total`, help: 'Web Connector sessions ended, by outcome (closed, failed, expired, connection_error).', labelNames: ['outcome'] as const, registers: [registry] });
export const transferSteps = new client.Counter({ name: `${PREFIX}transfer_steps_total`, help: 'Transfer ledger state changes, by entity type and the state entered.', labelNames: ['entity_type', 'state'] as const, registers: [registry] });
export const autotaskPulls = new client.Counter({ name: `${PREFIX}autotask_pulls_total`, help: 'Scheduled Autotask pulls by outcome (ok, failed).', labelNames: ['outcome'] as const, registers: [registry] });
export const autotaskWriteBacks = new client.Counter({ name: `${PREFIX}autotask_write_backs_total`, help: 'Values written back to Autotask by kind, and failed write-backs.', labelNames: ['kind'] as const, registers: [registry] });

/** What the metrics read from the running service at scrape time: its database. */
export function watchDatabase(orm: MikroORM): () => void {
  // One service per process; a test that starts another replaces the previous one's gauges.
  for (const name of [PENDING_GAUGE, POOL_GAUGE]) if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  let cached: { at: number; rows: Array<{ connector_id: string; pending: string }> } | undefined;
  const pending = new client.Gauge({
    name: PENDING_GAUGE, help: `Ledger items waiting to be sent (QUEUED or NEEDS_RECONCILE), per connector; read at most every ${PENDING_TTL_MS / 1000} s.`,
    labelNames: ['connector'] as const, registers: [registry],
    async collect() {
      if (!cached || Date.now() - cached.at > PENDING_TTL_MS) {
        const rows = await orm.em.fork().getConnection().execute<Array<{ connector_id: string; pending: string }>>(
          `select connector_id, count(*) as pending from transfer_item where state in ('QUEUED', 'NEEDS_RECONCILE') group by connector_id`,
        );
        cached = { at: Date.now(), rows };
      }
      this.reset();
      for (const row of cached.rows) this.set({ connector: row.connector_id }, Number(row.pending));
    },
  });
  const pool = new client.Gauge({
    name: POOL_GAUGE, help: 'Database pool connections: used, free, and callers waiting for one.', labelNames: ['state'] as const, registers: [registry],
    collect() {
      const knexPool = (orm.em.getConnection().getKnex().client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
      if (!knexPool) return;
      this.set({ state: 'used' }, knexPool.numUsed());
      this.set({ state: 'free' }, knexPool.numFree());
      this.set({ state: 'waiting' }, knexPool.numPendingAcquires());
    },
  });
  return () => {
    // Only ours: a later service in the same process may have registered its own meanwhile.
    if (registry.getSingleMetric(PENDING_GAUGE) === pending) registry.removeSingleMetric(PENDING_GAUGE);
    if (registry.getSingleMetric(POOL_GAUGE) === pool) registry.removeSingleMetric(POOL_GAUGE);
  };
}

/** The route label of a request path: the service's own routes, never the raw path (ids would explode the series). */
export function routeOf(path: string): string {
  for (const route of ['/graphql', '/qbwc', '/qwc', '/healthz', '/metrics']) if (path === route || path.startsWith(`${route}/`)) return route;
  return path.startsWith('/assets/') || path === '/' || !path.includes('.') ? 'console' : 'other';
}
