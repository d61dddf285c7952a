/**
 * Gathers, in a few batched queries, everything plugins need to translate a set of entities for one
 * connector — the entities themselves as plain data, related entities, mappings, the QuickBooks customers
 * organizations became, and the QuickBooks ids of what was already transferred — and exposes it as the SDK's
 * TranslateContext. Plugins never touch the database.
 *
 * Three lookups are loaded only when needed, as they can be large: the items the company file has (synced
 * list plus prerequisites done; for translations), which organization owns the customers of given ListIDs
 * (for answers that name customers), and the names vendors, employees and other names use (for organizations:
 * a customer named like one would fail with 3100). The synced sales rep, customer type and template lists
 * (small) are loaded when organizations or invoices are translated, so `listedRef` can refuse a mapping to
 * something QuickBooks does not have before sending.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type * as Sdk from '../../plugins/sdk/index.js';
import { checkListed, withUnmappedDefault } from '../../plugins/sdk/index.js';
import { effectiveUnmappedPolicies } from '../modules/connector/unmapped-policy.js';
import type { Connector } from '../modules/connector/connector.entity.js';
import { Mapping } from '../modules/mapping/mapping.entity.js';
import { QuickBooksListElement } from '../modules/quickbooks-lists/list-element.entity.js';
import { ListSyncOutcome, QuickBooksListSync } from '../modules/quickbooks-lists/list-sync-state.entity.js';
import { QuickBooksList } from '../modules/quickbooks-lists/quickbooks-list.js';
import { Invoice, InvoiceLine } from '../modules/autotask/invoice.entity.js';
import { executeBound, selectPlainRows, selectPlainRowsWith, selectRowsAsTextWith, type PlainRow } from '../db/rows.js';
import { Organization } from '../modules/autotask/organization.entity.js';
import { Payment } from '../modules/autotask/payment.entity.js';
import { TimeActivity } from '../modules/timesheets/timesheet.entity.js';
import { timePayees, toTimeActivity } from './time-activities.js';
import { ExpenseReport } from '../modules/expenses/expense-report.entity.js';
import { Resource } from '../modules/autotask/resource.entity.js';
import { toExpenseReport } from './expense-reports.js';
import { TransferItem } from '../modules/transfer/transfer-item.entity.js';
import { PurchaseOrder, PurchaseOrderReceipt } from '../modules/purchasing/purchase-order.entity.js';
import type { Product } from '../modules/purchasing/product.entity.js';
import { Vendor } from '../modules/purchasing/vendor.entity.js';
import { InventoryAdjustment } from '../modules/inventory/inventory-adjustment.entity.js';
import { TransferEntityType, TransferState } from '../modules/transfer/transfer-state.js';
import type { Address } from '../shared/address.js';
import type { QbRef } from '../shared/qb-ref.js';

export interface EntityKey {
  readonly entityType: Sdk.EntityType;
  readonly entityId: string;
}

/** A TranslateContext with the loaded entities (plain data, by type and id). */
export interface LoadedContext extends Sdk.TranslateContext {
  /** The plain entity, or undefined when it no longer exists. */
  get(key: EntityKey): unknown;
}

const key = (type: string, id: string) => `${type}:${id}`;

/** Ledger kinds whose entity is an invoice (our invoice id): work on an invoice already in QuickBooks. */
const INVOICE_WORK: readonly Sdk.EntityType[] = ['CREDIT_APPLICATION', 'INVOICE_VOID'];
/**
 * What a translation context reads of the connector as a whole — its mappings, the company file's item names, the
 * names the other name lists hold, the synced reference lists — kept for one call: a message is translated in
 * rounds (ledger-source.ts), and none of these changes between them (nothing a call sends writes them; answers
 * come in another call). Never kept across calls: another instance may serve the next one.
 */
export class ConnectorLookups {
  private readonly loaded = new Map<string, Promise<unknown>>();

  get<T>(name: string, load: () => Promise<T>): Promise<T> {
    let value = this.loaded.get(name) as Promise<T> | undefined;
    if (!value) {
      value = load();
      this.loaded.set(name, value);
    }
    return value;
  }
}

