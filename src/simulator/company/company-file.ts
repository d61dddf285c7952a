/**
 * The simulated company file: the lists and transactions of one QuickBooks company, with the rules
 * QuickBooks enforces when something is saved (unique names, existing references, current edit sequences,
 * enabled features). It knows nothing about XML; the qbXML processor translates requests into these calls.
 */
import { RecordStamps } from './ids.js';
import { QB_STATUS, refuse } from './status-codes.js';
import type {
  AccountRecord,
  ClassRecord,
  CompanyDataExt,
  CompanyFileData,
  CreditMemoRecord,
  PaymentApplicationRecord,
  CustomerRecord,
  InvoiceRecord,
  ItemRecord,
  ItemType,
  ListRecord,
  NameRecord,
  PaymentMethodRecord,
  PayrollWageItemRecord,
  ReceivePaymentRecord,
  SalesRepRecord,
  CustomerTypeRecord,
  TemplateRecord,
  SalesTaxCodeRecord,
  SalesTxnRecord,
  TxnRecord,
  StoredAggregate,
  TermsRecord,
} from './types.js';

/** The lists of a company file, by their key in {@link CompanyFileData}. */
export interface ListRecords {
  customers: CustomerRecord;
  vendors: NameRecord;
  employees: NameRecord;
  otherNames: NameRecord;
  items: ItemRecord;
  accounts: AccountRecord;
  classes: ClassRecord;
  terms: TermsRecord;
  salesTaxCodes: SalesTaxCodeRecord;
  paymentMethods: PaymentMethodRecord;
  salesReps: SalesRepRecord;
  customerTypes: CustomerTypeRecord;
  templates: TemplateRecord;
  payrollWageItems: PayrollWageItemRecord;
}

/** Name of one list of the company file. */
export type ListName = keyof ListRecords;

/** Every list, in the order QuickBooks' lists menu shows them (also the order ListIDs are searched in). */
export const LIST_NAMES: readonly ListName[] = [
  'accounts',
  'customers',
  'vendors',
  'employees',
  'otherNames',
  'items',
  'classes',
  'terms',
  'salesTaxCodes',
  'paymentMethods',
  'salesReps',
  'customerTypes',
  'templates',
  'payrollWageItems',
];

/**
 * QuickBooks keeps one name space for customers (and jobs), vendors, employees and other names: a vendor
 * cannot be called like a customer. Every other list is its own name space.
 */
const NAME_SPACES: Record<ListName, readonly ListName[]> = {
  customers: ['customers', 'vendors', 'employees', 'otherNames'],
  vendors: ['customers', 'vendors', 'employees', 'otherNames'],
  employees: ['customers', 'vendors', 'employees', 'otherNames'],
  otherNames: ['customers', 'vendors', 'employees', 'otherNames'],
  items: ['items'],
  accounts: ['accounts'],
  classes: ['classes'],
  terms: ['terms'],
  salesTaxCodes: ['salesTaxCodes'],
  paymentMethods: ['paymentMethods'],
  salesReps: ['salesReps'],
  customerTypes: ['customerTypes'],
  templates: ['templates'],
  payrollWageItems: ['payrollWageItems'],
};

/** The list name QuickBooks uses in "There was an error when saving a ... list" (3180). */
export const LIST_LABELS: Record<ListName, string> = {
  customers: 'Customer',
  vendors: 'Vendor',
  employees: 'Employee',
  otherNames: 'Other Name',
  items: 'Item',
  accounts: 'Account',
  classes: 'Class',
  terms: 'Terms',
  salesTaxCodes: 'Sales Tax Code',
  paymentMethods: 'Payment Method',
  salesReps: 'Sales Rep',
  customerTypes: 'Customer Type',
  templates: 'Template',
  payrollWageItems: 'Payroll Item',
};

/** A reference as a request gives it: by ListID, by FullName, or both (ListID wins, as in QuickBooks). */
export interface RefInput {
  readonly listId?: string;
  readonly fullName?: string;
}

