import { registerEnumType } from 'type-graphql';

/**
 * What an Autotask-side value is. The kind decides what it maps to in QuickBooks:
 * billing items → items; billing codes → income accounts; lines of business → classes;
 * payment terms → terms; taxability → sales tax codes; account managers → sales reps; classifications →
 * customer types; invoice templates → QuickBooks invoice templates.
 */
export enum MappingSourceKind {
  WORK_TYPE = 'WORK_TYPE',
  ROLE = 'ROLE',
  MATERIAL = 'MATERIAL',
  SERVICE = 'SERVICE',
  SERVICE_BUNDLE = 'SERVICE_BUNDLE',
  EXPENSE_CATEGORY = 'EXPENSE_CATEGORY',
  RECURRING_SERVICE = 'RECURRING_SERVICE',
  MILESTONE = 'MILESTONE',
  SHIPPING = 'SHIPPING',
  TAX = 'TAX',
  BILLING_CODE = 'BILLING_CODE',
  LINE_OF_BUSINESS = 'LINE_OF_BUSINESS',
  PAYMENT_TERM = 'PAYMENT_TERM',
  /** sourceId is TAXABLE or NON_TAXABLE. */
  TAXABILITY = 'TAXABILITY',
  // Organization-level values → reference lists (sales reps, customer types, templates).
  /** The organization's account manager: sourceId is the Autotask resource id (ownerResourceID). */
  ACCOUNT_MANAGER = 'ACCOUNT_MANAGER',
  /** The organization's Autotask classification: sourceId is its picklist value. */
  CLASSIFICATION = 'CLASSIFICATION',
  /** The organization's Autotask invoice template (invoice settings): sourceId is the InvoiceTemplates id. */
  INVOICE_TEMPLATE = 'INVOICE_TEMPLATE',
  // ---- Timesheets (issue 14): sourceId is the Autotask resource id / time category id ----
  /** A resource → the QuickBooks employee its time goes to. */
  RESOURCE_EMPLOYEE = 'RESOURCE_EMPLOYEE',
  /** A resource → the QuickBooks vendor its time (contractors) and expenses go to. */
  RESOURCE_VENDOR = 'RESOURCE_VENDOR',
  /** A payroll (time) category: the internal time code or work type of a time entry → a payroll wage item. */
  PAYROLL_CATEGORY = 'PAYROLL_CATEGORY',
  // ---- purchasing ----
  /** An Autotask vendor (Companies id) → a QuickBooks vendor; unmapped vendors are matched by name or added. */
  VENDOR = 'VENDOR',
  /** An Autotask product (Products id) → the QuickBooks item purchase order lines use; unmapped ones are created. */
  PRODUCT = 'PRODUCT',
  // ---- expense reports: sourceId is the Autotask expense category (billing code) id ----
  /** An expense category's billable items → the QuickBooks account their bill lines post to. */
  EXPENSE_ACCOUNT_BILLABLE = 'EXPENSE_ACCOUNT_BILLABLE',
  /** An expense category's reimbursable (non-billable) items → the QuickBooks account their bill lines post to. */
  EXPENSE_ACCOUNT_REIMBURSABLE = 'EXPENSE_ACCOUNT_REIMBURSABLE',
}

/** The QuickBooks list a source kind maps into. */
export enum MappingTargetList {
  ITEM = 'ITEM',
  ACCOUNT = 'ACCOUNT',
  CLASS = 'CLASS',
  TERMS = 'TERMS',
  SALES_TAX_CODE = 'SALES_TAX_CODE',
  SALES_REP = 'SALES_REP',
  CUSTOMER_TYPE = 'CUSTOMER_TYPE',
  TEMPLATE = 'TEMPLATE',
  EMPLOYEE = 'EMPLOYEE',
  VENDOR = 'VENDOR',
  PAYROLL_WAGE_ITEM = 'PAYROLL_WAGE_ITEM',
}

/** QuickBooks item types an item mapping can point at (or auto-create). */
export enum QbItemType {
  SERVICE = 'SERVICE',
  NON_INVENTORY = 'NON_INVENTORY',
  OTHER_CHARGE = 'OTHER_CHARGE',
  INVENTORY = 'INVENTORY',
  SALES_TAX = 'SALES_TAX',
  DISCOUNT = 'DISCOUNT',
  SUBTOTAL = 'SUBTOTAL',
  GROUP = 'GROUP',
}

const NON_ITEM_TARGETS: Partial<Record<MappingSourceKind, MappingTargetList>> = {
  [MappingSourceKind.BILLING_CODE]: MappingTargetList.ACCOUNT,
  [MappingSourceKind.LINE_OF_BUSINESS]: MappingTargetList.CLASS,
  [MappingSourceKind.PAYMENT_TERM]: MappingTargetList.TERMS,
  [MappingSourceKind.TAXABILITY]: MappingTargetList.SALES_TAX_CODE,
  [MappingSourceKind.ACCOUNT_MANAGER]: MappingTargetList.SALES_REP,
  [MappingSourceKind.CLASSIFICATION]: MappingTargetList.CUSTOMER_TYPE,
  [MappingSourceKind.INVOICE_TEMPLATE]: MappingTargetList.TEMPLATE,
  [MappingSourceKind.RESOURCE_EMPLOYEE]: MappingTargetList.EMPLOYEE,
  [MappingSourceKind.RESOURCE_VENDOR]: MappingTargetList.VENDOR,
  [MappingSourceKind.PAYROLL_CATEGORY]: MappingTargetList.PAYROLL_WAGE_ITEM,
  [MappingSourceKind.VENDOR]: MappingTargetList.VENDOR,
  [MappingSourceKind.EXPENSE_ACCOUNT_BILLABLE]: MappingTargetList.ACCOUNT,
  [MappingSourceKind.EXPENSE_ACCOUNT_REIMBURSABLE]: MappingTargetList.ACCOUNT,
};

/** The QuickBooks list that values of this kind map into. */
export function targetListOf(kind: MappingSourceKind): MappingTargetList {
  return NON_ITEM_TARGETS[kind] ?? MappingTargetList.ITEM;
}

export const TAXABILITY_SOURCE_IDS = ['TAXABLE', 'NON_TAXABLE'] as const;

registerEnumType(MappingSourceKind, { name: 'MappingSourceKind' });
registerEnumType(MappingTargetList, { name: 'MappingTargetList' });
registerEnumType(QbItemType, { name: 'QuickBooksItemType' });
