/**
 * What people do to the ledger through the API: queue entities (to the connector routing picks, or one
 * they name), retry and cancel. The state changes themselves are in transfer-ledger.ts.
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type FieldProblem } from '../../errors/app-error.js';
import type { Actor } from '../audit/actor.js';
import { Connector } from '../connector/connector.entity.js';
import { Organization } from '../autotask/organization.entity.js';
import { Invoice } from '../autotask/invoice.entity.js';
import { Resource } from '../autotask/resource.entity.js';
import { TimeActivity } from '../timesheets/timesheet.entity.js';
import { Payment } from '../autotask/payment.entity.js';
import { PurchaseOrder, PurchaseOrderReceipt } from '../purchasing/purchase-order.entity.js';
import { Vendor } from '../purchasing/vendor.entity.js';
import { ExpenseReport } from '../expenses/expense-report.entity.js';
import { InventoryAdjustment } from '../inventory/inventory-adjustment.entity.js';
import { RouteSubject } from '../routing/route.entity.js';
import { resolveRoutes } from '../routing/routing.service.js';
import { TransferItem } from './transfer-item.entity.js';
import { TransferEntityType } from './transfer-state.js';
import { cancel, enqueueBatch, retry, type EnqueueRequest } from './transfer-ledger.js';
import { executeBound } from '../../db/rows.js';
import type { AnswerDetail } from '../../shared/answer-detail.js';
import { MAX_QUEUE_BATCH, type QueueTransfersFilter, type QueueTransfersInput } from './transfer.inputs.js';

/**
 * Queues each entity for its connector, all or nothing, and returns the ledger rows in the order given.
 * Entities already queued, sent, succeeded or awaiting reconciliation are returned as they are.
 */
export async function queueTransfers(em: EntityManager, input: QueueTransfersInput, actor: Actor, answer: AnswerDetail = 'entities'): Promise<TransferItem[]> {
  const { entityType } = input;
  if (Boolean(input.entityIds) === Boolean(input.filter)) {
    throw AppError.invalidInput([{ field: input.entityIds ? 'filter' : 'entityIds', message: 'give either entityIds or a filter, not both and not neither' }]);
  }
  if (entityType === TransferEntityType.TIME_ACTIVITY) {
    throw AppError.invalidInput([{ field: 'entityType', message: 'timesheet days are queued by approveTimesheet (which routes them by their resource)' }]);
  }
  if (entityType === TransferEntityType.RESOURCE_VENDOR) {
    throw AppError.invalidInput([{ field: 'entityType', message: "a resource's own vendor is queued by the expense reports that need it (queue those)" }]);
  }
  if (entityType === TransferEntityType.INVENTORY_ADJUSTMENT) {
    throw AppError.invalidInput([{ field: 'entityType', message: "inventory adjustments are made by the default connector's inventory sync: set syncInventoryAtNextSession on it" }]);
  }
  const entityIds = input.entityIds ?? (await matchingEntityIds(em, entityType, input.filter!));
  if (entityIds.length === 0) return [];
  const seen = new Map<string, number>();
  const repeated: FieldProblem[] = [];
  entityIds.forEach((id, i) => {
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else repeated.push({ field: `entityIds.${i}`, message: `repeats ${id}, already at entityIds.${first}` });
  });
  if (repeated.length) throw AppError.invalidInput(repeated);

  return em.transactional(async (tx) => {
    const named = input.connectorId ? await tx.findOne(Connector, { id: input.connectorId }) : null;
    if (input.connectorId && !named) {
      throw AppError.invalidInput([{ field: 'connectorId', message: `no connector has id ${input.connectorId}` }]);
    }
    const organizationOf = await routingOrganizations(tx, entityType, entityIds);
    const missing = entityIds.flatMap((id, i) =>
      organizationOf.has(id) ? [] : [{ field: `entityIds.${i}`, message: `no ${entityType.toLowerCase()} has id ${id}` }],
    );
    if (missing.length) throw AppError.invalidInput(missing);

    // Expense reports follow their resource's route (mapping 10), everything else its organization's.
    const routed = named ? null
      : entityType === TransferEntityType.EXPENSE_REPORT ? await routeByResource(tx, ExpenseReport, entityIds)
      : await routeByOrganization(tx, organizationOf);
    const connectorOf = (entityId: string): Connector | null => named ?? routed!.get(entityId) ?? null;
    const requests = entityIds.map((entityId, i): EnqueueRequest => {
      const connector = connectorOf(entityId);
      if (!connector) {
        throw AppError.invalidInput([{ field: `entityIds.${i}`, message: 'has no connector to go to: create a connector first' }]);
      }
      return { connector, entityType, entityId, actor };
    });
    return enqueueBatch(tx, requests, answer);
  });
}

