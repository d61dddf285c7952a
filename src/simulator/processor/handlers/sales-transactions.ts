/**
 * What invoices and credit memos share: QuickBooks reads their lines the same way (item defaults, Quantity ×
 * Rate, group items expanded), takes the same defaults from the customer (sales tax item and code), numbers
 * both from one RefNumber sequence and returns their lines with the same fields. The invoice and credit memo
 * handlers add only what differs (payments and terms on invoices, CreditRemaining on credit memos).
 */
import type { SimulatedCompanyFile } from '../../company/company-file.js';
import { computeLineAmounts, dueDateFor, forgetSalesRefNumbers, nextSalesRefNumber, recalculateSalesTotals } from '../../company/invoicing.js';
import { formatCents, multiplyDecimals, normalizeDecimal, parseCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { ItemRecord, SalesLineRecord, SalesTxnRecord, StoredAggregate } from '../../company/types.js';
import type { RequestContext } from '../context.js';
import { isStoredRef, mergeStored, refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate } from '../response-writer.js';
import { child, childBoolean, childText, type XmlElement } from '../../../qbxml/xml-tree.js';
import { boolText } from './shared.js';

/** How one kind of sales transaction names its elements. */
export interface SalesTxnKind {
  /** The transaction in QuickBooks' words, for 3140 messages ("Invoice"; "Invoice line" for its lines). */
  readonly label: string;
  /** `InvoiceLineAdd`, `CreditMemoLineAdd`. */
  readonly lineAdd: string;
  /** `InvoiceLineGroupAdd`, `CreditMemoLineGroupAdd`. */
  readonly groupAdd: string;
  /** `InvoiceLineRet`, `CreditMemoLineRet`. */
  readonly lineRet: string;
  /** Header elements the handler interprets; every other child of the Add/Mod is stored verbatim. */
  readonly headerFields: ReadonlySet<string>;
}

/** Header elements both kinds interpret (each kind adds its line and kind-specific elements). */
export const SALES_HEADER_FIELDS: readonly string[] = [
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
];

const LINE_FIELDS = new Set(['TxnLineID', 'ItemRef', 'Desc', 'Quantity', 'Rate', 'RatePercent', 'ClassRef', 'Amount', 'ServiceDate', 'SalesTaxCodeRef', 'DataExt']);

function resolveId(company: SimulatedCompanyFile, element: XmlElement | undefined, context: string): string | undefined {
  return element ? company.resolveRef(element.name, refInput(element), context).record.listId : undefined;
}

/** The ListID a stored reference field points to. */
export function storedRefId(fields: StoredAggregate, name: string): string | undefined {
  const value = fields[name];
  return isStoredRef(value) ? value.$ref : undefined;
}

function textOf(fields: StoredAggregate, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** An item's description, the default Desc of a line. */
function itemDescription(item: ItemRecord): string | undefined {
  const sop = item.fields['SalesOrPurchase'];
  const sap = item.fields['SalesAndPurchase'];
  if (sop && typeof sop === 'object' && !Array.isArray(sop) && !isStoredRef(sop)) return textOf(sop, 'Desc');
  if (sap && typeof sap === 'object' && !Array.isArray(sap) && !isStoredRef(sap)) return textOf(sap, 'SalesDesc');
  return textOf(item.fields, 'SalesDesc') ?? textOf(item.fields, 'ItemDesc');
}

/** A line read from a request, and whether the request gave its amount (else QuickBooks computes it). */
export interface LineWork {
  readonly line: SalesLineRecord;
  readonly amountGiven: boolean;
}

/** Reads one `…LineAdd`/`…LineMod` into a line (a Mod line starts from the existing one). */
export function readLine(company: SimulatedCompanyFile, element: XmlElement, existing: SalesLineRecord | undefined, kind: SalesTxnKind): LineWork {
  const context = `${kind.label} line`;
  const line: SalesLineRecord = existing
    ? { ...existing, fields: { ...existing.fields } }
    : { txnLineId: company.stamps.newId(), amountCents: 0, fields: {} };
  const itemRef = child(element, 'ItemRef');
  if (itemRef) {
    const item = company.resolveRef('ItemRef', refInput(itemRef), context).record as ItemRecord;
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
  const classId = resolveId(company, child(element, 'ClassRef'), context);
  if (classId) line.classId = classId;
  const taxCodeId = resolveId(company, child(element, 'SalesTaxCodeRef'), context);
  if (taxCodeId) line.salesTaxCodeId = taxCodeId;
  const serviceDate = childText(element, 'ServiceDate');
  if (serviceDate !== undefined) line.serviceDate = serviceDate;
  mergeStored(line.fields, storeChildren(company, element, context, { skip: LINE_FIELDS }));
  const amount = childText(element, 'Amount');
  if (amount !== undefined) line.amountCents = parseCents(amount);
  // A Mod that changes quantity or rate without an amount gets the amount recomputed.
  const amountGiven = amount !== undefined || (existing !== undefined && quantity === undefined && rate === undefined && ratePercent === undefined);
  return { line, amountGiven };
}

/** Lines of an ItemGroup, added as ordinary lines (the simulator does not keep group lines). */
function groupLines(company: SimulatedCompanyFile, element: XmlElement, kind: SalesTxnKind): LineWork[] {
  const context = `${kind.label} line`;
  const groupRef = child(element, 'ItemGroupRef');
  const group = groupRef && (company.resolveRef('ItemRef', refInput(groupRef), context).record as ItemRecord);
  if (!group || group.type !== 'Group') {
    refuse(QB_STATUS.invalidReference('Item', groupRef ? (refInput(groupRef).fullName ?? refInput(groupRef).listId ?? '') : '', context));
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
    const line: SalesLineRecord = {
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

/** Reads the header fields both Add and Mod may carry. */
export function applySalesHeader(ctx: RequestContext, aggregate: XmlElement, txn: SalesTxnRecord, kind: SalesTxnKind): void {
  const { company } = ctx;
  const resolve = (name: string) => resolveId(company, child(aggregate, name), kind.label);
  const classId = resolve('ClassRef');
  if (classId) txn.classId = classId;
  const arId = resolve('ARAccountRef');
  if (arId) txn.arAccountId = arId;
  const termsId = resolve('TermsRef');
  if (termsId) txn.termsId = termsId;
  const taxItemId = resolve('ItemSalesTaxRef');
  if (taxItemId) txn.itemSalesTaxId = taxItemId;
  const taxCodeId = resolve('CustomerSalesTaxCodeRef');
  if (taxCodeId) txn.customerSalesTaxCodeId = taxCodeId;
  const txnDate = childText(aggregate, 'TxnDate');
  if (txnDate !== undefined) txn.txnDate = txnDate;
  const refNumber = childText(aggregate, 'RefNumber');
  if (refNumber !== undefined) {
    txn.refNumber = refNumber;
    forgetSalesRefNumbers(company);
  }
  const dueDate = childText(aggregate, 'DueDate');
  if (dueDate !== undefined) txn.dueDate = dueDate;
  const isPending = childBoolean(aggregate, 'IsPending');
  if (isPending !== undefined) txn.isPending = isPending;
  const toBePrinted = childBoolean(aggregate, 'IsToBePrinted');
  if (toBePrinted !== undefined) txn.isToBePrinted = toBePrinted;
  const toBeEmailed = childBoolean(aggregate, 'IsToBeEmailed');
  if (toBeEmailed !== undefined) txn.isToBeEmailed = toBeEmailed;
}

/** What differs between kinds when a new one is added. */
export interface SalesAddDefaults {
  readonly isToBePrinted: boolean;
  /**
   * Invoices take the customer's terms and get a DueDate from them. A credit memo is not due (QuickBooks'
   * credit memo form has no terms), so it keeps only the TermsRef/DueDate a request gives [G: no capture].
   */
  readonly termsFromCustomer: boolean;
}

/**
 * A new invoice or credit memo from its `…Add` aggregate, with everything QuickBooks fills in: customer
 * defaults, line amounts, totals, the A/R account, the next RefNumber and a TxnNumber. Refuses (throws)
 * before anything in the company file changes; the caller saves the record in its list.
 */
export function readSalesAdd(ctx: RequestContext, aggregate: XmlElement, kind: SalesTxnKind, defaults: SalesAddDefaults): SalesTxnRecord {
  const { company } = ctx;
  const customer = company.resolveRef('CustomerRef', refInput(child(aggregate, 'CustomerRef')!), kind.label).record;
  const txn: SalesTxnRecord = {
    ...company.newTxnStamps(0),
    txnDate: company.stamps.today(),
    customerId: customer.listId,
    isPending: false,
    isToBePrinted: defaults.isToBePrinted,
    isToBeEmailed: false,
    lines: [],
    subtotalCents: 0,
    salesTaxTotalCents: 0,
    fields: storeChildren(company, aggregate, kind.label, { skip: kind.headerFields }),
  };
  applySalesHeader(ctx, aggregate, txn, kind);
  // What QuickBooks takes from the customer when the transaction does not say.
  if (defaults.termsFromCustomer) txn.termsId ??= storedRefId(customer.fields, 'TermsRef');
  if (company.data.preferences.salesTaxEnabled) {
    txn.itemSalesTaxId ??= storedRefId(customer.fields, 'ItemSalesTaxRef');
    txn.customerSalesTaxCodeId ??= storedRefId(customer.fields, 'SalesTaxCodeRef');
  }
  if (txn.itemSalesTaxId === undefined) delete txn.itemSalesTaxId;
  if (txn.customerSalesTaxCodeId === undefined) delete txn.customerSalesTaxCodeId;
  if (txn.termsId === undefined) delete txn.termsId;
  const work: LineWork[] = [];
  for (const element of aggregate.children) {
    if (element.name === kind.lineAdd) work.push(readLine(company, element, undefined, kind));
    else if (element.name === kind.groupAdd) work.push(...groupLines(company, element, kind));
  }
  txn.lines = work.map((w) => w.line);
  computeLineAmounts(company, txn.lines, work);
  recalculateSalesTotals(company, txn);
  txn.arAccountId ??= company.defaultAccount('AccountsReceivable', 'Accounts Receivable').listId;
  txn.refNumber ??= nextSalesRefNumber(company);
  if (defaults.termsFromCustomer) txn.dueDate ??= dueDateFor(company, txn.termsId, txn.txnDate);
  txn.txnNumber = company.nextTxnNumber();
  return txn;
}

/**
 * The `*Ret` fields both kinds have (TxnCore, customer, A/R, dates, numbers, sales tax totals, flags, the
 * fields stored verbatim) and the lines when `withLines`. The caller adds its own totals.
 */
export function salesTxnRetFields(ctx: RequestContext, retName: string, txn: SalesTxnRecord, kind: SalesTxnKind, withLines: boolean): RetAggregate {
  const { company, model } = ctx;
  const lineDecl = model.element(kind.lineRet)!;
  const lines: RetAggregate[] = txn.lines.map((line) => ({
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
  return {
    ...storedToRet(company, model.element(retName)!, txn.fields),
    TxnID: txn.txnId,
    TimeCreated: txn.timeCreated,
    TimeModified: txn.timeModified,
    EditSequence: txn.editSequence,
    TxnNumber: String(txn.txnNumber),
    CustomerRef: refRet(company, txn.customerId),
    ClassRef: refRet(company, txn.classId),
    ARAccountRef: refRet(company, txn.arAccountId),
    TxnDate: txn.txnDate,
    RefNumber: txn.refNumber,
    IsPending: boolText(txn.isPending),
    TermsRef: refRet(company, txn.termsId),
    DueDate: txn.dueDate,
    Subtotal: formatCents(txn.subtotalCents),
    ItemSalesTaxRef: refRet(company, txn.itemSalesTaxId),
    SalesTaxPercentage: txn.salesTaxPercentage,
    SalesTaxTotal: formatCents(txn.salesTaxTotalCents),
    IsToBePrinted: boolText(txn.isToBePrinted),
    IsToBeEmailed: boolText(txn.isToBeEmailed),
    CustomerSalesTaxCodeRef: refRet(company, txn.customerSalesTaxCodeId),
    [kind.lineRet]: withLines && lines.length > 0 ? lines : undefined,
  };
}
