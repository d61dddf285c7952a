/**
 * Autotask REST (v1.0) wire shapes, as /work/shared/docs/autotask-rest.md describes them (§2, §5, §7.8).
 * Only the fields we read are listed; every entity field may be null (Autotask sends empty fields as null).
 * Date-times are strings without a zone designator, in UTC ("2024-05-01T14:22:10.447").
 */

export interface AtPageDetails {
  count: number;
  requestCount: number;
  prevPageUrl: string | null;
  nextPageUrl: string | null;
}

export interface AtQueryResult<T> {
  items: T[];
  pageDetails?: AtPageDetails | null;
}

export interface AtItemResult<T> {
  item: T | null;
}

export interface AtCountResult {
  queryCount: number;
}

/** Create, update and delete answer with the record's id (typed Object in the Swagger; a number in practice). */
export interface AtWriteResult {
  itemId: number | string;
}

export interface AtErrorBody {
  errors: string[];
}

export interface AtZoneInfo {
  zoneName: string;
  /** e.g. "https://webservices3.autotask.net/ATServicesRest/" (trailing slash). */
  url: string;
  webUrl: string;
  ci: number;
}

export interface AtThreshold {
  externalRequestThreshold: number;
  requestThresholdTimeframe: number;
  currentTimeframeRequestCount: number;
}

export interface AtUserDefinedField {
  name: string;
  value: string | null;
}

export interface AtCompany {
  id: number;
  companyName: string | null;
  companyNumber?: string | null;
  companyType?: number | null;
  /** Classification picklist value (mapped to a QuickBooks customer type). */
  classification?: number | null;
  isActive?: boolean | null;
  isTaxExempt?: boolean | null;
  /** Invoice settings' transmission method: a picklist value (labels from entityInformation/fields). */
  invoiceMethod?: number | null;
  taxRegionID?: number | null;
  taxID?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  countryID?: number | null;
  billToAttention?: string | null;
  billingAddress1?: string | null;
  billingAddress2?: string | null;
  billToCity?: string | null;
  billToState?: string | null;
  billToZipCode?: string | null;
  billToCountryID?: number | null;
  phone?: string | null;
  fax?: string | null;
  parentCompanyID?: number | null;
  invoiceTemplateID?: number | null;
  currencyID?: number | null;
  ownerResourceID?: number | null;
  userDefinedFields?: AtUserDefinedField[] | null;
}

export interface AtResource {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email?: string | null;
  isActive?: boolean | null;
  userName?: string | null;
}

export interface AtInvoice {
  id: number;
  batchID?: number | null;
  companyID: number;
  invoiceDateTime: string | null;
  invoiceNumber?: string | null;
  invoiceTotal?: number | null;
  totalTaxValue?: number | null;
  isVoided?: boolean | null;
  voidedDate?: string | null;
  orderNumber?: string | null;
  paidDate?: string | null;
  paymentTerm?: number | null;
  webServiceDate?: string | null;
  comments?: string | null;
  dueDate?: string | null;
}

export interface AtBillingItem {
  id: number;
  invoiceID: number | null;
  billingItemType?: number | null;
  subType?: number | null;
  billingCodeID?: number | null;
  taxCategoryID?: number | null;
  companyID?: number | null;
  contractID?: number | null;
  contractChargeID?: number | null;
  contractServiceID?: number | null;
  contractServiceBundleID?: number | null;
  contractBlockID?: number | null;
  expenseItemID?: number | null;
  milestoneID?: number | null;
  projectChargeID?: number | null;
  serviceBundleID?: number | null;
  serviceID?: number | null;
  ticketChargeID?: number | null;
  timeEntryID?: number | null;
  roleID?: number | null;
  description?: string | null;
  itemName?: string | null;
  lineItemFullDescription?: string | null;
  itemDate?: string | null;
  quantity?: number | null;
  rate?: number | null;
  extendedPrice?: number | null;
  totalAmount?: number | null;
  taxDollars?: number | null;
  nonBillable?: number | null;
  organizationalLevelAssociationID?: number | null;
  sortOrderID?: number | null;
  webServiceDate?: string | null;
}

export interface AtBillingCode {
  id: number;
  name: string | null;
  useType?: number | null;
  billingCodeType?: number | null;
  externalNumber?: string | null;
  isActive?: boolean | null;
}

export interface AtRole {
  id: number;
  name: string | null;
}

export interface AtPaymentTerm {
  id: number;
  name: string | null;
  paymentDueInDays?: number | null;
  isActive?: boolean | null;
}

export interface AtInvoiceTemplate {
  id: number;
  name?: string | null;
  paymentTerms?: number | null;
}

export interface AtCountry {
  id: number;
  name?: string | null;
  displayName?: string | null;
  countryCode?: string | null;
}

/** What POST /V1.0/Companies takes (a bare object; Datto's examples send at least these four). */
/** One entry of `{entity}/entityInformation/fields` (docs §2.5 #65), as much as picklists need. */
export interface AtFieldInfo {
  name: string;
  isPickList?: boolean;
  picklistValues?: Array<{ value: string | number; label: string; isActive?: boolean }> | null;
}

