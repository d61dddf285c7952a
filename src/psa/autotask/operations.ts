/**
 * Pull operations: read from Autotask, map (mapping.ts), validate with the same rules as the GraphQL push
 * inputs, store with the Autotask service's upserts, and queue invoices in the transfer ledger.
 *
 * Record-level problems (a company that fails validation, an invoice without visible billing items) are
 * collected in the summary and the rest carries on; Autotask failures of a main query stop the pull.
 * Lookups that only provide names (countries, templates, payment terms, billing codes, roles) are tolerant:
 * a failure is reported and the names stay empty.
 */
import { validate, type ValidationError } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../app/logger.js';
import type { FieldProblem } from '../../errors/app-error.js';
import type { Actor } from '../../modules/audit/actor.js';
import { markInvoicesVoided, upsertInvoices, upsertOrganizations, upsertResources, upsertTimeEntries } from '../../modules/autotask/autotask.service.js';
import { isHoursWorked, HOURS_WORKED_RULE } from '../../modules/autotask/autotask-values.js';
import { Resource } from '../../modules/autotask/resource.entity.js';
import { upsertExpenseReports } from '../../modules/expenses/expenses.service.js';
import type { InvoiceInput, OrganizationInput, ResourceInput } from '../../modules/autotask/autotask.inputs.js';
import { Organization } from '../../modules/autotask/organization.entity.js';
import type { Invoice } from '../../modules/autotask/invoice.entity.js';
import { resolveRoutes } from '../../modules/routing/routing.service.js';
import { RouteSubject } from '../../modules/routing/route.entity.js';
import { TransferItem } from '../../modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../modules/transfer/transfer-state.js';
import { enqueueAll, type EnqueueRequest } from '../../modules/transfer/transfer-ledger.js';
import type { MappingSourceKind } from '../../modules/mapping/mapping-source.js';
import type { TransmissionMethod } from '../../modules/connector/connector-settings.js';
import { AutotaskConnection, AutotaskInvoiceSelection } from './autotask-connection.entity.js';
import type { AutotaskClient } from './client.js';
import { AutotaskApiError } from './errors.js';
import { chunk, where, type AtFilter } from './filter.js';
import {
  companyToOrganization, companyToVendor, expenseReportStatusesFromLabels, expenseReportToInput, invoiceMethodsFromLabels, invoiceToInput, onHandTotals, picklistLabels,
  productToInput, purchaseOrderStatusesFromLabels, purchaseOrderToInput, resourceToInput, timeEntryToInput, toAutotaskDate, toAutotaskDateTime,
  type CompanyLookups, type ExpenseLookups, type InvoiceLookups, type WorkPlace,
} from './mapping.js';
import { upsertProducts, upsertPurchaseOrders, upsertVendors } from '../../modules/purchasing/purchasing.service.js';
import { PurchaseOrderStatus } from '../../modules/purchasing/purchase-order-status.js';
import type { AutotaskPullSummary } from './pull-summary.js';
import type {
  AtBillingCode,
  AtBillingItem,
  AtCompany,
  AtCountry,
  AtInvoice,
  AtInvoiceTemplate,
  AtPaymentTerm,
  AtResource,
  AtRole,
  AtInventoryItem,
  AtInventoryLocation,
  AtProduct,
  AtPurchaseOrder,
  AtPurchaseOrderItem,
  AtPurchaseOrderItemReceiving,
  AtExpenseItem,
  AtExpenseReport,
  AtFieldInfo,
  AtProject,
  AtTask,
  AtTicket,
  AtTimeEntry,
} from './types.js';

/** Ids per `in` filter: one OR condition each, well under the 500 Autotask allows (docs §2.2 #49). */
export const IDS_PER_QUERY = 200;
/** Records per upsert call (and transaction). */
const UPSERT_CHUNK = 500;

export interface PullContext {
  readonly em: EntityManager;
  readonly client: AutotaskClient;
  readonly connection: AutotaskConnection;
  readonly summary: AutotaskPullSummary;
  /** Who queued the invoices (shown as queuedBy) and authored the stored changes. */
  readonly actor: Actor;
  readonly logger?: Logger;
  /** Throws when the run must stop (shutdown, lock lost). */
  checkpoint(): void;
}

