/**
 * Built-in plugin: Autotask invoices with a total of zero or more → QuickBooks invoices (negative ones are
 * credit memos, for another plugin). Items missing in QuickBooks are created on the way when the mapping or
 * the connector allows it; see translate.ts, items.ts and lines.ts.
 */
import { definePlugin, isNegative, type Invoice } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { ITEM_ADD_REQUESTS } from './items.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Invoice>({
  id: 'invoices',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'INVOICE', accepts: (invoice) => !isNegative(invoice.total) },
  emits: ['InvoiceAddRq', 'InvoiceQueryRq', ...ITEM_ADD_REQUESTS],
  translate,
  handleResponse,
  reconcile,
});