export interface LoadOptions {
  /** Load the company file's item names for `itemExists` (default true; answers to sent requests skip it). */
  readonly items?: boolean;
  /** The call's connector-wide reads, shared by the contexts it loads (one per round of a message). */
  readonly lookups?: ConnectorLookups;
  /** ListIDs whose owning organization `customerOwner` must know (e.g. every ListID in an answer). */
  readonly customerListIds?: readonly string[];
  /** ListIDs whose owning entity (of the other name lists: vendors) `listOwner` must know. */
  readonly ownedListIds?: readonly string[];
}

/**
 * What is read only to become the plugins' plain data (entities, mappings) is kept out of the EntityManager's
 * identity map: otherwise every flush of the session's call (and, flush mode AUTO, every query of a changed
 * type) walks thousands of invoice lines looking for changes that never happen. Customer links too: the engine
 * writes them set-based (customer-links.ts).
 */
const READ_ONLY = { disableIdentityMap: true } as const;

export async function loadTranslationContext(
  em: EntityManager,
  connector: Connector,
  qbxmlVersion: string,
  wanted: readonly EntityKey[],
  options: LoadOptions = {},
): Promise<LoadedContext> {
  const ids = (type: Sdk.EntityType) => [...new Set(wanted.filter((k) => k.entityType === type).map((k) => k.entityId))];
  const payments = ids('PAYMENT').length ? await em.find(Payment, { id: { $in: ids('PAYMENT') } }, READ_ONLY) : [];
  const invoiceIds = [...new Set([...ids('INVOICE'), ...INVOICE_WORK.flatMap(ids), ...payments.map((p) => p.invoice.id)])];
  const invoices = await loadInvoices(em, 'id', invoiceIds);
  // The invoices credits credit (named by Autotask id): applying a credit memo needs both in QuickBooks.
  const creditedAutotaskIds = [...new Set(invoices.flatMap((i) => (i.creditsInvoiceAutotaskId != null ? [i.creditsInvoiceAutotaskId] : [])))];
  if (creditedAutotaskIds.length) {
    const known = new Set(invoices.map((i) => i.id));
    const credited = await loadInvoices(em, 'autotask_id', creditedAutotaskIds.map(String));
    for (const invoice of credited) {
      if (known.has(invoice.id)) continue;
      invoices.push(invoice);
      invoiceIds.push(invoice.id);
    }
  }
  const idOfAutotaskInvoice = new Map(invoices.map((i) => [i.autotaskId, i.id]));
  const activities = ids('TIME_ACTIVITY').length ? await em.find(TimeActivity, { id: { $in: ids('TIME_ACTIVITY') } }, { ...READ_ONLY, populate: ['resource'] }) : [];
  // Purchasing: purchase orders with their lines and products, and the vendors they (or the ledger) name.
  // (Each only when the batch holds such items: this runs for every message.)
  // Receipts carry their purchase order (its vendor, its line's TxnLineID).
  const receipts = ids('ITEM_RECEIPT').length ? await em.find(PurchaseOrderReceipt, { id: { $in: ids('ITEM_RECEIPT') } }, { ...READ_ONLY, populate: ['line'] }) : [];
  const purchaseOrderIds = [...new Set([...ids('PURCHASE_ORDER'), ...receipts.map((r) => r.line.purchaseOrder.id)])];
  const purchaseOrders = purchaseOrderIds.length ? await em.find(PurchaseOrder, { id: { $in: purchaseOrderIds } }, { ...READ_ONLY, populate: ['lines.product'] }) : [];
  const adjustments = ids('INVENTORY_ADJUSTMENT').length ? await em.find(InventoryAdjustment, { id: { $in: ids('INVENTORY_ADJUSTMENT') } }, { ...READ_ONLY, populate: ['product'] }) : [];
  const vendorIds = [...new Set([...ids('VENDOR'), ...purchaseOrders.map((p) => p.vendor.id)])];
  const vendors = vendorIds.length ? await em.find(Vendor, { id: { $in: vendorIds } }, READ_ONLY) : [];
  // Expense reports with their items (billable items name their customers).
  const expenseReports = ids('EXPENSE_REPORT').length ? await em.find(ExpenseReport, { id: { $in: ids('EXPENSE_REPORT') } }, { ...READ_ONLY, populate: ['resource', 'items'] }) : [];
  // Resources whose own vendor is transferred (RESOURCE_VENDOR), and those the expense reports need.
  const resources = ids('RESOURCE_VENDOR').length ? await em.find(Resource, { id: { $in: ids('RESOURCE_VENDOR') } }, READ_ONLY) : [];
  const vendorResourceIds = [...new Set(expenseReports.map((r) => r.resource.id))];
  const organizationIds = [...new Set([
    ...expenseReports.flatMap((r) => r.items.getItems().flatMap((i) => (i.organization ? [i.organization.id] : []))),
    ...ids('ORGANIZATION'), ...invoices.map((i) => i.organizationId), ...activities.flatMap((a) => (a.organization ? [a.organization.id] : [])),
    ...purchaseOrders.flatMap((p) => (p.purchaseFor ? [p.purchaseFor.id] : [])),
  ])];
  // One after the other: inside the session's transaction they share one connection, which runs one query at a time.
  // Plain rows, not entities (no hydration, no identity map): they only become the plugins' plain data.
  // Each with its customer in this connector's file, in the same statement (one link per organization and connector).
  const organizations = organizationIds.length
    ? await selectPlainRowsWith<Organization, { customer: Pick<Sdk.QuickBooksIds, 'listId' | 'fullName' | 'editSequence'> | null }>(em, Organization, {
        customer: `(select jsonb_build_object('listId', l.list_id, 'fullName', l.full_name, 'editSequence', l.edit_sequence)
          from organization_qb_link l where l.organization_id = t.id and l.connector_id = ?)`,
      }, 't.id = any(?)', [connector.id, organizationIds])
    : [];
  const lookups = options.lookups ?? new ConnectorLookups();
  const mappings = await lookups.get('mappings', () => selectPlainRows(em, Mapping, 't.connector_id = ?', [connector.id]));
  const paymentMethods = payments.length ? await syncedPaymentMethods(em, connector) : undefined;
  const transferred = await loadTransferred(em, connector.id, [
    [TransferEntityType.INVOICE, invoiceIds],
    [TransferEntityType.ORGANIZATION, organizationIds],
    [TransferEntityType.VENDOR, vendors.map((v) => v.id)],
    [TransferEntityType.PURCHASE_ORDER, purchaseOrders.map((p) => p.id)],
    [TransferEntityType.RESOURCE_VENDOR, vendorResourceIds],
  ]);

  const itemNames = options.items === false ? new Set<string>() : (await fileItems(em, connector.id, lookups)).itemNames;
  // Organizations (a customer named like a vendor fails) and resources' own vendors (a synced vendor named like the resource).
  const takenNames = ids('ORGANIZATION').length || resources.length ? await lookups.get('takenNames', () => loadTakenNames(em, connector.id)) : new Map<string, Sdk.NameHolder>();
  const owners = await loadCustomerOwners(em, connector.id, options.customerListIds ?? []);
  const referenceLists = organizationIds.length ? await lookups.get('referenceLists', () => loadReferenceLists(em, connector.id)) : new Map<QuickBooksList, Sdk.ListedElement[]>();
  // Timesheets: what each day-row already is in this file (a change is a Mod, not a second Add), and who the time goes to.
  const activityItems = activities.length
    ? new Map((await em.find(TransferItem, { connector, entityType: TransferEntityType.TIME_ACTIVITY, entityId: { $in: activities.map((a) => a.id) } })).map((t) => [t.entityId, t]))
    : new Map<string, TransferItem>();
  // Purchasing: what each purchase order and receipt already is in this file, whatever its ledger state now
  // (a changed purchase order is a Mod of it, a cancelled receipt a TxnDel of it).
  const purchasingItems = purchaseOrders.length
    ? new Map((await em.find(TransferItem, {
        connector,
        $or: [
          { entityType: TransferEntityType.PURCHASE_ORDER, entityId: { $in: purchaseOrders.map((p) => p.id) } },
          ...(receipts.length ? [{ entityType: TransferEntityType.ITEM_RECEIPT, entityId: { $in: receipts.map((r) => r.id) } }] : []),
        ],
      })).map((t) => [key(t.entityType, t.entityId), t]))
    : new Map<string, TransferItem>();
  const payees = activities.length ? await timePayees(em, connector.id, mappings, activities.map((a) => a.resource)) : undefined;
  const listOwners = await loadListOwners(em, connector.id, options.ownedListIds ?? []);

  const entities = new Map<string, unknown>();
  for (const { row } of organizations) entities.set(key('ORGANIZATION', row.id), toOrganization(row));
  for (const i of invoices) {
    const invoice = toInvoice(i, idOfAutotaskInvoice);
    entities.set(key('INVOICE', i.id), invoice);
    // Follow-on work on an invoice carries the invoice itself as its entity.
    for (const type of INVOICE_WORK) entities.set(key(type, i.id), invoice);
  }
  for (const p of payments) entities.set(key('PAYMENT', p.id), toPayment(p));
  for (const a of activities) entities.set(key('TIME_ACTIVITY', a.id), toTimeActivity(a, activityItems.get(a.id)));
  for (const v of vendors) entities.set(key('VENDOR', v.id), toVendor(v));
  for (const r of expenseReports) entities.set(key('EXPENSE_REPORT', r.id), toExpenseReport(r));
  for (const r of resources) entities.set(key('RESOURCE_VENDOR', r.id), { id: r.id, autotaskId: r.autotaskId, firstName: r.firstName, lastName: r.lastName } satisfies Sdk.Resource);
  for (const p of purchaseOrders) entities.set(key('PURCHASE_ORDER', p.id), toPurchaseOrder(p, purchasingItems.get(key('PURCHASE_ORDER', p.id))));
  for (const r of receipts) {
    const order = entities.get(key('PURCHASE_ORDER', r.line.purchaseOrder.id)) as Sdk.PurchaseOrder | undefined;
    if (order) entities.set(key('ITEM_RECEIPT', r.id), toItemReceipt(r, order, purchasingItems.get(key('ITEM_RECEIPT', r.id))));
  }
  for (const a of adjustments) entities.set(key('INVENTORY_ADJUSTMENT', a.id), { id: a.id, product: toProduct(a.product), quantity: a.quantity, runAt: a.runAt.toISOString() } satisfies Sdk.InventoryAdjustment);
  const mappingBy = new Map(mappings.map((m) => [`${m.sourceKind}:${m.sourceId}`, m]));
  const customers = new Map(organizations.flatMap(({ row, extra }) => (extra.customer ? [[row.id, extra.customer] as const] : [])));
  const settings = settingsOf(connector, qbxmlVersion);
  // The mapping, else the kind's default when its policy is USE_DEFAULT (the plugin reports FAIL itself).
  const target = (kind: Sdk.UnmappedKind, id: string | null | undefined) =>
    withUnmappedDefault(id ? refOf(mappingBy.get(`${kind}:${id}`)?.target) : undefined, settings.unmappedPolicies[kind]);

  return {
    connector: settings,
    get: ({ entityType, entityId }) => entities.get(key(entityType, entityId)),
    entity: <T>(entityType: Sdk.EntityType, entityId: string) => entities.get(key(entityType, entityId)) as T | undefined,
    itemMapping(kind, autotaskId) {
      const m = mappingBy.get(`${kind}:${autotaskId}`);
      return m ? { target: refOf(m.target) ?? null, itemType: m.itemType, autoCreate: m.autoCreate } : undefined;
    },
    mappedTarget: (kind, sourceId) => refOf(mappingBy.get(`${kind}:${sourceId}`)?.target),
    incomeAccount: (billingCodeId) => target('BILLING_CODE', billingCodeId),
    classFor: (lobId) => target('LINE_OF_BUSINESS', lobId),
    termsFor: (termId) => target('PAYMENT_TERM', termId),
    salesTaxCode: (taxable) => target('TAXABILITY', taxable ? 'TAXABLE' : 'NON_TAXABLE'),
    payrollItemFor: (categoryId) => target('PAYROLL_CATEGORY', categoryId),
    timePayee: (resourceAutotaskId) => payees?.get(resourceAutotaskId),
    paymentMethod: (name) => (paymentMethods ? (paymentMethods.get(name.toLowerCase()) ?? null) : undefined),
    listedRef(kind, sourceId) {
      const ref = target(kind, sourceId);
      return ref && checkListed(kind, ref, referenceLists.get(LISTED_LISTS[kind]));
    },
    customerOf: (organizationId) => customers.get(organizationId),
    customerOwner: (listId) => owners.get(listId),
    listOwner: (entityType, listId) => listOwners.get(key(entityType, listId)),
    itemExists: (fullName) => itemNames.has(fullName.toLowerCase()),
    nameTakenBy: (name) => takenNames.get(name.toLowerCase()),
    transferred: (entityType, entityId) => transferred.get(key(entityType, entityId)),
  };
}

