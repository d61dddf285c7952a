/**
 * InvoiceAdd / InvoiceMod / InvoiceQuery. QuickBooks computes what the request leaves out: line amounts
 * (Quantity × Rate, rounded to cents), Subtotal, sales tax, DueDate from the terms, the next RefNumber,
 * the A/R account; BalanceRemaining and IsPaid follow the payments applied to the invoice.
 */
import { invoiceBalanceCents, type SimulatedCompanyFile } from '../../company/company-file.js';
import { computeLineAmounts, dueDateFor, nextInvoiceRefNumber, paymentsAppliedTo, recalculateInvoice } from '../../company/invoicing.js';
import { formatCents, multiplyDecimals, normalizeDecimal, parseCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { InvoiceLineRecord, InvoiceRecord, ItemRecord, StoredAggregate } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectTransactions } from '../queries.js';
import { isStoredRef, mergeStored, refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childBoolean, childText, childrenNamed, type XmlElement } from '../xml-tree.js';
import { boolText, requestAggregate } from './shared.js';

/** Header elements the handler interprets; the rest (addresses, PONumber, Memo, ...) is stored verbatim. */
const HEADER_FIELDS = new Set([
  'TxnID',
  'EditSequence',
  'CustomerRef',
  'ClassRef',
  'ARAccountRef',
  'TxnDate',
  'RefNumber',
  'IsPending',
  'TermsRef',
  'DueDate',
  'ItemSalesTaxRef',
  'IsToBePrinted',
  'IsToBeEmailed',
  'CustomerSalesTaxCodeRef',
  'InvoiceLineAdd',
  'InvoiceLineMod',
  'InvoiceLineGroupAdd',
  'InvoiceLineGroupMod',
  'LinkToTxnID',
  'SetCredit',
]);

const LINE_FIELDS = new Set(['TxnLineID', 'ItemRef', 'Desc', 'Quantity', 'Rate', 'RatePercent', 'ClassRef', 'Amount', 'ServiceDate', 'SalesTaxCodeRef', 'DataExt']);

function resolveId(company: SimulatedCompanyFile, element: XmlElement | undefined, context: string): string | undefined {
  return element ? company.resolveRef(element.name, refInput(element), context).record.listId : undefined;
}

function storedRefId(fields: StoredAggregate, name: string): string | undefined {
  const value = fields[name];
  return isStoredRef(value) ? value.$ref : undefined;
}