/** Every resource (active or not: old timesheets name inactive ones). */
export async function pullResources(ctx: PullContext): Promise<void> {
  const records = await ctx.client.queryAll<AtResource>('Resources', { filter: [where.all()] });
  ctx.checkpoint();
  const inputs = await validRecords(ctx, 'Resources', records.map(resourceToInput), (r) => r.autotaskId);
  for (const part of chunk(inputs, UPSERT_CHUNK)) {
    ctx.summary.resources.add(await upsertResources(ctx.em, { resources: part }));
  }
}

/**
 * Companies by id, or every active company; stored as organizations. Returns the Autotask ids stored
 * (now or before), so invoices can tell whether their organization exists.
 */
export async function pullCompanies(ctx: PullContext, ids: readonly number[] | 'all-active', paymentTerms?: Map<number, AtPaymentTerm>): Promise<Set<number>> {
  const companies =
    ids === 'all-active'
      ? await ctx.client.queryAll<AtCompany>('Companies', { filter: [where.eq<AtCompany>('isActive', true)] })
      : await queryByIds<AtCompany>(ctx, 'Companies', 'id', ids);
  ctx.checkpoint();
  const lookups: CompanyLookups = {
    countries: await lookup<AtCountry>(ctx, 'Countries', unique(companies.flatMap((c) => [c.countryID, c.billToCountryID]))),
    invoiceTemplates: await lookup<AtInvoiceTemplate>(ctx, 'InvoiceTemplates', unique(companies.map((c) => c.invoiceTemplateID))),
    paymentTerms: paymentTerms ?? (await allPaymentTerms(ctx)),
    invoiceMethods: companies.some((c) => c.invoiceMethod != null) ? await invoiceMethods(ctx) : new Map(),
  };
  const inputs = await validRecords(ctx, 'Companies', companies.map((c) => companyToOrganization(c, lookups)), (o) => o.autotaskId);
  for (const part of chunk(inputs, UPSERT_CHUNK)) {
    ctx.summary.organizations.add(await upsertOrganizations(ctx.em, { organizations: part }));
  }
  const wanted = ids === 'all-active' ? inputs.map((i) => i.autotaskId) : [...ids];
  const stored = wanted.length ? await ctx.em.find(Organization, { autotaskId: { $in: wanted } }) : [];
  return new Set(stored.map((o) => o.autotaskId));
}

/** pullCompanies by id, without its lookups (payment terms...) when no company is wanted. */
async function pullCompaniesIfAny(ctx: PullContext, ids: readonly number[]): Promise<Set<number>> {
  return ids.length ? pullCompanies(ctx, ids) : new Set();
}

/** The Invoices filter for the connection's selection; `batchId` pulls one batch whatever the selection. */
export function invoiceFilter(connection: AutotaskConnection, batchId?: number | null): AtFilter[] {
  const filter: AtFilter[] = [where.eq<AtInvoice>('isVoided', false)];
  const batch = batchId ?? (connection.invoiceSelection === AutotaskInvoiceSelection.BATCH ? connection.invoiceBatchId : null);
  if (batch != null) filter.push(where.eq<AtInvoice>('batchID', batch));
  else filter.push(where.notExist<AtInvoice>('webServiceDate'));
  if (connection.invoicesFrom) filter.push(where.gte<AtInvoice>('invoiceDateTime', `${connection.invoicesFrom}T00:00:00`));
  return filter;
}

/**
 * Invoices ready for transfer, with their billing items as lines, their companies first; then each invoice
 * is queued once for its organization's connector (routing). Invoices already in the ledger for that
 * connector — in any state, including FAILED or CANCELLED, which a person decides about — are left alone.
 */