/**
 * The statement of loadTransferred (parameters: the types, the ids, the connector); its plan is tested. One probe
 * of the unique index per pair, whatever the statistics say: a lateral subquery with `offset 0` is not flattened
 * into a join. Right after a big push, before autoanalyze has seen the new rows, PostgreSQL took the connector's
 * SUCCEEDED rows for one and joined the pairs against a scan of all of them (20 ms a message at 2 000 invoices in
 * the bench, 300 ms at 20 000 rows).
 */
export const TRANSFERRED_IDS_SQL = `select t.entity_type, t.entity_id, t.qb_list_id, t.qb_txn_id, t.qb_ref_number, t.qb_edit_sequence
  from unnest(?::transfer_entity_type[], ?::text[]) as w(entity_type, entity_id)
  cross join lateral (select t.* from transfer_item t where t.entity_type = w.entity_type and t.entity_id = w.entity_id and t.connector_id = ? offset 0) t
  where t.state = 'SUCCEEDED'`;

/**
 * The QuickBooks ids of the SUCCEEDED transfers to this file of these entities (by type), keyed `<type>:<id>`:
 * one statement of the four id columns, not an entity per row. The pairs probe the
 * (entity_type, entity_id, connector_id) unique index.
 */
async function loadTransferred(
  em: EntityManager, connectorId: string, wanted: ReadonlyArray<readonly [TransferEntityType, readonly string[]]>,
): Promise<Map<string, Sdk.QuickBooksIds>> {
  const pairs = wanted.flatMap(([entityType, entityIds]) => [...new Set(entityIds)].map((entityId) => [entityType, entityId] as const));
  if (pairs.length === 0) return new Map();
  const rows = await executeBound<{ entity_type: string; entity_id: string; qb_list_id: string | null; qb_txn_id: string | null; qb_ref_number: string | null; qb_edit_sequence: string | null }>(
    em,
    TRANSFERRED_IDS_SQL,
    [pairs.map(([entityType]) => entityType), pairs.map(([, entityId]) => entityId), connectorId],
  );
  return new Map(rows.map((r) => [key(r.entity_type, r.entity_id), { listId: r.qb_list_id, txnId: r.qb_txn_id, refNumber: r.qb_ref_number, editSequence: r.qb_edit_sequence }]));
}

