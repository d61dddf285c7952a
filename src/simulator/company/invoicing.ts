/**
 * Invoice arithmetic and payment application, as QuickBooks does it: line amounts from quantity × rate,
 * subtotal, sales tax on taxable lines, balance after payments; payments applied to open invoices of the
 * same customer/job without paying more than is due. All money in integer cents.
 */
import type { SimulatedCompanyFile } from './company-file.js';
import { divideCents, formatCents, multiplyToCents, normalizeDecimal, percentOfCents } from './money.js';
import { QB_STATUS, refuse } from './status-codes.js';
import type { CreditApplicationRecord, ItemRecord, PaymentApplicationRecord, ReceivePaymentRecord, SalesLineRecord, SalesTxnRecord, StoredAggregate } from './types.js';
import { creditRemainingCents, creditsAppliedCents, invoiceBalanceCents } from './company-file.js';

/** Text of a stored field, if it is text. */
function textField(fields: StoredAggregate, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
}

/** An item's sales price as QuickBooks would use it for a line without Rate/Amount. */
function itemPrice(item: ItemRecord): string | undefined {
  const sop = item.fields['SalesOrPurchase'];
  const sap = item.fields['SalesAndPurchase'];
  if (sop && typeof sop === 'object' && !Array.isArray(sop)) return textField(sop as StoredAggregate, 'Price');
  if (sap && typeof sap === 'object' && !Array.isArray(sap)) return textField(sap as StoredAggregate, 'SalesPrice');
  return textField(item.fields, 'SalesPrice');
}

/**
 * Fills in what QuickBooks computes for each line: Rate from the item when neither Rate nor Amount is given,
 * Amount = Quantity × Rate (rounded to cents), percentage lines, subtotal and discount items.
 */
export function computeLineAmounts(company: SimulatedCompanyFile, lines: SalesLineRecord[], given: ReadonlyArray<{ amountGiven: boolean }>): void {
  let sinceSubtotal = 0; // running sum since the last subtotal line: what a subtotal/percentage line works on
  let previousAmount = 0;
  lines.forEach((line, index) => {
    const item = line.itemId ? company.findById('items', line.itemId) : undefined;
    if (!given[index]?.amountGiven) {
      if (item?.type === 'Subtotal') {
        line.amountCents = sinceSubtotal;
      } else if (line.ratePercent !== undefined) {
        line.amountCents = percentOfCents(previousAmount, line.ratePercent);
      } else if (item?.type === 'Discount' && line.rate === undefined) {
        const percent = textField(item.fields, 'DiscountRatePercent');
        const rate = textField(item.fields, 'DiscountRate');
        line.amountCents = percent !== undefined ? -percentOfCents(previousAmount, percent) : rate !== undefined ? -Math.abs(multiplyToCents('1', rate)) : 0;
      } else {
        const rate = line.rate ?? (item ? itemPrice(item) : undefined);
        if (rate !== undefined && line.rate === undefined && item?.type !== 'Discount') line.rate = normalizeDecimal(rate);
        line.amountCents = rate !== undefined ? multiplyToCents(line.quantity ?? '1', rate) : 0;
      }
    } else if (line.quantity !== undefined && line.rate === undefined && line.ratePercent === undefined && line.amountCents !== 0) {
      // QuickBooks derives the rate when quantity and amount are given.
      if (!/^[+-]?0*\.?0*$/.test(line.quantity)) line.rate = normalizeDecimal(divideCents(line.amountCents, line.quantity));
    }
    if (item?.type === 'Subtotal') sinceSubtotal = 0;
    else sinceSubtotal += line.amountCents;
    previousAmount = line.amountCents;
  });
}

/** Whether a line is taxable: its sales tax code, else its item's, decides. */
function isTaxableLine(company: SimulatedCompanyFile, line: SalesLineRecord): boolean {
  const item = line.itemId ? company.findById('items', line.itemId) : undefined;
  if (item?.type === 'Subtotal' || item?.type === 'SalesTax') return false;
  let codeId = line.salesTaxCodeId;
  if (!codeId && item) {
    const ref = item.fields['SalesTaxCodeRef'];
    if (ref && typeof ref === 'object' && '$ref' in ref) codeId = ref.$ref as string;
  }
  const code = codeId ? company.findById('salesTaxCodes', codeId) : undefined;
  return code?.isTaxable ?? false;
}

/**
 * Recomputes Subtotal, SalesTaxPercentage and SalesTaxTotal of an invoice or credit memo from its lines.
 * Subtotal lines only display a running sum and are not added; sales tax applies when sales tax is on and
 * the transaction has a sales tax item.
 */
