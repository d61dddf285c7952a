/**
 * Timesheets end to end, "several files, one accountant": two connectors (company files A, the default, and
 * B), resource R1 routed to B and R2 not. Both have an approved bi-weekly period; each day-row lands as one
 * QuickBooks time activity in its resource's file only, with the hours of Autotask's entries. Along the way:
 * R1's employee in B has "Use time data to create paychecks" NotSet, which fails the time with the fix named
 * until it is fixed in the company file; answers are lost and the service restarts; re-approving a period
 * with one changed day modifies only that day. One set-up shared by the steps (they run in order).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { durationMinutes } from '../../plugins/sdk/index.js';
import { USE_TIME_DATA_HINT } from '../../plugins/timesheets/translate.js';
import type { QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { TimeActivity } from '../../src/modules/timesheets/timesheet.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { billingQuickBooks, mapBillingValues, processOk, startListSyncingApp } from '../helpers/billing-fixture.js';
import { createConnector, losingFirst, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import type { TestApp } from '../helpers/test-app.js';

const R1 = 901; // Ray One, routed to B
const R2 = 902; // Rita Two, default connector (A)
const ORG = 501;

let app: TestApp;
let fixture: Fixture;
const files = {} as Record<'A' | 'B', { connectorId: string; qwc: string; qb: QuickBooksSimulator }>;

async function gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await app.gql<T, Record<string, unknown>>(query, variables, fixture.adminToken);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

/** Hours per day of a name's time activities in a company file, from QuickBooks' own records. */
function hoursByDay(qb: QuickBooksSimulator, employee: string): Record<string, number> {
  const id = qb.company.employees.find((e) => e.name === employee)?.listId;
  const out: Record<string, number> = {};
  for (const t of qb.company.timeTracking.filter((r) => r.entityId === id)) {
    out[t.txnDate] = (out[t.txnDate] ?? 0) + durationMinutes(String(t.fields['Duration']))! / 60;
  }
  return out;
}

const approve = (resourceAutotaskId: number) =>
  gql<{ approveTimesheet: { added: number; changed: number; removed: number; unchanged: number; approval: { periodStart: string; periodEnd: string } } }>(
    `mutation($input: ApproveTimesheetInput!) { approveTimesheet(input: $input) { added changed removed unchanged approval { periodStart periodEnd } } }`,
    { input: { resourceAutotaskId, date: '2026-11-10' } },
  );

const pushEntries = (entries: Array<Record<string, unknown>>) =>
  gql(`mutation($input: UpsertTimeEntriesInput!) { upsertTimeEntries(input: $input) { created updated unchanged } }`, { input: { timeEntries: entries } });

const timeItems = async (connectorId: string) =>
  (await app.database.orm.em.fork().find(TransferItem, { connector: connectorId, entityType: TransferEntityType.TIME_ACTIVITY }));

const employee = (first: string, last: string, useTimeData: string) =>
  `<EmployeeAddRq><EmployeeAdd><FirstName>${first}</FirstName><LastName>${last}</LastName>` +
  `<EmployeePayrollInfo><UseTimeDataToCreatePaychecks>${useTimeData}</UseTimeDataToCreatePaychecks></EmployeePayrollInfo></EmployeeAdd></EmployeeAddRq>`;