/** The QuickBooks list each listed kind's mappings point into. */
const LISTED_LISTS: Readonly<Record<Sdk.ListedKind, QuickBooksList>> = {
  ACCOUNT_MANAGER: QuickBooksList.SALES_REP,
  CLASSIFICATION: QuickBooksList.CUSTOMER_TYPE,
  INVOICE_TEMPLATE: QuickBooksList.TEMPLATE,
};

/**
 * The sales rep, customer type and template lists, each only when its last pull succeeded for the company
 * file the connector is bound to now (a list never synced, failed, or of another file is absent: its
 * references are sent unchecked). One statement: the lists' states that qualify, against the binding, with
 * their elements (a synced list without elements is one row of nulls).
 */
async function loadReferenceLists(em: EntityManager, connectorId: string): Promise<Map<QuickBooksList, Sdk.ListedElement[]>> {
  const rows = await executeBound<{ synced: QuickBooksList; list_id: string | null; full_name: string; type: string | null; is_active: boolean }>(
    em,
    `select s.list as synced, e.list_id, e.full_name, e.type, e.is_active
     from quickbooks_list_sync s
     join connector k on k.id = s.connector_id
     join company c on c.id = k.company_id and c.unbound_at is null
     left join quickbooks_list_element e on e.connector_id = s.connector_id and e.list = s.list
     where s.connector_id = ? and s.list::text in (select jsonb_array_elements_text(?::jsonb))
       and s.last_outcome = ? and s.last_full_sync_at is not null and s.last_attempt_at is not null
       and (c.first_contact_at is null or s.last_attempt_at >= c.first_contact_at)`,
    [connectorId, JSON.stringify(Object.values(LISTED_LISTS)), ListSyncOutcome.OK],
  );
  const result = new Map<QuickBooksList, Sdk.ListedElement[]>();
  for (const r of rows) {
    const elements = result.get(r.synced) ?? result.set(r.synced, []).get(r.synced)!;
    if (r.list_id !== null) elements.push({ listId: r.list_id, fullName: r.full_name, type: r.type, isActive: r.is_active });
  }
  return result;
}

