/**
 * The Autotask entities as plugins see them: plain data, copied from the host's records (never ORM objects,
 * so plugins cannot reach the database). Money and quantities are decimal strings ("1250.00", "1.5").
 */
export interface Address {
  readonly attention: string | null;
  readonly line1: string | null;
  readonly line2: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly postalCode: string | null;
  readonly country: string | null;
}

/** QuickBooks' IsToBePrinted / IsToBeEmailed flags of a new invoice: neither, one, or both. */
export type TransmissionMethod = 'NONE' | 'PRINT' | 'EMAIL' | 'BOTH';

export interface Organization {
  readonly id: string;
  readonly autotaskId: number;
  readonly name: string;
  readonly parentAutotaskId: number | null;
  readonly address: Address | null;
  readonly billingAddress: Address | null;
  readonly phone: string | null;
  readonly fax: string | null;
  readonly email: string | null;
  readonly taxExempt: boolean;
  readonly paymentTermId: string | null;
  readonly paymentTermName: string | null;
  /** Autotask invoice settings' transmission method; null or absent: the connector's default. */
  readonly transmissionMethod?: TransmissionMethod | null;
  /** The account manager (Autotask ownerResourceID): mapped to a QuickBooks sales rep (ACCOUNT_MANAGER). */
  readonly ownerResourceId?: number | null;
  /** Autotask classification (picklist value): mapped to a QuickBooks customer type (CLASSIFICATION). */
  readonly classificationId?: string | null;
  /** Autotask invoice template id (invoice settings): mapped to a QuickBooks invoice template (INVOICE_TEMPLATE). */
  readonly invoiceTemplateId?: string | null;
}

export interface InvoiceLine {
  readonly position: number;
  /** WORK_TYPE, ROLE, MATERIAL, SERVICE, SERVICE_BUNDLE, EXPENSE_CATEGORY, RECURRING_SERVICE, MILESTONE, SHIPPING, TAX */
  readonly billingItemKind: string;
  readonly billingItemId: string | null;
  readonly billingItemName: string | null;
  readonly billingCodeId: string | null;
  readonly roleName: string | null;
  readonly workTypeName: string | null;
  readonly description: string;
  readonly quantity: string;
  readonly rate: string;
  readonly amount: string;
  readonly taxable: boolean;
  readonly lineOfBusinessId: string | null;
  readonly lineOfBusinessName: string | null;
  readonly serviceDate: string | null;
  /** The sub-organization the line is for when it is billed to its parent (optional: hosts before it omit it). */
  readonly subOrganizationName?: string | null;
}

export interface Invoice {
  readonly id: string;
  readonly autotaskId: number;
  readonly organizationId: string;
  readonly invoiceNumber: string | null;
  /** YYYY-MM-DD */
  readonly invoiceDate: string;
  readonly poNumber: string | null;
  readonly paymentTermId: string | null;
  readonly paymentTermName: string | null;
  readonly transmissionMethod: TransmissionMethod | null;
  readonly total: string;
  readonly taxTotal: string;
  readonly lines: readonly InvoiceLine[];
  /** Our id of the invoice a credit (negative total) credits, when Autotask (or the pushing script) says which. */
  readonly creditsInvoiceId?: string | null;
  /** Voided (or deleted) in Autotask. */
  readonly isVoided?: boolean;
}

export interface Payment {
  readonly id: string;
  readonly externalId: string;
  readonly invoiceId: string;
  readonly amount: string;
  /** YYYY-MM-DD */
  readonly paymentDate: string;
  readonly paymentMethod: string | null;
  readonly depositAccount: string | null;
  readonly reference: string | null;
}

/** The resource (staff member) a timesheet belongs to. */
export interface ResourceRef {
  readonly autotaskId: number;
  readonly firstName: string;
  readonly lastName: string;
}