/** Our ids of the entities a queueing filter selects, oldest first; more than MAX_QUEUE_BATCH is refused (narrow it). */
async function matchingEntityIds(em: EntityManager, entityType: TransferEntityType, filter: QueueTransfersFilter): Promise<string[]> {
  const undated = entityType === TransferEntityType.ORGANIZATION || entityType === TransferEntityType.VENDOR;
  if (entityType === TransferEntityType.EXPENSE_REPORT && filter.organizationIds) {
    throw AppError.invalidInput([{ field: 'filter.organizationIds', message: 'expense reports belong to resources, not organizations: select them by dates (week ending) or by id' }]);
  }
  if (undated && (filter.dateFrom || filter.dateTo)) {
    throw AppError.invalidInput([{ field: filter.dateFrom ? 'filter.dateFrom' : 'filter.dateTo', message: `dates select invoices, payments and purchase orders, not ${entityType.toLowerCase()}s` }]);
  }
  if ((entityType === TransferEntityType.VENDOR || entityType === TransferEntityType.ITEM_RECEIPT) && filter.organizationIds) {
    throw AppError.invalidInput([{ field: 'filter.organizationIds', message: `organizations select their own records, invoices, payments and purchase orders, not ${entityType.toLowerCase().replace('_', ' ')}s` }]);
  }
  if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) {
    throw AppError.invalidInput([{ field: 'filter.dateTo', message: `is before dateFrom (${filter.dateFrom})` }]);
  }
  const qb = em.createQueryBuilder(ENTITY_CLASS[entityType], 'e').select('e.id').orderBy({ 'e.id': 'asc' }).limit(MAX_QUEUE_BATCH + 1);
  const dateColumn = DATE_COLUMN[entityType] ?? 'e.invoice_date';
  if (filter.dateFrom) qb.andWhere(`${dateColumn} >= ?`, [filter.dateFrom]);
  if (filter.dateTo) qb.andWhere(`${dateColumn} <= ?`, [filter.dateTo]);
  if (filter.organizationIds) {
    const organizationColumn = ORGANIZATION_COLUMN[entityType] ?? 'e.organization_id';
    if (entityType === TransferEntityType.PAYMENT) qb.join('e.invoice', 'i');
    qb.andWhere(`${organizationColumn} in (?)`, [filter.organizationIds]);
  }
  if (filter.onlyNew) {
    qb.andWhere('not exists (select 1 from transfer_item t where t.entity_type = ? and t.entity_id = e.id)', [entityType]);
  }
  const ids = (await qb.execute<{ id: string }[]>('all')).map((row) => row.id);
  if (ids.length > MAX_QUEUE_BATCH) {
    throw AppError.invalidInput([{ field: 'filter', message: `matches more than ${MAX_QUEUE_BATCH} ${entityType.toLowerCase()}s: narrow it (for example by dates) and queue in parts` }]);
  }
  return ids;
}