export async function pullInvoices(
  ctx: PullContext,
  options: { batchId?: number | null; companiesPulled?: ReadonlySet<number>; paymentTerms?: Map<number, AtPaymentTerm> } = {},
): Promise<void> {
  const invoices = await ctx.client.queryAll<AtInvoice>('Invoices', { filter: invoiceFilter(ctx.connection, options.batchId) });
  ctx.summary.invoicesFound = invoices.length;
  if (!invoices.length) return;
  ctx.checkpoint();

  const paymentTerms = options.paymentTerms ?? (await allPaymentTerms(ctx));
  const companyIds = unique(invoices.map((i) => i.companyID));
  const toPull = companyIds.filter((id) => !options.companiesPulled?.has(id));
  const known = toPull.length ? await pullCompanies(ctx, toPull, paymentTerms) : new Set<number>();
  for (const id of options.companiesPulled ?? []) known.add(id);
  // Organizations stored earlier count too (e.g. pushed, or Autotask now hides the company from this user).
  const missing = companyIds.filter((id) => !known.has(id));
  if (missing.length) for (const o of await ctx.em.find(Organization, { autotaskId: { $in: missing } })) known.add(o.autotaskId);
  ctx.checkpoint();

  const items = await queryByIds<AtBillingItem>(ctx, 'BillingItems', 'invoiceID', invoices.map((i) => i.id));
  const byInvoice = new Map<number, AtBillingItem[]>();
  for (const item of items) {
    if (item.invoiceID == null) continue;
    const list = byInvoice.get(item.invoiceID);
    if (list) list.push(item);
    else byInvoice.set(item.invoiceID, [item]);
  }
  ctx.checkpoint();

  const lookups: InvoiceLookups = {
    billingCodes: await lookup<AtBillingCode>(ctx, 'BillingCodes', unique(items.map((i) => i.billingCodeID))),
    roles: await lookup<AtRole>(ctx, 'Roles', unique(items.map((i) => i.roleID))),
    kindRules: new Map(ctx.connection.billingItemKinds.map((r) => [r.billingItemType, r.kind as MappingSourceKind])),
    paymentTerms,
  };

  const candidates: InvoiceInput[] = [];
  for (const invoice of invoices) {
    const lines = byInvoice.get(invoice.id) ?? [];
    if (!known.has(invoice.companyID)) {
      ctx.summary.problem('Invoices', invoice.id, `its company ${invoice.companyID} could not be pulled (see the Companies problem), so the invoice was not stored`);
    } else if (!lines.length) {
      ctx.summary.problem(
        'Invoices',
        invoice.id,
        'Autotask returned no billing items for it; the API user may lack access to the line of business of its items',
      );
    } else {
      candidates.push(invoiceToInput(invoice, lines, lookups));
    }
  }
  const inputs = await validRecords(ctx, 'Invoices', candidates, (i) => i.autotaskId);
  const stored: Array<{ invoice: Invoice; companyId: number }> = [];
  for (const part of chunk(inputs, UPSERT_CHUNK)) {
    const result = await upsertInvoices(ctx.em, { invoices: part });
    ctx.summary.invoices.add(result);
    result.invoices.forEach((invoice, i) => stored.push({ invoice, companyId: part[i]!.organizationAutotaskId }));
    ctx.checkpoint();
  }
  await queueInvoices(ctx, stored);
}

/**
 * Purchasing and inventory, in dependency order: purchase orders of any status but Canceled (the status
 * picklist read by label: codes differ per tenant), their items and receipts; the vendors (Companies) and the
 * organizations they are bought for; every product they buy or Autotask stocks, with its on-hand total over
 * the active inventory locations (InventoryItems, InventoryLocations). Stored with the push upserts (vendors,
 * products, then purchase orders); queued nowhere — purchase orders are queued by queueTransfers, inventory by
 * the default connector's inventory sync. A purchase order that fails validation is reported and left out.
 */
export async function pullPurchasing(ctx: PullContext): Promise<void> {
  // A tenant without the Inventory module (or an API user without its permission) still pulls its invoices.
  await tolerantStep(ctx, 'PurchaseOrders', 'purchasing and inventory could not be read (the API user needs the Inventory module and its permissions)', () => pullPurchasingRecords(ctx));
}