/** The connector's active payment methods by lower-case name, or undefined when that list was never synced. */
async function syncedPaymentMethods(em: EntityManager, connector: Connector): Promise<Map<string, Sdk.QbRef> | undefined> {
  const sync = await em.findOne(QuickBooksListSync, { connector, list: QuickBooksList.PAYMENT_METHOD });
  if (!sync?.lastFullSyncAt) return undefined;
  const methods = await em.find(QuickBooksListElement, { connector, list: QuickBooksList.PAYMENT_METHOD, isActive: true });
  return new Map(methods.map((m) => [m.fullName.toLowerCase(), { listId: m.listId, fullName: m.fullName }]));
}

export function settingsOf(connector: Connector, qbxmlVersion: string): Sdk.ConnectorSettings {
  return {
    id: connector.id,
    name: connector.name,
    itemNamingConvention: connector.itemNamingConvention,
    defaultTransmissionMethod: connector.defaultTransmissionMethod,
    taxMode: connector.taxMode,
    psaTaxItem: refOf(connector.psaTaxItem) ?? null,
    noLineOfBusinessClass: refOf(connector.noLineOfBusinessClass) ?? null,
    missingMappingPolicy: connector.missingMappingPolicy,
    defaultIncomeAccount: refOf(connector.defaultIncomeAccount)!,
    invoiceNumbering: connector.invoiceNumbering,
    customerNameCollision: connector.customerNameCollision,
    longNamePolicy: connector.longNamePolicy,
    lineGrouping: connector.lineGrouping,
    roundingPolicy: connector.roundingPolicy,
    expenses: { cashAdvanceAccount: refOf(connector.cashAdvanceAccount) ?? null, transferClass: connector.transferExpenseClass, companyPaidItems: connector.companyPaidExpenses },
    inventoryAdjustmentAccount: refOf(connector.inventoryAdjustmentAccount) ?? null,
    qbxmlVersion,
    unmappedPolicies: Object.fromEntries(
      effectiveUnmappedPolicies(connector).map((p) => [p.kind, { onUnmapped: p.onUnmapped, default: refOf(p.default) ?? null }]),
    ) as Record<Sdk.UnmappedKind, Sdk.UnmappedPolicy>,
  };
}

