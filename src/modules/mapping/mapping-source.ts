import { registerEnumType } from 'type-graphql';

/**
 * What an Autotask-side value is. The kind decides what it maps to in QuickBooks:
 * billing items → items; billing codes → income accounts; lines of business → classes;
 * payment terms → terms; taxability → sales tax codes.
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
  // ---- purchasing ----
  /** An Autotask vendor (Companies id) → a QuickBooks vendor; unmapped vendors are matched by name or added. */
  VENDOR = 'VENDOR',
  /** An Autotask product (Products id) → the QuickBooks item purchase order lines use; unmapped ones are created. */
  PRODUCT = 'PRODUCT',
}

/** The QuickBooks list a source kind maps into. */
export enum MappingTargetList {
  ITEM = 'ITEM',
  ACCOUNT = 'ACCOUNT',
  CLASS = 'CLASS',
  TERMS = 'TERMS',
  SALES_TAX_CODE = 'SALES_TAX_CODE',
  VENDOR = 'VENDOR',
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
  [MappingSourceKind.VENDOR]: MappingTargetList.VENDOR,
};

/** The QuickBooks list that values of this kind map into. */
export function targetListOf(kind: MappingSourceKind): MappingTargetList {
  return NON_ITEM_TARGETS[kind] ?? MappingTargetList.ITEM;
}

export const TAXABILITY_SOURCE_IDS = ['TAXABLE', 'NON_TAXABLE'] as const;

registerEnumType(MappingSourceKind, { name: 'MappingSourceKind' });
registerEnumType(MappingTargetList, { name: 'MappingTargetList' });
registerEnumType(QbItemType, { name: 'QuickBooksItemType' });
