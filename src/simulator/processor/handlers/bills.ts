/**
 * BillAdd / BillQuery and VendorCreditAdd / VendorCreditQuery with expense lines (what expense reports send;
 * item lines are not modelled and answer 1030). References are resolved as QuickBooks does (3140 for a vendor,
 * account, customer or class that does not exist); every expense line needs an account, and a billable line a
 * customer:job. QuickBooks refuses a transaction whose total is negative (parity-transfers.md F9: the invoice
 * wording "Transaction amount must be positive" is captured, the bill case and its status 3210 are inferred [G]).
 */
import { formatCents, parseCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { SimulatedCompanyFile } from '../../company/company-file.js';
import type { ExpenseLineRecord, VendorTxnRecord } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed, type XmlElement } from '../../../qbxml/xml-tree.js';
import { requestAggregate } from './shared.js';

type Kind = 'Bill' | 'VendorCredit';

const LABEL: Readonly<Record<Kind, string>> = { Bill: 'Bill', VendorCredit: 'Vendor Credit' };
const HEADER_FIELDS = new Set(['VendorRef', 'APAccountRef', 'TxnDate', 'RefNumber', 'ExpenseLineAdd', 'ItemLineAdd', 'ItemGroupLineAdd']);
const LINE_FIELDS = new Set(['AccountRef', 'Amount', 'CustomerRef', 'ClassRef']);

/** The company file's bills or vendor credits (a file written before they were modelled has none). */
export function vendorTxnsOf(company: SimulatedCompanyFile, kind: Kind): VendorTxnRecord[] {
  return kind === 'Bill' ? (company.data.bills ??= []) : (company.data.vendorCredits ??= []);
}

const resolve = (company: SimulatedCompanyFile, element: XmlElement | undefined, name: string, context: string) =>
  element ? company.resolveRef(name, refInput(element), context).record.listId : undefined;

function readLine(company: SimulatedCompanyFile, kind: Kind, element: XmlElement): ExpenseLineRecord {
  const context = `${LABEL[kind]} expense line`;
  const accountId = resolve(company, child(element, 'AccountRef'), 'AccountRef', context);
  if (!accountId) refuse(QB_STATUS.invalidReference('Account', '', context));
  const customerId = resolve(company, child(element, 'CustomerRef'), 'CustomerRef', context);
  if (childText(element, 'BillableStatus') === 'Billable' && !customerId) {
    refuse(QB_STATUS.invalidValue('BillableStatus', 'Billable', 'A billable expense needs a customer:job.'));
  }
  return {
    txnLineId: company.stamps.newId(),
    accountId,
    amountCents: parseCents(childText(element, 'Amount') ?? '0'),
    customerId,
    classId: resolve(company, child(element, 'ClassRef'), 'ClassRef', context),
    fields: storeChildren(company, element, context, { skip: LINE_FIELDS }),
  };
}

function vendorTxnRet(ctx: RequestContext, kind: Kind, txn: VendorTxnRecord, withLines: boolean): RetElement {
  const { company, model } = ctx;
  const lineDecl = model.element('ExpenseLineRet')!;
  const lines: RetAggregate[] = txn.lines.map((line) => ({
    ...storedToRet(company, lineDecl, line.fields),
    TxnLineID: line.txnLineId,
    AccountRef: refRet(company, line.accountId),
    Amount: formatCents(line.amountCents),
    CustomerRef: refRet(company, line.customerId),
    ClassRef: refRet(company, line.classId),
  }));
  const total = formatCents(txn.totalAmountCents);
  return {
    name: `${kind}Ret`,
    value: {
      ...storedToRet(company, model.element(`${kind}Ret`)!, txn.fields),
      TxnID: txn.txnId,
      TimeCreated: txn.timeCreated,
      TimeModified: txn.timeModified,
      EditSequence: txn.editSequence,
      TxnNumber: String(txn.txnNumber),
      VendorRef: refRet(company, txn.vendorId),
      APAccountRef: refRet(company, txn.apAccountId),
      TxnDate: txn.txnDate,
      RefNumber: txn.refNumber,
      ...(kind === 'Bill' ? { AmountDue: total, IsPaid: 'false', OpenAmount: total } : { CreditAmount: total, OpenAmount: total }),
      ExpenseLineRet: withLines && lines.length > 0 ? lines : undefined,
    },
  };
}

const addVendorTxn = (kind: Kind): RequestHandler => (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, `${kind}Add`);
  if (childrenNamed(aggregate, 'ItemLineAdd').length > 0 || childrenNamed(aggregate, 'ItemGroupLineAdd').length > 0) {
    return { status: QB_STATUS.unsupportedRequest(`${kind}AddRq with item lines`) };
  }
  const vendorId = resolve(company, child(aggregate, 'VendorRef'), 'VendorRef', LABEL[kind]);
  if (!vendorId) refuse(QB_STATUS.invalidReference('Vendor', '', LABEL[kind]));
  const apAccountId = resolve(company, child(aggregate, 'APAccountRef'), 'APAccountRef', LABEL[kind]);
  const lines = childrenNamed(aggregate, 'ExpenseLineAdd').map((element) => readLine(company, kind, element));
  const totalAmountCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
  if (totalAmountCents < 0) refuse(QB_STATUS.invalidValue('Amount', formatCents(totalAmountCents), 'Transaction amount must be positive.'));
  const refNumber = childText(aggregate, 'RefNumber');
  const txn: VendorTxnRecord = {
    ...company.newTxnStamps(company.nextTxnNumber()),
    txnDate: childText(aggregate, 'TxnDate') ?? company.stamps.today(),
    ...(refNumber !== undefined ? { refNumber } : {}),
    vendorId,
    apAccountId,
    lines,
    totalAmountCents,
    fields: storeChildren(company, aggregate, LABEL[kind], { skip: HEADER_FIELDS }),
  };
  vendorTxnsOf(company, kind).push(txn);
  return { rets: [vendorTxnRet(ctx, kind, txn, true)] };
};

const queryVendorTxns = (kind: Kind): RequestHandler => (ctx) =>
  answerQuery(
    ctx,
    () => selectTransactions(ctx, vendorTxnsOf(ctx.company, kind), { entityOf: (t) => t.vendorId, accountOf: (t) => t.apAccountId, entityList: 'vendors' }),
    (id, shape) => {
      const txn = vendorTxnsOf(ctx.company, kind).find((t) => t.txnId === id);
      return txn && vendorTxnRet(ctx, kind, txn, childBoolean(shape, 'IncludeLineItems') ?? false);
    },
  );

/** Bill and vendor credit request handlers, by request element name. */
export const billHandlers: Record<string, RequestHandler> = {
  BillAddRq: addVendorTxn('Bill'),
  BillQueryRq: queryVendorTxns('Bill'),
  VendorCreditAddRq: addVendorTxn('VendorCredit'),
  VendorCreditQueryRq: queryVendorTxns('VendorCredit'),
};
