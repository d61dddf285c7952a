/**
 * Autotask REST records → our push inputs (the same ones upsertOrganizations / upsertResources /
 * upsertInvoices take), and QuickBooks customers → Autotask companies. Every field decision is here.
 *
 * Inferred (docs §9), and therefore tolerant:
 * - billingItemType / subType codes are tenant picklists. A line's kind comes from, in order: the
 *   connection's rules (billingItemType → kind); the billing code's useType 1 = work type (confirmed);
 *   the record the item links to (time entry → work type, expense → expense category, milestone,
 *   service bundle, recurring service, charge → material); billingItemType 1/2 = labour (one client library);
 *   else SERVICE.
 * - amount is `extendedPrice` (quantity × rate, before tax), falling back to `totalAmount`;
 *   a line is taxable when Autotask charged tax on it (`taxDollars` ≠ 0).
 * - Invoice total is `invoiceTotal` (assumed to include tax), tax total `totalTaxValue`.
 * - paymentTerm values are PaymentTerms ids; a company's terms come from its invoice template.
 */
import { AddressInput } from '../../shared/address.js';
import { MappingSourceKind } from '../../modules/mapping/mapping-source.js';
import { TransmissionMethod } from '../../modules/connector/connector-settings.js';
import { InvoiceInput, InvoiceLineInput, OrganizationInput, ResourceInput, TimeEntryInput } from '../../modules/autotask/autotask.inputs.js';
import { ExpenseItemInput, ExpenseReportInput } from '../../modules/expenses/expenses.inputs.js';
import { ExpenseReportStatus } from '../../modules/expenses/expense-report-status.js';
import { ProductInput, PurchaseOrderInput, PurchaseOrderLineInput, PurchaseOrderReceiptInput, VendorInput } from '../../modules/purchasing/purchasing.inputs.js';
import { PurchaseOrderStatus } from '../../modules/purchasing/purchase-order-status.js';
import type {
  AtInventoryItem,
  AtInventoryLocation,
  AtProduct,
  AtPurchaseOrder,
  AtPurchaseOrderItem,
  AtPurchaseOrderItemReceiving,
  AtBillingCode,
  AtBillingItem,
  AtCompany,
  AtCompanyCreate,
  AtCountry,
  AtExpenseItem,
  AtExpenseReport,
  AtInvoice,
  AtInvoiceTemplate,
  AtPaymentTerm,
  AtResource,
  AtRole,
  AtTimeEntry,
} from './types.js';

/** One value of an Autotask picklist (entityInformation/fields), as the REST API gives it. */
type PicklistValue = { readonly value: string | number; readonly label: string };

export interface CompanyLookups {
  readonly countries: ReadonlyMap<number, AtCountry>;
  /** invoiceMethod picklist value → transmission method (from its labels; absent: the connector's default). */
  readonly invoiceMethods?: ReadonlyMap<number, TransmissionMethod>;
  readonly invoiceTemplates: ReadonlyMap<number, AtInvoiceTemplate>;
  readonly paymentTerms: ReadonlyMap<number, AtPaymentTerm>;
}

export interface LineLookups {
  readonly billingCodes: ReadonlyMap<number, AtBillingCode>;
  readonly roles: ReadonlyMap<number, AtRole>;
  /** Connection rules: billingItemType code → kind. */
  readonly kindRules: ReadonlyMap<number, MappingSourceKind>;
}

export interface InvoiceLookups extends LineLookups {
  readonly paymentTerms: ReadonlyMap<number, AtPaymentTerm>;
}

// ---- companies, resources ----

export function companyToOrganization(company: AtCompany, lookups: CompanyLookups): OrganizationInput {
  const template = company.invoiceTemplateID != null ? lookups.invoiceTemplates.get(company.invoiceTemplateID) : undefined;
  const termId = template?.paymentTerms ?? null;
  return Object.assign(new OrganizationInput(), {
    autotaskId: company.id,
    name: text(company.companyName) ?? '',
    parentAutotaskId: company.parentCompanyID ?? null,
    address: address({
      line1: company.address1,
      line2: company.address2,
      city: company.city,
      state: company.state,
      postalCode: company.postalCode,
      country: countryName(company.countryID, lookups),
    }),
    billingAddress: address({
      attention: company.billToAttention,
      line1: company.billingAddress1,
      line2: company.billingAddress2,
      city: company.billToCity,
      state: company.billToState,
      postalCode: company.billToZipCode,
      country: countryName(company.billToCountryID, lookups),
    }),
    phone: text(company.phone),
    fax: text(company.fax),
    // Companies carry no e-mail address in Autotask.
    email: null,
    taxExempt: company.isTaxExempt === true,
    transmissionMethod: company.invoiceMethod != null ? (lookups.invoiceMethods?.get(company.invoiceMethod) ?? null) : null,
    // The account manager, classification and invoice template map to a sales rep, customer type and template.
    ownerResourceId: company.ownerResourceID ?? null,
    classificationId: company.classification != null ? String(company.classification) : null,
    invoiceTemplateId: company.invoiceTemplateID != null ? String(company.invoiceTemplateID) : null,
    paymentTermId: termId != null ? String(termId) : null,
    paymentTermName: termId != null ? text(lookups.paymentTerms.get(termId)?.name) : null,
  } satisfies OrganizationInput);
}