/** What a reference element may point to. */
export interface RefTarget {
  readonly lists: readonly ListName[];
  /** How QuickBooks names the list in 3140 messages ("invalid reference to QuickBooks Customer"). */
  readonly label: string;
  /** For item references restricted to some item types (e.g. ItemSalesTaxRef → sales tax items). */
  readonly itemTypes?: readonly ItemType[];
  /** References that only make sense with sales tax turned on (status 3250 otherwise). */
  readonly needsSalesTax?: boolean;
}

const ENTITY_LISTS: readonly ListName[] = ['customers', 'vendors', 'employees', 'otherNames'];
const ACCOUNT: RefTarget = { lists: ['accounts'], label: 'Account' };
const SALES_TAX_CODE: RefTarget = { lists: ['salesTaxCodes'], label: 'Sales Tax Code', needsSalesTax: true };
const SALES_TAX_ITEM: RefTarget = { lists: ['items'], label: 'Item', itemTypes: ['SalesTax'], needsSalesTax: true };

/**
 * Reference elements the simulator can resolve, by element name. A reference element not listed here points
 * to a list the simulator does not model (price levels, vendor types, ...), which is treated like a
 * reference to a record that does not exist (3140) — the same answer a company file without them gives.
 */
export const REF_TARGETS: Readonly<Record<string, RefTarget>> = {
  CustomerRef: { lists: ['customers'], label: 'Customer' },
  ClassRef: { lists: ['classes'], label: 'Class' },
  DiscountClassRef: { lists: ['classes'], label: 'Class' },
  TermsRef: { lists: ['terms'], label: 'Terms' },
  SalesTaxCodeRef: SALES_TAX_CODE,
  CustomerSalesTaxCodeRef: SALES_TAX_CODE,
  PurchaseTaxCodeRef: SALES_TAX_CODE,
  ItemSalesTaxRef: SALES_TAX_ITEM,
  ItemPurchaseTaxRef: SALES_TAX_ITEM,
  ItemRef: { lists: ['items'], label: 'Item' },
  AccountRef: ACCOUNT,
  IncomeAccountRef: ACCOUNT,
  ExpenseAccountRef: ACCOUNT,
  COGSAccountRef: ACCOUNT,
  AssetAccountRef: ACCOUNT,
  ARAccountRef: ACCOUNT,
  DepositToAccountRef: ACCOUNT,
  DiscountAccountRef: ACCOUNT,
  PaymentMethodRef: { lists: ['paymentMethods'], label: 'Payment Method' },
  PreferredPaymentMethodRef: { lists: ['paymentMethods'], label: 'Payment Method' },
  SalesRepRef: { lists: ['salesReps'], label: 'Sales Rep' },
  CustomerTypeRef: { lists: ['customerTypes'], label: 'Customer Type' },
  TemplateRef: { lists: ['templates'], label: 'Template' },
  SalesRepEntityRef: { lists: ['employees', 'vendors', 'otherNames'], label: 'Entity' },
  PrefVendorRef: { lists: ['vendors'], label: 'Vendor' },
  // Purchasing.
  VendorRef: { lists: ['vendors'], label: 'Vendor' },
  ShipToEntityRef: { lists: ENTITY_LISTS, label: 'Entity' },
  APAccountRef: ACCOUNT,
  OverrideItemAccountRef: ACCOUNT,
  TaxVendorRef: { lists: ['vendors'], label: 'Vendor' },
  EntityRef: { lists: ENTITY_LISTS, label: 'Entity' },
  PayeeEntityRef: { lists: ENTITY_LISTS, label: 'Entity' },
  ItemServiceRef: { lists: ['items'], label: 'Item', itemTypes: ['Service'] },
  PayrollItemWageRef: { lists: ['payrollWageItems'], label: 'Payroll Item' },
};

/** A list record found by id, with the list it belongs to. */
export interface FoundRecord {
  readonly list: ListName;
  readonly record: ListRecord;
}