/** What the company file has of items and keyed prerequisites (FileItems), read once per call into ConnectorLookups. */
export interface FileItems {
  /** Full names (lower case) of its items: synced from QuickBooks, or done as `item:` prerequisites. */
  readonly itemNames: ReadonlySet<string>;
  /** The keys of the prerequisites QuickBooks created or already had (ledger-source.ts). */
  readonly prerequisitesDone: ReadonlySet<string>;
}

/** The company file's items and done prerequisites of a call (one statement, shared through `lookups`). */
export function fileItems(em: EntityManager, connectorId: string, lookups: ConnectorLookups): Promise<FileItems> {
  return lookups.get('fileItems', () => loadFileItems(em, connectorId));
}

async function loadFileItems(em: EntityManager, connectorId: string): Promise<FileItems> {
  const rows = await executeBound<{ prerequisite: boolean; name: string }>(
    em,
    `select false as prerequisite, lower(full_name) as name from quickbooks_list_element where connector_id = ? and list = ?::quickbooks_list
     union all select true, key from transfer_prerequisite where connector_id = ?`,
    [connectorId, QuickBooksList.ITEM, connectorId],
  );
  const itemNames = new Set<string>();
  const prerequisitesDone = new Set<string>();
  for (const { prerequisite, name } of rows) {
    if (!prerequisite) itemNames.add(name);
    else {
      prerequisitesDone.add(name);
      if (name.startsWith(ITEM_PREREQUISITE)) itemNames.add(name.slice(ITEM_PREREQUISITE.length));
    }
  }
  return { itemNames, prerequisitesDone };
}

/** The key prefix of a prerequisite that creates an item (`item:<full name>`). */
const ITEM_PREREQUISITE = 'item:';

/** The lists sharing the customers' name space. */
const NAME_LISTS: readonly Sdk.NameList[] = ['VENDOR', 'EMPLOYEE', 'OTHER_NAME'];

/** Names (lower case) the synced vendor, employee and other-name lists use, inactive elements too (they keep the name). */
async function loadTakenNames(em: EntityManager, connectorId: string): Promise<Map<string, Sdk.NameHolder>> {
  const rows = await executeBound<{ list: Sdk.NameList; full_name: string }>(
    em,
    `select list, full_name from quickbooks_list_element
     where connector_id = ? and list::text in (select jsonb_array_elements_text(?::jsonb))`,
    [connectorId, JSON.stringify(NAME_LISTS)],
  );
  return new Map(rows.map((r) => [r.full_name.toLowerCase(), { list: r.list, name: r.full_name }]));
}

