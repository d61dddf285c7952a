/**
 * Add / Mod / Query for the list entities: customers and jobs, vendors, employees, other names, accounts,
 * classes, terms, sales tax codes, payment methods, sales reps, customer types, templates (query only) and
 * the item types. They share QuickBooks' list rules
 * (ListCore, unique names, hierarchy via ParentRef, EditSequence on Mod), so one generic implementation
 * runs them, configured per kind by the table at the bottom.
 */
import { creditRemainingCents, type ListName, type ListRecords, type SimulatedCompanyFile } from '../../company/company-file.js';
import { formatCents } from '../../company/money.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { ItemRecord, ItemType, ListRecord, TermsRecord } from '../../company/types.js';
import type { HandlerResult, RequestContext, RequestHandler } from '../context.js';
import { answerQuery, selectListRecords } from '../queries.js';
import { mergeStored, refInput, refRet, storeChildren, storedToRet } from '../request-fields.js';
import type { RetAggregate, RetElement } from '../response-writer.js';
import { child, childBoolean, childText, type XmlElement } from '../../../qbxml/xml-tree.js';
import { quantityOnHand } from './inventory-adjustments.js';
import { boolText, dataExtRets, requestAggregate } from './shared.js';

/** How one kind of list element maps onto qbXML and the company file. */
export interface ListKind<L extends ListName = ListName> {
  /** qbXML object name: `Customer` → CustomerAdd/CustomerMod/CustomerRet/CustomerQueryRq. */
  readonly object: string;
  readonly list: L;
  /** How QuickBooks names the record in messages ("in the Customer"). */
  readonly label: string;
  /** Item type for item kinds. */
  readonly itemType?: ItemType;
  /** Terms kind for the two terms lists. */
  readonly termsKind?: TermsRecord['kind'];
  /** Refuses (3250) when a preference needed by this kind is off. */
  readonly requires?: (company: SimulatedCompanyFile) => void;
  /** Sets the kind's own record fields from the Add/Mod aggregate. */
  readonly apply?: (company: SimulatedCompanyFile, aggregate: XmlElement, record: ListRecords[L]) => void;
  /** Computed Ret fields (balances, defaults). */
  readonly computed?: (company: SimulatedCompanyFile, record: ListRecords[L]) => RetAggregate;
  /** The Name when the Add has none (employees are named after the person, sales reps by their initials). */
  readonly defaultName?: (aggregate: XmlElement) => string | undefined;
  /** QuickBooks only answers queries of this kind (templates): no Add or Mod handler. */
  readonly queryOnly?: boolean;
}

/** A list kind of any list (handlers over several kinds, tables). */
export type AnyListKind = ListKind<any>;

/** Fields the generic code handles itself (everything else is stored verbatim). */
const CORE_FIELDS = new Set(['ListID', 'EditSequence', 'Name', 'IsActive', 'ParentRef']);

function requireSalesTax(company: SimulatedCompanyFile): void {
  if (!company.data.preferences.salesTaxEnabled) refuse(QB_STATUS.featureNotEnabled());
}
function requirePayroll(company: SimulatedCompanyFile): void {
  if (!company.data.preferences.payrollEnabled) refuse(QB_STATUS.featureNotEnabled());
}
function requireInventory(company: SimulatedCompanyFile): void {
  if (!company.data.preferences.inventoryEnabled) refuse(QB_STATUS.featureNotEnabled());
}

/** The record of this kind with that ListID (items and terms must also be of the right type). */
function findOfKind<L extends ListName>(company: SimulatedCompanyFile, kind: ListKind<L>, listId: string): ListRecords[L] | undefined {
  const record = company.findById(kind.list, listId);
  if (!record || !isOfKind(kind, record)) return undefined;
  return record;
}

function isOfKind(kind: Pick<ListKind, 'itemType' | 'termsKind'>, record: ListRecord): boolean {
  if (kind.itemType && (record as ItemRecord).type !== kind.itemType) return false;
  if (kind.termsKind && (record as TermsRecord).kind !== kind.termsKind) return false;
  return true;
}

/** Resolves a ParentRef to a record of the same kind (3140 otherwise). */
function resolveParent<L extends ListName>(company: SimulatedCompanyFile, kind: ListKind<L>, parentRef: XmlElement): ListRecords[L] {
  const ref = refInput(parentRef);
  const record =
    ref.listId !== undefined ? company.findById(kind.list, ref.listId) : ref.fullName !== undefined ? company.findByFullName(kind.list, ref.fullName) : undefined;
  if (!record || !isOfKind(kind, record)) refuse(QB_STATUS.invalidReference(kind.label, ref.fullName ?? ref.listId ?? '', kind.label));
  return record;
}