/** QuickBooks compares list names without regard to case. */
const foldName = (name: string) => name.toLowerCase();

/** One open company file. Wraps the JSON data and keeps lookup indexes over it. */
export class SimulatedCompanyFile {
  readonly stamps: RecordStamps;
  /**
   * Test hook for status 3180: lists named here refuse every save, the way QuickBooks refuses when another
   * user of a multi-user company file holds the list. Real QuickBooks conditions (record locks, network
   * hiccups) cannot be reproduced in a single-process simulator, so a test sets this deliberately.
   */
  readonly lockedLists = new Set<ListName>();
  /**
   * Test hook for the multi-user refusal (parity-transfers.md F3): while true, the file is "open in multi-user
   * mode" and InventoryAdjustmentAdd is refused with 3180, as QuickBooks refuses inventory adjustments unless
   * the file is in single-user mode. Everything else is saved as usual.
   */
  openInMultiUserMode = false;
  private readonly byId = new Map<string, FoundRecord>();

  constructor(
    readonly data: CompanyFileData,
    clock: () => Date = () => new Date(),
  ) {
    this.stamps = new RecordStamps(data, clock);
    for (const list of LIST_NAMES) for (const record of data[list]) this.byId.set(record.listId, { list, record });
  }

  /** The records of one list. */
  list<L extends ListName>(list: L): ListRecords[L][] {
    return this.data[list] as ListRecords[L][];
  }

  /** A list record by ListID, in whichever list it is. */
  findAnyById(listId: string): FoundRecord | undefined {
    return this.byId.get(listId);
  }

  /** A record of `list` by ListID. */
  findById<L extends ListName>(list: L, listId: string): ListRecords[L] | undefined {
    const found = this.byId.get(listId);
    return found && found.list === list ? (found.record as ListRecords[L]) : undefined;
  }

  /** A record of `list` by full name (case-insensitive, like QuickBooks). */
  findByFullName<L extends ListName>(list: L, fullName: string): ListRecords[L] | undefined {
    const wanted = foldName(fullName);
    // Cheap pre-check on the last segment before building the full name (lists can hold thousands).
    const lastColon = wanted.lastIndexOf(':');
    const leaf = lastColon < 0 ? wanted : wanted.slice(lastColon + 1);
    return this.list(list).find((r) => foldName(r.name) === leaf && foldName(this.fullName(list, r)) === wanted);
  }

  /** `Parent:Child:Grandchild` for hierarchical lists; the name for flat ones. */
  fullName(list: ListName, record: ListRecord): string {
    const parts = [record.name];
    let parentId = record.parentId;
    for (let depth = 0; parentId && depth < 100; depth++) {
      const parent = this.findById(list, parentId);
      if (!parent) break;
      parts.unshift(parent.name);
      parentId = parent.parentId;
    }
    return parts.join(':');
  }

  /** How deep in the hierarchy a record sits (0 = top level). */
  sublevel(list: ListName, record: ListRecord): number {
    let level = 0;
    for (let parentId = record.parentId; parentId && level < 100; level++) parentId = this.findById(list, parentId)?.parentId;
    return level;
  }

  /** The full name of whatever a ListID points to (for rendering references). */
  fullNameOfId(listId: string): string | undefined {
    const found = this.byId.get(listId);
    return found && this.fullName(found.list, found.record);
  }