/** The organization linked to each of these customer ListIDs in this connector's file. */
async function loadCustomerOwners(em: EntityManager, connectorId: string, listIds: readonly string[]): Promise<Map<string, string>> {
  if (listIds.length === 0) return new Map();
  const rows = await executeBound<{ list_id: string; organization_id: string }>(
    em,
    `select list_id, organization_id from organization_qb_link where connector_id = ? and list_id in (select jsonb_array_elements_text(?::jsonb))`,
    [connectorId, JSON.stringify([...new Set(listIds)])],
  );
  return new Map(rows.map((r) => [r.list_id, r.organization_id]));
}

/** The entity (by type) whose SUCCEEDED transfer to this file holds each of these ListIDs, keyed `<type>:<ListID>`. */
async function loadListOwners(em: EntityManager, connectorId: string, listIds: readonly string[]): Promise<Map<string, string>> {
  if (listIds.length === 0) return new Map();
  const rows = await executeBound<{ entity_type: string; qb_list_id: string; entity_id: string }>(
    em,
    `select entity_type, qb_list_id, entity_id from transfer_item
     where connector_id = ? and state = 'SUCCEEDED' and qb_list_id in (select jsonb_array_elements_text(?::jsonb))`,
    [connectorId, JSON.stringify([...new Set(listIds)])],
  );
  return new Map(rows.map((r) => [key(r.entity_type, r.qb_list_id), r.entity_id]));
}

function refOf(ref: QbRef | null | undefined): Sdk.QbRef | undefined {
  return ref ? { listId: ref.listId ?? null, fullName: ref.fullName } : undefined;
}

function toAddress(a: Address | null): Sdk.Address | null {
  if (!a) return null;
  return {
    attention: a.attention ?? null, line1: a.line1 ?? null, line2: a.line2 ?? null, city: a.city ?? null,
    state: a.state ?? null, postalCode: a.postalCode ?? null, country: a.country ?? null,
  };
}

function toOrganization(o: PlainRow<Organization>): Sdk.Organization {
  return {
    id: o.id, autotaskId: o.autotaskId, name: o.name, parentAutotaskId: o.parentAutotaskId,
    address: toAddress(o.address), billingAddress: toAddress(o.billingAddress),
    phone: o.phone, fax: o.fax, email: o.email, taxExempt: o.taxExempt, transmissionMethod: o.transmissionMethod,
    ownerResourceId: o.ownerResourceId, classificationId: o.classificationId, invoiceTemplateId: o.invoiceTemplateId,
    paymentTermId: o.paymentTermId, paymentTermName: o.paymentTermName,
  };
}

/** An invoice and its lines as translations read them. */
interface InvoiceData extends Omit<Sdk.Invoice, 'creditsInvoiceId' | 'lines'> {
  readonly creditsInvoiceAutotaskId: number | null;
  readonly lines: Sdk.Invoice['lines'];
}

/**
 * The invoices whose `column` (id or autotask_id) is one of `values`, with their lines in position order: one
 * statement of rows, not entities (hydrating ten lines per invoice, with their back-references, cost more than
 * the rest of a translation), each invoice's lines with it (probed by invoice_line's invoice_id index, invoice by
 * invoice). Values as PostgreSQL writes them as text (selectRowsAsText), as the entities hold them.
 */
