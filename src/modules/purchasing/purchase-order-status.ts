import { registerEnumType } from 'type-graphql';

/** An Autotask purchase order's status (its picklist labels; codes differ per tenant, the pull maps them by label). */
export enum PurchaseOrderStatus {
  NEW = 'NEW',
  SUBMITTED = 'SUBMITTED',
  RECEIVED_PARTIAL = 'RECEIVED_PARTIAL',
  RECEIVED_FULL = 'RECEIVED_FULL',
  /** Never transferred; a transferred PO that is cancelled is closed in QuickBooks (IsManuallyClosed). */
  CANCELED = 'CANCELED',
}

registerEnumType(PurchaseOrderStatus, { name: 'PurchaseOrderStatus' });
