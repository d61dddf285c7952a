/**
 * Idempotent bulk upserts of vendors, products and purchase orders (with lines and receipts), as for invoices
 * (src/modules/autotask/autotask.service.ts): validated as a whole, one transaction, unchanged records untouched.
 * A purchase order's lines are matched by their Autotask id (the key QuickBooks' lines carry too), so a changed
 * quantity updates the line and a new Autotask line is a new line.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityClass } from '@mikro-orm/core';
import { Organization } from '../autotask/organization.entity.js';
import { decimal4, optionalText } from '../autotask/autotask-values.js';
import { address, assertValid, assignChanged, byKey, duplicates, groupBy } from '../autotask/upsert-helpers.js';
import type { FieldProblem } from '../../errors/app-error.js';
import type { BaseEntity } from '../../shared/base-entity.js';
import { Product } from './product.entity.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt } from './purchase-order.entity.js';
import type {
  ProductInput, PurchaseOrderInput, PurchaseOrderLineInput, PurchaseOrderReceiptInput, UpsertProductsInput, UpsertPurchaseOrderReceiptsInput,
  UpsertPurchaseOrdersInput, UpsertVendorsInput, VendorInput,
} from './purchasing.inputs.js';
import { UpsertProductsResult, UpsertPurchaseOrderReceiptsResult, UpsertPurchaseOrdersResult, UpsertVendorsResult } from './purchasing.results.js';
import { queueTransferChanges } from './purchasing-transfers.js';
import type { Actor } from '../audit/actor.js';
import { Vendor } from './vendor.entity.js';

export async function upsertVendors(em: EntityManager, input: UpsertVendorsInput): Promise<UpsertVendorsResult> {
  const result = new UpsertVendorsResult();
  result.vendors = await upsertKeyed(em, Vendor, input.vendors, 'vendors', (v) => new Vendor(v.autotaskId, v.name), vendorValues, result);
  return result;
}

export async function upsertProducts(em: EntityManager, input: UpsertProductsInput): Promise<UpsertProductsResult> {
  const result = new UpsertProductsResult();
  result.products = await upsertKeyed(em, Product, input.products, 'products', (p) => new Product(p.autotaskId, p.name), productValues, result);
  return result;
}

/** Records with no children keyed by Autotask id: created, updated, or left alone when equal. */
async function upsertKeyed<T extends { autotaskId: number }, I extends { autotaskId: number }>(
  em: EntityManager, entity: EntityClass<T>, items: readonly I[], list: string, create: (item: I) => T, values: (item: I) => Partial<T>,
  result: { count(changed: boolean | null): void },
): Promise<T[]> {
  assertValid(duplicates(items, list, 'autotaskId', (i) => i.autotaskId));
  return em.transactional(async (tx) => {
    const found = (await tx.find(entity, { autotaskId: { $in: items.map((i) => i.autotaskId) } } as never)) as T[];
    const stored = byKey(found, (r) => r.autotaskId);
    const rows = items.map((item) => {
      let row: T | undefined = stored.get(item.autotaskId);
      if (!row) tx.persist((row = create(item)));
      result.count(assignChanged(row, values(item), stored.has(item.autotaskId)));
      return row;
    });
    await tx.flush();
    return rows;
  });
}

/** Purchase orders with their lines and receipts, which replace the stored ones (matched by Autotask id). */
export async function upsertPurchaseOrders(em: EntityManager, input: UpsertPurchaseOrdersInput, actor: Actor): Promise<UpsertPurchaseOrdersResult> {
  const items = input.purchaseOrders;
  assertValid([
    ...duplicates(items, 'purchaseOrders', 'autotaskId', (p) => p.autotaskId),
    ...duplicates(items.flatMap((p, i) => p.lines.map((l, j) => ({ key: l.autotaskId, at: `${i}.lines.${j}` }))), 'purchaseOrders', 'line autotaskId', (l) => l.key),
  ]);
  return em.transactional(async (tx) => {
    const vendors = byKey(await tx.find(Vendor, { autotaskId: { $in: [...new Set(items.map((p) => p.vendorAutotaskId))] } }), (v) => v.autotaskId);
    const productIds = [...new Set(items.flatMap((p) => p.lines.map((l) => l.productAutotaskId)))];
    const products = byKey(await tx.find(Product, { autotaskId: { $in: productIds } }), (p) => p.autotaskId);
    const organizationIds = [...new Set(items.flatMap((p) => (p.purchaseForOrganizationAutotaskId ? [p.purchaseForOrganizationAutotaskId] : [])))];
    const organizations = byKey(await tx.find(Organization, { autotaskId: { $in: organizationIds } }), (o) => o.autotaskId);
    assertValid(items.flatMap((item, i) => missingReferences(item, i, vendors, products, organizations)));

    const stored = byKey(await tx.find(PurchaseOrder, { autotaskId: { $in: items.map((p) => p.autotaskId) } }), (p) => p.autotaskId);
    const storedLines = groupBy(stored.size ? await tx.find(PurchaseOrderLine, { purchaseOrder: { $in: [...stored.values()] } }) : [], (l) => l.purchaseOrder.id);
    const allLines = [...storedLines.values()].flat();
    const storedReceipts = groupBy(allLines.length ? await tx.find(PurchaseOrderReceipt, { line: { $in: allLines } }) : [], (r) => r.line.id);
    const result = new UpsertPurchaseOrdersResult();
    const changedOrders: PurchaseOrder[] = [];
    const touchedReceipts: PurchaseOrderReceipt[] = [];
    for (const item of items) {
      const vendor = vendors.get(item.vendorAutotaskId)!;
      let order = stored.get(item.autotaskId);
      if (!order) tx.persist((order = new PurchaseOrder(item.autotaskId, vendor, item.status, item.orderDate)));
      const headerChanged = assignChanged(order, orderValues(item, vendor, organizations), true);
      const linesChanged = replaceLines(tx, order, storedLines.get(order.id) ?? [], storedReceipts, item.lines, products, touchedReceipts);
      const changed = stored.has(item.autotaskId) ? headerChanged || linesChanged : null;
      if (changed) changedOrders.push(order);
      result.count(changed);
      result.purchaseOrders.push(order);
    }
    await tx.flush();
    await queueTransferChanges(tx, changedOrders, touchedReceipts, actor);
    await tx.flush();
    return result;
  });
}