/** A resource with our id: the entity of a `RESOURCE_VENDOR` transfer (its own vendor), named by expense reports. */
export interface Resource extends ResourceRef {
  readonly id: string;
}

/**
 * One day-row of an approved timesheet: a resource's hours of one day for one organization (customer/job),
 * work type (service item), payroll category (payroll item) and line of business (class) — one QuickBooks
 * TimeTracking record (F4). Hours "0" mean its entries were removed after the transfer: delete the record.
 */
export interface TimeActivity {
  readonly id: string;
  readonly resource: ResourceRef;
  /** YYYY-MM-DD: TxnDate. */
  readonly date: string;
  /** Decimal string. */
  readonly hours: string;
  /** Our organization id (its customer in this file is `ctx.customerOf`), or null for internal time. */
  readonly organizationId: string | null;
  readonly workTypeId: string | null;
  readonly workTypeName: string | null;
  readonly payrollCategoryId: string | null;
  readonly payrollCategoryName: string | null;
  readonly lineOfBusinessId: string | null;
  readonly billable: boolean;
  readonly notes: string | null;
  readonly timeEntryAutotaskIds: readonly number[];
  /**
   * The QuickBooks record an earlier transfer of this activity made (its TxnID and EditSequence), when the
   * activity changed since: the plugin modifies or deletes it instead of adding another. Null when none.
   */
  readonly inQuickBooks: { readonly txnId: string; readonly editSequence: string | null } | null;
}

/** An Autotask vendor (an organization of a vendor type) that purchase orders buy from. */
export interface Vendor {
  readonly id: string;
  readonly autotaskId: number;
  readonly name: string;
  readonly address: Address | null;
  readonly phone: string | null;
  readonly fax: string | null;
}

/** An Autotask product, as purchase order lines (and inventory) see it. */
export interface Product {
  readonly id: string;
  readonly autotaskId: number;
  readonly name: string;
  readonly description: string | null;
  readonly sku: string | null;
  readonly manufacturerPartNumber: string | null;
  readonly unitCost: string | null;
  readonly unitPrice: string | null;
  readonly billingCodeId: string | null;
  /** Stocked in Autotask inventory: a QuickBooks inventory part (else a non-inventory part). */
  readonly isInventory: boolean;
  /** Autotask's on-hand units over every location; null when not stocked. */
  readonly quantityOnHand: number | null;
}

/**
 * One product of an inventory sync run: QuickBooks' on-hand quantity of its item is to become `quantity`
 * (Autotask's total over every location when the run started; QuickBooks has no locations).
 */
export interface InventoryAdjustment {
  readonly id: string;
  readonly product: Product;
  readonly quantity: number;
  /** ISO time the run started. */
  readonly runAt: string;
}

export interface PurchaseOrderLine {
  readonly id: string;
  /** Autotask PurchaseOrderItems.id: stamped on the QuickBooks line (Other1) to find it again. */
  readonly autotaskId: number;
  readonly position: number;
  readonly product: Product;
  readonly quantity: string;
  readonly unitCost: string;
  readonly memo: string | null;
  readonly lineOfBusinessId: string | null;
}

export type PurchaseOrderStatus = 'NEW' | 'SUBMITTED' | 'RECEIVED_PARTIAL' | 'RECEIVED_FULL' | 'CANCELED';

/** An Autotask purchase order with its lines. */
export interface PurchaseOrder {
  readonly id: string;
  readonly autotaskId: number;
  readonly purchaseOrderNumber: string | null;
  readonly status: PurchaseOrderStatus;
  readonly vendorId: string;
  /** Our id of the organization the goods are for (the ship-to customer), if any. */
  readonly purchaseForOrganizationId: string | null;
  /** YYYY-MM-DD */
  readonly orderDate: string;
  readonly expectedDate: string | null;
  readonly shipToName: string | null;
  readonly shipToAddress: Address | null;
  readonly memo: string | null;
  readonly lines: readonly PurchaseOrderLine[];
  /**
   * The QuickBooks purchase order an earlier transfer made (TxnID, EditSequence, and the TxnLineID of each line
   * by our line's Autotask id), whatever the state of its ledger item now: a change after the transfer is a
   * PurchaseOrderMod of it, never a second Add. Null when it was never transferred to this file.
   */
  readonly inQuickBooks: TransactionInQuickBooks | null;
}

