/** The translation context's part for expense reports: a report with its items as the SDK's plain ExpenseReport. */
import type * as Sdk from '../../plugins/sdk/index.js';
import type { ExpenseReport } from '../modules/expenses/expense-report.entity.js';

export function toExpenseReport(r: ExpenseReport): Sdk.ExpenseReport {
  return {
    id: r.id, autotaskId: r.autotaskId, name: r.name, status: r.status,
    resource: { id: r.resource.id, autotaskId: r.resource.autotaskId, firstName: r.resource.firstName, lastName: r.resource.lastName },
    weekEnding: r.weekEnding, approvedDate: r.approvedDate, cashAdvanceAmount: r.cashAdvanceAmount, lineOfBusinessId: r.lineOfBusinessId,
    items: r.items.getItems().map((i) => ({
      id: i.id, autotaskId: i.autotaskId, expenseDate: i.expenseDate, description: i.description,
      expenseCategoryId: i.expenseCategoryId, expenseCategoryName: i.expenseCategoryName, paymentTypeId: i.paymentTypeId, paymentTypeName: i.paymentTypeName,
      billable: i.billable, reimbursable: i.reimbursable, organizationId: i.organization?.id ?? null, amount: i.amount,
      miles: i.miles, origin: i.origin, destination: i.destination,
    })),
  };
}