async function pullPurchasingRecords(ctx: PullContext): Promise<void> {
  const statusField = (await ctx.client.fields('PurchaseOrders')).find((f) => f.name.toLowerCase() === 'status');
  const statuses = purchaseOrderStatusesFromLabels(statusField?.picklistValues ?? []);
  const canceled = [...statuses].filter(([, s]) => s === PurchaseOrderStatus.CANCELED).map(([code]) => code);
  const orders = await ctx.client.queryAll<AtPurchaseOrder>('PurchaseOrders', { filter: [canceled.length ? where.notIn<AtPurchaseOrder>('status', canceled) : where.all()] });
  ctx.checkpoint();
  const items = await queryByIds<AtPurchaseOrderItem>(ctx, 'PurchaseOrderItems', 'orderID', orders.map((o) => o.id));
  const receiving = await queryByIds<AtPurchaseOrderItemReceiving>(ctx, 'PurchaseOrderItemReceiving', 'purchaseOrderItemID', items.map((i) => i.id));
  ctx.checkpoint();
  const stock = await ctx.client.queryAll<AtInventoryItem>('InventoryItems', { filter: [where.all()] });
  const locations = await ctx.client.queryAll<AtInventoryLocation>('InventoryLocations', { filter: [where.all()] });
  const onHand = onHandTotals(stock, locations);
  const products = await queryByIds<AtProduct>(ctx, 'Products', 'id', [...items.map((i) => i.productID), ...onHand.keys()]);
  ctx.checkpoint();

  const vendors = await queryByIds<AtCompany>(ctx, 'Companies', 'id', orders.map((o) => o.vendorID));
  for (const part of chunk(await validRecords(ctx, 'Companies', vendors.map(companyToVendor), (v) => v.autotaskId), UPSERT_CHUNK)) {
    ctx.summary.vendors.add(await upsertVendors(ctx.em, { vendors: part }));
  }
  for (const part of chunk(await validRecords(ctx, 'Products', products.map((p) => productToInput(p, onHand.get(p.id))), (p) => p.autotaskId), UPSERT_CHUNK)) {
    ctx.summary.products.add(await upsertProducts(ctx.em, { products: part }));
  }
  const organizations = await pullCompaniesIfAny(ctx, unique(orders.map((o) => o.purchaseForCompanyID)));
  ctx.checkpoint();

  const itemsOf = groupBy(items, (i) => i.orderID);
  const receiptsOf = groupBy(receiving, (r) => r.purchaseOrderItemID);
  const candidates = orders.flatMap((order) => {
    const lines = itemsOf.get(order.id) ?? [];
    if (!lines.length) {
      ctx.summary.problem('PurchaseOrders', order.id, 'Autotask returned no items for it (Autotask hides purchase orders without items), so it was not stored');
      return [];
    }
    if (order.purchaseForCompanyID != null && !organizations.has(order.purchaseForCompanyID)) {
      ctx.summary.problem('PurchaseOrders', order.id, `the company it is bought for (${order.purchaseForCompanyID}) could not be pulled, so it was not stored`);
      return [];
    }
    return [purchaseOrderToInput(order, (order.status != null ? statuses.get(order.status) : undefined) ?? PurchaseOrderStatus.SUBMITTED, lines, receiptsOf)];
  });
  for (const part of chunk(await validRecords(ctx, 'PurchaseOrders', candidates, (o) => o.autotaskId), UPSERT_CHUNK)) {
    ctx.summary.purchaseOrders.add(await upsertPurchaseOrders(ctx.em, { purchaseOrders: part }, ctx.actor));
    ctx.checkpoint();
  }
}

/** A first pull (and the expense reports of every pull) reads this many days back, or from invoicesFrom if later. */
export const TIME_AND_EXPENSES_LOOKBACK_DAYS = 90;
/** Time entries are asked for as changed since the previous full read less this (clock skew between us and Autotask). */
export const TIME_ENTRY_OVERLAP_MINUTES = 60;

/**
 * Time entries and expense reports (parity-transfers.md §4.2, §5.2), each a step of its own: an API user that
 * may not read one (403, or a tenant without the module) gets one problem for it, and the rest of the pull
 * stands. Nothing is queued: timesheets reach QuickBooks through approveTimesheet, expense reports through
 * queueTransfers.
 */
export async function pullTimeAndExpenses(ctx: PullContext): Promise<void> {
  await tolerantStep(ctx, 'TimeEntries', 'time entries could not be read (the API user needs access to time entries, and "Can view non-billable time entries")', () => pullTimeEntries(ctx));
  ctx.checkpoint();
  await tolerantStep(ctx, 'ExpenseReports', 'expense reports could not be read (the API user needs access to expense reports and items)', () => pullExpenseReports(ctx));
}

/**
 * Time entries changed since the last full read (`lastModifiedDateTime`), or — on the first pull — worked in
 * the look-back window (`dateWorked`), with what they need: their resources (pulled by id when not stored),
 * the companies of their tickets and tasks' projects (Tickets, Tasks, Projects; the field names companyID,
 * projectID and organizationalLevelAssociationID there are inferred), and the names of their work types and
 * internal time codes (BillingCodes). An entry left out (unknown resource or company, hours out of range,
 * failed validation) is reported and holds the next read back to its own change time (at most the look-back
 * window), so it is read again.
 */
