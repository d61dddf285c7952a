/**
 * The QuickBooks lists mirrored per connector, and how each is queried through qbXML and read back into a
 * row of `quickbooks_list_element`. Element names follow Intuit's schema (qbxmlops130/160.xsd); a test checks
 * every IncludeRetElement name against the XSD of both schema sets.
 */
import { registerEnumType } from 'type-graphql';
import { serializeRequest, type QbxmlRequestType, type SerializedRequest } from '../../qbxml/index.js';

export enum QuickBooksList {
  ACCOUNT = 'ACCOUNT',
  CLASS = 'CLASS',
  /** Every item type ItemQuery returns, sales tax items and groups included (`type` tells them apart). */
  ITEM = 'ITEM',
  /** Standard and date-driven terms (TermsQuery). */
  TERMS = 'TERMS',
  SALES_TAX_CODE = 'SALES_TAX_CODE',
  /** Customers and their jobs (jobs have a parent). */
  CUSTOMER = 'CUSTOMER',
  VENDOR = 'VENDOR',
  EMPLOYEE = 'EMPLOYEE',
  /** Payroll wage items (PayrollItemWageQuery); QuickBooks without payroll answers with an error, kept per list. */
  PAYROLL_WAGE_ITEM = 'PAYROLL_WAGE_ITEM',
  /** Other names: they share the customers' name space, so a new customer named like one fails with 3100. */
  OTHER_NAME = 'OTHER_NAME',
  /** Payment methods (Cash, Check, Visa, ...): what a received payment's PaymentMethodRef may name. */
  PAYMENT_METHOD = 'PAYMENT_METHOD',
  /** Sales reps (SalesRepQuery), named by their initials: what SalesRepRef on customers and invoices names. */
  SALES_REP = 'SALES_REP',
  /** Customer types, every level (CustomerTypeQuery): what a customer's CustomerTypeRef names. */
  CUSTOMER_TYPE = 'CUSTOMER_TYPE',
  /** Form templates (TemplateQuery; `type` is TemplateType): an invoice's TemplateRef must name an Invoice one. */
  TEMPLATE = 'TEMPLATE',
}

registerEnumType(QuickBooksList, { name: 'QuickBooksList', description: 'A QuickBooks list mirrored per connector.' });

/** An element's row as read from one `*Ret`. */
export interface ListRow {
  readonly listId: string;
  readonly fullName: string;
  readonly name: string;
  readonly type: string | null;
  readonly subType: string | null;
  readonly parentListId: string | null;
  readonly parentFullName: string | null;
  readonly sublevel: number;
  readonly isActive: boolean;
  readonly editSequence: string | null;
  /** TimeModified exactly as QuickBooks wrote it (its own local time and offset). */
  readonly timeModified: string | null;
  readonly details: Record<string, unknown>;
}

/** A parsed `*Ret` aggregate (fast-xml-parser: text values, nested objects, arrays for repeats). */
export type RetObject = Record<string, unknown>;

/** How one list is queried and read. */
export interface ListSpec {
  readonly list: QuickBooksList;
  /** The query request element. */
  readonly request: Extract<QbxmlRequestType, `${string}QueryRq`>;
  /** Whether the query takes `iterator="Start"` (CustomerQuery, VendorQuery, ItemQuery in qbXML 13/16). */
  readonly iterator: boolean;
  /**
   * Whether the query takes filters (ActiveStatus, FromModifiedDate). TemplateQuery takes none: it returns
   * every template each time, so its pulls are always full.
   */
  readonly filters?: false;
  /** Top-level `*Ret` elements to ask for (IncludeRetElement). */
  readonly include: readonly string[];
  /** Element type from the `*Ret` name and content (item type, account type...). */
  readonly typeOf?: (retName: string, ret: RetObject) => string | null;
  readonly subTypeOf?: (ret: RetObject) => string | null;
  /** The element's name when the Ret has no Name (sales reps: their Initial). */
  readonly nameOf?: (ret: RetObject) => string | undefined;
  /** Extra fields worth keeping (for pickers, suggestions and later transfers). */
  readonly detailsOf?: (ret: RetObject) => Record<string, unknown>;
}

