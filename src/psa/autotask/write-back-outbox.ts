/**
 * The Autotask write-back outbox: pushes QuickBooks outcomes to Autotask from the scheduler, never from a Web
 * Connector call (Autotask may be slow or down; QuickBooks' session must not wait for it).
 *
 * What is pending is derived by one query rather than enqueued by the transfer engine:
 *   - invoice number: the invoice's latest SUCCEEDED invoice transfer is not the one last written
 *     (`writeBackInvoice`: invoiceNumber = QuickBooks RefNumber, webServiceDate);
 *   - expense report reference: the report's latest SUCCEEDED transfer's TxnID is not Autotask's
 *     quickBooksReferenceNumber (`writeBackExpenseReportReference`, like purchase order numbers below);
 *   - paid date: QuickBooks' paid date on our invoice (set by the paid-status source) differs from the one
 *     Autotask has from us (`writeBackInvoicePaid`, or `clearInvoicePaid` when it is no longer paid).
 * Each outcome is recorded per invoice (`autotask_invoice_write_back`): success (never written twice), or the
 * error with a retry time that doubles with each failure. A lease (`job_lock`) keeps one instance at a time.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AutotaskConfig } from '../../app/config.js';
import { AppError } from '../../errors/app-error.js';
import { asActor } from '../../modules/audit/actor.js';
import { Invoice } from '../../modules/autotask/invoice.entity.js';
import { TransferEntityType, TransferState } from '../../modules/transfer/transfer-state.js';
import { newHolderId, tryAcquireLease } from '../job-lock.js';
import { reusingClient, type AutotaskRuntime } from './autotask-connection.service.js';
import { AutotaskApiError } from './errors.js';
import { AutotaskInvoiceWriteBack, WriteBackStep } from './invoice-write-back.entity.js';
import { SCHEDULER_ACTOR } from './pull.js';
import { clearInvoicePaid, writeBackExpenseReportReference, writeBackInvoice, writeBackInvoicePaid, writeBackPurchaseOrderNumber } from './write-back.js';

export const WRITE_BACK_LOCK = 'autotask-write-back';

const MINUTE = 60_000;
const MAX_RETRY_MS = 24 * 60 * MINUTE;

export interface WriteBackSummary {
  /** False when another instance holds the lease. */
  readonly ran: boolean;
  numbersWritten: number;
  paidDatesWritten: number;
  paidDatesCleared: number;
  /** QuickBooks purchase order numbers written to Autotask's externalPONumber. */
  purchaseOrderNumbersWritten: number;
  /** QuickBooks bill (or vendor credit) TxnIDs written to Autotask's quickBooksReferenceNumber. */
  expenseReportReferencesWritten: number;
  failed: number;
}

export interface WriteBackOptions {
  readonly config: Pick<AutotaskConfig, 'writeBackBatchSize' | 'writeBackRetryMinutes'>;
  readonly now?: () => Date;
  readonly leaseSeconds?: number;
}

interface PendingRow {
  invoice_id: string;
  transfer_item_id: string;
  write_back_id: string | null;
  number_pending: boolean;
  paid_pending: boolean;
  qb_paid_date: string | Date | null;
}

/** Invoices with something to write whose retry time (if any) has come, oldest first. */
async function pendingWriteBacks(em: EntityManager, now: Date, limit: number): Promise<PendingRow[]> {
  return em.execute(
    `select * from (
       select i.id as invoice_id, t.id as transfer_item_id, w.id as write_back_id,
              (w.id is null or w.number_transfer_item_id is distinct from t.id) as number_pending,
              (i.qb_paid_status_changed_at is not null
                and (case when w.paid_written_at is null then i.qb_paid_date is not null
                          else w.paid_date_written is distinct from i.qb_paid_date end)
                -- a clear Autotask refused waits for a person (or for the invoice to be paid again)
                and not (i.qb_paid_date is null and coalesce(w.paid_clear_refused, false))) as paid_pending,
              to_char(i.qb_paid_date, 'YYYY-MM-DD') as qb_paid_date,
              coalesce(w.next_attempt_at, i.created_at) as due_at
       from invoice i
       join lateral (
         select ti.id from transfer_item ti
         where ti.entity_type = ? and ti.entity_id = i.id and ti.state = ?
         order by ti.finished_at desc nulls last, ti.id desc limit 1
       ) t on true
       left join autotask_invoice_write_back w on w.invoice_id = i.id
       where w.next_attempt_at is null or w.next_attempt_at <= ?
     ) pending
     where number_pending or paid_pending
     order by due_at, invoice_id
     limit ?`,
    [TransferEntityType.INVOICE, TransferState.SUCCEEDED, now, limit],
  );
}