/** The `*Ret` of one record. */
export function listRet<L extends ListName>(ctx: RequestContext, kind: ListKind<L>, record: ListRecords[L], shape?: XmlElement): RetElement {
  const { company, model } = ctx;
  const name = `${kind.object}Ret`;
  const decl = model.element(name);
  if (!decl) throw new Error(`qbXML ${model.schemaSet} has no ${name}`);
  const has = (field: string) => decl.child(field) !== undefined;
  const value: Record<string, unknown> = {
    ...storedToRet(company, decl, record.fields),
    ListID: record.listId,
    TimeCreated: record.timeCreated,
    TimeModified: record.timeModified,
    EditSequence: record.editSequence,
    Name: has('Name') ? record.name : undefined,
    FullName: has('FullName') ? company.fullName(kind.list, record) : undefined,
    IsActive: boolText(record.isActive),
    ParentRef: has('ParentRef') ? refRet(company, record.parentId) : undefined,
    Sublevel: has('Sublevel') ? String(company.sublevel(kind.list, record)) : undefined,
    ...kind.computed?.(company, record),
    DataExtRet: shape ? dataExtRets(shape, record.dataExts) : undefined,
  };
  return { name, value: value as RetAggregate };
}

/** `XxxAdd`: checks the kind's preconditions, resolves references, enforces the unique name, saves. */
export function addHandler<L extends ListName>(kind: ListKind<L>): RequestHandler {
  return (ctx) => {
    const { company } = ctx;
    kind.requires?.(company);
    const aggregate = requestAggregate(ctx, `${kind.object}Add`);
    const name = childText(aggregate, 'Name') ?? kind.defaultName?.(aggregate) ?? '';
    const parentRef = child(aggregate, 'ParentRef');
    const parent = parentRef ? resolveParent(company, kind, parentRef) : undefined;
    const fields = storeChildren(company, aggregate, kind.label, { skip: CORE_FIELDS });
    const record = {
      ...company.newListCore(name, fields),
      isActive: childBoolean(aggregate, 'IsActive') ?? true,
      ...(parent ? { parentId: parent.listId } : {}),
      ...(kind.itemType ? { type: kind.itemType } : {}),
      ...(kind.termsKind ? { kind: kind.termsKind } : {}),
    } as unknown as ListRecords[L];
    kind.apply?.(company, aggregate, record);
    company.insert(kind.list, record);
    return { rets: [listRet(ctx, kind, record)] };
  };
}

/** `XxxMod`: 3120 for an unknown ListID, 3200 for a stale EditSequence, 3100 for a taken new name. */
export function modHandler<L extends ListName>(kind: ListKind<L>): RequestHandler {
  return (ctx) => {
    const { company } = ctx;
    const aggregate = requestAggregate(ctx, `${kind.object}Mod`);
    const listId = childText(aggregate, 'ListID') ?? '';
    const record = findOfKind(company, kind, listId);
    if (!record) refuse(QB_STATUS.objectNotFound(listId));
    company.assertCurrent(record, childText(aggregate, 'EditSequence') ?? '');
    company.assertWritable(kind.list, record.name);
    const name = childText(aggregate, 'Name') ?? record.name;
    const parentRef = child(aggregate, 'ParentRef');
    let parentId = record.parentId;
    if (parentRef) {
      const ref = refInput(parentRef);
      // An empty ParentRef moves the element to the top level.
      if (ref.listId === undefined && (ref.fullName === undefined || ref.fullName === '')) parentId = undefined;
      else {
        const parent = resolveParent(company, kind, parentRef);
        if (company.isSelfOrAncestor(kind.list, record.listId, parent)) {
          refuse(QB_STATUS.invalidReference(kind.label, company.fullName(kind.list, parent), kind.label));
        }
        parentId = parent.listId;
      }
    }
    const changes = storeChildren(company, aggregate, kind.label, { skip: CORE_FIELDS, fromMod: true });
    if (name !== record.name || parentId !== record.parentId) {
      const moved = { ...record, name, ...(parentId ? { parentId } : {}) } as ListRecord;
      if (!parentId) delete moved.parentId;
      company.assertNameAvailable(kind.list, company.fullName(kind.list, moved), record.listId);
    }
    record.name = name;
    if (parentId) record.parentId = parentId;
    else delete record.parentId;
    const isActive = childBoolean(aggregate, 'IsActive');
    if (isActive !== undefined) record.isActive = isActive;
    mergeStored(record.fields, changes);
    kind.apply?.(company, aggregate, record);
    company.touch(record);
    return { rets: [listRet(ctx, kind, record)] };
  };
}

