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
}