async function pullTimeEntries(ctx: PullContext): Promise<void> {
  const since = ctx.connection.timeEntriesPulledThrough;
  const changedFrom = since ? new Date(since.getTime() - TIME_ENTRY_OVERLAP_MINUTES * 60_000) : null;
  const filter = changedFrom
    ? where.gte<AtTimeEntry>('lastModifiedDateTime', toAutotaskDateTime(changedFrom))
    : where.gte<AtTimeEntry>('dateWorked', toAutotaskDate(lookbackStart(ctx)));
  const entries = await ctx.client.queryAll<AtTimeEntry>('TimeEntries', { filter: [filter] });
  ctx.checkpoint();

  const resources = await ensureResources(ctx, entries.map((e) => e.resourceID));
  const places = await workPlaces(ctx, entries);
  const companies = await pullCompaniesIfAny(ctx, unique([...places.values()].map((p) => p?.organizationAutotaskId)));
  const billingCodes = await lookup<AtBillingCode>(ctx, 'BillingCodes', unique(entries.flatMap((e) => [e.billingCodeID, e.internalBillingCodeID])));
  ctx.checkpoint();

  const candidates = entries.flatMap((entry) => {
    const place = places.get(entry.id);
    const why = !resources.has(entry.resourceID)
      ? `its resource ${entry.resourceID} could not be pulled, so it was not stored`
      : !isHoursWorked(entry.hoursWorked ?? 0)
        ? `not stored: hoursWorked (${entry.hoursWorked}) ${HOURS_WORKED_RULE}`
        : place === null
          ? `the company of its ${entry.ticketID != null ? `ticket ${entry.ticketID}` : `task ${entry.taskID}`} could not be read, so it was not stored`
          : place?.organizationAutotaskId != null && !companies.has(place.organizationAutotaskId)
            ? `its company ${place.organizationAutotaskId} could not be pulled, so it was not stored`
            : null;
    if (why) ctx.summary.problem('TimeEntries', entry.id, why);
    return why ? [] : [timeEntryToInput(entry, billingCodes, place ?? undefined)];
  });
  const inputs = await validRecords(ctx, 'TimeEntries', candidates, (t) => t.autotaskId);
  for (const part of chunk(inputs, UPSERT_CHUNK)) {
    ctx.summary.timeEntries.add(await upsertTimeEntries(ctx.em, { timeEntries: part }));
    ctx.checkpoint();
  }
  // The next read starts at the earliest change left out (an entry without a change time: where this read
  // started), but never further back than the look-back window: an entry that can never be stored is not
  // re-read (and reported) forever.
  const stored = new Set(inputs.map((i) => i.autotaskId));
  const floor = new Date(ctx.summary.startedAt.getTime() - TIME_AND_EXPENSES_LOOKBACK_DAYS * 86_400_000);
  let through = ctx.summary.startedAt;
  for (const entry of entries) {
    if (stored.has(entry.id)) continue;
    const changed = autotaskTime(entry.lastModifiedDateTime) ?? changedFrom ?? floor;
    if (changed < through) through = changed < floor ? floor : changed;
  }
  await ctx.em.nativeUpdate(AutotaskConnection, { id: ctx.connection.id }, { timeEntriesPulledThrough: through });
}

/**
 * Each entry's company and line of business: its ticket's, else its task's project's; undefined for regular
 * (internal) time, null when the ticket or task could not be read (then the entry is not stored: it may be
 * billable customer time, which must not turn into internal time).
 */
