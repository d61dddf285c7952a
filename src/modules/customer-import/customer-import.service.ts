/**
 * Customer import: QuickBooks customers (each connector's synced copy, ../quickbooks-lists) → Autotask
 * organizations linked by ListID. `previewCustomerImport` classifies every top-level customer; `applyCustomerImport`
 * recomputes that preview and carries out its default actions, overridden per row by decisions. The lifecycle
 * and the rules are in README.md next to this file.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, isAppError, type FieldProblem } from '../../errors/app-error.js';
import { getAutotaskConnection, reusingClient, type AutotaskRuntime } from '../../psa/autotask/autotask-connection.service.js';
import type { QuickBooksCustomer } from '../../psa/autotask/mapping.js';
import { createAutotaskCompany } from '../../psa/autotask/write-back.js';
import { Organization, OrganizationQbLink } from '../autotask/organization.entity.js';
import { Connector } from '../connector/connector.entity.js';
import { QuickBooksListElement } from '../quickbooks-lists/list-element.entity.js';
import { QuickBooksListSync } from '../quickbooks-lists/list-sync-state.entity.js';
import { QuickBooksList } from '../quickbooks-lists/quickbooks-list.js';
import { comparable, NearDuplicateFinder, normaliseCompanyName, type ComparableName } from './customer-names.js';
import { DEFAULT_SIMILARITY_THRESHOLD, MAX_IMPORT_CONNECTORS } from './customer-import.inputs.js';
import {
  CustomerImportAction,
  CustomerImportConflict,
  CustomerImportConflictKind,
  CustomerImportConnector,
  CustomerImportOutcome,
  CustomerImportPreview,
  CustomerImportResult,
  CustomerImportRow,
  CustomerImportRowResult,
  CustomerImportSummary,
  CustomerImportVerdict,
} from './customer-import.types.js';

export interface CustomerImportOptions {
  readonly includeInactive?: boolean;
  readonly similarityThreshold?: number;
}

export interface CustomerImportDecision {
  readonly connectorId: string;
  readonly listId: string;
  readonly action: CustomerImportAction;
  readonly organizationId?: string | null;
}

export interface ApplyCustomerImportRequest {
  readonly connectorIds: readonly string[];
  readonly options?: CustomerImportOptions | null;
  /** NEW rows default to CREATE instead of SKIP. */
  readonly createNew?: boolean;
  readonly decisions?: readonly CustomerImportDecision[] | null;
}

export interface CustomerImportProgress {
  /** Rows finished so far (this one included) and in all. */
  readonly done: number;
  readonly total: number;
  readonly row: CustomerImportRowResult;
}

/** Near-duplicates listed per row, most alike first. */
const MAX_NEAR_DUPLICATES = 3;

// ---- preview ----------------------------------------------------------------------------------------------

