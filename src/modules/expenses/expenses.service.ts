/**
 * Idempotent bulk upserts of expense reports with their items, as for purchase orders
 * (src/modules/purchasing/purchasing.service.ts): validated as a whole, one transaction, unchanged records
 * untouched. Items are matched by Autotask id; items no longer on the report are removed.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldProblem } from '../../errors/app-error.js';
import type { BaseEntity } from '../../shared/base-entity.js';
import { Organization } from '../autotask/organization.entity.js';
import { Resource } from '../autotask/resource.entity.js';
import { canonicalDecimal, decimal4, optionalText } from '../autotask/autotask-values.js';
import { assertValid, assignChanged, byKey, duplicates, groupBy } from '../autotask/upsert-helpers.js';
import { ExpenseItem, ExpenseReport } from './expense-report.entity.js';
import type { ExpenseItemInput, ExpenseReportInput, UpsertExpenseReportsInput } from './expenses.inputs.js';
import { UpsertExpenseReportsResult } from './expenses.results.js';

export async function upsertExpenseReports(em: EntityManager, input: UpsertExpenseReportsInput): Promise<UpsertExpenseReportsResult> {
  const reports = input.expenseReports;
  assertValid([
    ...duplicates(reports, 'expenseReports', 'autotaskId', (r) => r.autotaskId),
    ...duplicates(reports.flatMap((r, i) => r.items.map((item, j) => ({ key: item.autotaskId, at: `${i}.items.${j}` }))), 'expenseReports', 'item autotaskId', (x) => x.key),
  ]);
  return em.transactional(async (tx) => {
    const resources = byKey(await tx.find(Resource, { autotaskId: { $in: [...new Set(reports.map((r) => r.resourceAutotaskId))] } }), (r) => r.autotaskId);
    const organizationIds = [...new Set(reports.flatMap((r) => r.items.flatMap((i) => (i.organizationAutotaskId ? [i.organizationAutotaskId] : []))))];
    const organizations = byKey(organizationIds.length ? await tx.find(Organization, { autotaskId: { $in: organizationIds } }) : [], (o) => o.autotaskId);
    assertValid(reports.flatMap((report, i) => missingReferences(report, i, resources, organizations)));

    const stored = byKey(await tx.find(ExpenseReport, { autotaskId: { $in: reports.map((r) => r.autotaskId) } }), (r) => r.autotaskId);
    const storedItems = groupBy(stored.size ? await tx.find(ExpenseItem, { report: { $in: [...stored.values()] } }) : [], (i) => i.report.id);
    const result = new UpsertExpenseReportsResult();
    for (const input of reports) {
      const resource = resources.get(input.resourceAutotaskId)!;
      let report = stored.get(input.autotaskId);
      if (!report) tx.persist((report = new ExpenseReport(input.autotaskId, input.name, resource, input.status, input.weekEnding)));
      const headerChanged = assignChanged(report, reportValues(input, resource), true);
      const itemsChanged = replaceItems(tx, report, storedItems.get(report.id) ?? [], input.items, organizations);
      result.count(stored.has(input.autotaskId) ? headerChanged || itemsChanged : null);
      result.expenseReports.push(report);
    }
    await tx.flush();
    return result;
  });
}

function missingReferences(report: ExpenseReportInput, i: number, resources: Map<number, Resource>, organizations: Map<number, Organization>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!resources.has(report.resourceAutotaskId)) {
    problems.push({ field: `expenseReports.${i}.resourceAutotaskId`, message: `no resource has Autotask id ${report.resourceAutotaskId}; push it with upsertResources first` });
  }
  report.items.forEach((item, j) => {
    if (item.organizationAutotaskId && !organizations.has(item.organizationAutotaskId)) {
      problems.push({ field: `expenseReports.${i}.items.${j}.organizationAutotaskId`, message: `no organization has Autotask id ${item.organizationAutotaskId}; push it with upsertOrganizations first` });
    }
  });
  return problems;
}

/** Makes the report's items exactly `inputs` (by Autotask id), numbered from 1. True when anything changed. */
function replaceItems(em: EntityManager, report: ExpenseReport, stored: ExpenseItem[], inputs: readonly ExpenseItemInput[], organizations: Map<number, Organization>): boolean {
  const byAutotaskId = byKey(stored, (i) => i.autotaskId);
  let changed = false;
  inputs.forEach((input, i) => {
    const values = itemValues(input, i + 1, organizations);
    let item = byAutotaskId.get(input.autotaskId);
    if (item) changed = assignChanged(item, values, true) || changed;
    else {
      em.persist((item = new ExpenseItem({ ...values, report })));
      assignChanged(item, values, false);
      changed = true;
    }
  });
  const kept = new Set(inputs.map((i) => i.autotaskId));
  for (const surplus of stored.filter((i) => !kept.has(i.autotaskId))) {
    em.remove(surplus);
    changed = true;
  }
  return changed;
}

function reportValues(r: ExpenseReportInput, resource: Resource): Partial<ExpenseReport> {
  return {
    name: r.name,
    resource,
    status: r.status,
    weekEnding: r.weekEnding,
    approvedDate: r.approvedDate ?? null,
    cashAdvanceAmount: decimal4(r.cashAdvanceAmount ?? '0'),
    lineOfBusinessId: optionalText(r.lineOfBusinessId),
    quickBooksReferenceNumber: optionalText(r.quickBooksReferenceNumber),
  };
}

function itemValues(i: ExpenseItemInput, position: number, organizations: Map<number, Organization>): Omit<ExpenseItem, keyof BaseEntity | 'report'> {
  return {
    autotaskId: i.autotaskId,
    position,
    expenseDate: i.expenseDate,
    description: i.description,
    expenseCategoryId: i.expenseCategoryId,
    expenseCategoryName: optionalText(i.expenseCategoryName),
    paymentTypeId: optionalText(i.paymentTypeId),
    paymentTypeName: optionalText(i.paymentTypeName),
    billable: i.isBillableToCompany ?? false,
    reimbursable: i.isReimbursable ?? true,
    organization: i.organizationAutotaskId ? organizations.get(i.organizationAutotaskId)! : null,
    amount: decimal4(i.amount),
    // The column keeps 2 decimals: compared at 4, a stored distance would count as changed on every push.
    miles: i.miles ? canonicalDecimal(i.miles, 2) : null,
    origin: optionalText(i.origin),
    destination: optionalText(i.destination),
  };
}
