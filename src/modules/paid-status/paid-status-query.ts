/**
 * The qbXML of the paid-status check and how its answers are read. Element names follow Intuit's schema
 * (qbxmlops130/160.xsd); the typed serializer writes them in schema order and validates them.
 */
import { serializeRequest, type SerializedRequest } from '../../qbxml/index.js';

/**
 * What an invoice answer must carry: TimeModified moves the high-water mark; BalanceRemaining and IsPaid are
 * the status; LinkedTxn (with IncludeLinkedTxns) dates the payment; TxnDate dates a paid invoice with no link.
 */
export const INVOICE_FIELDS = ['TxnID', 'TimeModified', 'TxnDate', 'BalanceRemaining', 'IsPaid', 'LinkedTxn'] as const;
/** What a payment answer must carry: which invoices it was applied to. */
export const PAYMENT_FIELDS = ['TxnID', 'TimeModified', 'AppliedToTxnRet'] as const;

/** TxnIDs per by-id invoice query: keeps each request well under QuickBooks' message limits. */
export const TXN_IDS_PER_QUERY = 100;

export interface PageOptions {
  readonly requestId: string;
  readonly version: string;
  readonly pageSize: number;
  /** null: no date filter. */
  readonly fromModifiedDate: string | null;
  /** Continue this iterator; absent: start one. */
  readonly iteratorId?: string | null;
}

const iteratorOf = (options: PageOptions) =>
  options.iteratorId ? { iterator: 'Continue' as const, iteratorID: options.iteratorId } : { iterator: 'Start' as const };

/** Invoices modified since `fromModifiedDate`, one iterator page at a time (large files have many invoices). */
export function modifiedInvoicesQuery(options: PageOptions): SerializedRequest {
  return serializeRequest(
    'InvoiceQueryRq',
    {
      ...iteratorOf(options),
      MaxReturned: options.pageSize,
      ...(options.fromModifiedDate ? { ModifiedDateRangeFilter: { FromModifiedDate: options.fromModifiedDate } } : {}),
      IncludeLinkedTxns: true,
      IncludeRetElement: [...INVOICE_FIELDS],
    },
    { requestId: options.requestId, version: options.version },
  );
}

/**
 * Payments received or changed since `fromModifiedDate`. QuickBooks does not document whether applying a
 * payment changes the invoice's own TimeModified, so the invoices a changed payment touches are looked up by
 * TxnID as well.
 */
export function modifiedPaymentsQuery(options: PageOptions): SerializedRequest {
  return serializeRequest(
    'ReceivePaymentQueryRq',
    {
      ...iteratorOf(options),
      MaxReturned: options.pageSize,
      ...(options.fromModifiedDate ? { ModifiedDateRangeFilter: { FromModifiedDate: options.fromModifiedDate } } : {}),
      IncludeLineItems: true,
      IncludeRetElement: [...PAYMENT_FIELDS],
    },
    { requestId: options.requestId, version: options.version },
  );
}

/** The named invoices (at most TXN_IDS_PER_QUERY), with their links. */
export function invoicesByIdQuery(txnIds: readonly string[], options: { requestId: string; version: string }): SerializedRequest {
  return serializeRequest(
    'InvoiceQueryRq',
    { TxnID: [...txnIds], IncludeLinkedTxns: true, IncludeRetElement: [...INVOICE_FIELDS] },
    { requestId: options.requestId, version: options.version },
  );
}

/** One invoice's status as QuickBooks reports it. */
export interface InvoiceStatusRow {
  readonly txnId: string;
  readonly timeModified: string | null;
  /** Decimal string as QuickBooks wrote it, e.g. "232.50". */
  readonly balanceRemaining: string | null;
  readonly isPaid: boolean;
  /** YYYY-MM-DD when paid, else null. */
  readonly paidDate: string | null;
}

export interface PaymentRow {
  readonly txnId: string;
  readonly timeModified: string | null;
  /** TxnIDs of the invoices it is applied to. */
  readonly invoiceTxnIds: readonly string[];
}

type Obj = Record<string, unknown>;

function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number') return String(value);
  return null;
}

function list(value: unknown): Obj[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return items.filter((v): v is Obj => typeof v === 'object' && v !== null);
}

const DAY = /^\d{4}-\d{2}-\d{2}/;

/**
 * The day an invoice was paid: the latest ReceivePayment linked to it; failing that (paid by a credit memo or
 * a journal entry) the latest linked transaction of any kind; failing that (nothing was due) its own date.
 */
function paidDateOf(ret: Obj): string | null {
  const links = list(ret.LinkedTxn)
    .map((l) => ({ type: text(l.TxnType), date: text(l.TxnDate)?.match(DAY)?.[0] ?? null }))
    .filter((l): l is { type: string | null; date: string } => l.date !== null);
  const latest = (dates: string[]) => (dates.length ? dates.sort().at(-1)! : null);
  return latest(links.filter((l) => l.type === 'ReceivePayment').map((l) => l.date)) ?? latest(links.map((l) => l.date)) ?? text(ret.TxnDate)?.match(DAY)?.[0] ?? null;
}

/** Every InvoiceRet of a response body (rets without a TxnID are skipped: nothing to match them to). */
export function readInvoiceRows(body: Obj): InvoiceStatusRow[] {
  return list(body.InvoiceRet).flatMap((ret) => {
    const txnId = text(ret.TxnID);
    if (!txnId) return [];
    const isPaid = text(ret.IsPaid) === 'true';
    return [{ txnId, timeModified: text(ret.TimeModified), balanceRemaining: text(ret.BalanceRemaining), isPaid, paidDate: isPaid ? paidDateOf(ret) : null }];
  });
}

/** Every ReceivePaymentRet of a response body, with the invoices it is applied to. */
export function readPaymentRows(body: Obj): PaymentRow[] {
  return list(body.ReceivePaymentRet).flatMap((ret) => {
    const txnId = text(ret.TxnID);
    if (!txnId) return [];
    const invoiceTxnIds = list(ret.AppliedToTxnRet)
      .filter((a) => text(a.TxnType) === 'Invoice')
      .map((a) => text(a.TxnID))
      .filter((id): id is string => id !== null);
    return [{ txnId, timeModified: text(ret.TimeModified), invoiceTxnIds }];
  });
}
