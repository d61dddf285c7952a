/**
 * The simulated company file's data, as stored in its JSON file. Everything is plain JSON (no classes,
 * no Dates) so a company file round-trips through `JSON.stringify`/`JSON.parse` unchanged.
 *
 * Naming: our own bookkeeping fields are camelCase; qbXML aggregates we keep verbatim (addresses, phone
 * numbers, ...) live in `fields` under their Intuit element names, so they can be echoed back in `*Ret`s.
 */

/** Current `format` marker of a company JSON file; bump when the shape changes incompatibly. */
export const COMPANY_FILE_FORMAT = 'qbd-bridge/simulated-company-file@1';

/** A qbXML value kept verbatim: text, an aggregate, or a repeated element. `{ $ref }` is a resolved reference. */
export type StoredValue = string | StoredRef | StoredAggregate | StoredValue[];
/** A reference to another list element, stored by ListID so renames show up in later responses. */
export interface StoredRef {
  readonly $ref: string;
}
/** A qbXML aggregate kept verbatim (element name → value). */
export interface StoredAggregate {
  [element: string]: StoredValue;
}

/** Fields every list element has (qbXML `ListCore` plus the name/hierarchy QuickBooks keeps). */
export interface ListRecord {
  listId: string;
  timeCreated: string;
  timeModified: string;
  editSequence: string;
  name: string;
  isActive: boolean;
  /** ListID of the parent element for hierarchical lists (jobs, sub-items, sub-accounts, sub-classes). */
  parentId?: string;
  /** Other qbXML fields given on Add/Mod, echoed back in `*Ret` when the Ret has an element of that name. */
  fields: StoredAggregate;
  /** Private data extensions: OwnerID → DataExtName → value. */
  dataExts?: Record<string, Record<string, string>>;
}

/** The four name lists that share one name space in QuickBooks (customers/jobs, vendors, employees, other names). */
export type EntityKind = 'Customer' | 'Vendor' | 'Employee' | 'OtherName';

/** A customer or job (a job is a customer with a parent). Balances are computed from invoices and payments. */
export type CustomerRecord = ListRecord;

/** A vendor, employee or other name: only the name matters to the simulator, the rest is kept verbatim. */
export type NameRecord = ListRecord;

/** The item types the simulator implements (qbXML `Item<Type>Add`). */
export type ItemType =
  | 'Service'
  | 'NonInventory'
  | 'OtherCharge'
  | 'Inventory'
  | 'SalesTax'
  | 'Discount'
  | 'Subtotal'
  | 'Group';

/** An item; the type-specific qbXML (SalesOrPurchase, TaxRate, ItemGroupLine, ...) lives in `fields`. */
export interface ItemRecord extends ListRecord {
  type: ItemType;
}

/** An account of the chart of accounts. */
export interface AccountRecord extends ListRecord {
  accountType: string;
  accountNumber?: string;
}

/** A class (class tracking). */
export type ClassRecord = ListRecord;

/** Standard (net N days) or date-driven (day of month) payment terms; both live in one Terms list. */
export interface TermsRecord extends ListRecord {
  kind: 'Standard' | 'DateDriven';
}

/** A sales tax code (`Tax`, `Non`, ...): at most 3 characters, taxable or not. */
export interface SalesTaxCodeRecord extends ListRecord {
  isTaxable: boolean;
}

/** A payment method (Cash, Check, Visa, ...), referenced by ReceivePayment. */
export type PaymentMethodRecord = ListRecord;

/** A sales rep: QuickBooks names it by its initials (`name` holds Initial; SalesRepRef's FullName is them). */
export type SalesRepRecord = ListRecord;

/** A customer type (hierarchical: `Commercial:Managed`), referenced by a customer's CustomerTypeRef. */
export type CustomerTypeRecord = ListRecord;

/** A form template; qbXML can only query them (TemplateQuery), an InvoiceAdd's TemplateRef names one. */
export interface TemplateRecord extends ListRecord {
  templateType: 'BuildAssembly' | 'CreditMemo' | 'Estimate' | 'Invoice' | 'PurchaseOrder' | 'SalesOrder' | 'SalesReceipt';
}

/** A payroll wage item (PayrollItemWageAdd/Query); its WageType and expense account live in `fields`. */
export type PayrollWageItemRecord = ListRecord;

/** Fields every transaction has (qbXML `TxnCore`). */
export interface TxnRecord {
  txnId: string;
  txnNumber: number;
  timeCreated: string;
  timeModified: string;
  editSequence: string;
  txnDate: string;
  refNumber?: string;
  /** Other qbXML fields given on Add/Mod, echoed back in `*Ret`. */
  fields: StoredAggregate;
}

