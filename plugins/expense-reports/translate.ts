/**
 * An approved expense report → one BillAdd to the resource's vendor (vendor.ts; parity-transfers.md §5.3), or a
 * VendorCreditAdd when the cash advance is at least the expenses (F9: QuickBooks refuses a negative total).
 *
 *   one ExpenseLineAdd per item     AccountRef: the category's billable account (EXPENSE_ACCOUNT_BILLABLE) for
 *                                   billable items, else its reimbursable one (EXPENSE_ACCOUNT_REIMBURSABLE),
 *                                   else the EXPENSE_CATEGORY policy's default (FAIL: a problem);
 *                                   Amount: the reimbursement amount; Memo: date, description, trip;
 *                                   CustomerRef + BillableStatus=Billable for billable items with a customer;
 *                                   ClassRef from the report's line of business when "Transfer Class" is on
 *   cash advance (account set)      one more line to the cash-advance account, Amount −advance
 *   company-paid items              left off (EXCLUDE, the default) or on the bill (INCLUDE): connector setting
 *
 * A vendor credit carries the same lines with their signs turned (same accounting, positive total). The bill's
 * RefNumber is the Autotask report id, its ExternalGUID the reconcile key. Pure: everything from the context.
 */
import {
  amount, compact, externalGuid, fit, isNegative, isZeroAmount, negate, qbRef, sumAmounts, unmappedProblem, withUnmappedDefault,
  type DataProblem, type ExpenseItem, type ExpenseReport, type PlannedRequest, type QbRef, type TranslateContext, type TranslateResult,
} from '../sdk/index.js';
import { billVendor } from './vendor.js';

/** The statuses whose reports are transferred (Autotask's "Approved for Payment", and "Paid"). */
export const TRANSFERABLE = new Set(['APPROVED_FOR_PAYMENT', 'PAID']);

/** The items that go on the resource's bill under the connector's company-paid setting. */
export function billedItems(report: ExpenseReport, ctx: Pick<TranslateContext, 'connector'>): ExpenseItem[] {
  const include = ctx.connector.expenses?.companyPaidItems === 'INCLUDE';
  return report.items.filter((item) => item.reimbursable || include);
}

/** The advance that is transferred ("0" when the connector has no cash-advance account). */
export function transferredAdvance(report: ExpenseReport, ctx: Pick<TranslateContext, 'connector'>): string {
  return ctx.connector.expenses?.cashAdvanceAccount && !isZeroAmount(report.cashAdvanceAmount) ? amount(report.cashAdvanceAmount) : '0.00';
}

/** What QuickBooks' total will be: the billed items less the advance (negative: a vendor credit of the opposite). */
export function netAmount(report: ExpenseReport, ctx: Pick<TranslateContext, 'connector'>): string {
  const expenses = sumAmounts(billedItems(report, ctx).map((i) => amount(i.amount)));
  return sumAmounts([expenses, negate(transferredAdvance(report, ctx))]);
}

/** Whether the report becomes a vendor credit: an advance at least as large as the expenses (F9). */
export function isVendorCredit(report: ExpenseReport, ctx: Pick<TranslateContext, 'connector'>): boolean {
  return !isZeroAmount(transferredAdvance(report, ctx)) && (isNegative(netAmount(report, ctx)) || isZeroAmount(netAmount(report, ctx)));
}

export const reportGuid = (report: Pick<ExpenseReport, 'id'>, ctx: Pick<TranslateContext, 'connector'>): string => externalGuid(ctx.connector, 'EXPENSE_REPORT', report.id);

/** The bill's (or credit's) RefNumber: the Autotask report id (≤ 20 characters). */
export const reportRefNumber = (report: Pick<ExpenseReport, 'autotaskId'>): string => String(report.autotaskId);

function itemMemo(item: ExpenseItem): string {
  const trip = item.origin || item.destination ? ` (${item.origin ?? '?'} → ${item.destination ?? '?'}${item.miles ? `, ${item.miles} mi` : ''})` : '';
  return fit(`${item.expenseDate} ${item.description}${trip} [AT-EXI ${item.autotaskId}]`, 4095);
}

function expenseAccount(item: ExpenseItem, ctx: TranslateContext): QbRef | undefined {
  const kind = item.billable ? 'EXPENSE_ACCOUNT_BILLABLE' : 'EXPENSE_ACCOUNT_REIMBURSABLE';
  return withUnmappedDefault(ctx.mappedTarget?.(kind, item.expenseCategoryId), ctx.connector.unmappedPolicies.EXPENSE_CATEGORY);
}