export async function previewCustomerImport(em: EntityManager, connectorIds: readonly string[], options: CustomerImportOptions = {}): Promise<CustomerImportPreview> {
  const threshold = options.similarityThreshold ?? DEFAULT_SIMILARITY_THRESHOLD;
  const connectors = await loadConnectors(em, connectorIds, threshold);
  const ids = connectors.map((c) => c.id);
  const [elements, taxCodes, links, organizations, syncs] = await Promise.all([
    em.find(QuickBooksListElement, { connector: { $in: ids }, list: QuickBooksList.CUSTOMER }),
    em.find(QuickBooksListElement, { connector: { $in: ids }, list: QuickBooksList.SALES_TAX_CODE }),
    em.find(OrganizationQbLink, { connector: { $in: ids } }, { populate: ['organization'] }),
    em.find(Organization, {}, { orderBy: { name: 'asc', id: 'asc' } }),
    em.find(QuickBooksListSync, { connector: { $in: ids }, list: QuickBooksList.CUSTOMER }),
  ]);

  const taxableByCode = new Map(taxCodes.map((c) => [key(c.connector.id, c.fullName), c.type === 'Taxable']));
  const linksByListId = groupBy(links, (l) => key(l.connector.id, l.listId));
  const linkOfOrganization = new Map(links.map((l) => [key(l.connector.id, l.organization.id), l]));
  const organizationsByName = groupBy(organizations, (o) => normaliseCompanyName(o.name));
  const comparableOrganizations = organizations.map((o) => ({ organization: o, name: comparable(normaliseCompanyName(o.name)) })).filter((o) => o.name.key);

  const rows: CustomerImportRow[] = [];
  const connectorInfo: CustomerImportConnector[] = [];
  for (const connector of connectors) {
    // Sorted here, not by the database: collations differ between PostgreSQL servers and the embedded one.
    const own = elements.filter((e) => e.connector.id === connector.id).sort(byFullName);
    // Jobs are work for a customer (projects, sites), not companies: only top-level customers are imported.
    const topLevel = own.filter((e) => e.parentListId === null && e.sublevel === 0);
    const included = topLevel.filter((e) => e.isActive || options.includeInactive);
    const sync = syncs.find((s) => s.connector.id === connector.id);
    connectorInfo.push(
      Object.assign(new CustomerImportConnector(), {
        connectorId: connector.id,
        name: connector.name,
        customersSyncedAt: latest(sync?.lastFullSyncAt, sync?.lastIncrementalSyncAt),
        customers: included.length,
        jobsSkipped: own.length - topLevel.length,
        inactiveSkipped: topLevel.length - included.length,
      } satisfies CustomerImportConnector),
    );
    for (const element of included) rows.push(classifyByOrganizations(rowOf(connector, element, taxableByCode), { linksByListId, linkOfOrganization, organizationsByName }));
  }
  addCustomerClashes(rows);
  addNearDuplicates(rows, comparableOrganizations, threshold);
  for (const row of rows) settle(row);

  return Object.assign(new CustomerImportPreview(), {
    rows,
    summary: summarise(rows),
    connectors: connectorInfo,
    warnings: connectorInfo
      .filter((c) => c.customersSyncedAt === null)
      .map((c) => `The customer list of connector "${c.name}" (${c.connectorId}) was never synced from QuickBooks: run a Web Connector update for it (or refreshQuickBooksLists) before importing.`),
  } satisfies CustomerImportPreview);
}

async function loadConnectors(em: EntityManager, connectorIds: readonly string[], threshold: number): Promise<Connector[]> {
  const problems: FieldProblem[] = [];
  if (connectorIds.length === 0) problems.push({ field: 'connectorIds', message: 'must name at least one connector' });
  if (connectorIds.length > MAX_IMPORT_CONNECTORS) problems.push({ field: 'connectorIds', message: `must name at most ${MAX_IMPORT_CONNECTORS} connectors` });
  connectorIds.forEach((id, i) => {
    if (connectorIds.indexOf(id) !== i) problems.push({ field: `connectorIds.${i}`, message: `repeats ${id}` });
  });
  if (!(threshold >= 0.5 && threshold <= 1)) problems.push({ field: 'options.similarityThreshold', message: 'must be between 0.5 and 1' });
  if (problems.length) throw AppError.invalidInput(problems);
  const found = await em.find(Connector, { id: { $in: [...connectorIds] } });
  const byId = new Map(found.map((c) => [c.id, c]));
  const missing = connectorIds.find((id) => !byId.has(id));
  if (missing) throw AppError.notFound('Connector', missing);
  return connectorIds.map((id) => byId.get(id)!);
}