/**
 * One line of a sales transaction (invoice or credit memo: their lines have the same fields). Amounts in
 * cents; quantities and rates as decimal strings (up to 5 decimals).
 */
export interface SalesLineRecord {
  txnLineId: string;
  itemId?: string;
  desc?: string;
  quantity?: string;
  rate?: string;
  ratePercent?: string;
  amountCents: number;
  classId?: string;
  salesTaxCodeId?: string;
  serviceDate?: string;
  fields: StoredAggregate;
}

/**
 * What invoices and credit memos share: a customer, A/R account, lines, and the totals QuickBooks computes
 * from the lines (recomputed whenever the transaction changes).
 */
export interface SalesTxnRecord extends TxnRecord {
  customerId: string;
  classId?: string;
  arAccountId?: string;
  termsId?: string;
  itemSalesTaxId?: string;
  customerSalesTaxCodeId?: string;
  dueDate?: string;
  isPending: boolean;
  isToBePrinted: boolean;
  isToBeEmailed: boolean;
  lines: SalesLineRecord[];
  subtotalCents: number;
  salesTaxPercentage?: string;
  salesTaxTotalCents: number;
}

/** An invoice. Totals are recomputed from the lines whenever the invoice or a payment changes. */
export interface InvoiceRecord extends SalesTxnRecord {
  /** Payments applied so far, as a negative number like QuickBooks' `AppliedAmount`. */
  appliedAmountCents: number;
}

/**
 * A credit memo: what the customer is credited, with positive amounts. It is used up by being applied to
 * invoices (ReceivePaymentAdd's SetCredit); CreditRemaining is its total less what was applied.
 */
export interface CreditMemoRecord extends SalesTxnRecord {
  /** Credit applied to invoices so far (positive); absent in files written before credits could be applied. */
  creditAppliedCents?: number;
}

/** A credit memo's credit applied to an invoice through a payment (SetCredit). */
export interface CreditApplicationRecord {
  creditTxnId: string;
  amountCents: number;
}

/** How much of a payment (and of credits applied with it) went to one invoice. */
export interface PaymentApplicationRecord {
  txnId: string;
  amountCents: number;
  discountCents: number;
  /** Credits applied to the invoice with this payment (SetCredit); absent when none. */
  credits?: CreditApplicationRecord[];
}

/** One time activity: a name's hours of one day; references and the rest of the Add are kept in `fields`. */
export interface TimeTrackingRecord extends TxnRecord {
  /** ListID of the employee, vendor or other name (EntityRef). */
  entityId: string;
}

/** A received payment, applied to invoices of the same customer. */
export interface ReceivePaymentRecord extends TxnRecord {
  customerId: string;
  arAccountId?: string;
  paymentMethodId?: string;
  depositToAccountId?: string;
  totalAmountCents: number;
  applications: PaymentApplicationRecord[];
}

/** One line of a purchase order: what is ordered, and how much of it item receipts received so far. */
export interface PurchaseLineRecord {
  txnLineId: string;
  itemId?: string;
  desc?: string;
  quantity?: string;
  rate?: string;
  amountCents: number;
  classId?: string;
  customerId?: string;
  /** Received by item receipts linked to the line. */
  receivedQuantity: string;
  isManuallyClosed: boolean;
  /** Other qbXML fields (ManufacturerPartNumber, Other1, ...), echoed back. */
  fields: StoredAggregate;
}

/** A purchase order: a vendor, lines, a total; QuickBooks numbers it and closes it when fully received or by hand. */
/** One `ExpenseLineAdd` of a bill or vendor credit: an amount to an account, optionally for a customer:job. */
export interface ExpenseLineRecord {
  txnLineId: string;
  accountId?: string;
  amountCents: number;
  customerId?: string;
  classId?: string;
  /** Memo, BillableStatus… as given, echoed back. */
  fields: StoredAggregate;
}

/** A vendor bill (BillAdd) or vendor credit (VendorCreditAdd) with expense lines (item lines are not modelled). */
export interface VendorTxnRecord extends TxnRecord {
  vendorId: string;
  apAccountId?: string;
  lines: ExpenseLineRecord[];
  totalAmountCents: number;
}

export interface PurchaseOrderRecord extends TxnRecord {
  vendorId: string;
  classId?: string;
  shipToEntityId?: string;
  isManuallyClosed: boolean;
  lines: PurchaseLineRecord[];
  totalAmountCents: number;
}

/** One item line of an item receipt, linked to the purchase order line it receives (if any). */
export interface ItemReceiptLineRecord {
  txnLineId: string;
  itemId: string;
  desc?: string;
  quantity: string;
  cost?: string;
  amountCents: number;
  /** The purchase order line it receives (LinkToTxn): its receivedQuantity counts this line's quantity. */
  linkedTxnId?: string;
  linkedTxnLineId?: string;
  /** Other qbXML fields, echoed back. */
  fields: StoredAggregate;
}

