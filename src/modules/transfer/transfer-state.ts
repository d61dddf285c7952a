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

/** What is transferred. Plugins add their own kinds later; the column is text. */
export enum TransferEntityType {
  ORGANIZATION = 'ORGANIZATION',
  INVOICE = 'INVOICE',
  PAYMENT = 'PAYMENT',
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
