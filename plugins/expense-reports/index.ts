/**
 * Built-in plugin: approved Autotask expense reports → QuickBooks bills to the resource's vendor, or vendor
 * credits when the cash advance exceeds the expenses (parity-transfers.md §5, F9). See translate.ts; the
 * entities and their upserts are src/modules/expenses.
 */
import { definePlugin, type ExpenseReport } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<ExpenseReport>({
  id: 'expense-reports',
  version: '1.1.0',
  apiVersion: 1,
  handles: { entity: 'EXPENSE_REPORT' },
  emits: ['BillAddRq', 'BillQueryRq', 'VendorCreditAddRq', 'VendorCreditQueryRq'],
  translate,
  handleResponse,
  reconcile,
});
