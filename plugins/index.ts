/**
 * The plugins shipped with qbd-bridge, in one explicit list (no directory scanning): the host registers
 * `builtInPlugins`; partner plugins are registered through PLUGINS (plugins/credit-memos/README.md).
 */
import creditApplications from './credit-applications/index.js';
import creditMemos from './credit-memos/index.js';
import customers from './customers/index.js';
import invoiceVoids from './invoice-voids/index.js';
import invoices from './invoices/index.js';
import payments from './payments/index.js';
import timesheets from './timesheets/index.js';
import type { ItemTypePlugin } from './sdk/index.js';
// Purchasing.
import purchaseOrders from './purchase-orders/index.js';
import itemReceipts from './purchase-orders/receipts/index.js';
import vendors from './vendors/index.js';
// Expense reports.
import expenseReports from './expense-reports/index.js';
import resourceVendors from './resource-vendors/index.js';
// Inventory on-hand sync.
import inventoryAdjustments from './inventory-adjustments/index.js';

/**
 * Organizations → customers, invoices (total ≥ 0) → invoices, credits (total < 0) → credit memos, payments →
 * received payments; a credit memo → applied to the invoice it credits; an invoice voided in Autotask → voided;
 * approved timesheet day-rows → time activities.
 */
export const builtInPlugins: ReadonlyArray<ItemTypePlugin<never>> = [
  customers, invoices, creditMemos, payments, creditApplications, invoiceVoids,
  // Timesheets: approved day-rows → time tracking.
  timesheets,
  // Purchasing: Autotask vendors → QuickBooks vendors, purchase orders → purchase orders, receiving rows → item receipts.
  vendors, purchaseOrders, itemReceipts,
  // Expense reports: approved reports → bills (vendor credits when the advance is larger) to the resource's own vendor.
  resourceVendors, expenseReports,
  // Inventory: one product of an inventory sync run → QuickBooks' on-hand (the default connector's file).
  inventoryAdjustments,
];