/** `taxableByCode`: the connector's sales tax codes (connector, name) → taxable, for the customer's tax-exempt status. */
function rowOf(connector: Connector, element: QuickBooksListElement, taxableByCode: ReadonlyMap<string, boolean>): CustomerImportRow {
  const details = element.details as {
    companyName?: string;
    phone?: string;
    fax?: string;
    email?: string;
    billAddress?: CustomerImportRow['billAddress'];
    salesTaxCode?: { fullName?: string };
  };
  const taxCode = details.salesTaxCode?.fullName;
  const taxable = taxCode === undefined ? undefined : taxableByCode.get(key(connector.id, taxCode));
  return Object.assign(new CustomerImportRow(), {
    connectorId: connector.id,
    connectorName: connector.name,
    listId: element.listId,
    fullName: element.fullName,
    name: element.name,
    companyName: details.companyName ?? null,
    phone: details.phone ?? null,
    email: details.email ?? null,
    isActive: element.isActive,
    normalisedName: normaliseCompanyName(element.name),
    verdict: CustomerImportVerdict.NEW,
    organization: null,
    conflicts: [],
    defaultAction: null,
    editSequence: element.editSequence,
    fax: details.fax ?? null,
    billAddress: details.billAddress ?? null,
    taxExempt: taxable === undefined ? null : !taxable,
  } satisfies CustomerImportRow);
}

interface OrganizationIndex {
  readonly linksByListId: ReadonlyMap<string, OrganizationQbLink[]>;
  readonly linkOfOrganization: ReadonlyMap<string, OrganizationQbLink>;
  readonly organizationsByName: ReadonlyMap<string, Organization[]>;
}

/** LINKED by ListID, else MATCH by normalised name (the QuickBooks Name or its CompanyName), else NEW. */
function classifyByOrganizations(row: CustomerImportRow, index: OrganizationIndex): CustomerImportRow {
  const linked = index.linksByListId.get(key(row.connectorId, row.listId)) ?? [];
  if (linked.length > 0) {
    row.verdict = CustomerImportVerdict.LINKED;
    row.organization = linked[0]!.organization;
    if (linked.length > 1) {
      for (const link of linked) {
        row.conflicts.push(conflict(CustomerImportConflictKind.LIST_ID_LINKED_TWICE, `Organization "${link.organization.name}" (Autotask ${link.organization.autotaskId}) is linked to this customer too; keep one link.`, { organization: link.organization }));
      }
    }
    return row;
  }
  const names = unique([row.normalisedName, row.companyName ? normaliseCompanyName(row.companyName) : ''].filter(Boolean));
  const matches = unique(names.flatMap((name) => index.organizationsByName.get(name) ?? []));
  if (matches.length > 1) {
    for (const organization of matches) {
      row.conflicts.push(conflict(CustomerImportConflictKind.AMBIGUOUS_MATCH, `Organization "${organization.name}" (Autotask ${organization.autotaskId}) has this name too; decide which one to link.`, { organization }));
    }
    return row;
  }
  if (matches.length === 1) {
    const organization = matches[0]!;
    row.verdict = CustomerImportVerdict.MATCH;
    row.organization = organization;
    const other = index.linkOfOrganization.get(key(row.connectorId, organization.id));
    if (other) {
      row.conflicts.push(
        conflict(
          CustomerImportConflictKind.ORGANIZATION_LINKED_ELSEWHERE,
          `Organization "${organization.name}" is already linked to customer "${other.fullName}" (${other.listId}) of this company file; a connector links an organization to one customer.`,
          { organization, otherConnectorId: row.connectorId, otherListId: other.listId, otherFullName: other.fullName },
        ),
      );
    }
  }
  return row;
}

/** Customers not linked yet that share a normalised name: in one company file, or in two with different details. */
function addCustomerClashes(rows: readonly CustomerImportRow[]): void {
  const open = rows.filter((r) => r.verdict !== CustomerImportVerdict.LINKED && r.normalisedName);
  for (const group of groupBy(open, (r) => r.normalisedName).values()) {
    for (const row of group) {
      for (const other of group) {
        if (other === row) continue;
        if (other.connectorId === row.connectorId) {
          row.conflicts.push(
            customerConflict(CustomerImportConflictKind.SAME_NAME_IN_FILE, other, `Customer "${other.fullName}" of the same company file has the same name once normalised; importing both would give one organization two customers.`),
          );
        } else if (detailsDiffer(row, other)) {
          row.conflicts.push(
            customerConflict(
              CustomerImportConflictKind.SAME_NAME_DIFFERENT_DETAILS,
              other,
              `Customer "${other.fullName}" of connector "${other.connectorName}" has the same name but other details (${differingDetails(row, other).join(', ')}): the same company, or two?`,
            ),
          );
        }
      }
    }
  }
}

