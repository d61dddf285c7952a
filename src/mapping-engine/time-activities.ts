/**
 * The translation context's part for timesheets: day-rows as the SDK's plain TimeActivity, and who each
 * resource's time goes to in the company file (mapping 7: mapped employee, else mapped vendor, else an
 * employee then a vendor named like the resource in the synced lists — Autotask's extension fails the
 * timesheet when none matches, and so does the plugin).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type * as Sdk from '../../plugins/sdk/index.js';
import type { Resource } from '../modules/autotask/resource.entity.js';
import type { Mapping } from '../modules/mapping/mapping.entity.js';
import { QuickBooksList } from '../modules/quickbooks-lists/quickbooks-list.js';
import type { TimeActivity } from '../modules/timesheets/timesheet.entity.js';
import type { TransferItem } from '../modules/transfer/transfer-item.entity.js';

interface NameRow {
  list: 'EMPLOYEE' | 'VENDOR';
  list_id: string;
  full_name: string;
}

/** The names a resource may have in QuickBooks, lower case: "First Last" (an employee's computed name), "Last, First" and Autotask's vendor form "v-Last, First". */
function candidateNames(r: Pick<Resource, 'firstName' | 'lastName'>): string[] {
  const first = r.firstName.trim();
  const last = r.lastName.trim();
  return [`${first} ${last}`, `${last}, ${first}`, first ? `v-${last}, ${first}` : `v-${last}`].map((n) => n.toLowerCase());
}

/** Each resource's payee in this file, by Autotask resource id (resources with none are absent). One statement. */
export async function timePayees(
  em: EntityManager, connectorId: string, mappings: ReadonlyArray<Pick<Mapping, 'sourceKind' | 'sourceId' | 'target'>>, resources: readonly Resource[],
): Promise<Map<number, Sdk.TimePayee>> {
  const mapped = new Map(mappings.map((m) => [`${m.sourceKind}:${m.sourceId}`, m]));
  const rows: NameRow[] = await em.execute(
    `select list::text as list, list_id, full_name from quickbooks_list_element
     where connector_id = ? and list in (?::quickbooks_list, ?::quickbooks_list)`,
    [connectorId, QuickBooksList.EMPLOYEE, QuickBooksList.VENDOR],
  );
  const byName = new Map<string, NameRow>();
  // Employees first: a resource named like both an employee and a vendor is the employee (payroll time).
  for (const r of [...rows].sort((a, b) => (a.list === b.list ? 0 : a.list === 'EMPLOYEE' ? -1 : 1))) {
    if (!byName.has(`${r.list}:${r.full_name.toLowerCase()}`)) byName.set(`${r.list}:${r.full_name.toLowerCase()}`, r);
  }
  const payees = new Map<number, Sdk.TimePayee>();
  for (const resource of resources) {
    const id = String(resource.autotaskId);
    const employee = mapped.get(`RESOURCE_EMPLOYEE:${id}`)?.target;
    const vendor = mapped.get(`RESOURCE_VENDOR:${id}`)?.target;
    let payee: Sdk.TimePayee | undefined;
    if (employee) {
      payee = { list: 'EMPLOYEE', ref: { listId: employee.listId ?? null, fullName: employee.fullName }, matchedBy: 'MAPPING' };
    } else if (vendor) {
      payee = { list: 'VENDOR', ref: { listId: vendor.listId ?? null, fullName: vendor.fullName }, matchedBy: 'MAPPING' };
    } else {
      const names = candidateNames(resource);
      const row = (['EMPLOYEE', 'VENDOR'] as const).flatMap((list) => names.map((n) => byName.get(`${list}:${n}`))).find((r) => r !== undefined);
      if (row) {
        payee = { list: row.list, ref: { listId: row.list_id, fullName: row.full_name }, matchedBy: 'NAME' };
      }
    }
    if (payee) payees.set(resource.autotaskId, payee);
  }
  return payees;
}

export function toTimeActivity(a: TimeActivity, item: TransferItem | undefined): Sdk.TimeActivity {
  return {
    id: a.id,
    resource: { autotaskId: a.resource.autotaskId, firstName: a.resource.firstName, lastName: a.resource.lastName },
    date: a.date, hours: a.hours, organizationId: a.organization?.id ?? null,
    workTypeId: a.workTypeId, workTypeName: a.workTypeName, payrollCategoryId: a.payrollCategoryId, payrollCategoryName: a.payrollCategoryName,
    lineOfBusinessId: a.lineOfBusinessId, billable: a.billable, notes: a.notes, timeEntryAutotaskIds: [...a.timeEntryAutotaskIds],
    // A deleted record's TxnID is cleared (''): the day is then added afresh if it gets hours again.
    inQuickBooks: item?.qbTxnId ? { txnId: item.qbTxnId, editSequence: item.qbEditSequence } : null,
  };
}