/** `Companies/{id}/invoiceSettings` (docs §2.4 #62): the PUT body has the same fields without the recipients. */
export interface AtCompanyInvoiceSettings {
  taxExempt?: boolean | null;
  taxRegionId?: number | null;
  taxId?: string | null;
  invoiceEmailingEnabled?: boolean | null;
  contactRecipients?: number[];
  resourceRecipients?: number[];
  otherEmails?: string | null;
}

export interface AtCompanyCreate {
  companyName: string;
  companyType: number;
  ownerResourceID: number;
  phone: string;
  fax?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  isActive?: boolean;
  isTaxExempt?: boolean;
  userDefinedFields?: AtUserDefinedField[];
}

// ---- Purchasing and inventory (parity-transfers.md §2.2, §3.2) ----

export interface AtPurchaseOrder {
  id: number;
  purchaseOrderNumber?: string | null;
  /** Picklist code; its labels (New, Submitted, Received Partial, Received Full, Canceled) are per tenant. */
  status?: number | null;
  vendorID: number;
  purchaseForCompanyID?: number | null;
  shipToName?: string | null;
  shipToAddress1?: string | null;
  shipToAddress2?: string | null;
  shipToCity?: string | null;
  shipToState?: string | null;
  shipToPostalCode?: string | null;
  generalMemo?: string | null;
  createDateTime?: string | null;
  submitDateTime?: string | null;
  latestEstimatedArrivalDate?: string | null;
}

export interface AtPurchaseOrderItem {
  id: number;
  orderID: number;
  productID: number;
  inventoryLocationID?: number | null;
  quantity: number;
  unitCost?: number | null;
  memo?: string | null;
}

export interface AtPurchaseOrderItemReceiving {
  id: number;
  purchaseOrderItemID: number;
  quantityNowReceiving: number;
  receiveDate?: string | null;
  vendorInvoiceNumber?: string | null;
}

export interface AtProduct {
  id: number;
  name: string;
  description?: string | null;
  sku?: string | null;
  manufacturerProductName?: string | null;
  unitCost?: number | null;
  unitPrice?: number | null;
  productBillingCodeID?: number | null;
}

/** Legacy per-location stock record (one per product and location). */
export interface AtInventoryItem {
  id: number;
  productID: number;
  inventoryLocationID: number;
  quantityOnHand?: number | null;
}

export interface AtInventoryLocation {
  id: number;
  locationName?: string | null;
  isActive?: boolean | null;
}

// ---- Time entries and expenses (parity-transfers.md §4.2, §5.2; docs §5.8) ----

export interface AtTimeEntry {
  id: number;
  resourceID: number;
  /** Date-only semantics (midnight): the day worked, not the UTC start. */
  dateWorked: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
  /** More than 0, at most 24. */
  hoursWorked: number | null;
  hoursToBill?: number | null;
  /** Work type (a BillingCodes row with useType 1); empty for regular (internal) time. */
  billingCodeID?: number | null;
  /** Internal time code (Regular time, Vacation, Sick Time...), a BillingCodes row. */
  internalBillingCodeID?: number | null;
  roleID?: number | null;
  ticketID?: number | null;
  taskID?: number | null;
  contractID?: number | null;
  isNonBillable?: boolean | null;
  summaryNotes?: string | null;
  createDateTime?: string | null;
  lastModifiedDateTime?: string | null;
}

/** What a time entry's company and line of business come from (Tickets, Projects); inferred field names. */
export interface AtTicket {
  id: number;
  companyID?: number | null;
  organizationalLevelAssociationID?: number | null;
}

export interface AtTask {
  id: number;
  projectID?: number | null;
}

export interface AtProject {
  id: number;
  companyID?: number | null;
  organizationalLevelAssociationID?: number | null;
}

export interface AtExpenseReport {
  id: number;
  name: string | null;
  /** The submitter (→ Resources). */
  submitterID: number;
  /** Read-only picklist; labels In Progress … Transferred to Quickbooks (codes per tenant). */
  status?: number | null;
  weekEnding: string | null;
  approvedDate?: string | null;
  internalCurrencyCashAdvanceAmount?: number | null;
  internalCurrencyExpenseTotal?: number | null;
  organizationalLevelAssociationID?: number | null;
  quickBooksReferenceNumber?: string | null;
}

export interface AtExpenseItem {
  id: number;
  expenseReportID: number;
  description: string | null;
  expenseDate: string | null;
  /** Picklist: the tenant's Expense Category billing codes. */
  expenseCategory: number | null;
  /** Picklist (codes per tenant). */
  paymentType?: number | null;
  isBillableToCompany?: boolean | null;
  /** Read-only, follows the payment type; not queryable. */
  isReimbursable?: boolean | null;
  /** 0 = none. */
  companyID?: number | null;
  internalCurrencyExpenseAmount?: number | null;
  internalCurrencyReimbursementAmount?: number | null;
  miles?: number | null;
  origin?: string | null;
  destination?: string | null;
}
