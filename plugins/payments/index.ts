/**
 * Built-in plugin: Autotask payments → QuickBooks received payments, applied to the invoice they pay.
 * Waits for the invoice; see translate.ts.
 */
import { definePlugin, type Payment } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<Payment>({
  id: 'payments',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'PAYMENT' },
  emits: ['ReceivePaymentAddRq', 'ReceivePaymentQueryRq'],
  translate,
  handleResponse,
  reconcile,
});
