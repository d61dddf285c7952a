/**
 * The QuickBooks item a purchase order line buys: the product's mapping (kind PRODUCT), else — when the
 * mapping or the connector allows creating items — an inventory part (a product stocked in Autotask, or
 * mapped as INVENTORY) or a non-inventory part named after the product within QuickBooks' 31 characters
 * (the long-name policy: never cut), created once per connector by a keyed prerequisite.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/iteminventoryadd
 */
import { QB_LIMITS, compact, decimal, fit, fitName, itemKey, normalizedLevels, qbRef, type PlannedRequest, type Product, type QbRef, type TranslateContext } from '../sdk/index.js';

/** The accounts Autotask's extension tells users to create for purchased items (parity-transfers.md §1.2). */
export const COGS_ACCOUNT = 'Cost of Goods Sold';
export const INVENTORY_ASSET_ACCOUNT = 'Inventory Asset';

export const ITEM_ADD_REQUESTS = ['ItemInventoryAddRq', 'ItemNonInventoryAddRq'];

export type LineItem =
  | { readonly kind: 'mapped'; readonly ref: QbRef }
  | { readonly kind: 'create'; readonly name: string; readonly inventory: boolean; readonly income: QbRef; readonly product: Product }
  | { readonly kind: 'problem'; readonly field: string; readonly message: string };

export function lineItem(product: Product, index: number, ctx: TranslateContext): LineItem {
  const mapping = ctx.itemMapping('PRODUCT', String(product.autotaskId));
  if (mapping?.target) return { kind: 'mapped', ref: mapping.target };
  const field = `lines[${index}].product`;
  if (!mapping?.autoCreate && ctx.connector.missingMappingPolicy !== 'AUTO_CREATE') {
    return { kind: 'problem', field, message: `Map the product "${product.name}" (${product.autotaskId}) to a QuickBooks item, or let the connector create missing items.` };
  }
  const inventory = mapping?.itemType ? mapping.itemType === 'INVENTORY' : product.isInventory;
  if (mapping?.itemType && !['INVENTORY', 'NON_INVENTORY'].includes(mapping.itemType)) {
    return { kind: 'problem', field, message: `The product "${product.name}" is mapped to a ${mapping.itemType} item without naming one; purchase orders create only inventory and non-inventory parts: map it to an existing QuickBooks item.` };
  }
  // One level: a product is not a sub-item (a `~` or `:` in its name becomes `-`).
  const fitted = fitName(normalizedLevels(product.name).join('-'), QB_LIMITS.itemName, ctx.connector.longNamePolicy, 'a QuickBooks item name');
  if (!fitted.ok) return { kind: 'problem', field: `${field}.name`, message: `The product "${product.name}" cannot name a new QuickBooks item: ${fitted.message}` };
  if (!fitted.value) return { kind: 'problem', field: `${field}.name`, message: 'The product has no name to give a new QuickBooks item: name it or map it.' };
  const income = (product.billingCodeId ? ctx.incomeAccount(product.billingCodeId) : undefined) ?? ctx.connector.defaultIncomeAccount;
  return { kind: 'create', name: fitted.value, inventory, income, product };
}

export function itemRef(item: Exclude<LineItem, { kind: 'problem' }>): { ListID: string } | { FullName: string } {
  return item.kind === 'mapped' ? qbRef(item.ref) : { FullName: item.name };
}

/** Prerequisites creating the items the lines need and the file lacks, each once. */
export function itemCreations(items: readonly LineItem[], ctx: TranslateContext): PlannedRequest[] {
  const seen = new Set<string>();
  const requests: PlannedRequest[] = [];
  for (const item of items) {
    if (item.kind !== 'create' || seen.has(item.name.toLowerCase()) || ctx.itemExists(item.name)) continue;
    seen.add(item.name.toLowerCase());
    const { product } = item;
    const description = fit(product.description?.trim() || product.name, 4095);
    const price = product.unitPrice ? decimal(product.unitPrice) : undefined;
    const cost = product.unitCost ? decimal(product.unitCost) : undefined;
    const partNumber = product.manufacturerPartNumber ? fit(product.manufacturerPartNumber, 31) : undefined;
    requests.push(
      item.inventory
        ? {
            type: 'ItemInventoryAddRq', role: 'prerequisite', key: itemKey(item.name),
            body: { ItemInventoryAdd: compact({
              Name: item.name, ManufacturerPartNumber: partNumber, SalesDesc: description, SalesPrice: price, IncomeAccountRef: qbRef(item.income),
              PurchaseDesc: description, PurchaseCost: cost, COGSAccountRef: { FullName: COGS_ACCOUNT }, AssetAccountRef: { FullName: INVENTORY_ASSET_ACCOUNT },
            }) },
          }
        : {
            type: 'ItemNonInventoryAddRq', role: 'prerequisite', key: itemKey(item.name),
            body: { ItemNonInventoryAdd: compact({
              Name: item.name, ManufacturerPartNumber: partNumber,
              SalesAndPurchase: { SalesDesc: description, SalesPrice: price, IncomeAccountRef: qbRef(item.income), PurchaseDesc: description, PurchaseCost: cost, ExpenseAccountRef: { FullName: COGS_ACCOUNT } },
            }) },
          },
    );
  }
  return requests;
}
