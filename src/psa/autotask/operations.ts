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
import { markInvoicesVoided, upsertInvoices, upsertOrganizations, upsertResources } from '../../modules/autotask/autotask.service.js';
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
import { AutotaskInvoiceSelection, type AutotaskConnection } from './autotask-connection.entity.js';
import type { AutotaskClient } from './client.js';
import { AutotaskApiError } from './errors.js';
import { chunk, where, type AtFilter } from './filter.js';
import {
  companyToOrganization, companyToVendor, invoiceMethodsFromLabels, invoiceToInput, onHandTotals, productToInput, purchaseOrderStatusesFromLabels, purchaseOrderToInput, resourceToInput,
  type CompanyLookups, type InvoiceLookups,
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
  try {
    await pullPurchasingRecords(ctx);
  } catch (error) {
    // A tenant without the Inventory module (or an API user without its permission) still pulls its invoices.
    if (!isTolerable(error)) throw error;
    ctx.summary.problem('PurchaseOrders', null, `purchasing and inventory could not be read (the API user needs the Inventory module and its permissions): ${(error as Error).message}`);
  }
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
  const purchasedFor = unique(orders.map((o) => o.purchaseForCompanyID));
  const organizations = purchasedFor.length ? await pullCompanies(ctx, purchasedFor) : new Set<number>();
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
async function queryByIds<T>(ctx: PullContext, entity: string, field: string, ids: readonly number[]): Promise<T[]> {
  const parts = await Promise.all(chunk(unique(ids), IDS_PER_QUERY).map((part) => ctx.client.queryAll<T>(entity, { filter: [where.in(field, part)] })));
  return parts.flat();
}

/** A name lookup: tolerant (a failure is reported, the names stay empty), except for refused credentials. */
async function lookup<T extends { id: number }>(ctx: PullContext, entity: string, ids: readonly number[]): Promise<Map<number, T>> {
  if (!ids.length) return new Map();
  try {
    return new Map((await queryByIds<T>(ctx, entity, 'id', ids)).map((r) => [r.id, r]));
  } catch (error) {
    if (!isTolerable(error)) throw error;
    ctx.summary.problem(entity, null, `names could not be read, so they stay empty: ${(error as Error).message}`);
    return new Map();
  }
}

/** The invoiceMethod picklist as transmission methods; unreadable metadata leaves every organization on the connector's default. */
async function invoiceMethods(ctx: PullContext): Promise<Map<number, TransmissionMethod>> {
  try {
    const field = (await ctx.client.fields('Companies')).find((f) => f.name.toLowerCase() === 'invoicemethod');
    return invoiceMethodsFromLabels(field?.picklistValues ?? []);
  } catch (error) {
    if (!isTolerable(error)) throw error;
    ctx.summary.problem('Companies', null, `the transmission methods (invoiceMethod picklist) could not be read, so the connector's default applies: ${(error as Error).message}`);
    return new Map();
  }
}

async function allPaymentTerms(ctx: PullContext): Promise<Map<number, AtPaymentTerm>> {
  try {
    return new Map((await ctx.client.queryAll<AtPaymentTerm>('PaymentTerms', { filter: [where.all()] })).map((t) => [t.id, t]));
  } catch (error) {
    if (!isTolerable(error)) throw error;
    ctx.summary.problem('PaymentTerms', null, `names could not be read, so they stay empty: ${(error as Error).message}`);
    return new Map();
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