/**
 * A value a record's latest SUCCEEDED transfer got from QuickBooks that Autotask must show, and the column of our
 * copy of the record that holds what Autotask shows now (as we last wrote or received it).
 */
interface TransferValueWriteBack {
  readonly table: string;
  readonly entityType: TransferEntityType;
  readonly transferColumn: 'qb_ref_number' | 'qb_txn_id';
  readonly shownColumn: string;
  /** PATCHes Autotask and records what was written on our copy. */
  write(em: EntityManager, runtime: AutotaskRuntime, id: string, value: string): Promise<unknown>;
  readonly counter: 'purchaseOrderNumbersWritten' | 'expenseReportReferencesWritten';
  /** For the log line of a failure. */
  readonly what: string;
}

/** The purchase order number QuickBooks gave → externalPONumber; an expense report's bill TxnID → quickBooksReferenceNumber. */
const TRANSFER_VALUE_WRITE_BACKS: readonly TransferValueWriteBack[] = [
  { table: 'purchase_order', entityType: TransferEntityType.PURCHASE_ORDER, transferColumn: 'qb_ref_number', shownColumn: 'external_ponumber',
    write: writeBackPurchaseOrderNumber, counter: 'purchaseOrderNumbersWritten', what: 'the QuickBooks PO number of a purchase order' },
  { table: 'expense_report', entityType: TransferEntityType.EXPENSE_REPORT, transferColumn: 'qb_txn_id', shownColumn: 'quick_books_reference_number',
    write: writeBackExpenseReportReference, counter: 'expenseReportReferencesWritten', what: 'the QuickBooks reference of an expense report' },
];

/** Records whose latest SUCCEEDED transfer holds a value the record's Autotask side does not show yet. */
async function pendingTransferValues(em: EntityManager, spec: TransferValueWriteBack, limit: number): Promise<Array<{ id: string; value: string }>> {
  return em.execute(
    `select r.id, t.value
     from ${spec.table} r
     join lateral (
       select ti.${spec.transferColumn} as value from transfer_item ti
       where ti.entity_type = ? and ti.entity_id = r.id and ti.state = ? and ti.${spec.transferColumn} is not null
       order by ti.finished_at desc nulls last, ti.id desc limit 1
     ) t on true
     where r.${spec.shownColumn} is distinct from t.value
     order by r.id
     limit ?`,
    [spec.entityType, TransferState.SUCCEEDED, limit],
  );
}

/**
 * One such value. A failure is logged and counted; the value stays pending and is tried again at the next tick
 * (one PATCH per tick and record, absolute value: repeating it is harmless).
 */
async function writeTransferValue(em: EntityManager, runtime: AutotaskRuntime, spec: TransferValueWriteBack, row: { id: string; value: string }, summary: WriteBackSummary): Promise<void> {
  try {
    await spec.write(em, runtime, row.id, row.value);
    summary[spec.counter]++;
  } catch (error) {
    summary.failed++;
    runtime.logger?.warn({ table: spec.table, id: row.id, code: writeBackErrorCode(error), err: error }, `writing ${spec.what} to Autotask failed; retried at the next tick`);
  }
}

/** A stable code for a failure: AUTOTASK_<reason> for Autotask's answers, else the AppError code. */
export function writeBackErrorCode(error: unknown): string {
  if (error instanceof AutotaskApiError) return `AUTOTASK_${error.failure.toUpperCase().replace(/-/g, '_')}`;
  if (error instanceof AppError) return error.code;
  return 'INTERNAL';
}

/**
 * One pass of the outbox: at most `writeBackBatchSize` invoices. The caller checks that an Autotask connection
 * is configured and enabled.
 */