export function recalculateSalesTotals(company: SimulatedCompanyFile, invoice: SalesTxnRecord): void {
  let subtotal = 0;
  let taxable = 0;
  for (const line of invoice.lines) {
    const item = line.itemId ? company.findById('items', line.itemId) : undefined;
    if (item?.type === 'Subtotal') continue;
    subtotal += line.amountCents;
    if (isTaxableLine(company, line)) taxable += line.amountCents;
  }
  invoice.subtotalCents = subtotal;
  const taxItem = invoice.itemSalesTaxId ? company.findById('items', invoice.itemSalesTaxId) : undefined;
  const rate = taxItem ? textField(taxItem.fields, 'TaxRate') : undefined;
  if (company.data.preferences.salesTaxEnabled && rate !== undefined) {
    invoice.salesTaxPercentage = normalizeDecimal(rate);
    invoice.salesTaxTotalCents = percentOfCents(taxable, rate);
  } else {
    delete invoice.salesTaxPercentage;
    invoice.salesTaxTotalCents = 0;
  }
}

/**
 * The next automatic number of an invoice or credit memo: one more than the highest all-digit RefNumber of
 * either, or 1. QuickBooks Desktop numbers credit memos from the invoices' sequence (a credit memo after
 * invoice 1042 is 1043, and the next invoice 1044), so both lists count. Reads only the transactions added since
 * its last call (`refNumberScans`): a scan of the whole file per add made a 10 000-invoice drain quadratic.
 */
export function nextSalesRefNumber(company: SimulatedCompanyFile): string {
  const { invoices, creditMemos } = company.data;
  let scan = refNumberScans.get(company);
  if (!scan || scan.invoices > invoices.length || scan.creditMemos > creditMemos.length) scan = { invoices: 0, creditMemos: 0, highest: 0n };
  for (const txn of [...invoices.slice(scan.invoices), ...creditMemos.slice(scan.creditMemos)]) {
    if (txn.refNumber && /^\d+$/.test(txn.refNumber)) {
      const n = BigInt(txn.refNumber);
      if (n > scan.highest) scan.highest = n;
    }
  }
  refNumberScans.set(company, { invoices: invoices.length, creditMemos: creditMemos.length, highest: scan.highest });
  return String(scan.highest + 1n);
}

/** How many invoices and credit memos nextSalesRefNumber has read of a company file, and the highest number among them. */
interface RefNumberScan {
  readonly invoices: number;
  readonly creditMemos: number;
  highest: bigint;
}
const refNumberScans = new WeakMap<SimulatedCompanyFile, RefNumberScan>();

/** A RefNumber was set on a transaction (an Add that names one, a Mod): the next number is looked for from scratch. */
export function forgetSalesRefNumbers(company: SimulatedCompanyFile): void {
  refNumberScans.delete(company);
}

/** One application of a payment as the request states it. */
export interface PaymentApplicationInput {
  readonly txnId: string;
  readonly amountCents: number;
  readonly amountText: string;
  readonly discountCents: number;
  /** Credit memos applied to the invoice with it (SetCredit: CreditTxnID and AppliedAmount). */
  readonly credits?: ReadonlyArray<{ readonly creditTxnId: string; readonly amountCents: number; readonly amountText: string }>;
}

/**
 * Checks the credits of one application as QuickBooks does: the credit memo exists (3120), belongs to the
 * same customer/job (3140) and still has that much credit (3210). Returns them in cents, in order.
 */
function planCredits(company: SimulatedCompanyFile, customerId: string, app: PaymentApplicationInput, pendingCredit: Map<string, number>): CreditApplicationRecord[] {
  return (app.credits ?? []).map((credit) => {
    const memo = company.findCreditMemo(credit.creditTxnId);
    if (!memo) refuse(QB_STATUS.objectNotFound(credit.creditTxnId));
    if (memo.customerId !== customerId) refuse(QB_STATUS.invalidReference('CreditMemo', credit.creditTxnId, 'ReceivePayment'));
    const used = pendingCredit.get(memo.txnId) ?? 0;
    if (credit.amountCents <= 0 || credit.amountCents + used > creditRemainingCents(memo)) {
      // The wording is inferred: no capture of an over-applied credit exists [G].
      refuse(QB_STATUS.invalidValue('SetCredit applied amount', credit.amountText, 'The credit applied is more than the credit remaining.'));
    }
    pendingCredit.set(memo.txnId, used + credit.amountCents);
    return { creditTxnId: memo.txnId, amountCents: credit.amountCents };
  });
}

/**
 * Works out how a payment is applied and refuses what QuickBooks refuses: unknown invoices (3120), an
 * invoice of another customer (3140), paying more than is due (3210). Nothing is changed until every
 * application has been checked.
 */