beforeAll(async () => {
  ({ app, fixture } = await startListSyncingApp());
  for (const name of ['A', 'B'] as const) {
    const connectorId = await createConnector(app, fixture, `File ${name}`);
    const qwc = (await register(app, fixture, connectorId, `Carl ${name}`)).qwc;
    await mapBillingValues(app, fixture.adminToken, connectorId);
    await gql(`mutation($id: ID!) { updateConnector(id: $id, input: { timesheetPeriod: BI_WEEKLY, timesheetPeriodAnchor: "2026-11-02" }) { id } }`, { id: connectorId });
    await gql(`mutation($input: UpsertMappingsInput!) { upsertMappings(input: $input) { id } }`, {
      input: { connectorId, mappings: [{ sourceKind: 'PAYROLL_CATEGORY', sourceId: 'REG', sourceName: 'Regular time', target: { fullName: 'Hourly Regular' } }] },
    });
    const qb = billingQuickBooks(`File ${name}`);
    qb.company.preferences.payrollEnabled = true; // a payroll subscription: wage items exist
    processOk(qb, '<AccountAddRq><AccountAdd><Name>Payroll Expenses</Name><AccountType>Expense</AccountType></AccountAdd></AccountAddRq>');
    processOk(qb, '<PayrollItemWageAddRq><PayrollItemWageAdd><Name>Hourly Regular</Name><WageType>HourlyRegular</WageType>' +
      '<ExpenseAccountRef><FullName>Payroll Expenses</FullName></ExpenseAccountRef></PayrollItemWageAdd></PayrollItemWageAddRq>');
    files[name] = { connectorId, qwc, qb };
  }
  // The employees, unmapped: found by name. Ray's payroll preference is in QuickBooks' unknown state (F5).
  processOk(files.B.qb, employee('Ray', 'One', 'NotSet'));
  processOk(files.A.qb, employee('Rita', 'Two', 'UseTimeData'));
  // The accountant's first Web Connector run of each file: its lists (employees, vendors) reach qbd-bridge.
  for (const file of Object.values(files)) expect((await update(file.qwc, file.qb)).outcome).toMatch(/completed|no-work/);
  await gql(`mutation($input: SetRoutesInput!) { setRoutes(input: $input) { id } }`, { input: { routes: [{ subject: 'RESOURCE', autotaskId: R1, connectorId: files.B.connectorId }] } });
  await gql(`mutation { upsertOrganizations(input: { organizations: [{ autotaskId: ${ORG}, name: "Contoso Dental" }] }) { created } }`);
  await gql(`mutation { upsertResources(input: { resources: [{ autotaskId: ${R1}, firstName: "Ray", lastName: "One" }, { autotaskId: ${R2}, firstName: "Rita", lastName: "Two" }] }) { created } }`);
  const work = { organizationAutotaskId: ORG, workTypeId: '29682801', workTypeName: 'Remote Support', payrollCategoryId: 'REG', lineOfBusinessId: '7' };
  const internal = { payrollCategoryId: 'REG', isNonBillable: true };
  await pushEntries([
    // R1: two entries of one day × customer × item × payroll item become one activity; internal time another.
    { autotaskId: 7001, resourceAutotaskId: R1, dateWorked: '2026-11-03', hoursWorked: '2', summaryNotes: 'Printer', ...work },
    { autotaskId: 7002, resourceAutotaskId: R1, dateWorked: '2026-11-03', hoursWorked: '1.5', ...work },
    { autotaskId: 7003, resourceAutotaskId: R1, dateWorked: '2026-11-04', hoursWorked: '8', ...internal },
    { autotaskId: 7004, resourceAutotaskId: R1, dateWorked: '2026-11-12', hoursWorked: '1.25', ...work },
    // R2, second week included; 11-16 belongs to the next period.
    { autotaskId: 7101, resourceAutotaskId: R2, dateWorked: '2026-11-05', hoursWorked: '4', ...work },
    { autotaskId: 7102, resourceAutotaskId: R2, dateWorked: '2026-11-13', hoursWorked: '2', ...work },
    { autotaskId: 7103, resourceAutotaskId: R2, dateWorked: '2026-11-16', hoursWorked: '5', ...work },
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

test('approving a bi-weekly period queues one day-row per day × customer × item × payroll item to the resource\'s connector', async () => {
  const r1 = await approve(R1);
  expect(r1.approveTimesheet).toMatchObject({ added: 3, changed: 0, removed: 0, unchanged: 0, approval: { periodStart: '2026-11-02', periodEnd: '2026-11-15' } });
  expect((await approve(R2)).approveTimesheet).toMatchObject({ added: 2 });
  expect((await timeItems(files.B.connectorId)).map((i) => i.state)).toEqual(['QUEUED', 'QUEUED', 'QUEUED']);
  expect(await timeItems(files.A.connectorId)).toHaveLength(2);
  // Approving again without a change queues nothing.
  expect((await approve(R2)).approveTimesheet).toMatchObject({ added: 0, changed: 0, unchanged: 2 });
  // The preview follows the resource's route too: B's file, the employee read first (F5).
  const preview = await gql(`query($input: PreviewTransferInput!) { previewTransfer(input: $input) { plugin qbxml connector { name } } }`, {
    // The internal time of 11-04 (no customer to wait for).
    input: { entityType: 'TIME_ACTIVITY', entityId: (await app.database.orm.em.fork().findOneOrFail(TimeActivity, { date: '2026-11-04' })).id },
  });
  expect(preview.previewTransfer).toMatchObject({ plugin: 'timesheets', connector: { name: 'File B' } });
  expect(preview.previewTransfer.qbxml).toContain('<EmployeeQueryRq');
  const why = await gql(`{ effectiveConnectors(subject: RESOURCE, autotaskIds: [${R1}, ${R2}]) { autotaskId routed connector { name } } }`);
  expect(why.effectiveConnectors).toEqual([
    { autotaskId: R1, routed: true, connector: { name: 'File B' } },
    { autotaskId: R2, routed: false, connector: { name: 'File A' } },
  ]);
});

test('an employee whose "use time data to create paychecks" is NotSet fails with the setting named; fixed in QuickBooks and retried, the time lands', async () => {
  const { qb, qwc, connectorId } = files.B;
  expect((await update(qwc, qb)).outcome).toBe('completed');
  const failed = await timeItems(connectorId);
  expect(failed.map((i) => i.state)).toEqual(['FAILED', 'FAILED', 'FAILED']);
  expect(failed.map((i) => [i.qbStatusCode, i.hint])).toEqual(failed.map(() => ['USE_TIME_DATA_NOT_SET', USE_TIME_DATA_HINT]));
  expect(failed[0]!.qbStatusMessage).toContain('"Use time data to create paychecks" of employee Ray One');
  expect(qb.company.timeTracking).toHaveLength(0);

  // The fix, in the company file (QuickBooks is asked again when the time is retried).
  const ray = qb.company.employees.find((e) => e.name === 'Ray One')!;
  processOk(qb, `<EmployeeModRq><EmployeeMod><ListID>${ray.listId}</ListID><EditSequence>${ray.editSequence}</EditSequence>` +
    '<EmployeePayrollInfoMod><UseTimeDataToCreatePaychecks>UseTimeData</UseTimeDataToCreatePaychecks></EmployeePayrollInfoMod></EmployeeMod></EmployeeModRq>');
  for (const item of failed) await gql(`mutation($id: ID!) { retryTransfer(id: $id) { state } }`, { id: item.id });
  expect((await update(qwc, qb)).outcome).toBe('completed');
  expect((await timeItems(connectorId)).map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  // Autotask's hours per day, in B only; the customer R1 worked for was created in B for it.
  expect(hoursByDay(qb, 'Ray One')).toEqual({ '2026-11-03': 3.5, '2026-11-04': 8, '2026-11-12': 1.25 });
  expect(qb.company.customers.filter((c) => c.name === 'Contoso Dental')).toHaveLength(1);
  expect(files.A.qb.company.timeTracking).toHaveLength(0);
  const billable = qb.company.timeTracking.find((t) => t.txnDate === '2026-11-03')!;
  expect(billable.fields).toMatchObject({ BillableStatus: 'Billable', Notes: '[AT-TE 7001,7002] Printer' });
  expect(qb.company.timeTracking.find((t) => t.txnDate === '2026-11-04')!.fields).toMatchObject({ BillableStatus: 'NotBillable' });
});

test('answers lost after QuickBooks applied them, and a restart: each day lands once; re-approving one changed day modifies only it', async () => {
  const { qb, qwc, connectorId } = files.A;
  // The message with the adds is processed, its answer lost; the service restarts before the next run.
  const lost = await update(qwc, qb, losingFirst(/<TimeTrackingAddRq /));
  expect(lost.outcome).toBe('aborted');
  expect(lost.requests.at(-1)).toContain('<TimeTrackingAddRq ');
  await app.restartServer();
  for (let run = 0; run < 3 && (await timeItems(connectorId)).some((i) => i.state !== TransferState.SUCCEEDED); run++) {
    expect((await update(qwc, qb)).outcome).toBe('completed');
  }
  expect((await timeItems(connectorId)).map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  expect(hoursByDay(qb, 'Rita Two')).toEqual({ '2026-11-05': 4, '2026-11-13': 2 });
  expect(files.B.qb.company.employees.find((e) => e.name === 'Rita Two')).toBeUndefined();

  // One day changes in Autotask (rejected, edited, approved again): only that day is sent, as a Mod.
  await pushEntries([{ autotaskId: 7102, resourceAutotaskId: R2, dateWorked: '2026-11-13', hoursWorked: '3', organizationAutotaskId: ORG, workTypeId: '29682801', workTypeName: 'Remote Support', payrollCategoryId: 'REG', lineOfBusinessId: '7' }]);
  expect((await approve(R2)).approveTimesheet).toMatchObject({ added: 0, changed: 1, unchanged: 1 });
  const before = qb.company.timeTracking.map((t) => t.txnId);
  // Its answer is lost too: the lookup sees the change applied and does not send it again.
  const lostMod = await update(qwc, qb, losingFirst(/<TimeTrackingModRq /));
  expect(lostMod.outcome).toBe('aborted');
  expect(lostMod.requests.at(-1)).not.toContain('<TimeTrackingAddRq ');
  expect((await update(qwc, qb)).outcome).toBe('completed');
  expect(qb.company.timeTracking.map((t) => t.txnId)).toEqual(before);
  expect(hoursByDay(qb, 'Rita Two')).toEqual({ '2026-11-05': 4, '2026-11-13': 3 });
  expect((await timeItems(connectorId)).map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
});

test('a day whose hours left the period after the transfer: re-approving deletes its time (TxnDel) once, even when the answer is lost; the other day is untouched', async () => {
  const { qb, qwc, connectorId } = files.A;
  const kept = qb.company.timeTracking.find((t) => t.txnDate === '2026-11-13')!;
  const gone = qb.company.timeTracking.find((t) => t.txnDate === '2026-11-05')!;
  const goneActivity = await app.database.orm.em.fork().findOneOrFail(TimeActivity, { date: '2026-11-05' });
  // The entry of 11-05 was really worked on 11-16 (the next period): 11-05 has no hours left in this period.
  await pushEntries([{ autotaskId: 7101, resourceAutotaskId: R2, dateWorked: '2026-11-16', hoursWorked: '4', organizationAutotaskId: ORG, workTypeId: '29682801', workTypeName: 'Remote Support', payrollCategoryId: 'REG', lineOfBusinessId: '7' }]);
  expect((await approve(R2)).approveTimesheet).toMatchObject({ added: 0, changed: 0, removed: 1, unchanged: 1 });
  // QuickBooks deletes it, and the answer is lost: the lookup by TxnID finds it gone and does not delete again.
  const lostDel = await update(qwc, qb, losingFirst(/<TxnDelRq /));
  expect(lostDel.outcome).toBe('aborted');
  expect(lostDel.requests.at(-1)).toContain('<TxnDelType>TimeTracking</TxnDelType>');
  expect(qb.company.timeTracking.find((t) => t.txnId === gone.txnId)).toBeUndefined();
  for (let run = 0; run < 3 && (await timeItems(connectorId)).some((i) => i.state !== TransferState.SUCCEEDED); run++) {
    const settled = await update(qwc, qb);
    expect(settled.outcome).toBe('completed');
    expect(settled.requests.join('\n')).not.toContain('<TxnDelRq');
  }
  // The company file: 11-05's time is gone, 11-13's is the same record (same TxnID, changed by nothing), no duplicates.
  expect(qb.company.timeTracking.map((t) => t.txnId)).toEqual([kept.txnId]);
  expect(qb.company.timeTracking[0]!.editSequence).toBe(kept.editSequence);
  expect(hoursByDay(qb, 'Rita Two')).toEqual({ '2026-11-13': 3 });
  // The ledger: the deletion succeeded (found already done), and the day-row no longer points at a QuickBooks record.
  const items = await timeItems(connectorId);
  expect(items.map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  const deleted = items.find((i) => i.entityId === goneActivity.id)!;
  expect(deleted).toMatchObject({ qbTxnId: '', qbStatusMessage: 'found in QuickBooks: it had been recorded' });
  expect(items.find((i) => i.entityId !== goneActivity.id)!.qbTxnId).toBe(kept.txnId);
});

test('a removed day whose time was already deleted in QuickBooks by hand: the TxnDel answered 3120 (gone) settles it as deleted, nothing else changes', async () => {
  const { qb, qwc, connectorId } = files.B;
  const gone = qb.company.timeTracking.find((t) => t.txnDate === '2026-11-12')!;
  const others = qb.company.timeTracking.filter((t) => t.txnId !== gone.txnId).map((t) => [t.txnId, t.editSequence]);
  // Someone deletes the time of 11-12 in QuickBooks; later its entry moves to the next period in Autotask.
  processOk(qb, `<TxnDelRq><TxnDelType>TimeTracking</TxnDelType><TxnID>${gone.txnId}</TxnID></TxnDelRq>`);
  await pushEntries([{ autotaskId: 7004, resourceAutotaskId: R1, dateWorked: '2026-11-17', hoursWorked: '1.25', organizationAutotaskId: ORG, workTypeId: '29682801', workTypeName: 'Remote Support', payrollCategoryId: 'REG', lineOfBusinessId: '7' }]);
  expect((await approve(R1)).approveTimesheet).toMatchObject({ added: 0, changed: 0, removed: 1, unchanged: 2 });
  const run = await update(qwc, qb);
  expect(run.outcome).toBe('completed');
  expect(run.requests.join('\n')).toContain('<TxnDelType>TimeTracking</TxnDelType>');
  expect(run.responses.map((r) => r.response).join('\n')).toContain('statusCode="3120"');
  const items = await timeItems(connectorId);
  expect(items.map((i) => i.state)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  const activity = await app.database.orm.em.fork().findOneOrFail(TimeActivity, { date: '2026-11-12' });
  expect(items.find((i) => i.entityId === activity.id)).toMatchObject({ qbTxnId: '', qbStatusMessage: expect.stringContaining('deleted in QuickBooks') });
  expect(qb.company.timeTracking.map((t) => [t.txnId, t.editSequence])).toEqual(others);
  expect(hoursByDay(qb, 'Ray One')).toEqual({ '2026-11-03': 3.5, '2026-11-04': 8 });
});