/**
 * Transmission methods from the invoiceMethod picklist's labels (its values are tenant picklist codes, docs
 * §5.4: Blank / Email / Print, and "both" where a tenant has it). Unreadable labels give no entry.
 */
export function invoiceMethodsFromLabels(values: readonly PicklistValue[]): Map<number, TransmissionMethod> {
  return picklistByLabel(values, (label) => {
    const email = /e-?mail/i.test(label);
    const print = /print/i.test(label);
    if (/both/i.test(label) || (email && print)) return TransmissionMethod.BOTH;
    if (email) return TransmissionMethod.EMAIL;
    if (print) return TransmissionMethod.PRINT;
    return /none|blank|neither|^\s*$/i.test(label) ? TransmissionMethod.NONE : undefined;
  });
}

// ---- Purchasing and inventory ----

/**
 * The PurchaseOrders status picklist as our statuses, by label (codes differ per tenant). A label matching none
 * of Autotask's five (a tenant's own, e.g. "Waiting for vendor") counts as SUBMITTED: sent, not received.
 */
export function purchaseOrderStatusesFromLabels(values: readonly PicklistValue[]): Map<number, PurchaseOrderStatus> {
  return picklistByLabel(values, (label) => {
    if (/cancel/i.test(label)) return PurchaseOrderStatus.CANCELED;
    if (/partial/i.test(label)) return PurchaseOrderStatus.RECEIVED_PARTIAL;
    if (/receiv|full/i.test(label)) return PurchaseOrderStatus.RECEIVED_FULL;
    return /^\s*new\s*$/i.test(label) ? PurchaseOrderStatus.NEW : PurchaseOrderStatus.SUBMITTED;
  });
}

/**
 * Each stocked product's on-hand total over the active inventory locations (QuickBooks has no locations:
 * Autotask's extension sends the total over all of them, parity-transfers.md §3.1). A product with stock
 * records only at inactive locations still counts as stocked, with 0.
 */
export function onHandTotals(items: readonly AtInventoryItem[], locations: readonly AtInventoryLocation[]): Map<number, number> {
  const active = new Set(locations.filter((l) => l.isActive !== false).map((l) => l.id));
  const totals = new Map<number, number>();
  for (const item of items) {
    const add = active.has(item.inventoryLocationID) ? Math.max(0, item.quantityOnHand ?? 0) : 0;
    totals.set(item.productID, (totals.get(item.productID) ?? 0) + add);
  }
  return totals;
}

/** A Companies row a purchase order buys from, as a vendor. */
export function companyToVendor(company: AtCompany): VendorInput {
  return Object.assign(new VendorInput(), {
    autotaskId: company.id,
    name: text(company.companyName) ?? '',
    address: address({ line1: company.address1, line2: company.address2, city: company.city, state: company.state, postalCode: company.postalCode }),
    phone: text(company.phone),
    fax: text(company.fax),
  });
}

/** A product; `onHand` is its total over active inventory locations, undefined when Autotask stocks none of it. */
export function productToInput(product: AtProduct, onHand: number | undefined): ProductInput {
  return Object.assign(new ProductInput(), {
    autotaskId: product.id,
    name: text(product.name) ?? '',
    description: text(product.description),
    sku: text(product.sku),
    manufacturerPartNumber: text(product.manufacturerProductName),
    unitCost: product.unitCost != null ? decimal(product.unitCost, 4) : null,
    unitPrice: product.unitPrice != null ? decimal(product.unitPrice, 4) : null,
    billingCodeId: idText(product.productBillingCodeID),
    isInventory: onHand !== undefined,
    quantityOnHand: onHand ?? null,
  });
}

