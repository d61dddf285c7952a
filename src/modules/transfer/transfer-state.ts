import { registerEnumType } from 'type-graphql';

/**
 * Life of a transfer item:
 *   QUEUED → SENT → SUCCEEDED | FAILED | NEEDS_RECONCILE
 * NEEDS_RECONCILE means the request may or may not have reached QuickBooks (response lost, parse error):
 * it is never silently re-sent; it is first looked up in QuickBooks. FAILED and CANCELLED items can be retried.
 */
export enum TransferState {
  QUEUED = 'QUEUED',
  SENT = 'SENT',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  NEEDS_RECONCILE = 'NEEDS_RECONCILE',
  CANCELLED = 'CANCELLED',
}

/**
 * What is transferred: an Autotask entity, or follow-on work on an invoice already in QuickBooks, which is a
 * ledger item of its own (entityId = our invoice id) so its outcome and history show next to the invoice's.
 */
export enum TransferEntityType {
  ORGANIZATION = 'ORGANIZATION',
  INVOICE = 'INVOICE',
  PAYMENT = 'PAYMENT',
  /** Apply a transferred credit memo to the transferred invoice it credits (ReceivePaymentAdd with SetCredit). */
  CREDIT_APPLICATION = 'CREDIT_APPLICATION',
  /** Void a transferred invoice or credit memo that was voided in Autotask (TxnVoid). */
  INVOICE_VOID = 'INVOICE_VOID',
  /** One day-row of an approved timesheet (TimeTrackingAdd, or Mod/Del when it changed after the transfer). */
  TIME_ACTIVITY = 'TIME_ACTIVITY',
  // ---- purchasing ----
  /** An Autotask vendor → a QuickBooks vendor (matched by name, else added). */
  VENDOR = 'VENDOR',
  /** An Autotask purchase order → a QuickBooks purchase order. */
  PURCHASE_ORDER = 'PURCHASE_ORDER',
  // ---- expense reports ----
  /** An approved Autotask expense report → a bill to its resource's vendor (a vendor credit when the advance is larger). */
  EXPENSE_REPORT = 'EXPENSE_REPORT',
  /** A resource's own vendor (entityId = our resource id), found or added for the bills of its expense reports. */
  RESOURCE_VENDOR = 'RESOURCE_VENDOR',
  /** Goods received against a transferred purchase order line (Autotask PurchaseOrderItemReceiving) → ItemReceiptAdd; cancelled → TxnDel. */
  ITEM_RECEIPT = 'ITEM_RECEIPT',
  /** One product of an inventory sync run → QuickBooks' on-hand (InventoryAdjustmentAdd, default connector only). */
  INVENTORY_ADJUSTMENT = 'INVENTORY_ADJUSTMENT',
}

/** States from which `retry` re-queues an item. */
export const RETRYABLE_STATES: ReadonlySet<TransferState> = new Set([
  TransferState.FAILED,
  TransferState.CANCELLED,
  TransferState.NEEDS_RECONCILE,
]);

/** States from which `cancel` withdraws an item (a SENT item is in QuickBooks' hands). */
export const CANCELLABLE_STATES: ReadonlySet<TransferState> = new Set([
  TransferState.QUEUED,
  TransferState.FAILED,
  TransferState.NEEDS_RECONCILE,
]);

registerEnumType(TransferState, { name: 'TransferState' });
registerEnumType(TransferEntityType, { name: 'TransferEntityType' });