export async function pushPendingWriteBacks(em: EntityManager, runtime: AutotaskRuntime, options: WriteBackOptions): Promise<WriteBackSummary> {
  const now = options.now ?? (() => new Date());
  const summary: WriteBackSummary = { ran: false, numbersWritten: 0, paidDatesWritten: 0, paidDatesCleared: 0, purchaseOrderNumbersWritten: 0, expenseReportReferencesWritten: 0, failed: 0 };
  const acquired = await tryAcquireLease(em.fork(), WRITE_BACK_LOCK, newHolderId(), options.leaseSeconds ?? 300);
  if (!acquired.acquired) return summary;
  try {
    const pending = await pendingWriteBacks(em.fork(), now(), options.config.writeBackBatchSize);
    const batch = reusingClient(runtime);
    for (const row of pending) await asActor(SCHEDULER_ACTOR, () => writeOne(em.fork(), batch, row, options, now, summary));
    for (const spec of TRANSFER_VALUE_WRITE_BACKS) {
      for (const row of await pendingTransferValues(em.fork(), spec, options.config.writeBackBatchSize)) {
        await asActor(SCHEDULER_ACTOR, () => writeTransferValue(em.fork(), batch, spec, row, summary));
      }
    }
    return { ...summary, ran: true };
  } finally {
    await acquired.lease.release();
  }
}

async function writeOne(em: EntityManager, runtime: AutotaskRuntime, row: PendingRow, options: WriteBackOptions, now: () => Date, summary: WriteBackSummary): Promise<void> {
  let record = row.write_back_id ? await em.findOne(AutotaskInvoiceWriteBack, { id: row.write_back_id }) : null;
  if (!record) em.persist((record = new AutotaskInvoiceWriteBack(em.getReference(Invoice, row.invoice_id))));
  let step = WriteBackStep.INVOICE_NUMBER;
  try {
    if (row.number_pending) {
      const written = await writeBackInvoice(em, runtime, row.invoice_id);
      Object.assign(record, {
        numberTransferItemId: row.transfer_item_id,
        numberWrittenAt: now(),
        invoiceNumberWritten: written.invoiceNumber,
        webServiceDateWritten: written.webServiceDate,
      });
      summary.numbersWritten++;
    }
    step = WriteBackStep.PAID_DATE;
    if (row.paid_pending) {
      const paidDate = row.qb_paid_date === null ? null : String(row.qb_paid_date).slice(0, 10);
      if (paidDate) {
        await writeBackInvoicePaid(em, runtime, row.invoice_id, paidDate);
        summary.paidDatesWritten++;
      } else {
        await clearInvoicePaid(em, runtime, row.invoice_id);
        summary.paidDatesCleared++;
      }
      Object.assign(record, { paidWrittenAt: now(), paidDateWritten: paidDate, paidClearRefused: false });
    }
    Object.assign(record, { failures: 0, nextAttemptAt: null, lastAttemptAt: now(), lastFailedStep: null, lastErrorCode: null, lastError: null });
  } catch (error) {
    summary.failed++;
    const at = now();
    record.lastAttemptAt = at;
    record.lastFailedStep = step;
    record.lastErrorCode = writeBackErrorCode(error);
    record.lastError = error instanceof Error ? error.message : String(error);
    if (step === WriteBackStep.PAID_DATE && row.qb_paid_date === null && error instanceof AutotaskApiError && error.failure === 'rejected') {
      // Clearing with null is inferred, not documented: a definite refusal will not change by retrying.
      record.paidClearRefused = true;
      record.lastErrorCode = 'AUTOTASK_PAID_DATE_CLEAR_REFUSED';
      record.lastError = `Autotask refused to clear the paid date of the invoice (${record.lastError}). QuickBooks no longer shows it paid: clear "Paid Date" in Autotask by hand.`;
      record.nextAttemptAt = null;
    } else {
      record.failures++;
      const wait = Math.min(options.config.writeBackRetryMinutes * MINUTE * 2 ** (record.failures - 1), MAX_RETRY_MS);
      record.nextAttemptAt = new Date(at.getTime() + wait);
    }
    runtime.logger?.warn({ invoiceId: row.invoice_id, step, code: record.lastErrorCode, err: error }, 'Autotask write-back failed; retried later');
  }
  await em.flush();
}
