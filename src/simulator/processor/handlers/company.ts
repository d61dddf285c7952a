/**
 * HostQuery, CompanyQuery, PreferencesQuery and the private data extensions (DataExtAdd/Mod/Del) on the
 * Company object and on list records — what QBWC reads at the start of every session and where it (and
 * the service) keep their stamps in the company file.
 */
import type { ListName, SimulatedCompanyFile } from '../../company/company-file.js';
import { QB_STATUS, refuse } from '../../company/status-codes.js';
import type { CompanyDataExt, DataExtDefRecord, ListRecord } from '../../company/types.js';
import type { RequestContext, RequestHandler } from '../context.js';
import { refInput, refRet } from '../request-fields.js';
import type { RetAggregate } from '../response-writer.js';
import { child, childText, childTexts, type XmlElement } from '../../../qbxml/xml-tree.js';
import { boolText, requestAggregate } from './shared.js';

const hostQuery: RequestHandler = (ctx) => {
  const { host } = ctx;
  return {
    rets: [
      {
        name: 'HostRet',
        value: {
          ProductName: host.productName,
          MajorVersion: String(host.majorVersion),
          MinorVersion: String(host.minorVersion),
          Country: host.country,
          SupportedQBXMLVersion: host.supportedVersions,
          IsAutomaticLogin: 'false',
          QBFileMode: 'SingleUser',
        },
      },
    ],
  };
};

function companyDataExtRet(ext: CompanyDataExt): RetAggregate {
  return { OwnerID: ext.ownerId, DataExtName: ext.name, DataExtType: 'STR255TYPE', DataExtValue: ext.value };
}

const companyQuery: RequestHandler = (ctx) => {
  const { company, request } = ctx;
  const owners = childTexts(request, 'OwnerID');
  const exts = owners.flatMap((owner) => company.companyDataExts(owner)).map(companyDataExtRet);
  const data = company.data;
  return {
    rets: [
      {
        name: 'CompanyRet',
        value: {
          IsSampleCompany: 'false',
          CompanyName: data.companyName,
          LegalCompanyName: data.legalCompanyName ?? data.companyName,
          FirstMonthFiscalYear: 'January',
          FirstMonthIncomeTaxYear: 'January',
          TaxForm: 'OtherOrNone',
          DataExtRet: exts.length > 0 ? exts : undefined,
        },
      },
    ],
  };
};

const preferencesQuery: RequestHandler = (ctx) => {
  const { company } = ctx;
  const prefs = company.data.preferences;
  const value: Record<string, RetAggregate | undefined> = {
    AccountingPreferences: {
      IsUsingAccountNumbers: boolText(company.list('accounts').some((a) => a.accountNumber !== undefined)),
      IsRequiringAccounts: 'true',
      IsUsingClassTracking: boolText(prefs.classTrackingEnabled),
      IsUsingAuditTrail: 'true',
      IsAssigningJournalEntryNumbers: 'true',
    },
    FinanceChargePreferences: {
      AnnualInterestRate: '0.00',
      MinFinanceCharge: '0.00',
      GracePeriod: '0',
      IsAssessingForOverdueCharges: 'false',
      CalculateChargesFrom: 'DueDate',
      IsMarkedToBePrinted: 'false',
    },
    JobsAndEstimatesPreferences: { IsUsingEstimates: 'true', IsUsingProgressInvoicing: 'false', IsPrintingItemsWithZeroAmounts: 'false' },
    MultiCurrencyPreferences: { IsMultiCurrencyOn: 'false' },
    MultiLocationInventoryPreferences: { IsMultiLocationInventoryAvailable: 'false', IsMultiLocationInventoryEnabled: 'false' },
    PurchasesAndVendorsPreferences: { IsUsingInventory: boolText(prefs.inventoryEnabled), DaysBillsAreDue: '10', IsAutomaticallyUsingDiscounts: 'false' },
    ReportsPreferences: { AgingReportBasis: 'AgeFromDueDate', SummaryReportBasis: 'Accrual' },
    SalesAndCustomersPreferences: { IsTrackingReimbursedExpensesAsIncome: 'false', IsAutoApplyingPayments: 'true' },
    SalesTaxPreferences: prefs.salesTaxEnabled ? salesTaxPreferences(company) : undefined,
    TimeTrackingPreferences: { FirstDayOfWeek: 'Monday' },
    CurrentAppAccessRights: { IsAutomaticLoginAllowed: 'false', IsPersonalDataAccessAllowed: 'false' },
  };
  return { rets: [{ name: 'PreferencesRet', value }] };
};