/** A purchase order with its items (in Autotask id order) and their receipts. */
export function purchaseOrderToInput(
  order: AtPurchaseOrder, status: PurchaseOrderStatus, items: readonly AtPurchaseOrderItem[], receipts: ReadonlyMap<number, readonly AtPurchaseOrderItemReceiving[]>,
): PurchaseOrderInput {
  return Object.assign(new PurchaseOrderInput(), {
    autotaskId: order.id,
    purchaseOrderNumber: text(order.purchaseOrderNumber),
    status,
    vendorAutotaskId: order.vendorID,
    purchaseForOrganizationAutotaskId: order.purchaseForCompanyID ?? null,
    // TxnDate = submitted, else created (parity-transfers.md §2.2).
    orderDate: dateOnly(order.submitDateTime) ?? dateOnly(order.createDateTime) ?? '',
    expectedDate: dateOnly(order.latestEstimatedArrivalDate),
    shipToName: text(order.shipToName),
    shipToAddress: address({ line1: order.shipToAddress1, line2: order.shipToAddress2, city: order.shipToCity, state: order.shipToState, postalCode: order.shipToPostalCode }),
    memo: text(order.generalMemo),
    lines: [...items].sort((a, b) => a.id - b.id).map((item) => Object.assign(new PurchaseOrderLineInput(), {
      autotaskId: item.id,
      productAutotaskId: item.productID,
      quantity: String(item.quantity),
      unitCost: decimal(item.unitCost ?? 0, 4),
      memo: text(item.memo),
      receipts: (receipts.get(item.id) ?? []).map((r) => Object.assign(new PurchaseOrderReceiptInput(), {
        autotaskId: r.id,
        quantity: String(r.quantityNowReceiving),
        receiveDate: dateOnly(r.receiveDate) ?? '',
        vendorInvoiceNumber: text(r.vendorInvoiceNumber),
      })),
    })),
  });
}

export function resourceToInput(resource: AtResource): ResourceInput {
  return Object.assign(new ResourceInput(), {
    autotaskId: resource.id,
    firstName: text(resource.firstName) ?? '',
    lastName: text(resource.lastName) ?? '',
    email: text(resource.email),
    active: resource.isActive !== false,
  } satisfies ResourceInput);
}

// ---- time entries and expense reports (parity-transfers.md §4.2, §5.2) ----

/** Where a time entry's work was done: its ticket's or task's project's company and line of business. */
export interface WorkPlace {
  readonly organizationAutotaskId: number | null;
  readonly lineOfBusinessId: number | null;
}

/**
 * A time entry. The work type is `billingCodeID`; the payroll (time) category is the internal time code
 * (`internalBillingCodeID`: Regular time, Vacation...) else the work type (parity-transfers.md §4.1 [I]).
 * Regular (internal) time has no ticket or task, hence no company.
 */
export function timeEntryToInput(entry: AtTimeEntry, billingCodes: ReadonlyMap<number, AtBillingCode>, place: WorkPlace | undefined): TimeEntryInput {
  const payrollCode = entry.internalBillingCodeID ?? entry.billingCodeID ?? null;
  const nameOf = (id: number | null | undefined) => (id != null ? text(billingCodes.get(id)?.name) : null);
  return Object.assign(new TimeEntryInput(), {
    autotaskId: entry.id,
    resourceAutotaskId: entry.resourceID,
    dateWorked: dateOnly(entry.dateWorked) ?? '',
    hoursWorked: decimal(entry.hoursWorked ?? 0, 4),
    organizationAutotaskId: place?.organizationAutotaskId ?? null,
    workTypeId: idText(entry.billingCodeID),
    workTypeName: nameOf(entry.billingCodeID),
    payrollCategoryId: idText(payrollCode),
    payrollCategoryName: nameOf(payrollCode),
    lineOfBusinessId: idText(place?.lineOfBusinessId),
    isNonBillable: entry.isNonBillable === true,
    summaryNotes: text(entry.summaryNotes),
  } satisfies TimeEntryInput);
}

/**
 * The ExpenseReports status picklist as our statuses, by label (codes differ per tenant, parity-transfers.md
 * §8 #2). A label matching none of Autotask's six gives no entry: such a report is reported, not guessed at.
 */
