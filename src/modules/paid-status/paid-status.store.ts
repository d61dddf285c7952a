/**
 * Recording QuickBooks' paid status on our copies of transferred invoices, and the ledger facts the check
 * needs (which QuickBooks transactions are ours, and since when there are any).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { plainRowOfJson, selectPlainRows, type PlainRow } from '../../db/rows.js';
import { newId } from '../../shared/ids.js';
import { currentActor } from '../audit/actor.js';
import { storeChangedRows } from '../audit/audit-log.js';
import { SessionState } from '../../qbwc/session/qbwc-session.entity.js';
import { Invoice } from '../autotask/invoice.entity.js';
import { bindingStart } from '../quickbooks-lists/list-sync.service.js';
import { TransferEntityType, TransferState } from '../transfer/transfer-state.js';
import type { InvoiceStatusRow } from './paid-status-query.js';
import { PaidStatusSync } from './paid-status-sync.entity.js';

/**
 * The connector's earliest invoice QuickBooks accepted, by the partial index transfer_item_transferred_invoice:
 * asked at every Web Connector call, so no count over the connector's whole history.
 */
const FIRST_TRANSFERRED_INVOICE = `select finished_at from transfer_item
     where connector_id = ? and entity_type = ? and state = ? and qb_txn_id is not null
     order by finished_at limit 1`;

/** The check state as a Web Connector call holds it: a plain row it changes, written back by storeCheckState. */
export type PaidStatusRow = { -readonly [K in keyof PlainRow<PaidStatusSync>]: PlainRow<PaidStatusSync>[K] };

/** What deciding whether the check is due needs, read together. */
export interface PaidStatusFacts {
  /** The connector's check state, null before its first check. */
  readonly state: PaidStatusRow | null;
  readonly transferred: { readonly any: boolean; readonly firstFinishedAt: Date | null };
  /** As `boundSince`: when the current company file binding began, null when unbound, undefined when unknown. */
  readonly boundAt: Date | null | undefined;
  /** The connector's active Web Connector session, if any. */
  readonly activeSessionId: string | undefined;
}

/**
 * The check state, whether (and since when) invoices were transferred, the company file binding and the
 * active session of one connector, in one statement: the check is asked whether it is due at every Web
 * Connector call. The state row comes back as JSON, made the plain row selectPlainRows would read (no entity: the
 * call's flushes need not compare it, and it is written only where the check changes it, storeCheckState).
 */
export async function paidStatusFacts(em: EntityManager, connectorId: string): Promise<PaidStatusFacts> {
  const { sql, params } = paidStatusFactsQuery(connectorId);
  const rows: Array<{
    state: Record<string, unknown> | null;
    transferred: boolean | null;
    first_finished_at: Date | string | null;
    company_id: string | null;
    first_contact_at: Date | string | null;
    active_session_id: string | null;
  }> = await em.execute(sql, params);
  const row = rows[0];
  return {
    state: row?.state ? { ...plainRowOfJson(em, PaidStatusSync, row.state) } : null,
    transferred: { any: row?.transferred === true, firstFinishedAt: row?.first_finished_at ? new Date(row.first_finished_at) : null },
    boundAt: row ? bindingStart(row) : undefined,
    activeSessionId: row?.active_session_id ?? undefined,
  };
}

/** The statement of paidStatusFacts (its plan is checked in test/paid-status/transferred-invoices-plan.test.ts). */
export function paidStatusFactsQuery(connectorId: string): { sql: string; params: unknown[] } {
  return {
    sql: `select (select to_jsonb(s) from paid_status_sync s where s.connector_id = k.id) as state,
       t.transferred, t.finished_at as first_finished_at, c.id as company_id, c.first_contact_at,
       (select q.id from qbwc_session q where q.connector_id = k.id and q.state = ? limit 1) as active_session_id
     from connector k
     left join company c on c.id = k.company_id and c.unbound_at is null
     left join lateral (select true as transferred, first.finished_at from (${FIRST_TRANSFERRED_INVOICE}) first) t on true
     where k.id = ?`,
    params: [SessionState.ACTIVE, connectorId, TransferEntityType.INVOICE, TransferState.SUCCEEDED, connectorId],
  };
}

/** The connector's check state, alone (an answer's call that has not read the facts). */
export async function checkState(em: EntityManager, connectorId: string): Promise<PaidStatusRow | null> {
  const [state] = await selectPlainRows(em, PaidStatusSync, 't.connector_id = ?', [connectorId]);
  return state ? { ...state } : null;
}

