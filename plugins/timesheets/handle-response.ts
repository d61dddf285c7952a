/**
 * QuickBooks' answer to a day-row's TimeTrackingAdd / TimeTrackingMod / TxnDel. A deleted record leaves the
 * day-row with no TxnID (''), so hours added to that day later are a new activity.
 */
import { allRets, commonHint, failure, isError, textOf, type QbxmlResponse, type ResponseContext, type ResponseOutcome, type TimeActivity } from '../sdk/index.js';
import { timeRequest, USE_TIME_DATA_HINT } from './translate.js';

const OBJECT_NOT_FOUND = 3120;

const HINTS: Readonly<Record<number, string>> = {
  3120: 'The time activity was deleted in QuickBooks after it was transferred: add the hours there by hand, or retry after removing this day from the ledger.',
  3140: 'A QuickBooks record the time refers to (employee or vendor, customer, service item, payroll item or class, named in the message) does not exist or is of the wrong type: fix the mapping or the QuickBooks list, then retry.',
  3250: 'Time tracking (or payroll) is turned off in this company file: turn on Edit › Preferences › Time & Expenses › Do you track time? Yes, then retry.',
};

export function handleResponse(response: QbxmlResponse, ctx: ResponseContext<TimeActivity>): ResponseOutcome {
  const type = ctx.request.type;
  const day = ctx.entity?.date ?? 'the day';
  if (type === 'TxnDelRq') {
    // Already gone is what was wanted.
    if (isError(response) && response.statusCode !== OBJECT_NOT_FOUND) return failure(response, commonHint(response.statusCode) ?? 'Fix what QuickBooks reports, then retry.');
    return { kind: 'succeeded', ids: { txnId: '', editSequence: '' }, note: `Time of ${day} deleted in QuickBooks (its entries were removed in Autotask).` };
  }
  if (type === 'EmployeeQueryRq') return employeeChecked(response, ctx);
  if (type !== 'TimeTrackingAddRq' && type !== 'TimeTrackingModRq') {
    return failure(response, `The timesheets plugin does not send ${type}: report this to qbd-bridge's developers.`);
  }
  if (isError(response)) return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? 'Fix what QuickBooks reports, then retry.');
  const ret = allRets(response, 'TimeTrackingRet')[0];
  const txnId = ret && textOf(ret, 'TxnID');
  if (!ret || !txnId) return failure(response, 'QuickBooks answered without the time activity: look for it in QuickBooks before retrying.');
  const verb = type === 'TimeTrackingAddRq' ? 'added' : 'changed';
  return { kind: 'succeeded', ids: { txnId, editSequence: textOf(ret, 'EditSequence') ?? null }, note: `Time of ${day} ${verb} (${textOf(ret, 'Duration') ?? ''}).` };
}

/** F5: the employee's payroll preference as QuickBooks has it now; NotSet fails with the setting to change. */
function employeeChecked(response: QbxmlResponse, ctx: ResponseContext<TimeActivity>): ResponseOutcome {
  const payee = ctx.entity && ctx.lookups?.timePayee?.(ctx.entity.resource.autotaskId);
  if (!ctx.entity || !ctx.lookups || !payee) return failure(response, 'The time could not be built again from its day-row: retry the transfer.');
  if (isError(response)) {
    return failure(response, HINTS[response.statusCode] ?? commonHint(response.statusCode) ?? `QuickBooks could not read employee ${payee.ref.fullName}: check it exists, then retry.`);
  }
  const ret = allRets(response, 'EmployeeRet')[0];
  if (!ret) return { kind: 'failed', statusCode: String(response.statusCode), message: `Employee ${payee.ref.fullName} is not in this company file.`, hint: 'Map the resource to an existing employee or vendor, then retry.' };
  if (textOf(ret, 'EmployeePayrollInfo.UseTimeDataToCreatePaychecks') === 'NotSet') {
    return {
      kind: 'failed',
      statusCode: 'USE_TIME_DATA_NOT_SET',
      message: `QuickBooks' "Use time data to create paychecks" of employee ${payee.ref.fullName} is in its unknown state (NotSet): QuickBooks refuses time for the employee until it is set.`,
      hint: USE_TIME_DATA_HINT,
    };
  }
  return { kind: 'followUp', requests: [timeRequest(ctx.entity, payee, ctx.lookups)], note: 'the employee takes time: sending it' };
}
