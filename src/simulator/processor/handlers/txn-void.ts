/**
 * TxnVoid for invoices and credit memos, as QuickBooks voids a sales transaction: it stays in the file with
 * its number, customer and lines, but every amount becomes zero and the memo reads "VOID: …" (qbXML has no
 * IsVoided flag; that memo and the zero total are how a void is recognised). A transaction that payments or
 * credits were applied to is refused (QuickBooks' own answer to that is not captured: 3210 is inferred [G]);
 * other transaction types answer 1030 like any request the simulator does not model.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/txnvoid
 */
import { creditRemainingCents, invoiceTotalCents } from '../../company/company-file.js';
import { recalculateSalesTotals } from '../../company/invoicing.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { SalesTxnRecord } from '../../company/types.js';
import type { RequestHandler } from '../context.js';
import type { RetAggregate } from '../response-writer.js';
import { childText } from '../../../qbxml/xml-tree.js';

const voidTxn: RequestHandler = (ctx) => {
  const { company } = ctx;
  const type = childText(ctx.request, 'TxnVoidType') ?? '';
  const txnId = childText(ctx.request, 'TxnID') ?? '';
  let txn: SalesTxnRecord | undefined;
  if (type === 'Invoice') {
    const invoice = company.findInvoice(txnId);
    if (invoice && invoice.appliedAmountCents !== 0) {
      refuse(QB_STATUS.invalidValue('TxnID', txnId, 'Payments or credits are applied to this invoice; remove them before voiding it.'));
    }
    txn = invoice;
  } else if (type === 'CreditMemo') {
    const memo = company.findCreditMemo(txnId);
    if (memo && creditRemainingCents(memo) !== invoiceTotalCents(memo)) {
      refuse(QB_STATUS.invalidValue('TxnID', txnId, 'This credit memo was applied to invoices; remove the applications before voiding it.'));
    }
    txn = memo;
  } else {
    return { status: QB_STATUS.unsupportedRequest(`TxnVoidRq for ${type}`) };
  }
  if (!txn) refuse(QB_STATUS.objectNotFound(txnId));
  if (!isVoided(txn)) {
    for (const line of txn.lines) line.amountCents = 0;
    const memo = txn.fields['Memo'];
    txn.fields['Memo'] = `VOID: ${typeof memo === 'string' ? memo : ''}`.trimEnd();
    recalculateSalesTotals(company, txn);
    company.touch(txn);
  }
  // TxnVoidRs holds the TxnVoidRet group's elements directly, not an aggregate: each is written as its own element.
  const ret: Record<string, string | undefined> = { TxnVoidType: type, TxnID: txn.txnId, TimeCreated: txn.timeCreated, TimeModified: txn.timeModified, RefNumber: txn.refNumber };
  return {
    rets: Object.entries(ret).flatMap(([name, value]) => (value === undefined ? [] : [{ name, value: value as unknown as RetAggregate }])),
  };
};

/** Whether a sales transaction was voided: QuickBooks' mark is the memo, its amounts are then all zero. */
export function isVoided(txn: SalesTxnRecord): boolean {
  const memo = txn.fields['Memo'];
  return typeof memo === 'string' && memo.startsWith('VOID:') && txn.lines.every((l) => l.amountCents === 0);
}

/** TxnVoid, by request element name. */
export const txnVoidHandlers: Record<string, RequestHandler> = {
  TxnVoidRq: voidTxn,
};