/** A connector's first check state, as `new PaidStatusSync` makes it. */
export function newCheckState(connectorId: string): PaidStatusRow {
  const now = new Date();
  return {
    id: newId('pss'), createdAt: now, updatedAt: now, connector: { id: connectorId },
    runId: null, runSessionId: null, runStartedAt: null, runFromModified: null, runMaxTimeModified: null, runOutstanding: 0, runPages: 0, runReceived: 0, runUpdated: 0,
    lastAttemptAt: null, lastAttemptSessionId: null, lastOutcome: null, lastStatusCode: null, lastError: null, lastFromModified: null, lastReceived: null, lastUpdated: null,
    lastSuccessAt: null, highWaterMark: null,
  };
}

/** The properties the check changes (all but its keys and creation time). */
const CHECK_PROPERTIES = (Object.keys(newCheckState('')) as Array<keyof PaidStatusRow>).filter((p) => !['id', 'createdAt', 'updatedAt', 'connector'].includes(p));

/**
 * Writes the check state when it changed since `stored` (as read or last written, by id; missing there: new),
 * with its audit entry (storeChangedRows), by the connector's unique index.
 */
export async function storeCheckState(em: EntityManager, state: PaidStatusRow, stored: Map<string, PaidStatusRow>): Promise<void> {
  await storeChangedRows(em, PaidStatusSync, [state], stored, CHECK_PROPERTIES, currentActor(), { sql: 't.connector_id = ?', params: [state.connector.id] });
}

/**
 * Of these QuickBooks TxnIDs, those that are this connector's transferred invoices: TxnID → our invoice id.
 * Plain SQL: partial TransferItems in the session's identity map would confuse the ledger source sharing it.
 */
export async function ourInvoices(em: EntityManager, connectorId: string, txnIds: readonly string[]): Promise<Map<string, string>> {
  if (txnIds.length === 0) return new Map();
  const rows: Array<{ entity_id: string; qb_txn_id: string }> = await em.execute(
    `select entity_id, qb_txn_id from transfer_item
     where connector_id = ? and entity_type = ? and state = ? and qb_txn_id in (select jsonb_array_elements_text(?::jsonb))`,
    [connectorId, TransferEntityType.INVOICE, TransferState.SUCCEEDED, JSON.stringify([...new Set(txnIds)])],
  );
  return new Map(rows.map((r) => [r.qb_txn_id, r.entity_id]));
}

/** QuickBooks writes amounts like "232.5" or "232.50"; the column holds two decimals. */
function cents(amount: string | null): string | null {
  if (amount === null) return null;
  const n = Number(amount);
  return Number.isFinite(n) ? n.toFixed(2) : null;
}

/**
 * Stores each row's status on our invoice when it is one of ours and something changed; returns how many
 * changed. `paidDate` follows QuickBooks: set when paid; cleared when QuickBooks no longer shows it paid
 * (payment deleted) — but only a paid date that came from QuickBooks, never one Autotask sent us. The invoices are
 * changed in `em`, whose next flush writes them (the caller's, with its check state: one flush per answer).
 */
export async function recordInvoiceStatus(em: EntityManager, connectorId: string, rows: readonly InvoiceStatusRow[], now: Date): Promise<number> {
  const ours = await ourInvoices(em, connectorId, rows.map((r) => r.txnId));
  if (ours.size === 0) return 0;
  const invoices = new Map((await em.find(Invoice, { id: { $in: [...new Set(ours.values())] } })).map((i) => [i.id, i]));
  let changed = 0;
  for (const row of rows) {
    const invoice = invoices.get(ours.get(row.txnId) ?? '');
    // Voided in Autotask: QuickBooks shows the voided invoice as paid (nothing is due), which is no payment.
    if (!invoice || invoice.isVoided) continue;
    const balance = cents(row.balanceRemaining);
    if (invoice.qbIsPaid === row.isPaid && invoice.qbBalanceRemaining === balance && invoice.qbPaidDate === row.paidDate) continue;
    const previousQbPaidDate = invoice.qbPaidDate;
    invoice.qbIsPaid = row.isPaid;
    invoice.qbBalanceRemaining = balance;
    invoice.qbPaidDate = row.paidDate;
    invoice.qbPaidStatusChangedAt = now;
    if (row.paidDate) invoice.paidDate = row.paidDate;
    else if (previousQbPaidDate && invoice.paidDate === previousQbPaidDate) invoice.paidDate = null;
    changed++;
  }
  return changed;
}