/** SalesTaxPreferences needs a default tax item and taxable/non-taxable codes; omitted when the file lacks them. */
function salesTaxPreferences(company: SimulatedCompanyFile): RetAggregate | undefined {
  const taxItem = company.list('items').find((i) => i.type === 'SalesTax' && i.isActive);
  const taxable = company.list('salesTaxCodes').find((c) => c.isTaxable && c.isActive);
  const nonTaxable = company.list('salesTaxCodes').find((c) => !c.isTaxable && c.isActive);
  if (!taxItem || !taxable || !nonTaxable) return undefined;
  return {
    DefaultItemSalesTaxRef: refRet(company, taxItem.listId),
    PaySalesTax: 'Monthly',
    DefaultTaxableSalesTaxCodeRef: refRet(company, taxable.listId),
    DefaultNonTaxableSalesTaxCodeRef: refRet(company, nonTaxable.listId),
  };
}

/** ListDataExtType values → the list they point into. */
const LIST_DATA_EXT_TYPES: Record<string, ListName> = {
  Account: 'accounts',
  Customer: 'customers',
  Employee: 'employees',
  Item: 'items',
  OtherName: 'otherNames',
  Vendor: 'vendors',
};

/** Where a DataExt request points: the Company object or one list record. */
type DataExtTarget = { readonly kind: 'company' } | { readonly kind: 'list'; readonly listType: string; readonly record: ListRecord };

function dataExtTarget(ctx: RequestContext, aggregate: XmlElement): DataExtTarget {
  const ownerId = childText(aggregate, 'OwnerID') ?? '';
  // OwnerID 0 addresses public custom fields, which need a DataExtDef the simulator does not model.
  if (ownerId === '0') refuse(QB_STATUS.unsupportedRequest(`${ctx.request.name} with OwnerID 0 (public custom fields)`));
  if (childText(aggregate, 'OtherDataExtType') === 'Company') return { kind: 'company' };
  const listType = childText(aggregate, 'ListDataExtType');
  const objRef = child(aggregate, 'ListObjRef');
  const list = listType ? LIST_DATA_EXT_TYPES[listType] : undefined;
  if (listType && objRef && list) {
    const ref = refInput(objRef);
    const record = ref.listId !== undefined ? ctx.company.findById(list, ref.listId) : ref.fullName !== undefined ? ctx.company.findByFullName(list, ref.fullName) : undefined;
    if (!record) refuse(QB_STATUS.invalidReference(listType, ref.fullName ?? ref.listId ?? '', 'DataExt'));
    return { kind: 'list', listType, record };
  }
  return refuse(QB_STATUS.unsupportedRequest(`${ctx.request.name} on ${listType ?? childText(aggregate, 'TxnDataExtType') ?? 'this object'}`));
}

function dataExtRet(ownerId: string, name: string, value: string): RetAggregate {
  return { OwnerID: ownerId, DataExtName: name, DataExtType: 'STR255TYPE', DataExtValue: value };
}

function listExtValue(record: ListRecord, ownerId: string, name: string): string | undefined {
  const owner = Object.keys(record.dataExts ?? {}).find((o) => o.toUpperCase() === ownerId.toUpperCase());
  return owner === undefined ? undefined : record.dataExts?.[owner]?.[name];
}

function setListExt(record: ListRecord, ownerId: string, name: string, value: string): void {
  record.dataExts ??= {};
  const owner = Object.keys(record.dataExts).find((o) => o.toUpperCase() === ownerId.toUpperCase()) ?? ownerId;
  (record.dataExts[owner] ??= {})[name] = value;
}

function findDataExtDef(ctx: RequestContext, ownerId: string, name: string): DataExtDefRecord | undefined {
  return ctx.company.data.dataExtDefs?.find((d) => d.ownerId.toUpperCase() === ownerId.toUpperCase() && d.name === name);
}

/**
 * DataExtDefAdd: defines a private data extension for some object types. "A data extension definition
 * must be created before data can be written to the data extension" (Intuit, DataExtDefAdd reference);
 * a second definition with the same OwnerID and name is refused as a duplicate (3100) [G].
 */
const dataExtDefAdd: RequestHandler = (ctx) => {
  const aggregate = requestAggregate(ctx, 'DataExtDefAdd');
  const ownerId = childText(aggregate, 'OwnerID') ?? '';
  const name = childText(aggregate, 'DataExtName') ?? '';
  if (ownerId === '0') refuse(QB_STATUS.unsupportedRequest('DataExtDefAddRq with OwnerID 0 (public custom fields)'));
  if (findDataExtDef(ctx, ownerId, name)) refuse(QB_STATUS.nameInUse(name));
  const defs = (ctx.company.data.dataExtDefs ??= []);
  const def: DataExtDefRecord = {
    ownerId: ownerId.toUpperCase(),
    name,
    id: defs.reduce((max, d) => Math.max(max, d.id), 0) + 1,
    type: childText(aggregate, 'DataExtType') ?? 'STR255TYPE',
    assignToObjects: childTexts(aggregate, 'AssignToObject'),
  };
  defs.push(def);
  return {
    rets: [
      {
        name: 'DataExtDefRet',
        value: {
          OwnerID: def.ownerId,
          DataExtID: String(def.id),
          DataExtName: def.name,
          DataExtType: def.type,
          AssignToObject: def.assignToObjects,
          DataExtListRequire: 'false',
          DataExtTxnRequire: 'false',
          DataExtFormatString: '',
        },
      },
    ],
  };
};