/** NEW rows whose name is very like an organization's or another customer's (numbers must be equal, see customer-names.ts). */
function addNearDuplicates(rows: readonly CustomerImportRow[], organizations: ReadonlyArray<{ organization: Organization; name: ComparableName }>, threshold: number): void {
  const customers = rows.filter((r) => r.normalisedName).map((row) => ({ row, name: comparable(row.normalisedName) }));
  for (const { row, name } of customers) {
    if (row.verdict !== CustomerImportVerdict.NEW || row.conflicts.length > 0) continue;
    const finder = new NearDuplicateFinder(name, threshold);
    const alike = [
      ...organizations.map(({ organization, name: other }) => ({ score: finder.score(other), organization, customer: undefined })),
      ...customers.filter((c) => c.row !== row).map(({ row: customer, name: other }) => ({ score: finder.score(other), organization: undefined, customer })),
    ]
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_NEAR_DUPLICATES);
    for (const { score, organization, customer } of alike) {
      row.conflicts.push(
        organization
          ? conflict(CustomerImportConflictKind.NEAR_DUPLICATE_ORGANIZATION, `Organization "${organization.name}" (Autotask ${organization.autotaskId}) has a very similar name (${score}); link to it or create a new one.`, { organization, score })
          : { ...customerConflict(CustomerImportConflictKind.NEAR_DUPLICATE_CUSTOMER, customer!, `Customer "${customer!.fullName}" of connector "${customer!.connectorName}" has a very similar name (${score}); one company or two?`), score },
      );
    }
  }
}

/** Any conflict makes the row a CONFLICT; the default action follows the verdict. */
function settle(row: CustomerImportRow): void {
  if (row.conflicts.length > 0) row.verdict = CustomerImportVerdict.CONFLICT;
  row.defaultAction =
    row.verdict === CustomerImportVerdict.LINKED ? null
    : row.verdict === CustomerImportVerdict.MATCH ? CustomerImportAction.LINK
    : row.verdict === CustomerImportVerdict.NEW ? CustomerImportAction.CREATE
    : CustomerImportAction.SKIP;
}

function summarise(rows: readonly CustomerImportRow[]): CustomerImportSummary {
  const count = (verdict: CustomerImportVerdict) => rows.filter((r) => r.verdict === verdict).length;
  return Object.assign(new CustomerImportSummary(), {
    total: rows.length,
    linked: count(CustomerImportVerdict.LINKED),
    matched: count(CustomerImportVerdict.MATCH),
    new: count(CustomerImportVerdict.NEW),
    conflicts: count(CustomerImportVerdict.CONFLICT),
  } satisfies CustomerImportSummary);
}

/** Details both customers have that disagree (a detail only one of them has is no contradiction). */
function differingDetails(a: CustomerImportRow, b: CustomerImportRow): string[] {
  const compared: Array<[string, (r: CustomerImportRow) => string]> = [
    ['company name', (r) => normaliseCompanyName(r.companyName ?? '')],
    ['phone', (r) => (r.phone ?? '').replace(/\D/g, '')],
    ['e-mail', (r) => (r.email ?? '').trim().toLowerCase()],
  ];
  return compared.filter(([, value]) => value(a) && value(b) && value(a) !== value(b)).map(([label]) => label);
}

function detailsDiffer(a: CustomerImportRow, b: CustomerImportRow): boolean {
  return differingDetails(a, b).length > 0;
}