/** An item receipt: goods received from a vendor, usually against purchase order lines. */
export interface ItemReceiptRecord extends TxnRecord {
  vendorId: string;
  lines: ItemReceiptLineRecord[];
  totalAmountCents: number;
}

/** One line of an inventory adjustment: how the item's on-hand quantity moved (QuickBooks stores the difference). */
export interface InventoryAdjustmentLineRecord {
  txnLineId: string;
  itemId: string;
  /** Decimal string, signed. */
  quantityDifference: string;
  valueDifferenceCents: number;
}

/** An inventory adjustment (InventoryAdjustmentAdd): on-hand quantities set or moved against an account. */
export interface InventoryAdjustmentRecord extends TxnRecord {
  accountId: string;
  customerId?: string;
  classId?: string;
  lines: InventoryAdjustmentLineRecord[];
}

/** One private data extension stored on the Company object (QBWC's FileID, our own stamp, ...). */
export interface CompanyDataExt {
  ownerId: string;
  name: string;
  value: string;
}

/** A private data extension definition (DataExtDefAdd): data can be written only once it is defined. */
export interface DataExtDefRecord {
  ownerId: string;
  name: string;
  /** DataExtID QuickBooks assigned. */
  id: number;
  type: string;
  /** Object types it may be written to: Company, Customer, Vendor, ... */
  assignToObjects: string[];
}

/** Company preferences that change what QuickBooks accepts. */
export interface CompanyPreferences {
  /** Sales tax on (Edit › Preferences › Sales Tax). Off: SalesTaxCodeRef and friends give status 3250. */
  salesTaxEnabled: boolean;
  /** Class tracking on. Off: ClassRef gives status 3250. */
  classTrackingEnabled: boolean;
  /** Inventory on. Off: ItemInventoryAdd gives status 3250. */
  inventoryEnabled: boolean;
  /** Whether new invoices are marked to be printed by default. */
  invoicesToBePrintedByDefault: boolean;
  /** A payroll subscription (absent: none). Off: payroll wage item requests give status 3250. */
  payrollEnabled?: boolean;
}

/** A whole simulated company file. */
export interface CompanyFileData {
  format: typeof COMPANY_FILE_FORMAT;
  companyName: string;
  legalCompanyName?: string;
  /** UTC offset of the (simulated) Windows machine, minutes east of UTC: −300 is US Eastern standard time. */
  utcOffsetMinutes: number;
  preferences: CompanyPreferences;
  /** Next value of QuickBooks' per-file hex record counter (first half of a ListID/TxnID). */
  nextRecordNumber: number;
  /** Next TxnNumber (QuickBooks numbers every transaction). */
  nextTxnNumber: number;
  customers: CustomerRecord[];
  vendors: NameRecord[];
  employees: NameRecord[];
  otherNames: NameRecord[];
  items: ItemRecord[];
  accounts: AccountRecord[];
  classes: ClassRecord[];
  terms: TermsRecord[];
  salesTaxCodes: SalesTaxCodeRecord[];
  paymentMethods: PaymentMethodRecord[];
  /** Sales reps, customer types and templates (files written before they were modelled have none; loading adds the empty lists). */
  salesReps: SalesRepRecord[];
  customerTypes: CustomerTypeRecord[];
  templates: TemplateRecord[];
  invoices: InvoiceRecord[];
  /** Credit memos (files written before they were modelled have none; loading adds the empty list). */
  creditMemos: CreditMemoRecord[];
  receivePayments: ReceivePaymentRecord[];
  /** Payroll wage items (absent in files written before they were modelled; loading adds the empty list). */
  payrollWageItems: PayrollWageItemRecord[];
  /** Single time activities (TimeTracking), what QuickBooks' weekly timesheet shows (absent in older files). */
  timeTracking: TimeTrackingRecord[];
  /** Purchase orders (files written before they were modelled have none; loading adds the empty list). */
  purchaseOrders?: PurchaseOrderRecord[];
  /** Vendor bills and vendor credits (absent in files written before they were modelled). */
  bills?: VendorTxnRecord[];
  vendorCredits?: VendorTxnRecord[];
  /** Item receipts (absent in files written before they were modelled). */
  itemReceipts?: ItemReceiptRecord[];
  /** Inventory adjustments (absent in files written before they were modelled). */
  inventoryAdjustments?: InventoryAdjustmentRecord[];
  companyDataExts: CompanyDataExt[];
  /** Private data extension definitions (absent in files written before they were modelled). */
  dataExtDefs?: DataExtDefRecord[];
}