function missingReferences(
  item: PurchaseOrderInput, i: number, vendors: Map<number, Vendor>, products: Map<number, Product>, organizations: Map<number, Organization>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!vendors.has(item.vendorAutotaskId)) {
    problems.push({ field: `purchaseOrders.${i}.vendorAutotaskId`, message: `no vendor has Autotask id ${item.vendorAutotaskId}; push it with upsertVendors first` });
  }
  const org = item.purchaseForOrganizationAutotaskId;
  if (org && !organizations.has(org)) {
    problems.push({ field: `purchaseOrders.${i}.purchaseForOrganizationAutotaskId`, message: `no organization has Autotask id ${org}; push it with upsertOrganizations first` });
  }
  item.lines.forEach((line, j) => {
    if (!products.has(line.productAutotaskId)) {
      problems.push({ field: `purchaseOrders.${i}.lines.${j}.productAutotaskId`, message: `no product has Autotask id ${line.productAutotaskId}; push it with upsertProducts first` });
    }
  });
  return problems;
}

/** Makes the order's lines exactly `inputs` (by Autotask id), numbered from 1, each with exactly its receipts when given. True when a line changed. */
function replaceLines(
  em: EntityManager, order: PurchaseOrder, stored: PurchaseOrderLine[], storedReceipts: Map<string, PurchaseOrderReceipt[]>,
  inputs: readonly PurchaseOrderLineInput[], products: Map<number, Product>, touchedReceipts: PurchaseOrderReceipt[],
): boolean {
  const byAutotaskId = byKey(stored, (l) => l.autotaskId);
  let changed = false;
  inputs.forEach((input, i) => {
    const values = lineValues(input, i + 1, products.get(input.productAutotaskId)!);
    let line = byAutotaskId.get(input.autotaskId);
    if (line) changed = assignChanged(line, values, true) || changed;
    else {
      em.persist((line = new PurchaseOrderLine({ ...values, purchaseOrder: order })));
      changed = true;
    }
    // Receipts left out (null) stay as stored: they may be pushed on their own (upsertPurchaseOrderReceipts).
    if (input.receipts) touchedReceipts.push(...upsertReceipts(em, line, storedReceipts.get(line.id) ?? [], input.receipts, true));
  });
  const kept = new Set(inputs.map((l) => l.autotaskId));
  for (const surplus of stored.filter((l) => !kept.has(l.autotaskId))) {
    em.remove(surplus);
    changed = true;
  }
  return changed;
}

/**
 * A line's receipts as pushed (matched by Autotask id); with `replace`, stored ones not pushed are removed.
 * Returns the receipts created or changed (the ledger may have to send them).
 */
function upsertReceipts(em: EntityManager, line: PurchaseOrderLine, stored: PurchaseOrderReceipt[], inputs: readonly PurchaseOrderReceiptInput[], replace: boolean): PurchaseOrderReceipt[] {
  const byAutotaskId = byKey(stored, (r) => r.autotaskId);
  const touched: PurchaseOrderReceipt[] = [];
  for (const input of inputs) {
    let receipt = byAutotaskId.get(input.autotaskId);
    const isNew = !receipt;
    if (!receipt) em.persist((receipt = new PurchaseOrderReceipt(input.autotaskId, line, decimal4(input.quantity), input.receiveDate)));
    if (assignChanged(receipt, receiptValues(input), true) || isNew) touched.push(receipt);
  }
  if (replace) {
    const kept = new Set(inputs.map((r) => r.autotaskId));
    for (const surplus of stored.filter((r) => !kept.has(r.autotaskId))) em.remove(surplus);
  }
  return touched;
}

