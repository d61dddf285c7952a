/**
 * Simulated company files for the list sync tests: the standard seed (sales tax, classes, inventory on) grown
 * to a given number of customers and items, with a clock the test moves. Records are appended directly (the
 * name rules are QuickBooks', not what these tests are about, and checking them is quadratic).
 */
import type { ListName } from '../../src/simulator/company/company-file.js';
import type { ItemType, ListRecord, StoredAggregate } from '../../src/simulator/company/types.js';
import { createCompanyFile, QuickBooksSimulator, SimulatedCompanyFile } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';

/** A clock that advances `stepMs` on every reading; `set` moves it. */
export class TestClock {
  private t: number;
  constructor(start: Date, private stepMs: number) {
    this.t = start.getTime();
  }
  readonly now = (): Date => new Date((this.t += this.stepMs));
  set(at: Date, stepMs = this.stepMs): void {
    this.t = at.getTime();
    this.stepMs = stepMs;
  }
}

export interface CompanyOptions {
  readonly customers: number;
  readonly items: number;
  readonly vendors?: number;
  readonly employees?: number;
}

export interface TestCompany {
  readonly qb: QuickBooksSimulator;
  readonly file: SimulatedCompanyFile;
  readonly clock: TestClock;
}

const ref = (listId: string) => ({ $ref: listId });
const ITEM_CYCLE: readonly ItemType[] = ['Service', 'Service', 'NonInventory', 'OtherCharge', 'Inventory', 'Group', 'Discount'];

/**
 * The standard company grown to `customers` customers and jobs (every 25th is a job) and `items` items of
 * every type (some sub-items), with a 3-level class tree, sub-accounts, vendors and employees. Seeded records
 * are three minutes apart, starting days before now, so TimeModified values are spread out.
 */
export function growCompany(options: CompanyOptions, path = 'C:\\QB\\Lists.QBW'): TestCompany {
  const clock = new TestClock(new Date(Date.UTC(2026, 0, 5, 14, 0, 0)), 60_000);
  const data = createCompanyFile({
    companyName: 'List Sync Co',
    seed: 'standard',
    preferences: { salesTaxEnabled: true, classTrackingEnabled: true, inventoryEnabled: true },
    clock: clock.now,
  });
  const seeding = new SimulatedCompanyFile(data, clock.now);
  const add = (list: ListName, name: string, fields: StoredAggregate = {}, extra: Partial<ListRecord> & Record<string, unknown> = {}) => {
    const record = { ...seeding.newListCore(name, fields), ...extra } as ListRecord;
    (data[list] as ListRecord[]).push(record);
    return record;
  };
  const account = (name: string, accountType: string, parentId?: string) =>
    add('accounts', name, { AccountType: accountType }, { accountType, ...(parentId ? { parentId } : {}) });

  const services = data.accounts.find((a) => a.name === 'Services')!;
  account('Labor', 'Income', services.listId);
  account('Managed Services Income', 'Income');
  account('Hardware Sales', 'Income');
  const cogs = data.accounts.find((a) => a.accountType === 'CostOfGoodsSold')!;
  const asset = data.accounts.find((a) => a.name === 'Inventory Asset')!;

  const managed = add('classes', 'Managed Services');
  const monitoring = add('classes', 'Monitoring', {}, { parentId: managed.listId });
  add('classes', 'Servers', {}, { parentId: monitoring.listId });
  add('classes', 'Workstations', {}, { parentId: monitoring.listId });
  const projects = add('classes', 'Projects');
  add('classes', 'Cloud Migration', {}, { parentId: projects.listId });
  add('classes', 'Old Division', {}, { isActive: false });

  add('terms', 'Net 45', { StdDueDays: '45' }, { kind: 'Standard' });
  // Other names share the customers' name space (3100 when a new customer takes one).
  add('otherNames', 'Petty Cash Owner', { CompanyName: 'Petty Cash Owner', Email: 'owner@example.com' });
  add('otherNames', 'Former Partner', {}, { isActive: false });
  // Reference lists mappings point at: an inactive rep and a sub-type (full names), on top of the seeded ones.
  add('salesReps', 'XR', { Initial: 'XR' }, { isActive: false });
  const commercial = data.customerTypes.find((t) => t.name === 'Commercial')!;
  add('customerTypes', 'Healthcare', {}, { parentId: commercial.listId });

  const laborParent = add('items', 'Labor', { SalesOrPurchase: { Desc: 'Labor', AccountRef: ref(services.listId) } }, { type: 'Service' });
  let itemNumber = 0;
  while (data.items.length < options.items) {
    const type = ITEM_CYCLE[itemNumber % ITEM_CYCLE.length]!;
    const name = `${type} ${String(++itemNumber).padStart(4, '0')}`;
    const fields: StoredAggregate =
      type === 'Inventory'
        ? { SalesDesc: name, SalesPrice: '10.00', IncomeAccountRef: ref(services.listId), COGSAccountRef: ref(cogs.listId), AssetAccountRef: ref(asset.listId) }
        : type === 'Group' ? { ItemDesc: `${name} bundle` }
        : type === 'Discount' ? { ItemDesc: name, DiscountRatePercent: '5.0', AccountRef: ref(services.listId) }
        : { SalesOrPurchase: { Desc: name, Price: '25.00', AccountRef: ref(services.listId) } };
    const sub = type === 'Service' && itemNumber % 4 === 0;
    add('items', name, fields, { type, ...(sub ? { parentId: laborParent.listId } : {}), ...(itemNumber % 50 === 0 ? { isActive: false } : {}) });
  }

  let parent: ListRecord | undefined;
  let customerNumber = 0;
  while (data.customers.length < options.customers) {
    const n = ++customerNumber;
    if (n % 25 === 0 && parent) {
      add('customers', `Job ${String(n).padStart(4, '0')}`, { JobStatus: 'InProgress' }, { parentId: parent.listId });
    } else {
      const name = `Customer ${String(n).padStart(4, '0')}`;
      parent = add('customers', name, { CompanyName: name, Email: `billing${n}@example.com` }, n % 100 === 0 ? { isActive: false } : {});
    }
  }
  for (let i = 1; i <= (options.vendors ?? 20); i++) add('vendors', `Vendor ${String(i).padStart(3, '0')}`, { CompanyName: `Vendor ${i} LLC` });
  for (let i = 1; i <= (options.employees ?? 10); i++) {
    add('employees', `Employee ${String(i).padStart(3, '0')}`, { FirstName: 'Employee', LastName: String(i).padStart(3, '0') });
  }

  // A new instance indexes every record appended above; its clock keeps advancing.
  const file = new SimulatedCompanyFile(data, clock.now);
  const qb = new QuickBooksSimulator({ validator, company: file, companyFilePath: path });
  return { qb, file, clock };
}

/** The newest TimeModified of a list, as QuickBooks writes it (what the sync keeps as its high-water mark). */
export function newestTimeModified(records: readonly ListRecord[]): string {
  return records.map((r) => r.timeModified).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}