async function workPlaces(ctx: PullContext, entries: readonly AtTimeEntry[]): Promise<Map<number, WorkPlace | null | undefined>> {
  const consequence = 'the time entries on them could not be placed, so they were not stored';
  const tickets = await lookup<AtTicket>(ctx, 'Tickets', unique(entries.map((e) => e.ticketID)), consequence, ['companyID', 'organizationalLevelAssociationID']);
  const tasks = await lookup<AtTask>(ctx, 'Tasks', unique(entries.map((e) => (e.ticketID == null ? e.taskID : null))), consequence, ['projectID']);
  const projects = await lookup<AtProject>(ctx, 'Projects', unique([...tasks.values()].map((t) => t.projectID)), consequence, ['companyID', 'organizationalLevelAssociationID']);
  const placeOf = (record: AtTicket | AtProject | undefined): WorkPlace | null =>
    record ? { organizationAutotaskId: record.companyID || null, lineOfBusinessId: record.organizationalLevelAssociationID ?? null } : null;
  return new Map(
    entries.map((e) => {
      if (e.ticketID != null) return [e.id, placeOf(tickets.get(e.ticketID))];
      if (e.taskID != null) {
        const projectId = tasks.get(e.taskID)?.projectID;
        return [e.id, placeOf(projectId != null ? projects.get(projectId) : undefined)];
      }
      return [e.id, undefined];
    }),
  );
}

/**
 * Expense reports whose week ended in the look-back window (ExpenseReports has no change time to ask by), with
 * all their items (`expenseReportID in […]`; isReimbursable cannot be filtered on, so items are split here), the
 * status picklist read by label, the category and payment type labels, their submitters (pulled by id when not
 * stored) and the companies items are billable to. A report with an unknown status, submitter or company, or
 * that fails validation, is reported and left out.
 */
async function pullExpenseReports(ctx: PullContext): Promise<void> {
  const reports = await ctx.client.queryAll<AtExpenseReport>('ExpenseReports', { filter: [where.gte<AtExpenseReport>('weekEnding', toAutotaskDate(lookbackStart(ctx)))] });
  if (!reports.length) return;
  ctx.checkpoint();
  const statusField = (await ctx.client.fields('ExpenseReports')).find((f) => f.name.toLowerCase() === 'status');
  const statuses = expenseReportStatusesFromLabels(statusField?.picklistValues ?? []);
  const items = await queryByIds<AtExpenseItem>(ctx, 'ExpenseItems', 'expenseReportID', reports.map((r) => r.id));
  const itemFields = await picklists(ctx, 'ExpenseItems', 'the expense category and payment type names stay empty');
  const lookups: ExpenseLookups = { categories: picklistLabels(itemFields.get('expensecategory') ?? []), paymentTypes: picklistLabels(itemFields.get('paymenttype') ?? []) };
  const resources = await ensureResources(ctx, reports.map((r) => r.submitterID));
  const companies = await pullCompaniesIfAny(ctx, unique(items.map((i) => i.companyID || null)));
  ctx.checkpoint();

  const itemsOf = groupBy(items, (i) => i.expenseReportID);
  const candidates = reports.flatMap((report) => {
    const status = report.status != null ? statuses.get(report.status) : undefined;
    const lines = itemsOf.get(report.id) ?? [];
    const unknownCompany = lines.find((i) => i.companyID && !companies.has(i.companyID))?.companyID;
    const why = !status
      ? `its status ${report.status ?? '(none)'} is not one of the ExpenseReports status labels known here, so it was not stored`
      : !resources.has(report.submitterID)
        ? `its submitter (resource ${report.submitterID}) could not be pulled, so it was not stored`
        : unknownCompany
          ? `the company ${unknownCompany} an item is billable to could not be pulled, so it was not stored`
          : null;
    if (why) ctx.summary.problem('ExpenseReports', report.id, why);
    return why ? [] : [expenseReportToInput(report, status!, lines, lookups)];
  });
  for (const part of chunk(await validRecords(ctx, 'ExpenseReports', candidates, (r) => r.autotaskId), UPSERT_CHUNK)) {
    ctx.summary.expenseReports.add(await upsertExpenseReports(ctx.em, { expenseReports: part }));
    ctx.checkpoint();
  }
}

/** The first day worked (or week ending) read: the look-back window, or invoicesFrom when that is later. */
function lookbackStart(ctx: PullContext): string {
  const window = new Date(ctx.summary.startedAt.getTime() - TIME_AND_EXPENSES_LOOKBACK_DAYS * 86_400_000).toISOString().slice(0, 10);
  const from = ctx.connection.invoicesFrom;
  return from && from > window ? from : window;
}

