/**
 * What an Autotask void means for the ledger: an invoice voided (or deleted) in Autotask must not stay open
 * in QuickBooks. Voiding is a transfer like any other — an INVOICE_VOID ledger item per connector, sent by the
 * `invoice-voids` plugin (which refuses when QuickBooks shows payments or credits applied) — so its outcome and
 * history are visible next to the invoice's own transfer. Nothing here talks to QuickBooks.
 *
 *   invoice transfer QUEUED (never sent)                 → cancelled: nothing reached QuickBooks
 *   invoice transfer SUCCEEDED / SENT / NEEDS_RECONCILE  → INVOICE_VOID queued for that connector (it waits
 *                                                          for the invoice's own outcome when that is open)
 *   no transfer, FAILED or CANCELLED                     → nothing to undo
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../audit/actor.js';
import { TransferItem } from './transfer-item.entity.js';
import { cancel, enqueueAll } from './transfer-ledger.js';
import { TransferEntityType, TransferState } from './transfer-state.js';

/** Maybe in QuickBooks: these invoice transfers are voided there. */
const MAY_BE_IN_QUICKBOOKS = [TransferState.SUCCEEDED, TransferState.SENT, TransferState.NEEDS_RECONCILE];

/** Settles the ledger for invoices (our ids) just voided in Autotask; the caller flushes. */
export async function queueInvoiceVoids(em: EntityManager, invoiceIds: readonly string[], actor: Actor): Promise<TransferItem[]> {
  if (invoiceIds.length === 0) return [];
  const transfers = await em.find(TransferItem, {
    entityType: TransferEntityType.INVOICE,
    entityId: { $in: [...invoiceIds] },
    state: { $in: [TransferState.QUEUED, ...MAY_BE_IN_QUICKBOOKS] },
  });
  for (const item of transfers) {
    // Queued and never sent (no unknown outcome to look up first): withdraw it instead of sending then voiding.
    if (item.state === TransferState.QUEUED && !item.reconcileBeforeSend) cancel(item, actor);
  }
  const toVoid = transfers.filter((item) => item.state !== TransferState.CANCELLED);
  return enqueueAll(em, toVoid.map((item) => ({ connector: item.connector, entityType: TransferEntityType.INVOICE_VOID, entityId: item.entityId, actor })));
}
