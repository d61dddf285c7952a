/**
 * Built-in plugin: Autotask organizations → QuickBooks customers (and jobs, for `Parent~Child` names).
 * Matched by the stored ListID, then by exact name, else added; see translate.ts and handle-response.ts.
 */
import { definePlugin, type Organization } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Organization>({
  id: 'customers',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'ORGANIZATION' },
  emits: ['CustomerQueryRq', 'CustomerAddRq', 'CustomerModRq'],
  translate,
  handleResponse,
  reconcile,
});
