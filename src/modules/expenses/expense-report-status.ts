import { registerEnumType } from 'type-graphql';

/**
 * An Autotask expense report's status (its picklist labels, parity-transfers.md §5.2; codes differ per tenant).
 * Only APPROVED_FOR_PAYMENT and PAID reports are transferred; "Transferred to Quickbooks" is read-only in
 * Autotask's API, so the transfer writes the QuickBooks reference (quickBooksReferenceNumber) instead.
 */
export enum ExpenseReportStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  APPROVED_FOR_PAYMENT = 'APPROVED_FOR_PAYMENT',
  REJECTED = 'REJECTED',
  PAID = 'PAID',
  TRANSFERRED_TO_QUICKBOOKS = 'TRANSFERRED_TO_QUICKBOOKS',
}

/** The statuses whose reports may go to QuickBooks. */
export const TRANSFERABLE_EXPENSE_STATUSES: ReadonlySet<ExpenseReportStatus> = new Set([ExpenseReportStatus.APPROVED_FOR_PAYMENT, ExpenseReportStatus.PAID]);

registerEnumType(ExpenseReportStatus, { name: 'ExpenseReportStatus' });