async function loadInvoices(em: EntityManager, column: 'id' | 'autotask_id', values: readonly string[]): Promise<InvoiceData[]> {
  if (values.length === 0) return [];
  // `= any(array(...))`: probed by index (a recordset is guessed at 100 rows, which can make PostgreSQL scan instead).
  const rows = await selectRowsAsTextWith(em, Invoice, `t.${column}::text = any(array(select jsonb_array_elements_text(?::jsonb)))`, [JSON.stringify(values)], {
    name: 'lines', entity: InvoiceLine, join: 'c.invoice_id = t.id', orderBy: 'c.position',
  });
  const lineOf = (l: Record<string, string | null>): Sdk.Invoice['lines'][number] => ({
    position: Number(l['position']), billingItemKind: l['billingItemKind'] as Sdk.Invoice['lines'][number]['billingItemKind'], billingItemId: l['billingItemId']!,
    billingItemName: l['billingItemName']!, billingCodeId: l['billingCodeId']!, roleName: l['roleName']!, workTypeName: l['workTypeName']!,
    description: l['description']!, quantity: l['quantity']!, rate: l['rate']!, amount: l['amount']!, taxable: l['taxable'] === 'true',
    lineOfBusinessId: l['lineOfBusinessId']!, lineOfBusinessName: l['lineOfBusinessName']!, serviceDate: l['serviceDate']!, subOrganizationName: l['subOrganizationName']!,
  });
  return rows.map((i) => ({
    id: i['id']!, autotaskId: Number(i['autotaskId']), organizationId: i['organization']!, invoiceNumber: i['invoiceNumber']!,
    invoiceDate: i['invoiceDate']!, poNumber: i['poNumber']!, paymentTermId: i['paymentTermId']!, paymentTermName: i['paymentTermName']!,
    transmissionMethod: i['transmissionMethod'] as Sdk.Invoice['transmissionMethod'], total: i['total']!, taxTotal: i['taxTotal']!,
    creditsInvoiceAutotaskId: i['creditsInvoiceAutotaskId'] == null ? null : Number(i['creditsInvoiceAutotaskId']),
    isVoided: i['isVoided'] === 'true',
    lines: (i['lines'] as unknown as Array<Record<string, string | null>>).map(lineOf),
  }));
}

function toInvoice(i: InvoiceData, idOfAutotaskInvoice: ReadonlyMap<number, string>): Sdk.Invoice {
  const { creditsInvoiceAutotaskId, ...invoice } = i;
  return { ...invoice, creditsInvoiceId: creditsInvoiceAutotaskId != null ? (idOfAutotaskInvoice.get(creditsInvoiceAutotaskId) ?? null) : null };
}

function toPayment(p: Payment): Sdk.Payment {
  return {
    id: p.id, externalId: p.externalId, invoiceId: p.invoice.id, amount: p.amount, paymentDate: p.paymentDate,
    paymentMethod: p.paymentMethod, depositAccount: p.depositAccount, reference: p.reference,
  };
}

function toVendor(v: Vendor): Sdk.Vendor {
  return { id: v.id, autotaskId: v.autotaskId, name: v.name, address: toAddress(v.address), phone: v.phone, fax: v.fax };
}

function toProduct(p: Product): Sdk.Product {
  return {
    id: p.id, autotaskId: p.autotaskId, name: p.name, description: p.description, sku: p.sku, manufacturerPartNumber: p.manufacturerPartNumber,
    unitCost: p.unitCost, unitPrice: p.unitPrice, billingCodeId: p.billingCodeId, isInventory: p.isInventory, quantityOnHand: p.quantityOnHand,
  };
}

function toPurchaseOrder(p: PurchaseOrder, item: TransferItem | undefined): Sdk.PurchaseOrder {
  return {
    id: p.id, autotaskId: p.autotaskId, purchaseOrderNumber: p.purchaseOrderNumber, status: p.status, vendorId: p.vendor.id,
    purchaseForOrganizationId: p.purchaseFor?.id ?? null, orderDate: p.orderDate, expectedDate: p.expectedDate, shipToName: p.shipToName,
    shipToAddress: toAddress(p.shipToAddress), memo: p.memo,
    lines: p.lines.getItems().map((l) => ({
      id: l.id, autotaskId: l.autotaskId, position: l.position, product: toProduct(l.product), quantity: l.quantity, unitCost: l.unitCost,
      memo: l.memo, lineOfBusinessId: l.lineOfBusinessId,
    })),
    inQuickBooks: item?.qbTxnId ? { txnId: item.qbTxnId, editSequence: item.qbEditSequence, lineIds: item.qbLineIds ?? {} } : null,
  };
}

function toItemReceipt(r: PurchaseOrderReceipt, order: Sdk.PurchaseOrder, item: TransferItem | undefined): Sdk.ItemReceipt {
  return {
    id: r.id, autotaskId: r.autotaskId, purchaseOrderId: order.id, purchaseOrder: order, lineAutotaskId: r.line.autotaskId,
    quantity: r.quantity, receiveDate: r.receiveDate, vendorInvoiceNumber: r.vendorInvoiceNumber, isCancelled: r.isCancelled,
    inQuickBooks: item?.qbTxnId ? { txnId: item.qbTxnId, editSequence: item.qbEditSequence } : null,
  };
}