/** Data may be written only to a defined extension assigned to the target's object type (3120 otherwise) [G: the code]. */
function requireDataExtDef(ctx: RequestContext, ownerId: string, name: string, target: DataExtTarget): void {
  const def = findDataExtDef(ctx, ownerId, name);
  const objectType = target.kind === 'company' ? 'Company' : target.listType;
  if (!def || !def.assignToObjects.includes(objectType)) refuse(QB_STATUS.objectNotFound(`${name} (no data extension definition for ${objectType})`));
}

/** DataExtAdd: a new private extension; one that exists already is refused like a duplicate name (3100) [G]. */
const dataExtAdd: RequestHandler = (ctx) => {
  const aggregate = requestAggregate(ctx, 'DataExtAdd');
  const ownerId = childText(aggregate, 'OwnerID') ?? '';
  const name = childText(aggregate, 'DataExtName') ?? '';
  const value = childText(aggregate, 'DataExtValue') ?? '';
  const target = dataExtTarget(ctx, aggregate);
  requireDataExtDef(ctx, ownerId, name, target);
  if (target.kind === 'company') {
    if (ctx.company.findCompanyDataExt(ownerId, name)) refuse(QB_STATUS.nameInUse(name));
    ctx.company.data.companyDataExts.push({ ownerId, name, value });
  } else {
    if (listExtValue(target.record, ownerId, name) !== undefined) refuse(QB_STATUS.nameInUse(name));
    setListExt(target.record, ownerId, name, value);
  }
  return { rets: [{ name: 'DataExtRet', value: dataExtRet(ownerId, name, value) }] };
};

/** DataExtMod: changes an existing extension (3120 when there is none). */
const dataExtMod: RequestHandler = (ctx) => {
  const aggregate = requestAggregate(ctx, 'DataExtMod');
  const ownerId = childText(aggregate, 'OwnerID') ?? '';
  const name = childText(aggregate, 'DataExtName') ?? '';
  const value = childText(aggregate, 'DataExtValue') ?? '';
  const target = dataExtTarget(ctx, aggregate);
  if (target.kind === 'company') {
    const ext = ctx.company.findCompanyDataExt(ownerId, name);
    if (!ext) refuse(QB_STATUS.objectNotFound(name));
    ext.value = value;
  } else {
    if (listExtValue(target.record, ownerId, name) === undefined) refuse(QB_STATUS.objectNotFound(name));
    setListExt(target.record, ownerId, name, value);
  }
  return { rets: [{ name: 'DataExtRet', value: dataExtRet(ownerId, name, value) }] };
};

/** DataExtDel: removes an extension (3120 when there is none). */
const dataExtDel: RequestHandler = (ctx) => {
  const aggregate = requestAggregate(ctx, 'DataExtDel');
  const ownerId = childText(aggregate, 'OwnerID') ?? '';
  const name = childText(aggregate, 'DataExtName') ?? '';
  const target = dataExtTarget(ctx, aggregate);
  let typeFields: RetAggregate;
  if (target.kind === 'company') {
    const ext = ctx.company.findCompanyDataExt(ownerId, name);
    if (!ext) refuse(QB_STATUS.objectNotFound(name));
    ctx.company.data.companyDataExts.splice(ctx.company.data.companyDataExts.indexOf(ext), 1);
    typeFields = { OtherDataExtType: 'Company' };
  } else {
    if (listExtValue(target.record, ownerId, name) === undefined) refuse(QB_STATUS.objectNotFound(name));
    const owner = Object.keys(target.record.dataExts!).find((o) => o.toUpperCase() === ownerId.toUpperCase())!;
    delete target.record.dataExts![owner]![name];
    typeFields = { ListDataExtType: target.listType, ListObjRef: refRet(ctx.company, target.record.listId) };
  }
  return {
    rets: [{ name: 'DataExtDelRet', value: { OwnerID: ownerId, DataExtName: name, ...typeFields, TimeDeleted: ctx.company.stamps.timestamp() } }],
  };
};

/** Host/company/preferences and data extension handlers, by request element name. */
export const companyHandlers: Record<string, RequestHandler> = {
  HostQueryRq: hostQuery,
  CompanyQueryRq: companyQuery,
  PreferencesQueryRq: preferencesQuery,
  DataExtDefAddRq: dataExtDefAdd,
  DataExtAddRq: dataExtAdd,
  DataExtModRq: dataExtMod,
  DataExtDelRq: dataExtDel,
};