export function expenseReportStatusesFromLabels(values: readonly PicklistValue[]): Map<number, ExpenseReportStatus> {
  return picklistByLabel(values, (label) => {
    if (/quick\s*books|transferred/i.test(label)) return ExpenseReportStatus.TRANSFERRED_TO_QUICKBOOKS;
    if (/approved/i.test(label)) return ExpenseReportStatus.APPROVED_FOR_PAYMENT;
    if (/await|submitted|pending/i.test(label)) return ExpenseReportStatus.AWAITING_APPROVAL;
    if (/reject/i.test(label)) return ExpenseReportStatus.REJECTED;
    if (/paid/i.test(label)) return ExpenseReportStatus.PAID;
    return /progress|^\s*new\s*$/i.test(label) ? ExpenseReportStatus.IN_PROGRESS : undefined;
  });
}

/** A picklist's labels by code (expense categories, payment types). */
export function picklistLabels(values: readonly PicklistValue[]): Map<number, string> {
  return picklistByLabel(values, (label) => label);
}

/**
 * A picklist read by label: each value with an integer code that `classify` gives something for. Picklist codes
 * differ per tenant; the labels are what Autotask's own screens show.
 */
function picklistByLabel<T>(values: readonly PicklistValue[], classify: (label: string) => T | undefined): Map<number, T> {
  const byCode = new Map<number, T>();
  for (const { value, label } of values) {
    const code = Number(value);
    const meaning = Number.isInteger(code) ? classify(label) : undefined;
    if (meaning !== undefined) byCode.set(code, meaning);
  }
  return byCode;
}

export interface ExpenseLookups {
  /** expenseCategory picklist labels (the tenant's Expense Category billing codes). */
  readonly categories: ReadonlyMap<number, string>;
  readonly paymentTypes: ReadonlyMap<number, string>;
}

/** An expense report with all its items (in Autotask id order). */
export function expenseReportToInput(report: AtExpenseReport, status: ExpenseReportStatus, items: readonly AtExpenseItem[], lookups: ExpenseLookups): ExpenseReportInput {
  return Object.assign(new ExpenseReportInput(), {
    autotaskId: report.id,
    name: text(report.name) ?? '',
    resourceAutotaskId: report.submitterID,
    status,
    weekEnding: dateOnly(report.weekEnding) ?? '',
    approvedDate: dateOnly(report.approvedDate),
    cashAdvanceAmount: decimal(report.internalCurrencyCashAdvanceAmount ?? 0, 4),
    lineOfBusinessId: idText(report.organizationalLevelAssociationID),
    quickBooksReferenceNumber: text(report.quickBooksReferenceNumber),
    items: [...items].sort((a, b) => a.id - b.id).map((item) => expenseItemToInput(item, lookups)),
  } satisfies ExpenseReportInput);
}

/**
 * One expense item. Reimbursable items carry what the resource is owed (`internalCurrencyReimbursementAmount`);
 * company-paid ones (credit card, check) are owed nobody, so they carry the expense itself
 * (`internalCurrencyExpenseAmount`) — that the reimbursement amount of those is 0 is inferred.
 */
export function expenseItemToInput(item: AtExpenseItem, lookups: ExpenseLookups): ExpenseItemInput {
  const reimbursable = item.isReimbursable !== false;
  const amount = reimbursable ? (item.internalCurrencyReimbursementAmount ?? item.internalCurrencyExpenseAmount) : (item.internalCurrencyExpenseAmount ?? item.internalCurrencyReimbursementAmount);
  return Object.assign(new ExpenseItemInput(), {
    autotaskId: item.id,
    expenseDate: dateOnly(item.expenseDate) ?? '',
    description: text(item.description) ?? '',
    expenseCategoryId: idText(item.expenseCategory) ?? '',
    expenseCategoryName: item.expenseCategory != null ? text(lookups.categories.get(item.expenseCategory)) : null,
    paymentTypeId: idText(item.paymentType),
    paymentTypeName: item.paymentType != null ? text(lookups.paymentTypes.get(item.paymentType)) : null,
    isBillableToCompany: item.isBillableToCompany === true,
    isReimbursable: reimbursable,
    organizationAutotaskId: item.companyID ? item.companyID : null,
    amount: decimal(amount ?? 0, 4),
    // Stored with 2 decimals (ExpenseItem.miles).
    miles: item.miles ? decimal(item.miles, 2) : null,
    origin: text(item.origin),
    destination: text(item.destination),
  } satisfies ExpenseItemInput);
}

// ---- invoices and their lines ----

