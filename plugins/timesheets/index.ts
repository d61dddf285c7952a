/**
 * Built-in plugin: approved timesheet day-rows → QuickBooks time activities (what QuickBooks' weekly
 * timesheet shows and payroll reads). See translate.ts; the approval that makes day-rows is
 * src/modules/timesheets.
 */
import { definePlugin, type TimeActivity } from '../sdk/index.js';
import { handleResponse } from './handle-response.js';
import { reconcile } from './reconcile.js';
import { translate } from './translate.js';

export default definePlugin<TimeActivity>({
  id: 'timesheets',
  version: '1.0.0',
  apiVersion: 1,
  handles: { entity: 'TIME_ACTIVITY' },
  emits: ['EmployeeQueryRq', 'TimeTrackingAddRq', 'TimeTrackingModRq', 'TimeTrackingQueryRq', 'TxnDelRq'],
  translate,
  handleResponse,
  reconcile,
});
