/**
 * InvoiceAdd / InvoiceMod / InvoiceQuery. QuickBooks computes what the request leaves out: line amounts
 * (Quantity × Rate, rounded to cents), Subtotal, sales tax, DueDate from the terms, the next RefNumber,
 * the A/R account; BalanceRemaining and IsPaid follow the payments applied to the invoice. Lines, header
 * and totals work as for credit memos (sales-transactions.ts).
 */
import { invoiceBalanceCents } from '../../company/company-file.js';
import { computeLineAmounts, dueDateFor, paymentsAppliedTo, recalculateSalesTotals } from '../../company/invoicing.js';
import { formatCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { InvoiceRecord } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { mergeStored, refInput, storeChildren } from '../request-fields.js';
import type { RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed } from '../../../qbxml/xml-tree.js';
import { creditLink } from './payments.js';
import { applySalesHeader, readLine, readSalesAdd, SALES_HEADER_FIELDS, salesTxnRetFields, type SalesTxnKind } from './sales-transactions.js';
import { boolText, requestAggregate } from './shared.js';

const INVOICE: SalesTxnKind = {
  label: 'Invoice',
  lineAdd: 'InvoiceLineAdd',
  groupAdd: 'InvoiceLineGroupAdd',
  lineRet: 'InvoiceLineRet',
  headerFields: new Set([...SALES_HEADER_FIELDS, 'InvoiceLineAdd', 'InvoiceLineMod', 'InvoiceLineGroupAdd', 'InvoiceLineGroupMod', 'LinkToTxnID', 'SetCredit']),
};

/** The `InvoiceRet` of an invoice; lines when `withLines`, linked payments when `withLinks`. */
export function invoiceRet(ctx: RequestContext, invoice: InvoiceRecord, withLines: boolean, withLinks: boolean): RetElement {
  const { company } = ctx;
  const balance = invoiceBalanceCents(invoice);
  // Payments and the credit memos applied with them (SetCredit) both link to the invoice.
  const links = withLinks
    ? paymentsAppliedTo(company, invoice.txnId).flatMap(({ payment, application }) => [
        ...(application.amountCents + application.discountCents !== 0 || !application.credits?.length
          ? [{
              TxnID: payment.txnId,
              TxnType: 'ReceivePayment',
              TxnDate: payment.txnDate,
              RefNumber: payment.refNumber,
              LinkType: 'AMTTYPE',
              Amount: formatCents(-(application.amountCents + application.discountCents)),
            }]
          : []),
        ...(application.credits ?? []).map((credit) => creditLink(ctx, credit.creditTxnId, credit.amountCents)),
      ])
    : [];
  return {
    name: 'InvoiceRet',
    value: {
      ...salesTxnRetFields(ctx, 'InvoiceRet', invoice, INVOICE, withLines),
      IsFinanceCharge: 'false',
      AppliedAmount: formatCents(invoice.appliedAmountCents),
      BalanceRemaining: formatCents(balance),
      IsPaid: boolText(balance <= 0),
      LinkedTxn: links.length > 0 ? links : undefined,
    },
  };
}

const addInvoice: RequestHandler = (ctx) => {
  const invoice: InvoiceRecord = {
    ...readSalesAdd(ctx, requestAggregate(ctx, 'InvoiceAdd'), INVOICE, {
      isToBePrinted: ctx.company.data.preferences.invoicesToBePrintedByDefault,
      termsFromCustomer: true,
    }),
    appliedAmountCents: 0,
  };
  ctx.company.data.invoices.push(invoice);
  return { rets: [invoiceRet(ctx, invoice, true, false)] };
};

const modInvoice: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'InvoiceMod');
  const txnId = childText(aggregate, 'TxnID') ?? '';
  const current = company.findInvoice(txnId);
  if (!current) refuse(QB_STATUS.objectNotFound(txnId));
  company.assertCurrent(current, childText(aggregate, 'EditSequence') ?? '');
  // Work on a copy so a refused reference leaves the invoice untouched.
  const invoice: InvoiceRecord = structuredClone(current);
  const customerRef = child(aggregate, 'CustomerRef');
  if (customerRef) invoice.customerId = company.resolveRef('CustomerRef', refInput(customerRef), 'Invoice').record.listId;
  applySalesHeader(ctx, aggregate, invoice, INVOICE);
  mergeStored(invoice.fields, storeChildren(company, aggregate, 'Invoice', { skip: INVOICE.headerFields, fromMod: true }));
  const lineMods = childrenNamed(aggregate, 'InvoiceLineMod');
  if (lineMods.length > 0) {
    // QuickBooks replaces the line list: TxnLineID -1 adds a line, an existing one is changed, lines not
    // mentioned are deleted.
    const work = lineMods.map((element) => {
      const lineId = childText(element, 'TxnLineID') ?? '-1';
      const existing = lineId === '-1' ? undefined : invoice.lines.find((l) => l.txnLineId === lineId);
      if (lineId !== '-1' && !existing) refuse(QB_STATUS.objectNotFound(lineId));
      return readLine(company, element, existing, INVOICE);
    });
    invoice.lines = work.map((w) => w.line);
    computeLineAmounts(company, invoice.lines, work);
  }
  recalculateSalesTotals(company, invoice);
  if (childText(aggregate, 'DueDate') === undefined && child(aggregate, 'TermsRef')) invoice.dueDate = dueDateFor(company, invoice.termsId, invoice.txnDate);
  Object.assign(current, invoice);
  company.touch(current);
  return { rets: [invoiceRet(ctx, current, true, false)] };
};

const queryInvoices: RequestHandler = (ctx) => {
  const { company } = ctx;
  return answerQuery(
    ctx,
    () =>
      selectTransactions(ctx, company.data.invoices, {
        entityOf: (i) => i.customerId,
        accountOf: (i) => i.arAccountId,
        isPaid: (i) => invoiceBalanceCents(i) <= 0,
      }),
    (id, shape) => {
      const invoice = company.findInvoice(id);
      return invoice && invoiceRet(ctx, invoice, childBoolean(shape, 'IncludeLineItems') ?? false, childBoolean(shape, 'IncludeLinkedTxns') ?? false);
    },
  );
};

/** Invoice request handlers, by request element name. */
export const invoiceHandlers: Record<string, RequestHandler> = {
  InvoiceAddRq: addInvoice,
  InvoiceModRq: modInvoice,
  InvoiceQueryRq: queryInvoices,
};
