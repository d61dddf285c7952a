/**
 * Who an expense report's bill is owed to (mapping 7, vendors only — parity-transfers.md §5.1): the resource's
 * RESOURCE_VENDOR mapping, else a vendor of the synced list named like the resource ("First Last", "Last, First"
 * or "v-Last, First"), else a new vendor "v-Lastname, Firstname" (", Firstname" dropped without a first name)
 * fitted to QuickBooks' 41 characters under the connector's long-name policy (F6). The new vendor is a keyed
 * prerequisite of the bill (`vendor:<name>`): sent at most once per company file, and QuickBooks' own "name in
 * use" (3100) makes a lost answer harmless (the host records the key as done either way).
 */
import { compact, fit, fitEntryName, type DataProblem, type ExpenseReport, type PlannedRequest, type QbRef, type ResourceRef, type TranslateContext } from '../sdk/index.js';

export type BillVendor =
  | { readonly ref: QbRef; readonly add?: PlannedRequest }
  | { readonly problem: DataProblem };

/** Autotask's form for a vendor it creates: "v-Lastname, Firstname". */
export function vendorName(resource: Pick<ResourceRef, 'firstName' | 'lastName'>): string {
  const first = resource.firstName.trim();
  const last = resource.lastName.trim();
  return first ? `v-${last}, ${first}` : `v-${last}`;
}

/** The key of the prerequisite that adds the vendor (QuickBooks' names ignore case). */
export const vendorKey = (name: string): string => `vendor:${name.toLowerCase()}`;

export function billVendor(report: Pick<ExpenseReport, 'resource'>, ctx: TranslateContext): BillVendor {
  const { resource } = report;
  const mapped = ctx.mappedTarget?.('RESOURCE_VENDOR', String(resource.autotaskId));
  if (mapped) return { ref: mapped };
  const first = resource.firstName.trim();
  const last = resource.lastName.trim();
  for (const name of [`${first} ${last}`.trim(), first ? `${last}, ${first}` : last, vendorName(resource)]) {
    const holder = ctx.nameTakenBy(name);
    if (holder?.list === 'VENDOR') return { ref: { fullName: holder.name } };
  }
  const fitted = fitEntryName(vendorName(resource), 'Vendor', ctx.connector, 'a QuickBooks vendor name');
  if (!fitted.ok) return { problem: { field: 'resource', message: fitted.message } };
  const holder = ctx.nameTakenBy(fitted.value);
  if (holder) {
    // Only a vendor can be owed a bill; the names of customers, employees and other names are QuickBooks' one name list.
    return {
      problem: {
        field: 'resource',
        message: `QuickBooks already uses "${fitted.value}" for ${holder.list === 'EMPLOYEE' ? 'an employee' : 'an other name'}, so the resource's vendor cannot have that name: map the resource to its vendor (RESOURCE_VENDOR), or rename one of them.`,
      },
    };
  }
  const add: PlannedRequest = {
    type: 'VendorAddRq',
    role: 'prerequisite',
    key: vendorKey(fitted.value),
    body: {
      VendorAdd: compact({
        Name: fitted.value,
        FirstName: first ? fit(first, 25) : undefined,
        LastName: last ? fit(last, 25) : undefined,
        NameOnCheck: fit(`${first} ${last}`.trim(), 41),
      }),
    },
  };
  return { ref: { fullName: fitted.value }, add };
}