/** A QuickBooks transaction an earlier transfer of the entity made. */
export interface TransactionInQuickBooks {
  readonly txnId: string;
  readonly editSequence: string | null;
  /** TxnLineIDs by the plugin's line key (for purchase orders: the line's Autotask id as a string). */
  readonly lineIds: Readonly<Record<string, string>>;
}

/**
 * Goods received against one purchase order line (Autotask PurchaseOrderItemReceiving): one QuickBooks item
 * receipt whose line is linked to the purchase order's line (F7: linking is possible only when adding it).
 * A cancelled receipt already in QuickBooks is deleted there (TxnDel).
 */
export interface ItemReceipt {
  readonly id: string;
  readonly autotaskId: number;
  /** Our purchase order id (its transfer in this file: `ctx.transferred('PURCHASE_ORDER', …)`) and the order itself. */
  readonly purchaseOrderId: string;
  readonly purchaseOrder: PurchaseOrder;
  /** The Autotask id of the line received (its TxnLineID is in the order's `inQuickBooks.lineIds`). */
  readonly lineAutotaskId: number;
  /** Decimal string. */
  readonly quantity: string;
  /** YYYY-MM-DD */
  readonly receiveDate: string;
  readonly vendorInvoiceNumber: string | null;
  readonly isCancelled: boolean;
  /** The item receipt an earlier transfer made, if any (a cancellation deletes it). */
  readonly inQuickBooks: { readonly txnId: string; readonly editSequence: string | null } | null;
}

/**
 * One item of an expense report (Autotask ExpenseItems). `reimbursable` is Autotask's isReimbursable, which
 * follows the item's payment type (false for what the company paid: credit card, check…).
 */
export interface ExpenseItem {
  readonly id: string;
  readonly autotaskId: number;
  /** YYYY-MM-DD */
  readonly expenseDate: string;
  readonly description: string;
  /** Autotask expenseCategory (an Expense Category billing code): mapped to the billable / reimbursable account. */
  readonly expenseCategoryId: string;
  readonly expenseCategoryName: string | null;
  readonly paymentTypeId: string | null;
  readonly paymentTypeName: string | null;
  /** Billable to the customer (isBillableToCompany): the line carries the customer:job. */
  readonly billable: boolean;
  readonly reimbursable: boolean;
  /** Our organization id (its customer in this file is `ctx.customerOf`), or null. */
  readonly organizationId: string | null;
  /** The amount owed to the resource (internalCurrencyReimbursementAmount); decimal string. */
  readonly amount: string;
  readonly miles: string | null;
  readonly origin: string | null;
  readonly destination: string | null;
}

/** An approved Autotask expense report: a bill to the resource's vendor (a vendor credit when the advance is larger). */
export interface ExpenseReport {
  readonly id: string;
  readonly autotaskId: number;
  readonly name: string;
  /** Autotask's status label: APPROVED_FOR_PAYMENT and PAID reports are transferred, others are refused. */
  readonly status: string;
  /** Whose report it is: the bill goes to this resource's own vendor (`RESOURCE_VENDOR`). */
  readonly resource: Resource;
  /** YYYY-MM-DD */
  readonly weekEnding: string;
  readonly approvedDate: string | null;
  /** internalCurrencyCashAdvanceAmount; "0" when none. */
  readonly cashAdvanceAmount: string;
  /** organizationalLevelAssociationID: the line of business mapped to a class ("Transfer Class"). */
  readonly lineOfBusinessId: string | null;
  readonly items: readonly ExpenseItem[];
}