  /**
   * Resolves a reference for a record being saved. `context` names that record in QuickBooks' words
   * ("Invoice", "Invoice line", "Customer") for the 3140 message.
   */
  resolveRef(refElement: string, ref: RefInput, context: string): FoundRecord {
    const target = REF_TARGETS[refElement] ?? { lists: [], label: refElement.replace(/Ref$/, '') };
    if (target.needsSalesTax && !this.data.preferences.salesTaxEnabled) refuse(QB_STATUS.featureNotEnabled());
    const shown = ref.fullName ?? ref.listId ?? '';
    const invalid = () => refuse(QB_STATUS.invalidReference(target.label, shown, context));
    let found: FoundRecord | undefined;
    if (ref.listId !== undefined) {
      found = this.byId.get(ref.listId);
    } else if (ref.fullName !== undefined) {
      for (const list of target.lists) {
        const record = this.findByFullName(list, ref.fullName);
        if (record) {
          found = { list, record };
          break;
        }
      }
    }
    if (!found || !target.lists.includes(found.list)) return invalid();
    if (target.itemTypes && !target.itemTypes.includes((found.record as ItemRecord).type)) return invalid();
    return found;
  }

  /** Refuses (3100) when `fullName` is taken in the name space of `list` by a record other than `exceptId`. */
  assertNameAvailable(list: ListName, fullName: string, exceptId?: string): void {
    for (const other of NAME_SPACES[list]) {
      const clash = this.findByFullName(other, fullName);
      if (clash && clash.listId !== exceptId) refuse(QB_STATUS.nameInUse(fullName));
    }
  }

  /** Refuses (3180) when the list is locked by the test hook. */
  assertWritable(list: ListName, elementName: string): void {
    if (this.lockedLists.has(list)) refuse(QB_STATUS.errorWhenSaving(LIST_LABELS[list], elementName));
  }

  /** Refuses (3200) when a Mod's EditSequence is not the record's current one. */
  assertCurrent(record: { editSequence: string }, given: string): void {
    if (record.editSequence !== given) refuse(QB_STATUS.staleEditSequence(given));
  }

  /** Fresh ListID, timestamps and EditSequence for a new list record. */
  newListCore(name: string, fields: StoredAggregate = {}): ListRecord {
    const time = this.stamps.timestamp();
    return { listId: this.stamps.newId(), timeCreated: time, timeModified: time, editSequence: this.stamps.nextEditSequence(), name, isActive: true, fields };
  }

  /** Fresh TxnID, timestamps and EditSequence for a new transaction; `txnNumber` 0 when it is numbered later. */
  newTxnStamps(txnNumber: number): Pick<TxnRecord, 'txnId' | 'txnNumber' | 'timeCreated' | 'timeModified' | 'editSequence'> {
    const time = this.stamps.timestamp();
    return { txnId: this.stamps.newId(), txnNumber, timeCreated: time, timeModified: time, editSequence: this.stamps.nextEditSequence() };
  }

  /** Saves a new list record after checking the list's rules (lock, unique name). */
  insert<L extends ListName>(list: L, record: ListRecords[L]): ListRecords[L] {
    this.assertWritable(list, record.name);
    this.assertNameAvailable(list, this.fullName(list, record));
    (this.data[list] as ListRecords[L][]).push(record);
    this.byId.set(record.listId, { list, record });
    return record;
  }

  /** Marks a record as changed now: new TimeModified and a new EditSequence. */
  touch(record: { timeModified: string; editSequence: string }): void {
    record.timeModified = this.stamps.timestamp();
    record.editSequence = this.stamps.nextEditSequence(record.editSequence);
  }

  /** Whether `ancestorId` is `record` itself or one of its parents (a record cannot become its own child). */
  isSelfOrAncestor(list: ListName, ancestorId: string, record: ListRecord): boolean {
    for (let id: string | undefined = record.listId, depth = 0; id && depth < 100; depth++) {
      if (id === ancestorId) return true;
      id = this.findById(list, id)?.parentId;
    }
    return false;
  }