/** `XxxQueryRq` over one kind, or several kinds at once (ItemQuery, TermsQuery). */
export function queryHandler(kinds: readonly AnyListKind[], extra?: (ctx: RequestContext, record: ListRecord) => boolean): RequestHandler {
  return (ctx): HandlerResult => {
    const list = kinds[0]!.list;
    const kindOf = (record: ListRecord) => kinds.find((k) => isOfKind(k, record));
    const candidates = ctx.company.list(list).filter((r) => kindOf(r) !== undefined);
    return answerQuery(
      ctx,
      () => selectListRecords(ctx, list, candidates, extra && ((r) => extra(ctx, r))),
      (id, shape) => {
        const record = ctx.company.findById(list, id);
        const kind = record && kindOf(record);
        return record && kind ? listRet(ctx, kind, record, shape) : undefined;
      },
    );
  };
}

// ---- the kinds --------------------------------------------------------------------------------

const money = (cents: number) => formatCents(cents);

/** Customers and jobs: balances computed from invoices and payments; JobStatus defaults to None. */
const customer: ListKind<'customers'> = {
  object: 'Customer',
  list: 'customers',
  label: 'Customer',
  computed: (company, record) => ({
    Balance: money(company.balanceCents(record.listId)),
    TotalBalance: money(company.totalBalanceCents(record.listId)),
    JobStatus: typeof record.fields['JobStatus'] === 'string' ? record.fields['JobStatus'] : 'None',
  }),
};

const vendor: ListKind<'vendors'> = { object: 'Vendor', list: 'vendors', label: 'Vendor', computed: () => ({ Balance: '0.00' }) };

const employee: ListKind<'employees'> = {
  object: 'Employee',
  list: 'employees',
  label: 'Employee',
  // QuickBooks names an employee after the person when no Name is given.
  defaultName: (aggregate) =>
    ['FirstName', 'MiddleName', 'LastName']
      .map((f) => childText(aggregate, f))
      .filter((p): p is string => !!p)
      .join(' ') || undefined,
};

const otherName: ListKind<'otherNames'> = { object: 'OtherName', list: 'otherNames', label: 'Other Name' };

const account: ListKind<'accounts'> = {
  object: 'Account',
  list: 'accounts',
  label: 'Account',
  apply: (_company, aggregate, record) => {
    const type = childText(aggregate, 'AccountType');
    if (type !== undefined) record.accountType = type;
    const number = childText(aggregate, 'AccountNumber');
    if (number !== undefined) record.accountNumber = number;
  },
  computed: (company, record) => {
    // A/R accounts carry what customers owe (credit memos lower it); the simulator posts nothing else to accounts.
    let cents = 0;
    if (record.accountType === 'AccountsReceivable') {
      for (const id of company.descendantIds('accounts', record.listId)) {
        for (const invoice of company.data.invoices) {
          if (invoice.arAccountId === id) cents += invoice.subtotalCents + invoice.salesTaxTotalCents + invoice.appliedAmountCents;
        }
        for (const memo of company.data.creditMemos) if (memo.arAccountId === id) cents -= creditRemainingCents(memo);
      }
    }
    return { AccountType: record.accountType, Balance: money(cents), TotalBalance: money(cents) };
  },
};

const klass: ListKind<'classes'> = { object: 'Class', list: 'classes', label: 'Class' };
const standardTerms: ListKind<'terms'> = { object: 'StandardTerms', list: 'terms', label: 'Terms', termsKind: 'Standard' };
const dateDrivenTerms: ListKind<'terms'> = { object: 'DateDrivenTerms', list: 'terms', label: 'Terms', termsKind: 'DateDriven' };

const salesTaxCode: ListKind<'salesTaxCodes'> = {
  object: 'SalesTaxCode',
  list: 'salesTaxCodes',
  label: 'Sales Tax Code',
  requires: requireSalesTax,
  apply: (_company, aggregate, record) => {
    const taxable = childBoolean(aggregate, 'IsTaxable');
    if (taxable !== undefined) record.isTaxable = taxable;
    record.isTaxable ??= false;
  },
  computed: (_company, record) => ({ IsTaxable: boolText(record.isTaxable) }),
};

const paymentMethod: ListKind<'paymentMethods'> = { object: 'PaymentMethod', list: 'paymentMethods', label: 'Payment Method' };
/** Payroll wage items (WageType and ExpenseAccountRef are kept verbatim). QuickBooks has no PayrollItemWageMod. */
const payrollItemWage: ListKind<'payrollWageItems'> = { object: 'PayrollItemWage', list: 'payrollWageItems', label: 'Payroll Item', requires: requirePayroll };