/** An invoice with its billing items as lines, ordered as Autotask sorts them (sortOrderID, then id). */
export function invoiceToInput(invoice: AtInvoice, billingItems: readonly AtBillingItem[], lookups: InvoiceLookups): InvoiceInput {
  const lines = [...billingItems].sort(bySortOrder).map((item) => billingItemToLine(item, lookups));
  const term = invoice.paymentTerm != null ? lookups.paymentTerms.get(invoice.paymentTerm) : undefined;
  return Object.assign(new InvoiceInput(), {
    autotaskId: invoice.id,
    organizationAutotaskId: invoice.companyID,
    invoiceNumber: text(invoice.invoiceNumber),
    invoiceDate: dateOnly(invoice.invoiceDateTime) ?? '',
    poNumber: text(invoice.orderNumber),
    paymentTermId: invoice.paymentTerm != null ? String(invoice.paymentTerm) : null,
    paymentTermName: text(term?.name),
    transmissionMethod: null,
    total: money(invoice.invoiceTotal),
    taxTotal: money(invoice.totalTaxValue),
    paidDate: dateOnly(invoice.paidDate),
    lines,
  } satisfies InvoiceInput);
}

export function billingItemToLine(item: AtBillingItem, lookups: LineLookups): InvoiceLineInput {
  const code = item.billingCodeID != null ? lookups.billingCodes.get(item.billingCodeID) : undefined;
  const kind = billingItemKind(item, code, lookups.kindRules);
  const role = item.roleID != null ? lookups.roles.get(item.roleID) : undefined;
  const amount = item.extendedPrice ?? item.totalAmount ?? (item.quantity ?? 0) * (item.rate ?? 0);
  return Object.assign(new InvoiceLineInput(), {
    billingItemKind: kind,
    billingItemId: idText(billingItemIdFor(kind, item)),
    billingItemName: text(item.itemName) ?? text(code?.name),
    billingCodeId: idText(item.billingCodeID),
    roleName: text(role?.name),
    workTypeName: kind === MappingSourceKind.WORK_TYPE ? text(code?.name) : null,
    description: lineDescription(item, code),
    quantity: decimal(item.quantity ?? 0, 4),
    rate: decimal(item.rate ?? 0, 4),
    amount: decimal(amount, 2),
    taxable: (item.taxDollars ?? 0) !== 0,
    lineOfBusinessId: idText(item.organizationalLevelAssociationID),
    lineOfBusinessName: null,
    serviceDate: dateOnly(item.itemDate),
  } satisfies InvoiceLineInput);
}

/** Labour (time entries) in the only codes a client library names: 1 = Labour, 2 = Labour Adjustment. */
const LABOUR_TYPES = new Set([1, 2]);
/** BillingCodes.useType 1 = work type (confirmed, docs §5.6). */
const WORK_TYPE_USE = 1;

export function billingItemKind(item: AtBillingItem, code: AtBillingCode | undefined, rules: ReadonlyMap<number, MappingSourceKind>): MappingSourceKind {
  const ruled = item.billingItemType != null ? rules.get(item.billingItemType) : undefined;
  if (ruled) return ruled;
  if (code?.useType === WORK_TYPE_USE || item.timeEntryID != null) return MappingSourceKind.WORK_TYPE;
  if (item.expenseItemID != null) return MappingSourceKind.EXPENSE_CATEGORY;
  if (item.milestoneID != null) return MappingSourceKind.MILESTONE;
  if (item.serviceBundleID != null || item.contractServiceBundleID != null) return MappingSourceKind.SERVICE_BUNDLE;
  if (item.serviceID != null || item.contractServiceID != null) return MappingSourceKind.RECURRING_SERVICE;
  if (item.ticketChargeID != null || item.projectChargeID != null || item.contractChargeID != null) return MappingSourceKind.MATERIAL;
  if (item.billingItemType != null && LABOUR_TYPES.has(item.billingItemType)) return MappingSourceKind.WORK_TYPE;
  return MappingSourceKind.SERVICE;
}

/** The id item mappings are keyed by: the service or bundle for those kinds, else the billing code. */
function billingItemIdFor(kind: MappingSourceKind, item: AtBillingItem): number | null | undefined {
  if (kind === MappingSourceKind.SERVICE_BUNDLE) return item.serviceBundleID ?? item.billingCodeID;
  if (kind === MappingSourceKind.RECURRING_SERVICE || kind === MappingSourceKind.SERVICE) return item.serviceID ?? item.billingCodeID;
  return item.billingCodeID;
}

