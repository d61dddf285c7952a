/**
 * The Autotask pull brings time entries and expense reports in (pullTimeAndExpenses): entries with their
 * resource, work type, payroll category and the company of their ticket or task's project; approved and open
 * expense reports with all their items, billable and reimbursable apart. A second pull asks only for time
 * entries changed since and stores nothing twice; an API user refused time entries (or expense reports) gets one
 * problem while the invoices and the other half still pull; an entry left out is read again once it can be stored.
 * The tests run in order: each builds on what the previous pulls stored.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { TimeEntry } from '../../src/modules/autotask/time-entry.entity.js';
import { ExpenseItem, ExpenseReport } from '../../src/modules/expenses/expense-report.entity.js';
import { runAutotaskPull } from '../../src/psa/autotask/pull.js';
import { PullFromAutotaskDocument, SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { company, daysAgo, expenseItem, expenseReport, resource, seedTenant, timeEntry } from './helpers/fake-autotask.js';
import { connectionInput, seedConnectors, startAutotaskTestApp, type AutotaskTestApp } from './helpers/autotask-app.js';

let t: AutotaskTestApp;
let em: () => EntityManager;
let ticketCompany: number;
const ADA = 29682885;
const CARL = 29682886;
const now = () => new Date().toISOString().replace('Z', '');

beforeAll(async () => {
  t = await startAutotaskTestApp();
  // Seeds Ada's ticket time (45112, on company 1's ticket 31877), her regular time (45113) and her approved
  // report 8801 with a reimbursable mileage claim; the picklists of a stock tenant.
  ticketCompany = seedTenant(t.fake, { companies: 1, invoices: 1 }).companyIds[0]!;
  await seedConnectors(t.app);
  em = () => t.app.database.orm.em.fork() as EntityManager;
  t.fake.put('companies', [company(174, 'Contoso Dental Group')]);
  t.fake.put('tasks', [{ id: 5501, projectID: 601, title: 'Migrate file server', status: 1 }]);
  t.fake.put('projects', [{ id: 601, companyID: 174, projectName: 'File server migration', organizationalLevelAssociationID: 4, status: 1 }]);
  // Carl's project time, and his open report: a software licence on the company card, billable to Contoso, and a meal.
  t.fake.put('timeentries', [timeEntry(45114, CARL, { ticketID: null, taskID: 5501, hoursWorked: 3, summaryNotes: 'Copied shares' })]);
  t.fake.put('expensereports', [expenseReport(8802, CARL, { name: 'Project Contoso', status: 1, approvedDate: null, approverID: null, internalCurrencyCashAdvanceAmount: 50, organizationalLevelAssociationID: 4 })]);
  t.fake.put('expenseitems', [
    expenseItem(88021, 8802, {
      description: 'Backup software licence', expenseCategory: 4, paymentType: 2, isBillableToCompany: true, isReimbursable: false, companyID: 174,
      internalCurrencyExpenseAmount: 120, internalCurrencyReimbursementAmount: 0, miles: null, origin: null, destination: null,
    }),
    expenseItem(88022, 8802, { description: 'Lunch on site', expenseCategory: 1, internalCurrencyExpenseAmount: 23.4, internalCurrencyReimbursementAmount: 23.4, miles: null, origin: null, destination: null }),
  ]);
  // Resources are not pulled wholesale: the pull fetches the submitters and workers it needs by id.
  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { pullEveryMinutes: 60, pullResources: false }) }, t.admin);
  expect(set.errors).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  expect(t.fake.violations, 'more than 3 concurrent requests on one endpoint').toEqual([]);
});

async function pull() {
  const res = await t.app.gql(PullFromAutotaskDocument, {}, t.admin);
  expect(res.errors).toBeUndefined();
  return res.data!.pullFromAutotask;
}

const entries = () => em().find(TimeEntry, {}, { populate: ['resource'], orderBy: { autotaskId: 'asc' } });
const reports = () => em().find(ExpenseReport, {}, { populate: ['resource', 'items.organization'], orderBy: { autotaskId: 'asc' } });

test('time entries and expense reports with their items land in the database, linked to their resources and companies', { timeout: 120_000 }, async () => {
  const summary = await pull();
  expect(summary.outcome, JSON.stringify(summary.errors)).toBe('SUCCEEDED');
  expect(summary.timeEntries).toEqual({ created: 3, updated: 0, unchanged: 0 });
  expect(summary.expenseReports).toEqual({ created: 2, updated: 0, unchanged: 0 });
  expect(summary.resources).toEqual({ created: 2, updated: 0, unchanged: 0 });
  // The first pull reads a window of days worked.
  expect(JSON.stringify(t.fake.calls('timeentries', 'POST')[0]!.body)).toContain('"dateWorked"');

  const stored = await entries();
  expect(stored.map((e) => [e.autotaskId, e.resource.autotaskId, e.dateWorked, Number(e.hoursWorked), e.organizationAutotaskId, e.lineOfBusinessId, e.isNonBillable])).toEqual([
    [45112, ADA, daysAgo(3).slice(0, 10), 1.75, ticketCompany, '3', false],
    [45113, ADA, daysAgo(3).slice(0, 10), 1, null, null, true],
    [45114, CARL, daysAgo(3).slice(0, 10), 3, 174, '4', false],
  ]);
  // Work type = billing code; payroll category = the internal time code, else the work type.
  expect(stored.map((e) => [e.workTypeId, e.workTypeName, e.payrollCategoryId, e.payrollCategoryName, e.summaryNotes])).toEqual([
    ['29682801', 'Onsite Support', '29682801', 'Onsite Support', 'Replaced failing UPS battery in server room'],
    [null, null, '29682810', 'Regular Time', 'Team meeting'],
    ['29682801', 'Onsite Support', '29682801', 'Onsite Support', 'Copied shares'],
  ]);
  expect(stored[2]!.resource.firstName).toBe('Carl');

  const [approved, open] = await reports();
  expect([approved!.autotaskId, approved!.name, approved!.status, approved!.resource.autotaskId, approved!.weekEnding, approved!.approvedDate, approved!.lineOfBusinessId]).toEqual([
    8801, 'Client visits', 'APPROVED_FOR_PAYMENT', ADA, daysAgo(5).slice(0, 10), daysAgo(2).slice(0, 10), '3',
  ]);
  expect(approved!.items.getItems().map((i) => [i.autotaskId, i.expenseCategoryId, i.expenseCategoryName, i.paymentTypeName, i.billable, i.reimbursable, Number(i.amount), Number(i.miles), i.destination])).toEqual([
    [88011, '2', 'Mileage', 'Cash', false, true, 84.5, 130, 'Contoso Dental, Dublin OH'],
  ]);
  expect([open!.autotaskId, open!.status, open!.resource.autotaskId, Number(open!.cashAdvanceAmount), open!.approvedDate]).toEqual([8802, 'IN_PROGRESS', CARL, 50, null]);
  // The company-paid licence is billable to Contoso and owed nobody: it carries the expense, not the (zero) reimbursement.
  expect(open!.items.getItems().map((i) => [i.autotaskId, i.position, i.description, i.expenseCategoryName, i.paymentTypeName, i.billable, i.reimbursable, i.organization?.autotaskId ?? null, Number(i.amount)])).toEqual([
    [88021, 1, 'Backup software licence', 'Software', 'Company Credit Card', true, false, 174, 120],
    [88022, 2, 'Lunch on site', 'Meals', 'Cash', false, true, null, 23.4],
  ]);

  // The companies the entries were worked for are stored, so the pulled time can be approved as is.
  const timesheet = await t.app.gql<{ approveTimesheet: { added: number } }, unknown>(
    `mutation($input: ApproveTimesheetInput!) { approveTimesheet(input: $input) { added } }`,
    { input: { resourceAutotaskId: ADA, date: daysAgo(3).slice(0, 10) } },
    t.admin,
  );
  expect(timesheet.errors).toBeUndefined();
  expect(timesheet.data!.approveTimesheet.added).toBe(2);
});

test('a second pull asks for time entries changed since, stores nothing twice and updates what changed', { timeout: 120_000 }, async () => {
  t.fake.put('timeentries', [timeEntry(45114, CARL, { ticketID: null, taskID: 5501, hoursWorked: 2.5, summaryNotes: 'Copied shares', lastModifiedDateTime: now() })]);
  t.fake.put('expenseitems', [expenseItem(88022, 8802, { description: 'Lunch on site', expenseCategory: 1, internalCurrencyExpenseAmount: 31, internalCurrencyReimbursementAmount: 31, miles: null, origin: null, destination: null })]);
  t.fake.resetLog();
  const summary = await pull();
  expect(summary.outcome, JSON.stringify(summary.errors)).toBe('SUCCEEDED');
  const asked = JSON.stringify(t.fake.calls('timeentries', 'POST')[0]!.body);
  expect(asked).toContain('"lastModifiedDateTime"');
  expect(asked).not.toContain('"dateWorked"');
  // Only the changed entry comes back; the expense reports are read again (they have no change time) and one changed.
  expect(summary.timeEntries).toEqual({ created: 0, updated: 1, unchanged: 0 });
  expect(summary.expenseReports).toEqual({ created: 0, updated: 1, unchanged: 1 });

  expect(await em().count(TimeEntry, {})).toBe(3);
  expect(await em().count(ExpenseReport, {})).toBe(2);
  expect(await em().count(ExpenseItem, {})).toBe(3);
  expect(Number((await em().findOneOrFail(TimeEntry, { autotaskId: 45114 })).hoursWorked)).toBe(2.5);
  expect(Number((await em().findOneOrFail(ExpenseItem, { autotaskId: 88022 })).amount)).toBe(31);
});

test('time entries refused (403): one problem naming them, the invoices and expenses still pull, and the change is read next time', { timeout: 120_000 }, async () => {
  t.fake.put('timeentries', [timeEntry(45113, ADA, { billingCodeID: null, internalBillingCodeID: 29682810, roleID: null, ticketID: null, hoursWorked: 1.5, isNonBillable: true, summaryNotes: 'Team meeting', lastModifiedDateTime: now() })]);
  t.fake.fault({ entity: 'timeentries', status: 403, body: { errors: ['User does not have permission to query TimeEntries.'] } });
  const refused = await pull();
  expect(refused.outcome).toBe('PARTIAL');
  expect(refused.errors).toEqual([{ entity: 'TimeEntries', autotaskId: null, message: expect.stringMatching(/^time entries could not be read .*HTTP 403/) }]);
  expect(refused.invoicesFound).toBe(1);
  expect(refused.invoices).toEqual({ created: 0, updated: 0, unchanged: 1 });
  expect(refused.expenseReports).toEqual({ created: 0, updated: 0, unchanged: 2 });
  expect(Number((await em().findOneOrFail(TimeEntry, { autotaskId: 45113 })).hoursWorked)).toBe(1);

  // The refused pull did not move the time-entry window on: the change made before it arrives now.
  const next = await pull();
  expect(next.outcome, JSON.stringify(next.errors)).toBe('SUCCEEDED');
  // (45114, changed before the previous pull, is still inside the overlap: read again, unchanged.)
  expect(next.timeEntries).toEqual({ created: 0, updated: 1, unchanged: 1 });
  expect(Number((await em().findOneOrFail(TimeEntry, { autotaskId: 45113 })).hoursWorked)).toBe(1.5);
});

test('expense reports refused (403): one problem naming them; the time entries still pull', { timeout: 120_000 }, async () => {
  t.fake.put('timeentries', [timeEntry(45112, ADA, { hoursWorked: 2, lastModifiedDateTime: now() })]);
  t.fake.fault({ entity: 'expensereports', status: 403, body: { errors: ['User does not have permission to query ExpenseReports.'] } });
  const summary = await pull();
  expect(summary.outcome).toBe('PARTIAL');
  expect(summary.errors).toEqual([{ entity: 'ExpenseReports', autotaskId: null, message: expect.stringMatching(/^expense reports could not be read .*HTTP 403/) }]);
  expect(summary.timeEntries.updated).toBe(1);
  expect(Number((await em().findOneOrFail(TimeEntry, { autotaskId: 45112 })).hoursWorked)).toBe(2);
  expect(await em().count(ExpenseReport, {})).toBe(2);
});

test('an entry whose resource Autotask does not return is reported, and read again by a later pull once it can be stored', { timeout: 120_000 }, async () => {
  const NEW = 29682899;
  t.fake.put('timeentries', [timeEntry(45120, NEW, { lastModifiedDateTime: now() })]);
  // Both pulls run two hours from now: without the left-out entry holding the window back to its own change
  // time, the second would ask only for entries changed since an hour from now, and never see it again.
  const later = new Date(Date.now() + 2 * 3_600_000);
  const pullLater = () => runAutotaskPull(t.app.database.orm.em as EntityManager, t.runtime, { trigger: 'manual', actor: { id: 'test', name: 'test' }, now: () => later });
  const first = await pullLater();
  expect(first.outcome).toBe('PARTIAL');
  expect(first.errors.map((e) => ({ ...e }))).toEqual([{ entity: 'TimeEntries', autotaskId: 45120, message: `its resource ${NEW} could not be pulled, so it was not stored` }]);
  expect(await em().count(TimeEntry, { autotaskId: 45120 })).toBe(0);

  t.fake.put('resources', [resource(NEW, 'Grace', 'Hopper')]);
  const second = await pullLater();
  expect(second.outcome, JSON.stringify(second.errors)).toBe('SUCCEEDED');
  expect(second.timeEntries.created).toBe(1);
  expect((await em().findOneOrFail(TimeEntry, { autotaskId: 45120 }, { populate: ['resource'] })).resource.lastName).toBe('Hopper');
});