/** Sales reps have no Name: their Initial is what SalesRepRef's FullName names (and must be unique). */
const salesRep: ListKind<'salesReps'> = {
  object: 'SalesRep',
  list: 'salesReps',
  label: 'Sales Rep',
  defaultName: (aggregate) => childText(aggregate, 'Initial'),
  apply: (_company, aggregate, record) => {
    const initial = childText(aggregate, 'Initial');
    if (initial !== undefined) record.name = initial;
  },
};

const customerType: ListKind<'customerTypes'> = { object: 'CustomerType', list: 'customerTypes', label: 'Customer Type' };

const template: ListKind<'templates'> = {
  object: 'Template',
  list: 'templates',
  label: 'Template',
  queryOnly: true,
  computed: (_company, record) => ({ TemplateType: record.templateType }),
};

const item = (itemType: ItemType, requires?: (company: SimulatedCompanyFile) => void): ListKind<'items'> => ({
  object: `Item${itemType}`,
  list: 'items',
  label: 'Item',
  itemType,
  ...(requires ? { requires } : {}),
});

/** Every list kind, by qbXML object name. */
export const LIST_KINDS = {
  Customer: customer,
  Vendor: vendor,
  Employee: employee,
  OtherName: otherName,
  Account: account,
  Class: klass,
  StandardTerms: standardTerms,
  DateDrivenTerms: dateDrivenTerms,
  SalesTaxCode: salesTaxCode,
  PaymentMethod: paymentMethod,
  SalesRep: salesRep,
  CustomerType: customerType,
  Template: template,
  PayrollItemWage: payrollItemWage,
  ItemService: item('Service'),
  ItemNonInventory: item('NonInventory'),
  ItemOtherCharge: item('OtherCharge'),
  // QuickBooks reports an inventory part's on-hand quantity always (0 when its Add gave none).
  ItemInventory: { ...item('Inventory', requireInventory), computed: (_company, record) => ({ QuantityOnHand: quantityOnHand(record) }) },
  ItemSalesTax: item('SalesTax', requireSalesTax),
  ItemDiscount: item('Discount'),
  ItemSubtotal: item('Subtotal'),
  ItemGroup: item('Group'),
} as const satisfies Record<string, AnyListKind>;

/** The item kinds (ItemQuery returns all of them). */
export const ITEM_KINDS: readonly AnyListKind[] = Object.values(LIST_KINDS).filter((k) => k.list === 'items');

/** Customer/Vendor TotalBalanceFilter: compares the balance including jobs. */
function totalBalanceFilter(ctx: RequestContext, record: ListRecord): boolean {
  const filter = child(ctx.request, 'TotalBalanceFilter');
  if (!filter) return true;
  const amount = Math.round(Number(childText(filter, 'Amount') ?? '0') * 100);
  const balance = ctx.company.list('customers').includes(record) ? ctx.company.totalBalanceCents(record.listId) : 0;
  switch (childText(filter, 'Operator')) {
    case 'LessThan':
      return balance < amount;
    case 'LessThanEqual':
      return balance <= amount;
    case 'Equal':
      return balance === amount;
    case 'GreaterThan':
      return balance > amount;
    default:
      return balance >= amount;
  }
}

/** AccountQuery's AccountType filter. */
function accountTypeFilter(ctx: RequestContext, record: ListRecord): boolean {
  const types = ctx.request.children.filter((c) => c.name === 'AccountType').map((c) => c.text);
  return types.length === 0 || types.includes((record as ListRecords['accounts']).accountType);
}

/** Handlers for the list requests, by request element name. */
export function listHandlers(): Record<string, RequestHandler> {
  const handlers: Record<string, RequestHandler> = {};
  for (const kind of Object.values(LIST_KINDS) as AnyListKind[]) {
    if (!kind.queryOnly) {
      handlers[`${kind.object}AddRq`] = addHandler(kind);
      handlers[`${kind.object}ModRq`] = modHandler(kind);
    }
    const extra = kind.object === 'Customer' || kind.object === 'Vendor' ? totalBalanceFilter : kind.object === 'Account' ? accountTypeFilter : undefined;
    handlers[`${kind.object}QueryRq`] = queryHandler([kind], extra);
  }
  handlers['ItemQueryRq'] = queryHandler(ITEM_KINDS);
  handlers['TermsQueryRq'] = queryHandler([standardTerms, dateDrivenTerms]);
  // Without a payroll subscription QuickBooks refuses payroll items altogether, reading them too.
  const payrollItems = handlers['PayrollItemWageQueryRq']!;
  handlers['PayrollItemWageQueryRq'] = (ctx) => {
    requirePayroll(ctx.company);
    return payrollItems(ctx);
  };
  return handlers;
}