/** The resources with these Autotask ids that are stored, pulling by id those that are not yet. */
async function ensureResources(ctx: PullContext, ids: readonly number[]): Promise<Set<number>> {
  const wanted = unique(ids);
  if (!wanted.length) return new Set();
  const known = new Set((await ctx.em.find(Resource, { autotaskId: { $in: wanted } })).map((r) => r.autotaskId));
  const missing = wanted.filter((id) => !known.has(id));
  if (!missing.length) return known;
  const records = await queryByIds<AtResource>(ctx, 'Resources', 'id', missing);
  for (const part of chunk(await validRecords(ctx, 'Resources', records.map(resourceToInput), (r) => r.autotaskId), UPSERT_CHUNK)) {
    const result = await upsertResources(ctx.em, { resources: part });
    ctx.summary.resources.add(result);
    for (const r of result.resources) known.add(r.autotaskId);
  }
  return known;
}

/** An Autotask date-time (UTC, no zone) as a Date; null when empty or unreadable. */
function autotaskTime(value: string | null | undefined): Date | null {
  const date = value ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function groupBy<T>(values: readonly T[], keyOf: (value: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const value of values) {
    const key = keyOf(value);
    const list = groups.get(key);
    if (list) list.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

/** Voided invoices are looked for from this long before the previous pull started (voidedDate's time zone is not documented). */
export const VOIDED_OVERLAP_HOURS = 24;

/**
 * Invoices voided in Autotask after they were transferred: the invoice selection never returns voided ones, so
 * they are asked for separately — `isVoided eq true` and `voidedDate` since the previous pull (docs §5.2: both
 * fields exist and nothing says voidedDate is not queryable; that it is queryable is inferred). Stored invoices
 * among them are marked voided, which queues their voids (src/modules/transfer/invoice-voids.ts). Skipped while
 * no invoice transfer may be in QuickBooks (nothing to void).
 */
export async function pullVoidedInvoices(ctx: PullContext, previousPullStartedAt: Date | null): Promise<void> {
  const transferred = await ctx.em.count(TransferItem, {
    entityType: TransferEntityType.INVOICE,
    state: { $in: [TransferState.SUCCEEDED, TransferState.SENT, TransferState.NEEDS_RECONCILE] },
  });
  if (transferred === 0) return;
  const filter: AtFilter[] = [where.eq<AtInvoice>('isVoided', true)];
  if (previousPullStartedAt) {
    filter.push(where.gte<AtInvoice>('voidedDate', new Date(previousPullStartedAt.getTime() - VOIDED_OVERLAP_HOURS * 3_600_000).toISOString().slice(0, 19)));
  } else if (ctx.connection.invoicesFrom) {
    filter.push(where.gte<AtInvoice>('invoiceDateTime', `${ctx.connection.invoicesFrom}T00:00:00`));
  }
  const voided = await ctx.client.queryAll<AtInvoice>('Invoices', { filter, includeFields: ['id'] });
  ctx.summary.invoicesVoided = await markInvoicesVoided(ctx.em, voided.map((i) => i.id), ctx.actor);
}

/** Puts each invoice in its connector's queue once (new ledger rows only). */
async function queueInvoices(ctx: PullContext, invoices: ReadonlyArray<{ invoice: Invoice; companyId: number }>): Promise<void> {
  if (!invoices.length) return;
  const routes = await resolveRoutes(ctx.em, RouteSubject.ORGANIZATION, unique(invoices.map((i) => i.companyId)));
  const connectorOf = new Map(routes.map((r) => [r.autotaskId, r.connector]));
  const requests: EnqueueRequest[] = [];
  const ids = invoices.map((i) => i.invoice.id);
  const inLedger = new Set<string>();
  for (const part of chunk(ids, 1000)) {
    for (const row of await ctx.em.find(TransferItem, { entityType: TransferEntityType.INVOICE, entityId: { $in: part } })) {
      inLedger.add(`${row.entityId}|${row.connector.id}`);
    }
  }
  for (const { invoice, companyId } of invoices) {
    const connector = connectorOf.get(companyId);
    if (!connector) {
      ctx.summary.problem('Invoices', invoice.autotaskId, 'no connector exists yet, so it could not be queued; create one (createConnector) and pull again');
    } else if (inLedger.has(`${invoice.id}|${connector.id}`)) {
      ctx.summary.invoicesAlreadyInLedger++;
    } else {
      requests.push({ connector, entityType: TransferEntityType.INVOICE, entityId: invoice.id, actor: ctx.actor });
    }
  }
  for (const part of chunk(requests, UPSERT_CHUNK)) {
    await ctx.em.transactional(async (tx) => {
      await enqueueAll(tx, part);
    });
    ctx.summary.invoicesQueued += part.length;
  }
}

// ---- helpers ----

/** Records by id (chunked `in` queries, run side by side; the client keeps at most 3 per endpoint in flight). */
async function queryByIds<T>(ctx: PullContext, entity: string, field: string, ids: readonly number[], includeFields?: string[]): Promise<T[]> {
  const parts = await Promise.all(chunk(unique(ids), IDS_PER_QUERY).map((part) => ctx.client.queryAll<T>(entity, { filter: [where.in(field, part)], includeFields })));
  return parts.flat();
}

/**
 * A lookup by id: tolerant (a failure is reported with its consequence, and gives no records), except for refused
 * credentials. `includeFields`: only these (and id), for big records read for one or two fields.
 */
async function lookup<T extends { id: number }>(
  ctx: PullContext, entity: string, ids: readonly number[], consequence = 'names could not be read, so they stay empty', includeFields?: string[],
): Promise<Map<number, T>> {
  if (!ids.length) return new Map();
  let found = new Map<number, T>();
  await tolerantStep(ctx, entity, consequence, async () => {
    found = new Map((await queryByIds<T>(ctx, entity, 'id', ids, includeFields)).map((r) => [r.id, r]));
  });
  return found;
}

/** An entity's picklists by lower-case field name; unreadable metadata is reported with its consequence and gives none. */
async function picklists(ctx: PullContext, entity: string, consequence: string): Promise<Map<string, NonNullable<AtFieldInfo['picklistValues']>>> {
  const lists = new Map<string, NonNullable<AtFieldInfo['picklistValues']>>();
  await tolerantStep(ctx, entity, `${consequence} (its picklists could not be read)`, async () => {
    for (const f of await ctx.client.fields(entity)) if (f.picklistValues) lists.set(f.name.toLowerCase(), f.picklistValues);
  });
  return lists;
}

/** The invoiceMethod picklist as transmission methods; unreadable metadata leaves every organization on the connector's default. */
async function invoiceMethods(ctx: PullContext): Promise<Map<number, TransmissionMethod>> {
  const lists = await picklists(ctx, 'Companies', "the transmission methods (invoiceMethod) stay on the connector's default");
  return invoiceMethodsFromLabels(lists.get('invoicemethod') ?? []);
}

async function allPaymentTerms(ctx: PullContext): Promise<Map<number, AtPaymentTerm>> {
  let terms = new Map<number, AtPaymentTerm>();
  await tolerantStep(ctx, 'PaymentTerms', 'names could not be read, so they stay empty', async () => {
    terms = new Map((await ctx.client.queryAll<AtPaymentTerm>('PaymentTerms', { filter: [where.all()] })).map((t) => [t.id, t]));
  });
  return terms;
}

/**
 * Runs a step whose Autotask refusal (no permission, no such module, a refused query) the pull survives: the
 * refusal becomes one problem for `entity`, "<consequence>: <Autotask's message>". Refused credentials, an
 * unreachable Autotask and a stopped pull still stop the pull.
 */
async function tolerantStep(ctx: PullContext, entity: string, consequence: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!isTolerable(error)) throw error;
    ctx.summary.problem(entity, null, `${consequence}: ${(error as Error).message}`);
  }
}

function isTolerable(error: unknown): boolean {
  return error instanceof AutotaskApiError && ['forbidden', 'rejected', 'not-found', 'bad-response'].includes(error.failure);
}

/**
 * The inputs that pass the push inputs' own validation (lengths, formats); each one that does not is
 * reported with its fields and left out.
 */
async function validRecords<T extends object>(
  ctx: PullContext,
  entity: string,
  inputs: readonly T[],
  idOf: (input: T) => number,
): Promise<T[]> {
  const valid: T[] = [];
  const seen = new Set<number>();
  for (const input of inputs) {
    const id = idOf(input);
    if (seen.has(id)) continue;
    seen.add(id);
    const problems = flatten(await validate(input, { forbidUnknownValues: false }));
    if (problems.length) {
      ctx.summary.problem(entity, id, `not stored: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`);
    } else {
      valid.push(input);
    }
  }
  return valid;
}

function flatten(errors: readonly ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

function unique(values: ReadonlyArray<number | null | undefined>): number[] {
  return [...new Set(values.filter((v): v is number => typeof v === 'number'))];
}