/** Fields every list element carries (FullName/ParentRef/Sublevel only on hierarchical kinds). */
const CORE = ['ListID', 'TimeModified', 'EditSequence', 'Name', 'FullName', 'IsActive', 'ParentRef', 'Sublevel'];
const FLAT_CORE = ['ListID', 'TimeModified', 'EditSequence', 'Name', 'IsActive'];

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const child = (value: unknown, key: string): unknown => (value && typeof value === 'object' ? (value as RetObject)[key] : undefined);
/** A `*Ref` aggregate as `{ listId, fullName }`, or undefined. */
function ref(value: unknown): { listId?: string; fullName?: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const listId = text(child(value, 'ListID'));
  const fullName = text(child(value, 'FullName'));
  return listId || fullName ? { ...(listId ? { listId } : {}), ...(fullName ? { fullName } : {}) } : undefined;
}
/** A BillAddress/ShipAddress aggregate as the address fields an Autotask company takes (Addr1/Addr2 as lines), or undefined. */
function address(value: unknown): Record<string, string> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const parts = compact({
    line1: text(child(value, 'Addr1')),
    line2: text(child(value, 'Addr2')),
    city: text(child(value, 'City')),
    state: text(child(value, 'State')),
    postalCode: text(child(value, 'PostalCode')),
    country: text(child(value, 'Country')),
  }) as Record<string, string>;
  return Object.keys(parts).length ? parts : undefined;
}
/** Drops undefined values so the stored jsonb stays small and stable. */
function compact(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export const LIST_SPECS: Readonly<Record<QuickBooksList, ListSpec>> = {
  [QuickBooksList.ACCOUNT]: {
    list: QuickBooksList.ACCOUNT,
    request: 'AccountQueryRq',
    iterator: false,
    include: [...CORE, 'AccountType', 'SpecialAccountType', 'AccountNumber', 'Desc'],
    typeOf: (_, ret) => text(ret.AccountType) ?? null,
    subTypeOf: (ret) => text(ret.SpecialAccountType) ?? null,
    detailsOf: (ret) => compact({ accountNumber: text(ret.AccountNumber), description: text(ret.Desc) }),
  },
  [QuickBooksList.CLASS]: { list: QuickBooksList.CLASS, request: 'ClassQueryRq', iterator: false, include: CORE },
  [QuickBooksList.ITEM]: {
    list: QuickBooksList.ITEM,
    request: 'ItemQueryRq',
    iterator: true,
    include: [
      ...CORE,
      'ItemDesc', 'SalesTaxCodeRef', 'SalesOrPurchase', 'SalesAndPurchase', 'SalesDesc', 'SalesPrice', 'IncomeAccountRef',
      'TaxRate', 'DiscountRate', 'DiscountRatePercent', 'AccountRef', 'SpecialItemType',
    ],
    // ItemServiceRet → Service, ItemSalesTaxGroupRet → SalesTaxGroup
    typeOf: (retName) => retName.replace(/^Item/, '').replace(/Ret$/, ''),
    subTypeOf: (ret) => text(ret.SpecialItemType) ?? null,
    detailsOf: (ret) => {
      const sop = ret.SalesOrPurchase;
      const sap = ret.SalesAndPurchase;
      return compact({
        description: text(ret.ItemDesc) ?? text(child(sop, 'Desc')) ?? text(child(sap, 'SalesDesc')) ?? text(ret.SalesDesc),
        price: text(child(sop, 'Price')) ?? text(child(sop, 'PricePercent')) ?? text(child(sap, 'SalesPrice')) ?? text(ret.SalesPrice),
        incomeAccount: ref(child(sop, 'AccountRef')) ?? ref(child(sap, 'IncomeAccountRef')) ?? ref(ret.IncomeAccountRef) ?? ref(ret.AccountRef),
        salesTaxCode: ref(ret.SalesTaxCodeRef),
        taxRate: text(ret.TaxRate),
        discountRate: text(ret.DiscountRate),
        discountRatePercent: text(ret.DiscountRatePercent),
      });
    },
  },
  [QuickBooksList.TERMS]: {
    list: QuickBooksList.TERMS,
    request: 'TermsQueryRq',
    iterator: false,
    include: [...FLAT_CORE, 'StdDueDays', 'StdDiscountDays', 'DiscountPct', 'DayOfMonthDue', 'DueNextMonthDays', 'DiscountDayOfMonth'],
    typeOf: (retName) => retName.replace(/TermsRet$/, ''),
    detailsOf: (ret) =>
      compact({
        stdDueDays: text(ret.StdDueDays),
        stdDiscountDays: text(ret.StdDiscountDays),
        discountPct: text(ret.DiscountPct),
        dayOfMonthDue: text(ret.DayOfMonthDue),
        dueNextMonthDays: text(ret.DueNextMonthDays),
        discountDayOfMonth: text(ret.DiscountDayOfMonth),
      }),
  },
  [QuickBooksList.SALES_TAX_CODE]: {
    list: QuickBooksList.SALES_TAX_CODE,
    request: 'SalesTaxCodeQueryRq',
    iterator: false,
    include: [...FLAT_CORE, 'IsTaxable', 'Desc', 'ItemSalesTaxRef'],
    typeOf: (_, ret) => (text(ret.IsTaxable) === 'true' ? 'Taxable' : 'NonTaxable'),
    detailsOf: (ret) => compact({ description: text(ret.Desc), itemSalesTax: ref(ret.ItemSalesTaxRef) }),
  },
  [QuickBooksList.CUSTOMER]: {
    list: QuickBooksList.CUSTOMER,
    request: 'CustomerQueryRq',
    iterator: true,
    include: [
      ...CORE, 'CompanyName', 'FirstName', 'LastName', 'BillAddress', 'Phone', 'Fax', 'Email', 'TermsRef', 'SalesTaxCodeRef', 'ItemSalesTaxRef',
      'AccountNumber', 'JobStatus', 'ExternalGUID',
    ],
    typeOf: (_, ret) => (ret.ParentRef ? 'Job' : 'Customer'),
    detailsOf: (ret) =>
      compact({
        companyName: text(ret.CompanyName),
        firstName: text(ret.FirstName),
        lastName: text(ret.LastName),
        phone: text(ret.Phone),
        fax: text(ret.Fax),
        email: text(ret.Email),
        billAddress: address(ret.BillAddress),
        terms: ref(ret.TermsRef),
        salesTaxCode: ref(ret.SalesTaxCodeRef),
        itemSalesTax: ref(ret.ItemSalesTaxRef),
        accountNumber: text(ret.AccountNumber),
        jobStatus: text(ret.JobStatus),
        externalGuid: text(ret.ExternalGUID),
      }),
  },
  [QuickBooksList.VENDOR]: {
    list: QuickBooksList.VENDOR,
    request: 'VendorQueryRq',
    iterator: true,
    include: [...FLAT_CORE, 'CompanyName', 'FirstName', 'LastName', 'Phone', 'Email', 'NameOnCheck', 'AccountNumber', 'IsVendorEligibleFor1099'],
    detailsOf: (ret) =>
      compact({
        companyName: text(ret.CompanyName),
        firstName: text(ret.FirstName),
        lastName: text(ret.LastName),
        phone: text(ret.Phone),
        email: text(ret.Email),
        nameOnCheck: text(ret.NameOnCheck),
        accountNumber: text(ret.AccountNumber),
        eligibleFor1099: text(ret.IsVendorEligibleFor1099),
      }),
  },
  [QuickBooksList.EMPLOYEE]: {
    list: QuickBooksList.EMPLOYEE,
    request: 'EmployeeQueryRq',
    iterator: false,
    include: [...FLAT_CORE, 'FirstName', 'LastName', 'Email', 'EmployeeType', 'AccountNumber', 'EmployeePayrollInfo'],
    typeOf: (_, ret) => text(ret.EmployeeType) ?? null,
    detailsOf: (ret) =>
      compact({
        firstName: text(ret.FirstName),
        lastName: text(ret.LastName),
        email: text(ret.Email),
        accountNumber: text(ret.AccountNumber),
        // Timesheets: NotSet makes QuickBooks refuse time for the employee (F5), checked before sending.
        useTimeDataToCreatePaychecks: text(child(ret.EmployeePayrollInfo, 'UseTimeDataToCreatePaychecks')),
      }),
  },
  [QuickBooksList.OTHER_NAME]: {
    list: QuickBooksList.OTHER_NAME,
    request: 'OtherNameQueryRq',
    iterator: false,
    include: [...FLAT_CORE, 'CompanyName', 'Email'],
    detailsOf: (ret) => compact({ companyName: text(ret.CompanyName), email: text(ret.Email) }),
  },
  [QuickBooksList.PAYMENT_METHOD]: {
    list: QuickBooksList.PAYMENT_METHOD,
    request: 'PaymentMethodQueryRq',
    iterator: false,
    include: [...FLAT_CORE, 'PaymentMethodType'],
    typeOf: (_, ret) => text(ret.PaymentMethodType) ?? null,
  },
  [QuickBooksList.SALES_REP]: {
    list: QuickBooksList.SALES_REP,
    request: 'SalesRepQueryRq',
    iterator: false,
    // No Name: a rep is known by its Initial (≤ 5), which is also what SalesRepRef's FullName holds.
    include: ['ListID', 'TimeModified', 'EditSequence', 'Initial', 'IsActive', 'SalesRepEntityRef'],
    nameOf: (ret) => text(ret.Initial),
    detailsOf: (ret) => compact({ entity: ref(ret.SalesRepEntityRef) }),
  },
  [QuickBooksList.CUSTOMER_TYPE]: { list: QuickBooksList.CUSTOMER_TYPE, request: 'CustomerTypeQueryRq', iterator: false, include: CORE },
  [QuickBooksList.TEMPLATE]: {
    list: QuickBooksList.TEMPLATE,
    request: 'TemplateQueryRq',
    iterator: false,
    filters: false,
    include: [...FLAT_CORE, 'TemplateType'],
    typeOf: (_, ret) => text(ret.TemplateType) ?? null,
  },
  [QuickBooksList.PAYROLL_WAGE_ITEM]: {
    list: QuickBooksList.PAYROLL_WAGE_ITEM,
    request: 'PayrollItemWageQueryRq',
    iterator: false,
    include: [...FLAT_CORE, 'WageType', 'ExpenseAccountRef'],
    typeOf: (_, ret) => text(ret.WageType) ?? null,
    detailsOf: (ret) => compact({ expenseAccount: ref(ret.ExpenseAccountRef) }),
  },
};

/** Every list, in the order a session pulls them (small reference lists first, the big name lists last). */
export const ALL_LISTS: readonly QuickBooksList[] = [
  QuickBooksList.ACCOUNT,
  QuickBooksList.CLASS,
  QuickBooksList.TERMS,
  QuickBooksList.SALES_TAX_CODE,
  QuickBooksList.PAYMENT_METHOD,
  QuickBooksList.SALES_REP,
  QuickBooksList.CUSTOMER_TYPE,
  QuickBooksList.TEMPLATE,
  QuickBooksList.PAYROLL_WAGE_ITEM,
  QuickBooksList.EMPLOYEE,
  QuickBooksList.OTHER_NAME,
  QuickBooksList.ITEM,
  QuickBooksList.VENDOR,
  QuickBooksList.CUSTOMER,
];

/** Lists whose elements nest (`Parent:Child` full names). */
export const HIERARCHICAL_LISTS: ReadonlySet<QuickBooksList> = new Set([
  QuickBooksList.ACCOUNT,
  QuickBooksList.CLASS,
  QuickBooksList.ITEM,
  QuickBooksList.CUSTOMER,
  QuickBooksList.CUSTOMER_TYPE,
]);

export interface ListQueryOptions {
  readonly requestId: string;
  /** The session's qbXML version (element order and what exists come from its schema). */
  readonly version: string;
  /** MaxReturned of iterated queries. */
  readonly pageSize: number;
  /** Incremental pulls: only elements modified since (QuickBooks' own time text). */
  readonly fromModifiedDate?: string | null;
  /** Continue this iterator (else Start one, for queries that iterate). */
  readonly iteratorId?: string | null;
}

/**
 * The query for one list: `iterator="Start"` (or Continue) with MaxReturned where QuickBooks iterates it, else
 * the whole list at once; ActiveStatus All (inactive elements must update too); FromModifiedDate for
 * incremental pulls; IncludeRetElement to keep answers small. Written by the typed qbXML serializer.
 */
export function listQuery(spec: ListSpec, options: ListQueryOptions): SerializedRequest {
  const { iteratorId, fromModifiedDate } = options;
  const filtered = spec.filters !== false;
  const query = {
    ...(spec.iterator ? (iteratorId ? { iterator: 'Continue' as const, iteratorID: iteratorId } : { iterator: 'Start' as const }) : {}),
    ...(spec.iterator ? { MaxReturned: options.pageSize } : {}),
    ...(filtered ? { ActiveStatus: 'All' as const } : {}),
    ...(filtered && fromModifiedDate ? { FromModifiedDate: fromModifiedDate } : {}),
    IncludeRetElement: [...spec.include],
  };
  return serializeRequest(spec.request, query, { requestId: options.requestId, version: options.version });
}

/** Reads every `*Ret` of a query response body into rows (skipping any without a ListID). */
export function readRows(spec: ListSpec, body: Record<string, unknown>): ListRow[] {
  const rows: ListRow[] = [];
  for (const [retName, value] of Object.entries(body)) {
    if (!retName.endsWith('Ret')) continue;
    for (const ret of Array.isArray(value) ? value : [value]) {
      if (!ret || typeof ret !== 'object') continue;
      const row = readRow(spec, retName, ret as RetObject);
      if (row) rows.push(row);
    }
  }
  return rows;
}

function readRow(spec: ListSpec, retName: string, ret: RetObject): ListRow | undefined {
  const listId = text(ret.ListID);
  if (!listId) return undefined;
  const name = text(ret.Name) ?? spec.nameOf?.(ret) ?? '';
  const parent = ref(ret.ParentRef);
  const sublevel = Number.parseInt(text(ret.Sublevel) ?? '0', 10);
  return {
    listId,
    name,
    fullName: text(ret.FullName) ?? name,
    type: spec.typeOf?.(retName, ret) ?? null,
    subType: spec.subTypeOf?.(ret) ?? null,
    parentListId: parent?.listId ?? null,
    parentFullName: parent?.fullName ?? null,
    sublevel: Number.isFinite(sublevel) ? sublevel : 0,
    isActive: text(ret.IsActive) !== 'false',
    editSequence: text(ret.EditSequence) ?? null,
    timeModified: text(ret.TimeModified) ?? null,
    details: spec.detailsOf?.(ret) ?? {},
  };
}
