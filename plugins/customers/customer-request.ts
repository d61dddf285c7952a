/**
 * The QuickBooks customer an Autotask organization becomes: its name (with `~` for jobs), its fields, and
 * the CustomerAdd / CustomerMod / CustomerQuery requests built from them. Shared by translate (first
 * request) and handleResponse (follow-ups).
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/customeradd
 */
import {
  QB_LIMITS,
  billingAddressOf,
  compact,
  externalGuid,
  fit,
  fitNamePath,
  listedReference,
  normalizedLevels,
  qbAddress,
  qbRef,
  withNameSuffix,
  type ConnectorSettings,
  type DataProblem,
  type NameHolder,
  type Organization,
  type PlannedRequest,
  type TranslateContext,
} from '../sdk/index.js';

/** QuickBooks' limit for a customer or job name (one level of the full name). */
export const NAME_MAX = QB_LIMITS.customerName;
/** What a new customer's name gets when a vendor, employee or other name already uses it (policy SUFFIX). */
export const COLLISION_SUFFIX = ' (C)';
/** The elements customer queries ask for: enough to link the organization. */
const INCLUDE = ['ListID', 'FullName', 'EditSequence', 'ExternalGUID'];

/** A customer's place in QuickBooks' customer:job hierarchy. */
export interface CustomerName {
  /** The levels, top first: `Parent~Child` → `["Parent", "Child"]`. */
  readonly path: readonly string[];
  /** `Parent:Child`. */
  readonly fullName: string;
  /** The last level: the `Name` of the CustomerAdd. */
  readonly name: string;
  /** The parent's full name, for jobs. */
  readonly parentFullName: string | undefined;
  /** Levels the long-name policy shortened, as Autotask names them. */
  readonly shortened: readonly string[];
  /**
   * The full name earlier versions gave it (each level cut to 41 characters): a linked customer of that name
   * is this organization's, not a rename.
   */
  readonly legacyFullName: string;
}

/** The customer name of an organization under the connector's long-name policy: the name, or a problem. */
export function fittedCustomerName(
  organization: Pick<Organization, 'name'>,
  connector: Pick<ConnectorSettings, 'longNamePolicy'>,
): { readonly name?: CustomerName; readonly problem?: string } {
  const fitted = fitNamePath(organization.name, NAME_MAX, connector.longNamePolicy, 'a QuickBooks customer name');
  if (!fitted.ok) return { problem: fitted.message };
  const { path, shortened } = fitted;
  if (path.length === 0) return {};
  return {
    name: {
      path,
      fullName: path.join(':'),
      name: path[path.length - 1]!,
      parentFullName: path.length > 1 ? path.slice(0, -1).join(':') : undefined,
      shortened,
      legacyFullName: normalizedLevels(organization.name).map((level) => fit(level, NAME_MAX).trim()).join(':'),
    },
  };
}

/** The customer name of an organization; undefined when it has none (or the FAIL policy refuses it). */
export function customerName(organization: Pick<Organization, 'name'>, connector: Pick<ConnectorSettings, 'longNamePolicy'>): CustomerName | undefined {
  return fittedCustomerName(organization, connector).name;
}

/** The ExternalGUID of the customer an organization becomes in this connector's file. */
export function customerGuid(organization: Pick<Organization, 'id'>, ctx: TranslateContext): string {
  return externalGuid(ctx.connector, 'ORGANIZATION', organization.id);
}

/** A name with the collision suffix, shortened (never cut) so that the whole stays within 41 characters. */
export function withSuffix(name: string): string {
  return withNameSuffix(name, COLLISION_SUFFIX, NAME_MAX);
}

/** The full name with the collision suffix on its last level. */
export function suffixedFullName(name: CustomerName): string {
  return [...name.path.slice(0, -1), withSuffix(name.name)].join(':');
}

/** Whether QuickBooks' full name is this customer's (QuickBooks compares names without regard to case). */
export function isSameCustomerName(qbFullName: string, name: CustomerName): boolean {
  const actual = qbFullName.toLowerCase();
  return actual === name.fullName.toLowerCase() || actual === suffixedFullName(name).toLowerCase() || actual === name.legacyFullName.toLowerCase();
}

/** Full names to look the customer up by: the name, and under the SUFFIX policy also the suffixed one. */
export function lookupNames(name: CustomerName, ctx: TranslateContext): string[] {
  return ctx.connector.customerNameCollision === 'SUFFIX' ? [name.fullName, suffixedFullName(name)] : [name.fullName];
}

const LIST_WORDS: Readonly<Record<NameHolder['list'], string>> = { VENDOR: 'vendor', EMPLOYEE: 'employee', OTHER_NAME: 'other name' };

/**
 * Why a new customer of this name would fail with 3100, known before sending: its top-level name (its own,
 * or for a job its top customer's) is a vendor's, employee's or other name's in the synced lists. Undefined
 * when nothing clashes, or when the SUFFIX policy will add the customer under the suffixed name instead.
 */
