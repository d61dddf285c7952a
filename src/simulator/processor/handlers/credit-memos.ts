/**
 * CreditMemoAdd / CreditMemoQuery. A credit memo is read like an invoice (lines, amounts, sales tax, the
 * customer's tax defaults, the A/R account, a RefNumber from the invoices' sequence); it answers with
 * TotalAmount and CreditRemaining instead of an invoice's balance. Credits are never applied to invoices in
 * the simulator, so CreditRemaining is the whole total. CreditMemoMod is not implemented (status 1030).
 */
import { creditRemainingCents, invoiceTotalCents } from '../../company/company-file.js';
import { formatCents } from '../../company/money.js';
import type { CreditMemoRecord } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import type { RetElement } from '../response-writer.js';
import { childBoolean } from '../../../qbxml/xml-tree.js';
import { readSalesAdd, SALES_HEADER_FIELDS, salesTxnRetFields, type SalesTxnKind } from './sales-transactions.js';
import { requestAggregate } from './shared.js';

const CREDIT_MEMO: SalesTxnKind = {
  label: 'Credit Memo',
  lineAdd: 'CreditMemoLineAdd',
  groupAdd: 'CreditMemoLineGroupAdd',
  lineRet: 'CreditMemoLineRet',
  headerFields: new Set([...SALES_HEADER_FIELDS, 'CreditMemoLineAdd', 'CreditMemoLineMod', 'CreditMemoLineGroupAdd', 'CreditMemoLineGroupMod']),
};

/** The `CreditMemoRet` of a credit memo; lines when `withLines`. */
export function creditMemoRet(ctx: RequestContext, memo: CreditMemoRecord, withLines: boolean): RetElement {
  return {
    name: 'CreditMemoRet',
    value: {
      ...salesTxnRetFields(ctx, 'CreditMemoRet', memo, CREDIT_MEMO, withLines),
      TotalAmount: formatCents(invoiceTotalCents(memo)),
      CreditRemaining: formatCents(creditRemainingCents(memo)),
    },
  };
}

const addCreditMemo: RequestHandler = (ctx) => {
  // The "print invoices by default" preference is about invoices; a credit memo is printed only when asked.
  const memo = readSalesAdd(ctx, requestAggregate(ctx, 'CreditMemoAdd'), CREDIT_MEMO, { isToBePrinted: false, termsFromCustomer: false });
  ctx.company.data.creditMemos.push(memo);
  return { rets: [creditMemoRet(ctx, memo, true)] };
};

const queryCreditMemos: RequestHandler = (ctx) => {
  const { company } = ctx;
  return answerQuery(
    ctx,
    () => selectTransactions(ctx, company.data.creditMemos, { entityOf: (m) => m.customerId, accountOf: (m) => m.arAccountId }),
    (id, shape) => {
      const memo = company.findCreditMemo(id);
      return memo && creditMemoRet(ctx, memo, childBoolean(shape, 'IncludeLineItems') ?? false);
    },
  );
};

/** Credit memo request handlers, by request element name. */
export const creditMemoHandlers: Record<string, RequestHandler> = {
  CreditMemoAddRq: addCreditMemo,
  CreditMemoQueryRq: queryCreditMemos,
};