export function translate(report: ExpenseReport, ctx: TranslateContext): TranslateResult {
  if (!TRANSFERABLE.has(report.status)) {
    return {
      kind: 'invalid',
      problems: [{ field: 'status', message: `The expense report is ${report.status.toLowerCase().replace(/_/g, ' ')} in Autotask; only reports approved for payment (or paid) go to QuickBooks.` }],
      hint: 'Approve the report in Autotask and push it again, then retry.',
    };
  }
  const items = billedItems(report, ctx);
  const advance = transferredAdvance(report, ctx);
  if (items.length === 0 && isZeroAmount(advance)) {
    return { kind: 'skip', reason: 'The report has no reimbursable items (company-paid items are excluded by the connector setting) and no cash advance to transfer.' };
  }
  const problems: DataProblem[] = [];
  // Billable lines need their customer in this file first, as an invoice does.
  for (const item of items) {
    if (item.billable && item.organizationId && !ctx.customerOf(item.organizationId)) {
      return { kind: 'waitFor', entityType: 'ORGANIZATION', entityId: item.organizationId, reason: 'A billable expense is for an organization that has no QuickBooks customer in this file yet' };
    }
  }
  let classRef: QbRef | undefined;
  if (ctx.connector.expenses?.transferClass && report.lineOfBusinessId) {
    classRef = ctx.classFor(report.lineOfBusinessId);
    const unmapped = unmappedProblem(ctx.connector, 'LINE_OF_BUSINESS', classRef, 'lineOfBusinessId', `line of business ${report.lineOfBusinessId}`);
    if (unmapped) problems.push(unmapped);
  }
  const lines: Array<Record<string, unknown>> = [];
  items.forEach((item, i) => {
    const account = expenseAccount(item, ctx);
    if (!account) {
      const which = item.billable ? 'billable' : 'reimbursable';
      problems.push(unmappedProblem(ctx.connector, 'EXPENSE_CATEGORY', undefined, `items.${i}.expenseCategoryId`, `${which} ${item.expenseCategoryName ?? item.expenseCategoryId}`) ?? {
        field: `items.${i}.expenseCategoryId`,
        message: `A bill line needs an account: map the expense category ${item.expenseCategoryName ?? item.expenseCategoryId} (EXPENSE_ACCOUNT_${which.toUpperCase()}), or give EXPENSE_CATEGORY a USE_DEFAULT account.`,
      });
      return;
    }
    const customer = item.billable && item.organizationId ? ctx.customerOf(item.organizationId) : undefined;
    lines.push(compact({
      AccountRef: qbRef(account),
      Amount: amount(item.amount),
      Memo: itemMemo(item),
      CustomerRef: customer && qbRef({ listId: customer.listId, fullName: customer.fullName ?? '' }),
      ClassRef: classRef && qbRef(classRef),
      BillableStatus: customer ? 'Billable' : undefined,
    }));
  });
  if (problems.length) return { kind: 'invalid', problems };
  // The bill needs its resource's own vendor (a valid report only: an invalid one adds no vendor).
  const vendor = billVendor(report, ctx);
  if ('waitFor' in vendor) return vendor.waitFor;
  const cashAdvanceAccount = ctx.connector.expenses?.cashAdvanceAccount;
  if (cashAdvanceAccount && !isZeroAmount(advance)) {
    lines.push(compact({ AccountRef: qbRef(cashAdvanceAccount), Amount: negate(advance), Memo: `Cash advance [AT-EXR ${report.autotaskId}]`, ClassRef: classRef && qbRef(classRef) }));
  }
  const credit = isVendorCredit(report, ctx);
  const header = {
    VendorRef: qbRef(vendor.ref),
    TxnDate: report.approvedDate ?? report.weekEnding,
    RefNumber: reportRefNumber(report),
    Memo: fit(`Expense report ${report.name} of ${report.resource.firstName} ${report.resource.lastName} [AT-EXR ${report.autotaskId}]`.replace(/\s+/g, ' '), 4095),
    ExternalGUID: reportGuid(report, ctx),
    ExpenseLineAdd: credit ? lines.map((l) => ({ ...l, Amount: negate(String(l['Amount'])) })) : lines,
  };
  const main: PlannedRequest = credit
    ? { type: 'VendorCreditAddRq', role: 'main', body: { VendorCreditAdd: header } }
    : { type: 'BillAddRq', role: 'main', body: { BillAdd: header } };
  return { kind: 'requests', requests: [main] };
}