function conflict(kind: CustomerImportConflictKind, message: string, about: Partial<CustomerImportConflict> = {}): CustomerImportConflict {
  return Object.assign(new CustomerImportConflict(), { kind, message, organization: null, otherConnectorId: null, otherListId: null, otherFullName: null, score: null, ...about });
}

function customerConflict(kind: CustomerImportConflictKind, other: CustomerImportRow, message: string): CustomerImportConflict {
  return conflict(kind, message, { otherConnectorId: other.connectorId, otherListId: other.listId, otherFullName: other.fullName });
}

// ---- apply ------------------------------------------------------------------------------------------------

/**
 * Recomputes the preview and applies each row's action: its decision, else its default (NEW rows only with
 * createNew). Rows run one after another; a failing row is reported and the others go on. Idempotent: a
 * customer linked already is ALREADY_LINKED, and creating reuses an Autotask company of exactly that name.
 * Changes are audited by the flush subscriber under the caller's actor (asActor).
 */
export async function applyCustomerImport(
  em: EntityManager,
  runtime: AutotaskRuntime,
  request: ApplyCustomerImportRequest,
  onProgress?: (progress: CustomerImportProgress) => void,
): Promise<CustomerImportResult> {
  const autotask = reusingClient(runtime);
  const preview = await previewCustomerImport(em, request.connectorIds, request.options ?? {});
  const decisions = await checkDecisions(em, preview, request.decisions ?? []);
  const autotaskConfigured = (await getAutotaskConnection(em)) !== null;
  /**
   * Organizations created in this run for NEW rows, by normalised name: the preview judged same-named NEW customers
   * of several files to be one company, so it is created once. A CONFLICT row someone decided to CREATE gets its own.
   */
  const createdByName = new Map<string, Organization>();

  const results: CustomerImportRowResult[] = [];
  for (const row of preview.rows) {
    const decision = decisions.get(key(row.connectorId, row.listId));
    const action = decision ? decision.action : defaultActionOf(row, request.createNew === true);
    const result: CustomerImportRowResult = Object.assign(new CustomerImportRowResult(), {
      connectorId: row.connectorId,
      listId: row.listId,
      fullName: row.fullName,
      verdict: row.verdict,
      action,
      outcome: CustomerImportOutcome.SKIPPED,
      organization: row.organization,
      errorCode: null,
      errorMessage: null,
    } satisfies CustomerImportRowResult);
    try {
      if (action === null) result.outcome = CustomerImportOutcome.ALREADY_LINKED;
      else if (action === CustomerImportAction.LINK) {
        const organization = decision?.organization ?? row.organization!;
        result.organization = organization;
        result.outcome = await linkCustomer(em.fork(), row, organization);
      } else if (action === CustomerImportAction.CREATE) {
        const sameCompany = row.verdict === CustomerImportVerdict.NEW && row.normalisedName !== '';
        const earlier = sameCompany ? createdByName.get(row.normalisedName) : undefined;
        if (earlier) {
          result.organization = earlier;
          result.outcome = await linkCustomer(em.fork(), row, earlier);
        } else {
          if (!autotaskConfigured) throw autotaskConnectionRequired();
          const { organization, outcome } = await createOrganization(em.fork(), autotask, row);
          result.organization = organization;
          result.outcome = outcome;
          if (sameCompany) createdByName.set(row.normalisedName, organization);
        }
      }
    } catch (error) {
      result.outcome = CustomerImportOutcome.FAILED;
      if (isAppError(error)) {
        result.errorCode = error.code;
        result.errorMessage = error.message;
      } else {
        runtime.logger?.error({ err: error, connectorId: row.connectorId, listId: row.listId }, 'customer import: a row failed unexpectedly');
        result.errorCode = 'INTERNAL';
        result.errorMessage = 'Unexpected error while importing this customer; the service log has the details.';
      }
    }
    results.push(result);
    onProgress?.({ done: results.length, total: preview.rows.length, row: result });
  }
  const count = (outcome: CustomerImportOutcome) => results.filter((r) => r.outcome === outcome).length;
  return Object.assign(new CustomerImportResult(), {
    rows: results,
    linked: count(CustomerImportOutcome.LINKED),
    created: count(CustomerImportOutcome.CREATED),
    alreadyLinked: count(CustomerImportOutcome.ALREADY_LINKED),
    skipped: count(CustomerImportOutcome.SKIPPED),
    failed: count(CustomerImportOutcome.FAILED),
  } satisfies CustomerImportResult);
}