export function planPaymentApplications(
  company: SimulatedCompanyFile,
  customerId: string,
  totalAmountCents: number,
  explicit: readonly PaymentApplicationInput[] | undefined,
): PaymentApplicationRecord[] {
  if (explicit && explicit.length > 0) {
    const pending = new Map<string, number>();
    const pendingCredit = new Map<string, number>();
    const planned: PaymentApplicationRecord[] = [];
    for (const app of explicit) {
      const invoice = company.findInvoice(app.txnId);
      // No capture of this case exists; "object not found" is QuickBooks' answer for unknown TxnIDs elsewhere [G].
      if (!invoice) refuse(QB_STATUS.objectNotFound(app.txnId));
      if (invoice.customerId !== customerId) {
        refuse(QB_STATUS.invalidReference('Invoice', app.txnId, 'ReceivePayment'));
      }
      if (app.amountCents < 0) refuse(QB_STATUS.invalidValue('AppliedToTxnAdd payment amount', app.amountText, 'The amount cannot be negative.'));
      const credits = planCredits(company, customerId, app, pendingCredit);
      const credited = credits.reduce((sum, c) => sum + c.amountCents, 0);
      const alreadyPlanned = pending.get(invoice.txnId) ?? 0;
      const due = invoiceBalanceCents(invoice) - alreadyPlanned;
      if (app.amountCents + app.discountCents + credited > due) {
        refuse(QB_STATUS.invalidValue('AppliedToTxnAdd payment amount', app.amountText, 'You cannot pay more than the amount due.'));
      }
      pending.set(invoice.txnId, alreadyPlanned + app.amountCents + app.discountCents + credited);
      planned.push({ txnId: invoice.txnId, amountCents: app.amountCents, discountCents: app.discountCents, ...(credits.length ? { credits } : {}) });
    }
    const applied = planned.reduce((sum, a) => sum + a.amountCents, 0);
    if (applied > totalAmountCents) {
      refuse(QB_STATUS.invalidValue('AppliedToTxnAdd payment amount', formatCents(applied), 'The amount applied is more than the payment amount.'));
    }
    return planned;
  }
  // No explicit application: QuickBooks' "automatically apply payments" preference pays the oldest
  // open invoices of this customer/job first.
  const open = company.data.invoices
    .filter((i) => i.customerId === customerId && invoiceBalanceCents(i) > 0)
    .sort((a, b) => a.txnDate.localeCompare(b.txnDate) || a.txnNumber - b.txnNumber);
  let left = totalAmountCents;
  const planned: PaymentApplicationRecord[] = [];
  for (const invoice of open) {
    if (left <= 0) break;
    const amount = Math.min(left, invoiceBalanceCents(invoice));
    planned.push({ txnId: invoice.txnId, amountCents: amount, discountCents: 0 });
    left -= amount;
  }
  return planned;
}

/**
 * Posts a payment's applications to its invoices (AppliedAmount, and so BalanceRemaining/IsPaid), and the
 * credits applied with them to their credit memos (CreditRemaining).
 */
export function postPayment(company: SimulatedCompanyFile, payment: ReceivePaymentRecord): void {
  for (const app of payment.applications) {
    const invoice = company.findInvoice(app.txnId);
    if (!invoice) continue;
    invoice.appliedAmountCents -= app.amountCents + app.discountCents + creditsAppliedCents(app);
    company.touch(invoice);
    for (const credit of app.credits ?? []) {
      const memo = company.findCreditMemo(credit.creditTxnId);
      if (!memo) continue;
      memo.creditAppliedCents = (memo.creditAppliedCents ?? 0) + credit.amountCents;
      company.touch(memo);
    }
  }
}

/** Invoices a payment was applied to, for `LinkedTxn` on the invoice side. */
export function paymentsAppliedTo(company: SimulatedCompanyFile, invoiceTxnId: string): Array<{ payment: ReceivePaymentRecord; application: PaymentApplicationRecord }> {
  const out: Array<{ payment: ReceivePaymentRecord; application: PaymentApplicationRecord }> = [];
  for (const payment of company.data.receivePayments) {
    for (const application of payment.applications) if (application.txnId === invoiceTxnId) out.push({ payment, application });
  }
  return out;
}

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function dayOfMonth(year: number, month: number, day: number): string {
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(day, last))).toISOString().slice(0, 10);
}

/**
 * The DueDate QuickBooks fills in from terms: standard terms add StdDueDays to the TxnDate; date-driven
 * terms are due on DayOfMonthDue, moving to the next month when the invoice is dated within
 * DueNextMonthDays of (or after) that day. No terms: due on the TxnDate.
 */
export function dueDateFor(company: SimulatedCompanyFile, termsId: string | undefined, txnDate: string): string {
  const terms = termsId ? company.findById('terms', termsId) : undefined;
  if (!terms) return txnDate;
  if (terms.kind === 'Standard') return addDays(txnDate, Number(textField(terms.fields, 'StdDueDays') ?? '0'));
  const due = Number(textField(terms.fields, 'DayOfMonthDue') ?? '1');
  const grace = Number(textField(terms.fields, 'DueNextMonthDays') ?? '0');
  const [y, m] = txnDate.split('-').map(Number) as [number, number];
  const thisMonth = dayOfMonth(y, m - 1, due);
  if (txnDate <= thisMonth && addDays(txnDate, grace) <= thisMonth) return thisMonth;
  return dayOfMonth(y, m, due);
}
