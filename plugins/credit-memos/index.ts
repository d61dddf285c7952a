/**
 * Example partner plugin: Autotask credit invoices (negative totals) → QuickBooks credit memos.
 * It imports nothing but the SDK; see README.md for how to write, test and register a plugin like it.
 */
import { definePlugin, isNegative, type Invoice } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Invoice>({
  id: 'credit-memos',
  version: '1.0.0',
  apiVersion: 1,
  // Narrower than the built-in invoices plugin (which takes totals of zero or more): negative totals only.
  handles: { entity: 'INVOICE', accepts: (invoice) => isNegative(invoice.total) },
  emits: ['CreditMemoAddRq', 'CreditMemoQueryRq'],
  translate,
  handleResponse,
  reconcile,
});