function defaultActionOf(row: CustomerImportRow, createNew: boolean): CustomerImportAction | null {
  return row.defaultAction === CustomerImportAction.CREATE && !createNew ? CustomerImportAction.SKIP : row.defaultAction;
}

interface CheckedDecision {
  readonly action: CustomerImportAction;
  readonly organization: Organization | null;
}

/** Every decision must name a row of the preview once; LINK needs an organization (its own or the row's match). */
async function checkDecisions(em: EntityManager, preview: CustomerImportPreview, decisions: readonly CustomerImportDecision[]): Promise<Map<string, CheckedDecision>> {
  const rows = new Map(preview.rows.map((r) => [key(r.connectorId, r.listId), r]));
  const organizationIds = unique(decisions.flatMap((d) => (d.organizationId ? [d.organizationId] : [])));
  const organizations = new Map((organizationIds.length ? await em.find(Organization, { id: { $in: organizationIds } }) : []).map((o) => [o.id, o]));
  const problems: FieldProblem[] = [];
  const checked = new Map<string, CheckedDecision>();
  decisions.forEach((decision, i) => {
    const field = `decisions.${i}`;
    const rowKey = key(decision.connectorId, decision.listId);
    const row = rows.get(rowKey);
    if (!row) {
      problems.push({ field: `${field}.listId`, message: `is not a top-level customer of connector ${decision.connectorId} in this import (sync its customer list, or check includeInactive)` });
      return;
    }
    if (checked.has(rowKey)) problems.push({ field, message: `repeats the decision for customer ${decision.listId}` });
    if (decision.action === CustomerImportAction.CREATE && row.verdict === CustomerImportVerdict.LINKED) {
      problems.push({ field: `${field}.action`, message: `cannot be CREATE: customer "${row.fullName}" is linked to organization "${row.organization?.name}" already` });
    }
    let organization: Organization | null = null;
    if (decision.organizationId) {
      organization = organizations.get(decision.organizationId) ?? null;
      if (decision.action !== CustomerImportAction.LINK) problems.push({ field: `${field}.organizationId`, message: 'is only for the LINK action' });
      else if (!organization) problems.push({ field: `${field}.organizationId`, message: `no organization has id ${decision.organizationId}` });
    } else if (decision.action === CustomerImportAction.LINK) {
      organization = row.organization;
      if (!organization) problems.push({ field: `${field}.organizationId`, message: 'is required: this customer has no matching organization to link to' });
    }
    checked.set(rowKey, { action: decision.action, organization });
  });
  if (problems.length) throw AppError.invalidInput(problems);
  return checked;
}

