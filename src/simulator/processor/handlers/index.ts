/** The dispatch table: request element name → handler. A request not listed here gets status 1030. */
import type { RequestHandler } from '../context.js';
import { companyHandlers } from './company.js';
import { creditMemoHandlers } from './credit-memos.js';
import { invoiceHandlers } from './invoices.js';
import { listHandlers } from './lists.js';
import { receivePaymentHandlers } from './payments.js';
import { txnVoidHandlers } from './txn-void.js';
import { timeTrackingHandlers } from './time-tracking.js';
// Purchasing.
import { purchaseOrderHandlers } from './purchase-orders.js';
import { itemReceiptHandlers } from './item-receipts.js';
import { txnDelHandlers } from './txn-del.js';
// Expense reports.
import { billHandlers } from './bills.js';
import { inventoryAdjustmentHandlers } from './inventory-adjustments.js';

/** Every request the simulator implements. */
export const REQUEST_HANDLERS: Readonly<Record<string, RequestHandler>> = {
  ...listHandlers(),
  ...invoiceHandlers,
  ...creditMemoHandlers,
  ...receivePaymentHandlers,
  ...txnVoidHandlers,
  ...timeTrackingHandlers,
  ...txnDelHandlers,
  ...companyHandlers,
  // Purchasing.
  ...purchaseOrderHandlers,
  ...itemReceiptHandlers,
  // Expense reports: bills and vendor credits.
  ...billHandlers,
  ...inventoryAdjustmentHandlers,
};