  /** Children (direct and deeper) of a list record. */
  descendantIds(list: ListName, listId: string): Set<string> {
    const ids = new Set([listId]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of this.list(list)) {
        if (r.parentId && ids.has(r.parentId) && !ids.has(r.listId)) {
          ids.add(r.listId);
          grew = true;
        }
      }
    }
    return ids;
  }

  // ---- transactions ----------------------------------------------------------------------------

  /** An invoice by TxnID. */
  findInvoice(txnId: string): InvoiceRecord | undefined {
    return this.data.invoices.find((i) => i.txnId === txnId);
  }

  /** A credit memo by TxnID. */
  findCreditMemo(txnId: string): CreditMemoRecord | undefined {
    return this.data.creditMemos.find((c) => c.txnId === txnId);
  }

  /** A received payment by TxnID. */
  findReceivePayment(txnId: string): ReceivePaymentRecord | undefined {
    return this.data.receivePayments.find((p) => p.txnId === txnId);
  }

  /** Next TxnNumber (QuickBooks numbers every transaction of the file). */
  nextTxnNumber(): number {
    return this.data.nextTxnNumber++;
  }

  /**
   * Open balance of one customer or job alone, in cents: what its invoices still owe minus unapplied payments
   * and the credit its credit memos leave (QuickBooks shows a credit memo as a credit on the customer).
   */
  balanceCents(customerId: string): number {
    let cents = 0;
    for (const invoice of this.data.invoices) if (invoice.customerId === customerId) cents += invoiceBalanceCents(invoice);
    for (const memo of this.data.creditMemos) if (memo.customerId === customerId) cents -= creditRemainingCents(memo);
    for (const payment of this.data.receivePayments) if (payment.customerId === customerId) cents -= unusedPaymentCents(payment);
    return cents;
  }

  /** Balance of a customer including all its jobs, in cents. */
  totalBalanceCents(customerId: string): number {
    let cents = 0;
    for (const id of this.descendantIds('customers', customerId)) cents += this.balanceCents(id);
    return cents;
  }

  /**
   * The account QuickBooks posts to when a transaction names none: the first account of `accountType`,
   * created on first use like QuickBooks creates "Accounts Receivable" with the first invoice.
   */
  defaultAccount(accountType: string, name: string): AccountRecord {
    const existing = this.data.accounts.find((a) => a.accountType === accountType && a.isActive);
    if (existing) return existing;
    const taken = this.findByFullName('accounts', name);
    const core = this.newListCore(taken ? `${name} ${this.data.accounts.length + 1}` : name);
    return this.insert('accounts', { ...core, accountType });
  }

  // ---- private data extensions on the Company object --------------------------------------------

  /** The Company object's data extensions of one owner (OwnerIDs compare case-insensitively, they are GUIDs). */
  companyDataExts(ownerId: string): CompanyDataExt[] {
    return this.data.companyDataExts.filter((e) => sameOwner(e.ownerId, ownerId));
  }

  /** One data extension of the Company object. */
  findCompanyDataExt(ownerId: string, name: string): CompanyDataExt | undefined {
    return this.data.companyDataExts.find((e) => sameOwner(e.ownerId, ownerId) && e.name === name);
  }
}

function sameOwner(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** Subtotal + sales tax of an invoice or credit memo, in cents. */
export function invoiceTotalCents(txn: SalesTxnRecord): number {
  return txn.subtotalCents + txn.salesTaxTotalCents;
}

/** The credit a credit memo still gives, in cents: its total less what was applied to invoices. */
export function creditRemainingCents(memo: CreditMemoRecord): number {
  return invoiceTotalCents(memo) - (memo.creditAppliedCents ?? 0);
}

/** Credits applied with one payment application, in cents. */
export function creditsAppliedCents(application: PaymentApplicationRecord): number {
  return (application.credits ?? []).reduce((sum, c) => sum + c.amountCents, 0);
}

/** What an invoice still owes, in cents (`AppliedAmount` is negative, as QuickBooks reports it). */
export function invoiceBalanceCents(invoice: InvoiceRecord): number {
  return invoiceTotalCents(invoice) + invoice.appliedAmountCents;
}

/** The part of a payment not applied to any invoice, in cents. */
export function unusedPaymentCents(payment: ReceivePaymentRecord): number {
  return payment.totalAmountCents - payment.applications.reduce((sum, a) => sum + a.amountCents, 0);
}