/** Stores the link of one customer to one organization in the row's connector, unless either is linked otherwise. */
async function linkCustomer(em: EntityManager, row: CustomerImportRow, organization: Organization): Promise<CustomerImportOutcome> {
  return em.transactional(async (tx) => {
    const sameCustomer = await tx.find(OrganizationQbLink, { connector: row.connectorId, listId: row.listId }, { populate: ['organization'] });
    const sameOrganization = await tx.findOne(OrganizationQbLink, { connector: row.connectorId, organization: organization.id });
    if (sameCustomer.some((l) => l.organization.id === organization.id)) return CustomerImportOutcome.ALREADY_LINKED;
    const other = sameCustomer[0]?.organization;
    if (other) {
      throw new AppError(
        'CUSTOMER_LINK_CONFLICT',
        `Customer "${row.fullName}" (${row.listId}) of connector "${row.connectorName}" is already linked to organization "${other.name}" (Autotask ${other.autotaskId}); it was not linked to "${organization.name}".`,
      );
    }
    if (sameOrganization) throw organizationLinkedElsewhere(row, organization, sameOrganization);
    const link = new OrganizationQbLink(tx.getReference(Organization, organization.id), tx.getReference(Connector, row.connectorId), row.listId, row.fullName);
    link.editSequence = row.editSequence;
    await tx.persist(link).flush();
    return CustomerImportOutcome.LINKED;
  });
}

/** An Autotask company from the customer (or the one of exactly its name), stored as an organization and linked. */
async function createOrganization(em: EntityManager, runtime: AutotaskRuntime, row: CustomerImportRow): Promise<{ organization: Organization; outcome: CustomerImportOutcome }> {
  if (!row.phone?.trim()) {
    // The minimum company Autotask is known to accept has a phone (docs §5.4); failing here names the customer and the way out.
    throw new AppError(
      'VALIDATION_FAILED',
      `Autotask needs a phone number for every new company, and QuickBooks customer "${row.fullName}" has no phone number: add one in QuickBooks ` +
        '(the next list sync brings it), or link the customer to an existing organization.',
      { fields: [{ field: 'phone', message: 'is required to create an Autotask company' }] },
    );
  }
  const customer: QuickBooksCustomer = {
    connectorId: row.connectorId,
    listId: row.listId,
    fullName: row.fullName,
    editSequence: row.editSequence,
    // The QuickBooks Name rather than CompanyName: the customers plugin compares the organization's name with the
    // customer's, and would otherwise rename the QuickBooks customer the next time the organization is sent.
    name: row.name,
    phone: row.phone,
    fax: row.fax,
    email: row.email,
    billAddress: row.billAddress,
    taxExempt: row.taxExempt,
    isActive: row.isActive,
  };
  const created = await createAutotaskCompany(em, runtime, customer);
  if (created.link?.listId !== row.listId) {
    // createAutotaskCompany keeps an organization's existing link in the connector: this one is linked to another customer.
    throw organizationLinkedElsewhere(row, created.organization, created.link);
  }
  return { organization: created.organization, outcome: created.created ? CustomerImportOutcome.CREATED : CustomerImportOutcome.LINKED };
}

function organizationLinkedElsewhere(row: CustomerImportRow, organization: Organization, link: OrganizationQbLink | null): AppError {
  return new AppError(
    'CUSTOMER_LINK_CONFLICT',
    `Organization "${organization.name}" (Autotask ${organization.autotaskId}) is already linked to customer "${link?.fullName}" (${link?.listId}) of connector "${row.connectorName}"; ` +
      `a connector links an organization to one customer. Link "${row.fullName}" to another organization, or skip it.`,
  );
}

export function autotaskConnectionRequired(): AppError {
  return new AppError(
    'AUTOTASK_CONNECTION_REQUIRED',
    'Creating an organization creates a company in Autotask, and no Autotask connection is set up: an admin sets one with setAutotaskConnection ' +
      '(with newCompanyOwnerResourceId), or decide LINK to an existing organization or SKIP for this customer.',
  );
}

// ---- small helpers ----------------------------------------------------------------------------------------

function key(a: string, b: string): string {
  return `${a}\u0000${b}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function byFullName(a: QuickBooksListElement, b: QuickBooksListElement): number {
  const x = a.fullName.toLowerCase();
  const y = b.fullName.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.listId < b.listId ? -1 : a.listId > b.listId ? 1 : 0;
}

function latest(...dates: Array<Date | null | undefined>): Date | null {
  const times = dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return times.length ? new Date(Math.max(...times)) : null;
}
