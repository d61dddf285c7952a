/**
 * The requests of a session's last message (QbwcInFlightRequest rows), written and taken set-based in the
 * call's transaction: one insert when a message is sent, one delete when it is answered or the session ends.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { executeBound, insertRows } from '../../db/rows.js';
import type { SentRequest } from '../work/work-source.js';
import { QbwcInFlightRequest } from './in-flight-request.entity.js';

/** Remembers the requests just sent (the session holds none at this point: see takeInFlight). */
export async function putInFlight(em: EntityManager, sessionId: string, requests: readonly SentRequest[]): Promise<void> {
  // Only what an answer is matched and handed back with: the qbXML sent is not needed again.
  await insertRows(em, QbwcInFlightRequest, requests.map(({ requestId, type, source, meta }, position) => ({
    session: sessionId, position, request: { requestId, type, source, ...(meta === undefined ? {} : { meta }) },
  })));
}

/** The requests the session has in flight, in message order, no longer held by it. */
export async function takeInFlight(em: EntityManager, sessionId: string): Promise<SentRequest[]> {
  const rows = await executeBound<{ position: number; request: SentRequest }>(
    em, 'delete from qbwc_in_flight_request where session_id = ? returning position, request', [sessionId]);
  return rows.sort((a, b) => a.position - b.position).map((r) => r.request);
}