export function nameClash(name: CustomerName, ctx: TranslateContext): string | undefined {
  const top = name.path[0]!;
  const holder = ctx.nameTakenBy(top);
  if (!holder) return undefined;
  const shared = `QuickBooks shares one name list between customers, vendors, employees and other names`;
  if (name.path.length > 1) {
    return `The parent customer "${top}" of this job cannot be added: QuickBooks has the ${LIST_WORDS[holder.list]} "${holder.name}" (${shared}). Rename one of them in QuickBooks or Autotask, then transfer again.`;
  }
  if (ctx.connector.customerNameCollision === 'SUFFIX') return undefined;
  return (
    `The name "${top}" is already used in QuickBooks by the ${LIST_WORDS[holder.list]} "${holder.name}" (${shared}): rename one of them in QuickBooks or Autotask, ` +
    `or set the connector's customer name collision policy to SUFFIX to add such customers as "${withSuffix(top)}".`
  );
}

/** The name a new customer is added under: suffixed when SUFFIX is the policy and the name is known to be taken. */
export function nameToAdd(name: CustomerName, ctx: TranslateContext): CustomerName {
  if (name.path.length > 1 || ctx.connector.customerNameCollision !== 'SUFFIX' || !ctx.nameTakenBy(name.name)) return name;
  const suffixed = withSuffix(name.name);
  return { ...name, path: [suffixed], fullName: suffixed, name: suffixed };
}

/**
 * The sales rep (the organization's account manager) and customer type (its classification), each checked
 * against the synced list: the references to send, and the problems that fail the customer before sending.
 */
export function customerReferences(organization: Organization, ctx: TranslateContext): { readonly refs: Record<string, unknown>; readonly problems: DataProblem[] } {
  const rep = listedReference(ctx, 'ACCOUNT_MANAGER', organization.ownerResourceId, 'ownerResourceId', `account manager (resource ${organization.ownerResourceId})`);
  const type = listedReference(ctx, 'CLASSIFICATION', organization.classificationId, 'classificationId', `classification ${organization.classificationId}`);
  return {
    refs: { SalesRepRef: rep.ref && qbRef(rep.ref), CustomerTypeRef: type.ref && qbRef(type.ref) },
    problems: [rep.problem, type.problem].filter((p): p is DataProblem => !!p),
  };
}

/** The fields we keep in step with Autotask (everything but the name and the parent). */
function customerFields(organization: Organization, name: CustomerName, ctx: TranslateContext): Record<string, unknown> {
  const terms = organization.paymentTermId ? ctx.termsFor(organization.paymentTermId) : undefined;
  const taxCode = ctx.salesTaxCode(!organization.taxExempt);
  // A job belongs to its top-level customer's company; a display field, so cut (never a key: the name is).
  const companyName = fit(normalizedLevels(organization.name)[0] ?? name.path[0]!, 41).trim();
  return {
    CompanyName: companyName,
    BillAddress: qbAddress(billingAddressOf(organization), companyName),
    Phone: organization.phone && fit(organization.phone.trim(), 21),
    Fax: organization.fax && fit(organization.fax.trim(), 21),
    Email: organization.email && fit(organization.email.trim(), 1023),
    TermsRef: terms && qbRef(terms),
    SalesTaxCodeRef: taxCode && qbRef(taxCode),
    ...customerReferences(organization, ctx).refs,
  };
}

/**
 * CustomerAdd for the organization, preceded for a job by CustomerAdds of its parents (prerequisites: their
 * "already exists", 3100, is fine). A name known to be taken arrives suffixed already ({@link nameToAdd}).
 */
export function addRequests(organization: Organization, name: CustomerName, ctx: TranslateContext): PlannedRequest[] {
  const parents: PlannedRequest[] = name.path.slice(0, -1).map((level, i) => ({
    type: 'CustomerAddRq',
    role: 'prerequisite',
    body: { CustomerAdd: compact({ Name: level, ParentRef: i > 0 ? { FullName: name.path.slice(0, i).join(':') } : undefined }) },
  }));
  const add: PlannedRequest = {
    type: 'CustomerAddRq',
    role: 'main',
    body: {
      CustomerAdd: compact({
        Name: name.name,
        ParentRef: name.parentFullName ? { FullName: name.parentFullName } : undefined,
        ...customerFields(organization, name, ctx),
        ExternalGUID: customerGuid(organization, ctx),
      }),
    },
  };
  return [...parents, add];
}

/**
 * CustomerMod with our fields; with the name too when QuickBooks' full name (if known) is not this
 * organization's name any more (a rename in Autotask).
 */
export function modRequest(organization: Organization, name: CustomerName, ctx: TranslateContext, current: { listId: string; editSequence: string; fullName?: string | null }): PlannedRequest {
  const rename = !!current.fullName && !isSameCustomerName(current.fullName, name);
  return {
    type: 'CustomerModRq',
    role: 'main',
    body: {
      CustomerMod: compact({
        ListID: current.listId,
        EditSequence: current.editSequence,
        ...(rename ? { Name: name.name, ParentRef: name.parentFullName ? { FullName: name.parentFullName } : undefined } : {}),
        ...customerFields(organization, name, ctx),
      }),
    },
  };
}

/** CustomerQuery by full name(s): finds a customer or job of that name, active or not. */
export function queryByName(names: readonly string[]): PlannedRequest {
  return { type: 'CustomerQueryRq', role: 'main', body: { FullName: [...names], IncludeRetElement: INCLUDE } };
}

/** CustomerQuery by ListID: the linked customer's current EditSequence and name. */
export function queryByListId(listId: string): PlannedRequest {
  return { type: 'CustomerQueryRq', role: 'main', body: { ListID: [listId], IncludeRetElement: INCLUDE } };
}
