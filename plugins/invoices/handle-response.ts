/**
 * QuickBooks' answer to InvoiceAdd: the TxnID, RefNumber (QuickBooks' number when it numbers invoices) and
 * EditSequence to store, and whether QuickBooks' total (Subtotal + SalesTaxTotal) is Autotask's: a
 * difference of a cent or more (rounding of grouped lines, tax calculated differently) succeeds with a
 * TOTAL_MISMATCH alert, which the host keeps on the ledger item.
 */
import {
  allRets,
  amount,
  commonHint,
  failure,
  isError,
  isZeroAmount,
  negate,
  isNegative,
  subtractAmounts,
  sumAmounts,
  textOf,
  type Invoice,
  type QbxmlResponse,
  type ResponseContext,
  type ResponseOutcome,
  type TransferAlert,
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
  const mismatch = totalMismatch(ret, ctx.entity);
  if (mismatch) notes.push(mismatch.message);
  return {
    kind: 'succeeded',
    ids: { txnId, refNumber, editSequence: textOf(ret, 'EditSequence') ?? null },
    note: notes.join(' '),
    ...(mismatch ? { alerts: [mismatch] } : {}),
  };
}

/** The stable code of the alert an invoice whose QuickBooks total is not Autotask's carries. */
export const TOTAL_MISMATCH = 'TOTAL_MISMATCH';

/**
 * A TOTAL_MISMATCH alert when QuickBooks' total (Subtotal + SalesTaxTotal) differs from Autotask's by a cent or
 * more (QuickBooks computing amounts from Quantity × Rate, grouped lines, tax calculated differently); undefined
 * when they agree or cannot be compared. The invoice is in QuickBooks either way: the alert asks a person to look.
 */
export function totalMismatch(ret: Record<string, unknown>, invoice: Invoice | undefined): TransferAlert | undefined {
  const subtotal = textOf(ret, 'Subtotal');
  if (!invoice || subtotal === undefined) return undefined;
  const quickBooks = sumAmounts([subtotal, textOf(ret, 'SalesTaxTotal') ?? '0']);
  const autotask = amount(invoice.total);
  const difference = subtractAmounts(quickBooks, autotask);
  if (isZeroAmount(difference)) return undefined;
  return {
    code: TOTAL_MISMATCH,
    message:
      `QuickBooks total ${quickBooks} differs from Autotask's ${autotask} by ${isNegative(difference) ? negate(difference) : difference}: ` +
      'check the invoice in QuickBooks (the connector\'s rounding policy and line grouping decide how amounts are computed).',
    autotaskAmount: autotask,
    quickBooksAmount: quickBooks,
  };
}