/** What the Autotask invoice shows: the full line description, else "name: description". */
function lineDescription(item: AtBillingItem, code: AtBillingCode | undefined): string {
  const full = text(item.lineItemFullDescription);
  if (full) return full;
  const name = text(item.itemName) ?? text(code?.name);
  const description = text(item.description);
  return (name && description ? `${name}: ${description}` : (description ?? name)) ?? `Billing item ${item.id}`;
}

function bySortOrder(a: AtBillingItem, b: AtBillingItem): number {
  const sa = a.sortOrderID ?? Number.MAX_SAFE_INTEGER;
  const sb = b.sortOrderID ?? Number.MAX_SAFE_INTEGER;
  return sa !== sb ? sa - sb : a.id - b.id;
}

// ---- QuickBooks customer → Autotask company ----

/** A customer read from a QuickBooks company file (CustomerRet), as much as a new company needs. */
export interface QuickBooksCustomer {
  /** The connector whose company file it came from (to link the new organization to it). */
  readonly connectorId?: string | null;
  readonly listId?: string | null;
  readonly fullName?: string | null;
  readonly editSequence?: string | null;
  /** CompanyName, else Name. */
  readonly name: string;
  readonly phone?: string | null;
  readonly fax?: string | null;
  /** Autotask companies have no e-mail field: it becomes the invoice settings' other e-mail recipients. */
  readonly email?: string | null;
  readonly isActive?: boolean | null;
  readonly taxExempt?: boolean | null;
  readonly billAddress?: {
    readonly line1?: string | null;
    readonly line2?: string | null;
    readonly city?: string | null;
    readonly state?: string | null;
    readonly postalCode?: string | null;
    readonly country?: string | null;
  } | null;
}

export interface NewCompanySettings {
  readonly companyType: number;
  readonly ownerResourceId: number;
}

/** The POST /V1.0/Companies body; Autotask's own lengths (docs §5.4) cut over-long values. */
export function customerToCompany(customer: QuickBooksCustomer, settings: NewCompanySettings): AtCompanyCreate {
  const body: AtCompanyCreate = {
    companyName: cut(customer.name.trim(), 100),
    companyType: settings.companyType,
    ownerResourceID: settings.ownerResourceId,
    phone: cut(text(customer.phone) ?? '', 25),
    isActive: customer.isActive !== false,
  };
  if (text(customer.fax)) body.fax = cut(customer.fax!, 25);
  if (customer.taxExempt != null) body.isTaxExempt = customer.taxExempt;
  const a = customer.billAddress;
  if (text(a?.line1)) body.address1 = cut(a!.line1!, 150);
  if (text(a?.line2)) body.address2 = cut(a!.line2!, 150);
  if (text(a?.city)) body.city = cut(a!.city!, 50);
  if (text(a?.state)) body.state = cut(a!.state!, 25);
  if (text(a?.postalCode)) body.postalCode = cut(a!.postalCode!, 20);
  return body;
}

// ---- values ----

/** Autotask date-time (UTC, no zone) → YYYY-MM-DD; null for empty or unreadable values. */
export function dateOnly(value: string | null | undefined): string | null {
  const match = value ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1]! : null;
}

/** A Date → Autotask's submit format `yyyy-mm-ddThh:mm:ss.ms` in UTC (docs §2.1 #31). */
export function toAutotaskDateTime(date: Date): string {
  return date.toISOString().replace(/Z$/, '');
}

/** YYYY-MM-DD → a date-only Autotask value (midnight, no zone conversion). */
export function toAutotaskDate(day: string): string {
  return `${day}T00:00:00`;
}

/** A number as a decimal string with at most `scale` decimals (rounded half away from zero). */
export function decimal(value: number, scale: number): string {
  if (!Number.isFinite(value)) return (0).toFixed(scale);
  const factor = 10 ** scale;
  const rounded = Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON * factor) / factor;
  return rounded.toFixed(scale);
}

function money(value: number | null | undefined): string {
  return decimal(value ?? 0, 2);
}

function text(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function idText(value: number | null | undefined): string | null {
  return value == null ? null : String(value);
}

function cut(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

function countryName(id: number | null | undefined, lookups: CompanyLookups): string | null {
  if (id == null) return null;
  const country = lookups.countries.get(id);
  return text(country?.displayName) ?? text(country?.name) ?? null;
}

function address(parts: Partial<Record<keyof AddressInput, string | null | undefined>>): AddressInput | null {
  const cleaned = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, text(v)])) as Record<string, string | null>;
  return Object.values(cleaned).some((v) => v !== null) ? Object.assign(new AddressInput(), cleaned) : null;
}