const ENTITY_CLASS = {
  [TransferEntityType.ORGANIZATION]: Organization,
  [TransferEntityType.INVOICE]: Invoice,
  [TransferEntityType.PAYMENT]: Payment,
  // Follow-on work on an invoice is selected, and routed, as its invoice.
  [TransferEntityType.CREDIT_APPLICATION]: Invoice,
  [TransferEntityType.INVOICE_VOID]: Invoice,
  // Timesheet day-rows are queued by approveTimesheet (routed by their resource), not by filter.
  [TransferEntityType.TIME_ACTIVITY]: TimeActivity,
  [TransferEntityType.VENDOR]: Vendor,
  [TransferEntityType.PURCHASE_ORDER]: PurchaseOrder,
  [TransferEntityType.EXPENSE_REPORT]: ExpenseReport,
  // Queued by the expense reports that need it (routed as they are, by the resource), not by filter.
  [TransferEntityType.RESOURCE_VENDOR]: Resource,
  // Receipts are queued when they are pushed (for the connectors their purchase order went to), or by id.
  [TransferEntityType.ITEM_RECEIPT]: PurchaseOrderReceipt,
  // Made by the inventory sync of the default connector, not queued by filter.
  [TransferEntityType.INVENTORY_ADJUSTMENT]: InventoryAdjustment,
} as const;

/** The date a filter's dateFrom/dateTo compare, where it is not the invoice date. */
const DATE_COLUMN: Partial<Record<TransferEntityType, string>> = {
  [TransferEntityType.PAYMENT]: 'e.payment_date',
  [TransferEntityType.PURCHASE_ORDER]: 'e.order_date',
  [TransferEntityType.EXPENSE_REPORT]: 'e.week_ending',
  [TransferEntityType.ITEM_RECEIPT]: 'e.receive_date',
};

/** The organization a filter's organizationIds compare, where it is not the entity's organization_id. */
const ORGANIZATION_COLUMN: Partial<Record<TransferEntityType, string>> = {
  [TransferEntityType.ORGANIZATION]: 'e.id',
  [TransferEntityType.PAYMENT]: 'i.organization_id',
  [TransferEntityType.PURCHASE_ORDER]: 'e.purchase_for_id',
};

/**
 * The connector each entity goes to: its organization's route (a timesheet day-row: its resource's route), else
 * the default (null when there is no connector).
 */
export async function routeEntities(em: EntityManager, entityType: TransferEntityType, ids: readonly string[]): Promise<Map<string, Connector | null>> {
  if (entityType === TransferEntityType.TIME_ACTIVITY) return routeByResource(em, TimeActivity, ids);
  if (entityType === TransferEntityType.EXPENSE_REPORT) return routeByResource(em, ExpenseReport, ids);
  if (entityType === TransferEntityType.RESOURCE_VENDOR) {
    const resources = await em.find(Resource, { id: { $in: [...ids] } });
    const routes = new Map((await resolveRoutes(em, RouteSubject.RESOURCE, resources.map((r) => r.autotaskId))).map((r) => [r.autotaskId, r.connector]));
    return new Map(resources.map((r) => [r.id, routes.get(r.autotaskId) ?? null]));
  }
  return routeByOrganization(em, await routingOrganizations(em, entityType, ids));
}

/** Timesheet day-rows and expense reports go where their resource is routed (its route, else the default connector). */
async function routeByResource(em: EntityManager, entity: typeof TimeActivity | typeof ExpenseReport, ids: readonly string[]): Promise<Map<string, Connector | null>> {
  const rows: Array<TimeActivity | ExpenseReport> = await em.find(entity as typeof TimeActivity, { id: { $in: [...ids] } }, { populate: ['resource'] });
  const routes = new Map((await resolveRoutes(em, RouteSubject.RESOURCE, [...new Set(rows.map((a) => a.resource.autotaskId))])).map((r) => [r.autotaskId, r.connector]));
  return new Map(rows.map((a) => [a.id, routes.get(a.resource.autotaskId) ?? null]));
}

