/**
 * A timesheet day-row → one QuickBooks time activity (F4): TimeTrackingAdd the first time; TimeTrackingMod
 * when the day changed after it reached QuickBooks (re-approval); TxnDel when its entries are gone (0 hours).
 * Pure: who the time goes to (mapping 7), the payroll item (mapping 8), the service item, class and customer
 * all come from the context. Everything that would make QuickBooks refuse is reported before sending.
 */
import {
  compact, hoursToDuration, isZeroAmount, qbRef, unmappedProblem,
  type DataProblem, type PlannedRequest, type QbRef, type TimeActivity, type TimePayee, type TranslateContext, type TranslateResult,
} from '../sdk/index.js';
import { activityGuid, activityNotes } from './stamp.js';

/** F5: what QuickBooks needs changed before it takes an employee's time (Autotask's own fix text, made exact). */
export const USE_TIME_DATA_HINT =
  'In QuickBooks, open Edit › Preferences › Payroll & Employees › Company Preferences › Employee Defaults, tick "Use time data to create paychecks", ' +
  'click OK (untick it again if the employee should not be paid from time data), and check the same box on the employee\'s Payroll Info tab; ' +
  'then retry the transfer (QuickBooks is asked again before the time is sent).';

export function payeeName(activity: Pick<TimeActivity, 'resource'>): string {
  return `${activity.resource.firstName} ${activity.resource.lastName}`.trim();
}

/** The TimeTracking fields both Add and Mod carry (Mod has no ExternalGUID). */
export function activityFields(activity: TimeActivity, payee: TimePayee, ctx: TranslateContext): { fields: Record<string, unknown>; problems: DataProblem[] } {
  const problems: DataProblem[] = [];
  const customer = activity.organizationId ? ctx.customerOf(activity.organizationId) : undefined;
  const item = activity.workTypeId ? ctx.itemMapping('WORK_TYPE', activity.workTypeId)?.target ?? undefined : undefined;
  if (activity.billable && !item) {
    problems.push({
      field: 'workTypeId',
      message: `Billable time needs a QuickBooks service item: map work type ${activity.workTypeName ?? activity.workTypeId ?? '(none)'} (WORK_TYPE) to one.`,
    });
  }
  const classRef = activity.lineOfBusinessId ? ctx.classFor(activity.lineOfBusinessId) : undefined;
  const unmappedClass = activity.lineOfBusinessId
    ? unmappedProblem(ctx.connector, 'LINE_OF_BUSINESS', classRef, 'lineOfBusinessId', `line of business ${activity.lineOfBusinessId}`)
    : undefined;
  if (unmappedClass) problems.push(unmappedClass);
  // Vendors (contractors) take no payroll item (QuickBooks offers none for them).
  let payrollItem: QbRef | undefined;
  if (payee.list === 'EMPLOYEE' && activity.payrollCategoryId) {
    payrollItem = ctx.payrollItemFor?.(activity.payrollCategoryId);
    const unmapped = unmappedProblem(ctx.connector, 'PAYROLL_CATEGORY', payrollItem, 'payrollCategoryId', `payroll category ${activity.payrollCategoryName ?? activity.payrollCategoryId}`);
    if (unmapped) problems.push(unmapped);
  }
  const fields = {
    TxnDate: activity.date,
    EntityRef: qbRef(payee.ref),
    CustomerRef: customer && qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
    ItemServiceRef: item && qbRef(item),
    Duration: hoursToDuration(activity.hours),
    ClassRef: classRef && qbRef(classRef),
    PayrollItemWageRef: payrollItem && qbRef(payrollItem),
    Notes: activityNotes(activity),
    BillableStatus: activity.billable ? 'Billable' : 'NotBillable',
  };
  return { fields, problems };
}

export function translate(activity: TimeActivity, ctx: TranslateContext): TranslateResult {
  const payee = ctx.timePayee?.(activity.resource.autotaskId);
  if (!payee) {
    return {
      kind: 'invalid',
      problems: [{
        field: 'resource',
        message: `Resource ${payeeName(activity)} (Autotask id ${activity.resource.autotaskId}) is neither mapped to a QuickBooks employee or vendor (RESOURCE_EMPLOYEE / RESOURCE_VENDOR) nor named like one in this company file.`,
      }],
      hint: 'Map the resource to its employee or vendor in this connector (or add one named like the resource in QuickBooks and run the Web Connector), then retry.',
    };
  }
  const inQuickBooks = activity.inQuickBooks;
  if (isZeroAmount(activity.hours)) {
    if (!inQuickBooks) return { kind: 'skip', reason: 'The day has no hours left and never reached QuickBooks.' };
    return { kind: 'requests', requests: [{ type: 'TxnDelRq', role: 'main', body: { TxnDelType: 'TimeTracking', TxnID: inQuickBooks.txnId } }] };
  }
  if (activity.organizationId && !ctx.customerOf(activity.organizationId)) {
    return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: activity.organizationId, reason: "The time's organization has no QuickBooks customer in this company file yet." };
  }
  const { problems } = activityFields(activity, payee, ctx);
  if (problems.length) return { kind: 'invalid', problems };
  // F5: an employee's payroll preference is read from QuickBooks right before the time is sent (a synced
  // copy could be a day old, and the fix is made in QuickBooks); the answer leads on to the time itself.
  if (payee.list === 'EMPLOYEE') return { kind: 'requests', requests: [employeeCheck(payee)] };
  return { kind: 'requests', requests: [timeRequest(activity, payee, ctx)] };
}

/** The EmployeeQuery that reads the employee's "use time data to create paychecks" (F5). */
export function employeeCheck(payee: TimePayee): PlannedRequest {
  const which = payee.ref.listId ? { ListID: [payee.ref.listId] } : { FullName: [payee.ref.fullName] };
  return { type: 'EmployeeQueryRq', role: 'main', body: { ...which, IncludeRetElement: ['ListID', 'Name', 'EmployeePayrollInfo'] } };
}

/** TimeTrackingMod of the record an earlier transfer made, else TimeTrackingAdd with the day-row's GUID. */
export function timeRequest(activity: TimeActivity, payee: TimePayee, ctx: TranslateContext): PlannedRequest {
  const { fields } = activityFields(activity, payee, ctx);
  const inQuickBooks = activity.inQuickBooks;
  if (inQuickBooks) {
    const body = { TimeTrackingMod: compact({ TxnID: inQuickBooks.txnId, EditSequence: inQuickBooks.editSequence ?? '', ...fields }) };
    return { type: 'TimeTrackingModRq', role: 'main', body };
  }
  return { type: 'TimeTrackingAddRq', role: 'main', body: { TimeTrackingAdd: compact({ ...fields, ExternalGUID: activityGuid(activity, ctx) }) } };
}