function textOf(fields: StoredAggregate, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** An item's description, the default Desc of an invoice line. */
function itemDescription(item: ItemRecord): string | undefined {
  const sop = item.fields['SalesOrPurchase'];
  const sap = item.fields['SalesAndPurchase'];
  if (sop && typeof sop === 'object' && !Array.isArray(sop) && !isStoredRef(sop)) return textOf(sop, 'Desc');
  if (sap && typeof sap === 'object' && !Array.isArray(sap) && !isStoredRef(sap)) return textOf(sap, 'SalesDesc');
  return textOf(item.fields, 'SalesDesc') ?? textOf(item.fields, 'ItemDesc');
}

interface LineWork {
  readonly line: InvoiceLineRecord;
  readonly amountGiven: boolean;
}

/** Reads one InvoiceLineAdd/InvoiceLineMod into a line (a Mod line starts from the existing one). */
function readLine(company: SimulatedCompanyFile, element: XmlElement, existing: InvoiceLineRecord | undefined): LineWork {
  const line: InvoiceLineRecord = existing
    ? { ...existing, fields: { ...existing.fields } }
    : { txnLineId: company.stamps.newId(), amountCents: 0, fields: {} };
  const itemRef = child(element, 'ItemRef');
  if (itemRef) {
    const item = company.resolveRef('ItemRef', refInput(itemRef), 'Invoice line').record as ItemRecord;
    line.itemId = item.listId;
    if (!child(element, 'Desc') && !existing) {
      const desc = itemDescription(item);
      if (desc !== undefined) line.desc = desc;
    }
    const itemTaxCode = storedRefId(item.fields, 'SalesTaxCodeRef');
    if (!child(element, 'SalesTaxCodeRef') && !line.salesTaxCodeId && itemTaxCode && company.data.preferences.salesTaxEnabled) line.salesTaxCodeId = itemTaxCode;
  }
  const desc = childText(element, 'Desc');
  if (desc !== undefined) line.desc = desc;
  const quantity = childText(element, 'Quantity');
  if (quantity !== undefined) line.quantity = normalizeDecimal(quantity);
  const rate = childText(element, 'Rate');
  const ratePercent = childText(element, 'RatePercent');
  if (rate !== undefined) {
    line.rate = normalizeDecimal(rate);
    delete line.ratePercent;
  }
  if (ratePercent !== undefined) {
    line.ratePercent = normalizeDecimal(ratePercent);
    delete line.rate;
  }
  const classId = resolveId(company, child(element, 'ClassRef'), 'Invoice line');
  if (classId) line.classId = classId;
  const taxCodeId = resolveId(company, child(element, 'SalesTaxCodeRef'), 'Invoice line');
  if (taxCodeId) line.salesTaxCodeId = taxCodeId;
  const serviceDate = childText(element, 'ServiceDate');
  if (serviceDate !== undefined) line.serviceDate = serviceDate;
  mergeStored(line.fields, storeChildren(company, element, 'Invoice line', { skip: LINE_FIELDS }));
  const amount = childText(element, 'Amount');
  if (amount !== undefined) line.amountCents = parseCents(amount);
  // A Mod that changes quantity or rate without an amount gets the amount recomputed.
  const amountGiven = amount !== undefined || (existing !== undefined && quantity === undefined && rate === undefined && ratePercent === undefined);
  return { line, amountGiven };
}

/** Lines of an ItemGroup, added as ordinary lines (the simulator does not keep group lines). */
function groupLines(company: SimulatedCompanyFile, element: XmlElement): LineWork[] {
  const groupRef = child(element, 'ItemGroupRef');
  const group = groupRef && (company.resolveRef('ItemRef', refInput(groupRef), 'Invoice line').record as ItemRecord);
  if (!group || group.type !== 'Group') {
    refuse(QB_STATUS.invalidReference('Item', groupRef ? (refInput(groupRef).fullName ?? refInput(groupRef).listId ?? '') : '', 'Invoice line'));
  }
  const raw = group.fields['ItemGroupLine'];
  const members = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const factor = childText(element, 'Quantity');
  return members.flatMap((member) => {
    if (typeof member !== 'object' || Array.isArray(member) || isStoredRef(member)) return [];
    const itemId = storedRefId(member, 'ItemRef');
    const item = itemId ? company.findById('items', itemId) : undefined;
    if (!item) return [];
    const quantity = textOf(member, 'Quantity') ?? '1';
    const line: InvoiceLineRecord = {
      txnLineId: company.stamps.newId(),
      itemId: item.listId,
      quantity: factor ? multiplyDecimals(quantity, factor) : normalizeDecimal(quantity),
      amountCents: 0,
      fields: {},
    };
    const desc = itemDescription(item);
    if (desc !== undefined) line.desc = desc;
    return [{ line, amountGiven: false }];
  });
}

/** The `InvoiceRet` of an invoice; lines when `withLines`, linked payments when `withLinks`. */
export function invoiceRet(ctx: RequestContext, invoice: InvoiceRecord, withLines: boolean, withLinks: boolean): RetElement {
  const { company, model } = ctx;
  const decl = model.element('InvoiceRet')!;
  const lineDecl = model.element('InvoiceLineRet')!;
  const balance = invoiceBalanceCents(invoice);
  const lines: RetAggregate[] = invoice.lines.map((line) => ({
    ...storedToRet(company, lineDecl, line.fields),
    TxnLineID: line.txnLineId,
    ItemRef: refRet(company, line.itemId),
    Desc: line.desc,
    Quantity: line.quantity,
    Rate: line.rate,
    RatePercent: line.ratePercent,
    ClassRef: refRet(company, line.classId),
    Amount: formatCents(line.amountCents),
    ServiceDate: line.serviceDate,
    SalesTaxCodeRef: refRet(company, line.salesTaxCodeId),
  }));
  const links = withLinks
    ? paymentsAppliedTo(company, invoice.txnId).map(({ payment, application }) => ({
        TxnID: payment.txnId,
        TxnType: 'ReceivePayment',
        TxnDate: payment.txnDate,
        RefNumber: payment.refNumber,
        LinkType: 'AMTTYPE',
        Amount: formatCents(-(application.amountCents + application.discountCents)),
      }))
    : [];
  const value: RetAggregate = {
    ...storedToRet(company, decl, invoice.fields),
    TxnID: invoice.txnId,
    TimeCreated: invoice.timeCreated,
    TimeModified: invoice.timeModified,
    EditSequence: invoice.editSequence,
    TxnNumber: String(invoice.txnNumber),
    CustomerRef: refRet(company, invoice.customerId),
    ClassRef: refRet(company, invoice.classId),
    ARAccountRef: refRet(company, invoice.arAccountId),
    TxnDate: invoice.txnDate,
    RefNumber: invoice.refNumber,
    IsPending: boolText(invoice.isPending),
    IsFinanceCharge: 'false',
    TermsRef: refRet(company, invoice.termsId),
    DueDate: invoice.dueDate,
    Subtotal: formatCents(invoice.subtotalCents),
    ItemSalesTaxRef: refRet(company, invoice.itemSalesTaxId),
    SalesTaxPercentage: invoice.salesTaxPercentage,
    SalesTaxTotal: formatCents(invoice.salesTaxTotalCents),
    AppliedAmount: formatCents(invoice.appliedAmountCents),
    BalanceRemaining: formatCents(balance),
    IsPaid: boolText(balance <= 0),
    IsToBePrinted: boolText(invoice.isToBePrinted),
    IsToBeEmailed: boolText(invoice.isToBeEmailed),
    CustomerSalesTaxCodeRef: refRet(company, invoice.customerSalesTaxCodeId),
    LinkedTxn: links.length > 0 ? links : undefined,
    InvoiceLineRet: withLines && lines.length > 0 ? lines : undefined,
  };
  return { name: 'InvoiceRet', value };
}

/** Reads the header fields both Add and Mod may carry. */
function applyHeader(ctx: RequestContext, aggregate: XmlElement, invoice: InvoiceRecord): void {
  const { company } = ctx;
  const classId = resolveId(company, child(aggregate, 'ClassRef'), 'Invoice');
  if (classId) invoice.classId = classId;
  const arId = resolveId(company, child(aggregate, 'ARAccountRef'), 'Invoice');
  if (arId) invoice.arAccountId = arId;
  const termsId = resolveId(company, child(aggregate, 'TermsRef'), 'Invoice');
  if (termsId) invoice.termsId = termsId;
  const taxItemId = resolveId(company, child(aggregate, 'ItemSalesTaxRef'), 'Invoice');
  if (taxItemId) invoice.itemSalesTaxId = taxItemId;
  const taxCodeId = resolveId(company, child(aggregate, 'CustomerSalesTaxCodeRef'), 'Invoice');
  if (taxCodeId) invoice.customerSalesTaxCodeId = taxCodeId;
  const txnDate = childText(aggregate, 'TxnDate');
  if (txnDate !== undefined) invoice.txnDate = txnDate;
  const refNumber = childText(aggregate, 'RefNumber');
  if (refNumber !== undefined) invoice.refNumber = refNumber;
  const dueDate = childText(aggregate, 'DueDate');
  if (dueDate !== undefined) invoice.dueDate = dueDate;
  const isPending = childBoolean(aggregate, 'IsPending');
  if (isPending !== undefined) invoice.isPending = isPending;
  const toBePrinted = childBoolean(aggregate, 'IsToBePrinted');
  if (toBePrinted !== undefined) invoice.isToBePrinted = toBePrinted;
  const toBeEmailed = childBoolean(aggregate, 'IsToBeEmailed');
  if (toBeEmailed !== undefined) invoice.isToBeEmailed = toBeEmailed;
}

const addInvoice: RequestHandler = (ctx) => {
  const { company } = ctx;
  const aggregate = requestAggregate(ctx, 'InvoiceAdd');
  const customerRef = child(aggregate, 'CustomerRef')!;
  const customer = company.resolveRef('CustomerRef', refInput(customerRef), 'Invoice').record;
  const time = company.stamps.timestamp();
  const invoice: InvoiceRecord = {
    txnId: company.stamps.newId(),
    txnNumber: 0,
    timeCreated: time,
    timeModified: time,
    editSequence: company.stamps.nextEditSequence(),
    txnDate: company.stamps.today(),
    customerId: customer.listId,
    isPending: false,
    isToBePrinted: company.data.preferences.invoicesToBePrintedByDefault,
    isToBeEmailed: false,
    lines: [],
    subtotalCents: 0,
    salesTaxTotalCents: 0,
    appliedAmountCents: 0,
    fields: storeChildren(company, aggregate, 'Invoice', { skip: HEADER_FIELDS }),
  };
  applyHeader(ctx, aggregate, invoice);
  // What QuickBooks takes from the customer when the invoice does not say.
  invoice.termsId ??= storedRefId(customer.fields, 'TermsRef');
  if (company.data.preferences.salesTaxEnabled) {
    invoice.itemSalesTaxId ??= storedRefId(customer.fields, 'ItemSalesTaxRef');
    invoice.customerSalesTaxCodeId ??= storedRefId(customer.fields, 'SalesTaxCodeRef');
  }
  if (invoice.itemSalesTaxId === undefined) delete invoice.itemSalesTaxId;
  if (invoice.customerSalesTaxCodeId === undefined) delete invoice.customerSalesTaxCodeId;
  if (invoice.termsId === undefined) delete invoice.termsId;
  const work: LineWork[] = [];
  for (const element of aggregate.children) {
    if (element.name === 'InvoiceLineAdd') work.push(readLine(company, element, undefined));
    else if (element.name === 'InvoiceLineGroupAdd') work.push(...groupLines(company, element));
  }
  invoice.lines = work.map((w) => w.line);
  computeLineAmounts(company, invoice.lines, work);
  recalculateInvoice(company, invoice);
  invoice.arAccountId ??= company.defaultAccount('AccountsReceivable', 'Accounts Receivable').listId;
  invoice.refNumber ??= nextInvoiceRefNumber(company);
  invoice.dueDate ??= dueDateFor(company, invoice.termsId, invoice.txnDate);
  invoice.txnNumber = company.nextTxnNumber();
  company.data.invoices.push(invoice);
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
  applyHeader(ctx, aggregate, invoice);
  mergeStored(invoice.fields, storeChildren(company, aggregate, 'Invoice', { skip: HEADER_FIELDS, fromMod: true }));
  const lineMods = childrenNamed(aggregate, 'InvoiceLineMod');
  if (lineMods.length > 0) {
    // QuickBooks replaces the line list: TxnLineID -1 adds a line, an existing one is changed, lines not
    // mentioned are deleted.
    const work = lineMods.map((element) => {
      const lineId = childText(element, 'TxnLineID') ?? '-1';
      const existing = lineId === '-1' ? undefined : invoice.lines.find((l) => l.txnLineId === lineId);
      if (lineId !== '-1' && !existing) refuse(QB_STATUS.objectNotFound(lineId));
      return readLine(company, element, existing);
    });
    invoice.lines = work.map((w) => w.line);
    computeLineAmounts(company, invoice.lines, work);
  }
  recalculateInvoice(company, invoice);
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
