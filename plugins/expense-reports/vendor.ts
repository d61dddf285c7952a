/**
 * Who an expense report's bill is owed to (mapping 7, vendors only — parity-transfers.md §5.1): the resource's
 * RESOURCE_VENDOR mapping, else the resource's own vendor — a transfer of its own (RESOURCE_VENDOR, the
 * resource-vendors plugin) that the bill waits for, as an invoice waits for its customer, and whose ListID it
 * then names. Each resource owns its vendor: two resources of one name never share one.
 */
import type { ExpenseReport, QbRef, TranslateContext, TranslateResult } from '../sdk/index.js';

export type BillVendor = { readonly ref: QbRef } | { readonly waitFor: Extract<TranslateResult, { kind: 'waitFor' }> };

export function billVendor(report: Pick<ExpenseReport, 'resource'>, ctx: TranslateContext): BillVendor {
  const { resource } = report;
  const mapped = ctx.mappedTarget?.('RESOURCE_VENDOR', String(resource.autotaskId));
  if (mapped) return { ref: mapped };
  const own = ctx.transferred('RESOURCE_VENDOR', resource.id);
  if (own?.listId) return { ref: { listId: own.listId, fullName: own.fullName ?? '' } };
  return {
    waitFor: {
      kind: 'waitFor', entityType: 'RESOURCE_VENDOR', entityId: resource.id,
      reason: `The resource ${`${resource.firstName} ${resource.lastName}`.trim()} has no vendor of its own in this company file yet`,
    },
  };
}