async function routeByOrganization(em: EntityManager, organizationOf: ReadonlyMap<string, number | null>): Promise<Map<string, Connector | null>> {
  const autotaskIds = [...new Set([...organizationOf.values()].filter((id): id is number => id !== null))];
  const routes = new Map((await resolveRoutes(em, RouteSubject.ORGANIZATION, autotaskIds)).map((r) => [r.autotaskId, r.connector]));
  // Entities without an organization (vendors, purchase orders bought for stock) go to the default connector.
  const fallback = [...organizationOf.values()].includes(null) ? await em.findOne(Connector, { isDefault: true }) : null;
  return new Map([...organizationOf].map(([entityId, autotaskId]) => [entityId, autotaskId === null ? fallback : (routes.get(autotaskId) ?? null)]));
}

/**
 * The Autotask id of the organization whose routing decides where each entity goes: an organization's own,
 * an invoice's organization's, a payment's invoice's organization's, a purchase order's purchased-for organization's;
 * null for those that follow the default connector (vendors, purchase orders for stock). Unknown ids are left out.
 */
async function routingOrganizations(em: EntityManager, entityType: TransferEntityType, ids: readonly string[]): Promise<Map<string, number | null>> {
  const where = { id: { $in: [...ids] } };
  // Rows, not entities, for the kinds queued in batches of a thousand: one join each.
  const autotaskIds = async (sql: string) =>
    new Map((await executeBound<{ id: string; autotask_id: number }>(em, sql, [JSON.stringify(ids)])).map((r) => [r.id, r.autotask_id]));
  const idsParameter = 'select jsonb_array_elements_text(?::jsonb)';
  switch (entityType) {
    case TransferEntityType.ORGANIZATION:
      return autotaskIds(`select o.id, o.autotask_id from organization o where o.id in (${idsParameter})`);
    case TransferEntityType.INVOICE:
    case TransferEntityType.CREDIT_APPLICATION:
    case TransferEntityType.INVOICE_VOID:
      return autotaskIds(`select i.id, o.autotask_id from invoice i join organization o on o.id = i.organization_id where i.id in (${idsParameter})`);
    case TransferEntityType.PAYMENT:
      return autotaskIds(
        `select p.id, o.autotask_id from payment p join invoice i on i.id = p.invoice_id join organization o on o.id = i.organization_id where p.id in (${idsParameter})`,
      );
    case TransferEntityType.TIME_ACTIVITY:
      return new Map(); // routed by resource (approveTimesheet); queueTransfers refuses them first
    case TransferEntityType.VENDOR:
      return new Map((await em.find(Vendor, where)).map((v) => [v.id, null]));
    case TransferEntityType.PURCHASE_ORDER:
      return new Map((await em.find(PurchaseOrder, where, { populate: ['purchaseFor'] })).map((p) => [p.id, p.purchaseFor?.autotaskId ?? null]));
    case TransferEntityType.EXPENSE_REPORT:
      return new Map((await em.find(ExpenseReport, where)).map((r) => [r.id, null])); // routed by resource (routeByResource)
    case TransferEntityType.ITEM_RECEIPT:
      return new Map((await em.find(PurchaseOrderReceipt, where, { populate: ['line.purchaseOrder.purchaseFor'] })).map((r) => [r.id, r.line.purchaseOrder.purchaseFor?.autotaskId ?? null]));
    case TransferEntityType.RESOURCE_VENDOR:
      return new Map((await em.find(Resource, where)).map((r) => [r.id, null])); // routed by resource (routeEntities); queueTransfers refuses them first
    case TransferEntityType.INVENTORY_ADJUSTMENT:
      return new Map((await em.find(InventoryAdjustment, where)).map((a) => [a.id, null])); // the default connector only
  }
}

/** Applies a person's retry or cancel to one ledger row, locked against the engine changing it meanwhile. */
export async function changeTransfer(em: EntityManager, id: string, change: typeof retry | typeof cancel, actor: Actor): Promise<TransferItem> {
  return em.transactional(async (tx) => {
    const item = await tx.findOne(TransferItem, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!item) throw AppError.notFound('Transfer item', id);
    change(item, actor);
    await tx.flush();
    return item;
  });
}