/**
 * Receipts pushed on their own (Autotask PurchaseOrderItemReceiving rows), each naming its purchase order line
 * by Autotask id: created or updated; a new one of a queued purchase order is queued, a cancelled one already
 * in QuickBooks is deleted there (purchasing-transfers.ts). All or nothing.
 */
export async function upsertPurchaseOrderReceipts(em: EntityManager, input: UpsertPurchaseOrderReceiptsInput, actor: Actor): Promise<UpsertPurchaseOrderReceiptsResult> {
  const items = input.receipts;
  assertValid(duplicates(items, 'receipts', 'autotaskId', (r) => r.autotaskId));
  return em.transactional(async (tx) => {
    const lines = byKey(await tx.find(PurchaseOrderLine, { autotaskId: { $in: [...new Set(items.map((r) => r.purchaseOrderLineAutotaskId))] } }), (l) => l.autotaskId);
    assertValid(items.flatMap((r, i) => (lines.has(r.purchaseOrderLineAutotaskId) ? [] : [{
      field: `receipts.${i}.purchaseOrderLineAutotaskId`, message: `no purchase order line has Autotask id ${r.purchaseOrderLineAutotaskId}; push its purchase order with upsertPurchaseOrders first`,
    }])));
    const stored = byKey(await tx.find(PurchaseOrderReceipt, { autotaskId: { $in: items.map((r) => r.autotaskId) } }, { populate: ['line'] }), (r) => r.autotaskId);
    const moved = items.flatMap((r, i) => {
      const receipt = stored.get(r.autotaskId);
      return receipt && receipt.line.autotaskId !== r.purchaseOrderLineAutotaskId
        ? [{ field: `receipts.${i}.purchaseOrderLineAutotaskId`, message: `receipt ${r.autotaskId} is stored for line ${receipt.line.autotaskId}; a receipt cannot move to another line` }]
        : [];
    });
    assertValid(moved);
    const result = new UpsertPurchaseOrderReceiptsResult();
    const touched: PurchaseOrderReceipt[] = [];
    for (const item of items) {
      const line = lines.get(item.purchaseOrderLineAutotaskId)!;
      const existing = stored.get(item.autotaskId);
      const changed = upsertReceipts(tx, line, existing ? [existing] : [], [item], false);
      touched.push(...changed);
      result.count(existing ? changed.length > 0 : null);
      result.receipts.push(existing ?? changed[0]!);
    }
    await tx.flush();
    await queueTransferChanges(tx, [], touched, actor);
    await tx.flush();
    return result;
  });
}

// ---- what is stored for a pushed record (canonical forms, so equal data compares equal) ----

function vendorValues(v: VendorInput): Partial<Vendor> {
  return { name: v.name, address: address(v.address), phone: optionalText(v.phone), fax: optionalText(v.fax) };
}

function productValues(p: ProductInput): Partial<Product> {
  return {
    name: p.name,
    description: optionalText(p.description),
    sku: optionalText(p.sku),
    manufacturerPartNumber: optionalText(p.manufacturerPartNumber),
    unitCost: p.unitCost ? decimal4(p.unitCost) : null,
    unitPrice: p.unitPrice ? decimal4(p.unitPrice) : null,
    billingCodeId: optionalText(p.billingCodeId),
    isInventory: p.isInventory ?? false,
    quantityOnHand: p.quantityOnHand ?? null,
  };
}

function orderValues(p: PurchaseOrderInput, vendor: Vendor, organizations: Map<number, Organization>): Partial<PurchaseOrder> {
  return {
    purchaseOrderNumber: optionalText(p.purchaseOrderNumber),
    status: p.status,
    vendor,
    purchaseFor: p.purchaseForOrganizationAutotaskId ? organizations.get(p.purchaseForOrganizationAutotaskId)! : null,
    orderDate: p.orderDate,
    expectedDate: p.expectedDate ?? null,
    shipToName: optionalText(p.shipToName),
    shipToAddress: address(p.shipToAddress),
    memo: optionalText(p.memo),
  };
}

function lineValues(l: PurchaseOrderLineInput, position: number, product: Product): Omit<PurchaseOrderLine, keyof BaseEntity | 'purchaseOrder' | 'receipts'> {
  return {
    autotaskId: l.autotaskId,
    position,
    product,
    quantity: decimal4(l.quantity),
    unitCost: decimal4(l.unitCost),
    memo: optionalText(l.memo),
    lineOfBusinessId: optionalText(l.lineOfBusinessId),
  };
}

function receiptValues(r: PurchaseOrderReceiptInput): Partial<PurchaseOrderReceipt> {
  return { quantity: decimal4(r.quantity), receiveDate: r.receiveDate, vendorInvoiceNumber: optionalText(r.vendorInvoiceNumber), isCancelled: r.isCancelled ?? false };
}
