/**
 * QuickBooks' answer to InvoiceAdd: the TxnID, RefNumber (QuickBooks' number when it numbers invoices) and
 * EditSequence to store, and whether QuickBooks' total (Subtotal + SalesTaxTotal) is Autotask's: a
 * difference (rounding of grouped lines, tax calculated differently) is reported in the note.
 */
import {
  allRets,
  amount,
  commonHint,
  failure,
  isError,
  negate,
  isNegative,
  subtractAmounts,
  sumAmounts,
  textOf,
  type Invoice,
  type QbxmlResponse,
  type ResponseContext,
  type ResponseOutcome,
} from '../sdk/index.js';

const HINTS: Readonly<Record<number, string>> = {
  3140: 'A QuickBooks record the invoice refers to (customer, item, class, terms or sales tax code, named in the message) does not exist or is of the wrong type: fix the mapping or the QuickBooks list, then transfer again.',
  3250: 'A QuickBooks feature the invoice uses is turned off: class tracking (for classes) or sales tax (for tax codes), in QuickBooks Preferences.',
  3270: 'QuickBooks could not add one of the invoice lines: check the items and amounts named in the message.',
};

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<Invoice>): ResponseOutcome {
  if (ctx.request.type !== 'InvoiceAddRq') return failure(response, `The invoices plugin does not send ${ctx.request.type}: report this to qbd-bridge's developers.`);
  if (isError(response)) {
    return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports above, then transfer the invoice again.');
  }
  const ret = allRets(response, 'InvoiceRet')[0];
  const txnId = ret && textOf(ret, 'TxnID');
  if (!ret || !txnId) return failure(response, 'QuickBooks answered without the invoice: look for it in QuickBooks before transferring it again.');

  const refNumber = textOf(ret, 'RefNumber') ?? null;
  const notes = [`Invoice ${refNumber ?? txnId} added.`];
  if (response.statusSeverity.toLowerCase() === 'warn') notes.push(`QuickBooks warned: ${response.statusMessage}`);
  const totals = compareTotals(ret, ctx.entity);
  if (totals) notes.push(totals);
  return { kind: 'succeeded', ids: { txnId, refNumber, editSequence: textOf(ret, 'EditSequence') ?? null }, note: notes.join(' ') };
}

/** "QuickBooks total 100.01 differs from Autotask's 100.00 by 0.01", or undefined when they agree (or cannot be compared). */
export function compareTotals(ret: Record<string, unknown>, invoice: Invoice | undefined): string | undefined {
  const subtotal = textOf(ret, 'Subtotal');
  if (!invoice || subtotal === undefined) return undefined;
  const quickBooks = sumAmounts([subtotal, textOf(ret, 'SalesTaxTotal') ?? '0']);
  const autotask = amount(invoice.total);
  const difference = subtractAmounts(quickBooks, autotask);
  if (difference === '0.00') return undefined;
  return `QuickBooks total ${quickBooks} differs from Autotask's ${autotask} by ${isNegative(difference) ? negate(difference) : difference}.`;
}
