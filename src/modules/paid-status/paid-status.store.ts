/**
 * Recording QuickBooks' paid status on our copies of transferred invoices, and the ledger facts the check
 * needs (which QuickBooks transactions are ours, and since when there are any).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Invoice } from '../autotask/invoice.entity.js';
import { TransferEntityType, TransferState } from '../transfer/transfer-state.js';
import type { InvoiceStatusRow } from './paid-status-query.js';

/** Whether the connector has invoices QuickBooks accepted, and when the first was accepted. */
export async function transferredInvoices(em: EntityManager, connectorId: string): Promise<{ any: boolean; firstFinishedAt: Date | null }> {
  // The earliest one, by the partial index transfer_item_transferred_invoice: asked at every Web Connector call, so
  // no count over the connector's whole history.
  const rows: Array<{ first: Date | string | null }> = await em.execute(
    `select finished_at as first from transfer_item
     where connector_id = ? and entity_type = ? and state = ? and qb_txn_id is not null
     order by finished_at limit 1`,
    [connectorId, TransferEntityType.INVOICE, TransferState.SUCCEEDED],
  );
  const row = rows[0];
  return { any: row !== undefined, firstFinishedAt: row?.first ? new Date(row.first) : null };
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
 * (payment deleted) — but only a paid date that came from QuickBooks, never one Autotask sent us.
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
  await em.flush();
  return changed;
}
