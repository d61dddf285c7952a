/**
 * Built-in: Autotask credit invoices (negative totals) → QuickBooks credit memos; a credit that names the
 * invoice it credits queues its application to that invoice (the credit-applications plugin) once the memo
 * is in QuickBooks. It imports nothing but the SDK, written exactly as a partner writes a plugin: README.md
 * here is the walk-through for writing, testing and registering one.
 */
import { definePlugin, isNegative, type Invoice } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Invoice>({
  id: 'credit-memos',
  version: '1.1.0',
  apiVersion: 1,
  // Narrower than the built-in invoices plugin (which takes totals of zero or more): negative totals only.
  handles: { entity: 'INVOICE', accepts: (invoice) => isNegative(invoice.total) },
  emits: ['CreditMemoAddRq', 'CreditMemoQueryRq'],
  translate,
  handleResponse,
  reconcile,
  queuesAfter: (invoice) => (invoice.creditsInvoiceId ? [{ entityType: 'CREDIT_APPLICATION', entityId: invoice.id }] : []),
});
