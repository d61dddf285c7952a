/**
 * QuickBooks' answer to a report's BillAdd / VendorCreditAdd: the TxnID and RefNumber to store (the TxnID is
 * written back to Autotask as quickBooksReferenceNumber), and an alert when QuickBooks' total is not the net
 * of Autotask's items and advance.
 */
import { allRets, amount, commonHint, failure, isError, negate, textOf, type ExpenseReport, type QbxmlResponse, type ResponseContext, type ResponseOutcome, type TransferAlert } from '../sdk/index.js';
import { netAmount } from './translate.js';

const HINTS: Readonly<Record<number, string>> = {
  3140:
    'A QuickBooks record the bill refers to (the vendor, an expense account, a customer:job or a class, named in the message) does not exist or is of the wrong type: ' +
    'fix the mapping (RESOURCE_VENDOR, EXPENSE_ACCOUNT_BILLABLE / _REIMBURSABLE, the cash-advance account) or the QuickBooks list, then retry.',
  3210: 'QuickBooks refused a value of the bill (named in the message), for example a billable line without a customer or a negative total: correct the report in Autotask, then retry.',
};

export const TOTAL_MISMATCH = 'TOTAL_MISMATCH';

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<ExpenseReport>): ResponseOutcome {
  const type = ctx.request.type;
  if (type !== 'BillAddRq' && type !== 'VendorCreditAddRq') {
    return failure(response, `The expense-reports plugin does not send ${type} as its main request: report this to qbd-bridge's developers.`);
  }
  if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports, then retry.');
  const retName = type === 'BillAddRq' ? 'BillRet' : 'VendorCreditRet';
  const ret = allRets(response, retName)[0];
  const txnId = ret && textOf(ret, 'TxnID');
  if (!ret || !txnId) return failure(response, 'QuickBooks answered without the bill: look for it in QuickBooks before retrying.');
  const quickBooks = textOf(ret, type === 'BillAddRq' ? 'AmountDue' : 'CreditAmount');
  const alerts: TransferAlert[] = [];
  if (ctx.entity && quickBooks !== undefined) {
    const net = netAmount(ctx.entity, ctx);
    const expected = type === 'BillAddRq' ? net : negate(net);
    if (amount(quickBooks) !== amount(expected)) {
      alerts.push({
        code: TOTAL_MISMATCH,
        message: `QuickBooks' ${type === 'BillAddRq' ? 'bill' : 'vendor credit'} total is ${amount(quickBooks)}, Autotask's expenses less the advance ${amount(expected)}: compare them.`,
        autotaskAmount: amount(expected),
        quickBooksAmount: amount(quickBooks),
      });
    }
  }
  const what = type === 'BillAddRq' ? 'Bill' : 'Vendor credit (the cash advance exceeds the expenses)';
  return {
    kind: 'succeeded',
    ids: { txnId, refNumber: textOf(ret, 'RefNumber') ?? null, editSequence: textOf(ret, 'EditSequence') ?? null },
    note: `${what} added for ${textOf(ret, 'VendorRef.FullName') ?? 'the vendor'} (${quickBooks ?? '?'}).`,
    ...(alerts.length ? { alerts } : {}),
  };
}
