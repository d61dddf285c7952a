/**
 * Which QuickBooks item an invoice line uses: the mapped item, else (when the mapping or the connector says
 * so) an item named by the connector's naming convention, created on the way by prerequisite
 * ItemServiceAdd / ItemNonInventoryAdd / ItemOtherChargeAdd requests (parents of sub-items first; their
 * "already exists", 3100, is fine). Items the company file already has (synced list, earlier creations) are
 * not created again, and each creation is keyed so the host sends it once per connector.
 * See https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/itemserviceadd
 */
import { QB_LIMITS, compact, fitNamePath, itemKey, qbRef, unmappedProblem, type DataProblem, type InvoiceLine, type ItemMapping, type PlannedRequest, type QbRef, type TranslateContext } from '../sdk/index.js';
import type { GenericItem } from './grouping.js';

/** The item types we create. */
export type CreatableItemType = 'Service' | 'NonInventory' | 'OtherCharge';

const ADD: Record<CreatableItemType, { readonly request: string; readonly element: string }> = {
  Service: { request: 'ItemServiceAddRq', element: 'ItemServiceAdd' },
  NonInventory: { request: 'ItemNonInventoryAddRq', element: 'ItemNonInventoryAdd' },
  OtherCharge: { request: 'ItemOtherChargeAddRq', element: 'ItemOtherChargeAdd' },
};

/** The request types item creation may emit. */
export const ITEM_ADD_REQUESTS = Object.values(ADD).map((a) => a.request);

/** Labour lines: the ones the ROLE_AND_WORK_TYPE convention names "Role:Work Type". */
const LABOUR = new Set(['WORK_TYPE', 'ROLE']);

/** How an invoice line gets its item. */
export type LineItem =
  | { readonly kind: 'mapped'; readonly ref: QbRef }
  | { readonly kind: 'create'; readonly path: readonly string[]; readonly type: CreatableItemType; readonly account: QbRef }
  | { readonly kind: 'problem'; readonly field: string; readonly message: string };

/** Names the line's billing item for messages: `work type "Remote Support" (29682801)`. */
function describe(line: InvoiceLine): string {
  const kind = line.billingItemKind.toLowerCase().replace(/_/g, ' ');
  const name = line.billingItemName ?? line.description;
  return `${kind} "${name}"${line.billingItemId ? ` (${line.billingItemId})` : ''}`;
}

/** The text the naming convention makes the item name from (`~` marks sub-items). */
export function itemNameSource(line: InvoiceLine, ctx: TranslateContext): string {
  switch (ctx.connector.itemNamingConvention) {
    case 'ROLE_AND_WORK_TYPE':
      if (LABOUR.has(line.billingItemKind) && line.roleName && line.workTypeName) return `${line.roleName}~${line.workTypeName}`;
      return line.billingItemName ?? line.description;
    case 'LINE_DESCRIPTION':
      return line.description;
    case 'BILLING_ITEM_NAME':
    default:
      return line.billingItemName ?? line.description;
  }
}

/** The type of item to create: the mapping's, else by the kind of billing item. */
function creatableType(line: Pick<InvoiceLine, 'billingItemKind'>, mapping: ItemMapping | undefined): CreatableItemType | undefined {
  switch (mapping?.itemType) {
    case 'SERVICE':
      return 'Service';
    case 'NON_INVENTORY':
      return 'NonInventory';
    case 'OTHER_CHARGE':
      return 'OtherCharge';
    case null:
    case undefined:
      break;
    default:
      return undefined; // inventory, sales tax, discount, subtotal and group items need more than a name and an account
  }
  switch (line.billingItemKind) {
    case 'MATERIAL':
      return 'NonInventory';
    case 'EXPENSE_CATEGORY':
    case 'SHIPPING':
      return 'OtherCharge';
    default:
      return 'Service'; // work types, roles, services, bundles, recurring services, milestones
  }
}

/** Resolves the item of one line (`index` is its place in `invoice.lines`, for problem fields). */
export function lineItem(line: InvoiceLine, index: number, ctx: TranslateContext): LineItem {
  const mapping = line.billingItemId ? ctx.itemMapping(line.billingItemKind, line.billingItemId) : undefined;
  if (mapping?.target) return { kind: 'mapped', ref: mapping.target };
  const field = `lines[${index}].billingItemId`;
  if (!mapping?.autoCreate && ctx.connector.missingMappingPolicy !== 'AUTO_CREATE') {
    return { kind: 'problem', field, message: `Map the ${describe(line)} to a QuickBooks item, or let the connector create missing items.` };
  }
  const type = creatableType(line, mapping);
  if (!type) {
    return { kind: 'problem', field, message: `The ${describe(line)} is mapped to a ${String(mapping?.itemType)} item without naming one, and such items cannot be created automatically: map it to an existing QuickBooks item.` };
  }
  const fitted = fitNamePath(itemNameSource(line, ctx), QB_LIMITS.itemName, ctx.connector.longNamePolicy, 'a QuickBooks item name');
  if (!fitted.ok) return { kind: 'problem', field: `lines[${index}].billingItemName`, message: `The ${describe(line)} cannot name a new QuickBooks item: ${fitted.message}` };
  const { path } = fitted;
  if (path.length === 0) {
    return { kind: 'problem', field: `lines[${index}].description`, message: `The ${describe(line)} has no name to give a new QuickBooks item: name it or map it.` };
  }
  const account = incomeAccountOf(line.billingCodeId, index, ctx);
  return 'problem' in account ? { kind: 'problem', ...account.problem } : { kind: 'create', path, type, account: account.ref };
}

/**
 * The income account of an item created for lines of this billing code: its account, else the BILLING_CODE
 * policy's default (defaultIncomeAccount unless another is named); lines without a billing code have nothing to
 * map and always get the default.
 */
function incomeAccountOf(billingCodeId: string | null, index: number, ctx: TranslateContext): { ref: QbRef } | { problem: DataProblem } {
  const fallback = ctx.connector.unmappedPolicies.BILLING_CODE.default ?? ctx.connector.defaultIncomeAccount;
  const account = billingCodeId ? ctx.incomeAccount(billingCodeId) : fallback;
  if (account) return { ref: account };
  const unmapped = unmappedProblem(ctx.connector, 'BILLING_CODE', account, `lines[${index}].billingCodeId`, `billing code ${billingCodeId}`);
  return { problem: unmapped ?? { field: `lines[${index}].billingCodeId`, message: 'Map the billing code to a QuickBooks income account.' } };
}

/**
 * The item of lines grouped under a generic item ("Labor", see grouping.ts): the company file's item of that
 * name, else one created with it when the connector creates missing items (as a Service, Non-inventory or
 * Other Charge item by the line type, under the lines' billing code's account when they share one).
 */
export function genericLineItem(generic: GenericItem, lines: readonly InvoiceLine[], index: number, ctx: TranslateContext): LineItem {
  if (ctx.itemExists(generic.name)) return { kind: 'mapped', ref: { fullName: generic.name } };
  if (ctx.connector.missingMappingPolicy !== 'AUTO_CREATE') {
    return {
      kind: 'problem',
      field: `lines[${index}].billingItemId`,
      message: `The connector groups lines under generic items, but QuickBooks has no item "${generic.name}": add it in QuickBooks, or let the connector create missing items.`,
    };
  }
  const codes = new Set(lines.map((l) => l.billingCodeId));
  const account = incomeAccountOf(codes.size === 1 ? (lines[0]?.billingCodeId ?? null) : null, index, ctx);
  if ('problem' in account) return { kind: 'problem', ...account.problem };
  return { kind: 'create', path: [generic.name], type: creatableType({ billingItemKind: generic.kind }, undefined) ?? 'Service', account: account.ref };
}

/** The line's ItemRef. */
export function itemRef(item: Exclude<LineItem, { kind: 'problem' }>): { ListID: string } | { FullName: string } {
  return item.kind === 'mapped' ? qbRef(item.ref) : { FullName: item.path.join(':') };
}

/**
 * Prerequisite requests creating the items, each level once (parents first), in the order the lines need
 * them. A parent gets the type and income account of the first item under it (QuickBooks wants a sub-item's
 * parent to be of the same type).
 */
export function itemCreations(items: ReadonlyArray<LineItem>, ctx: TranslateContext): PlannedRequest[] {
  const requests: PlannedRequest[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'create') continue;
    item.path.forEach((level, i) => {
      const fullName = item.path.slice(0, i + 1).join(':');
      if (seen.has(fullName.toLowerCase()) || ctx.itemExists(fullName)) return;
      seen.add(fullName.toLowerCase());
      const add = ADD[item.type];
      requests.push({
        type: add.request,
        role: 'prerequisite',
        key: itemKey(fullName),
        body: {
          [add.element]: compact({
            Name: level,
            ParentRef: i > 0 ? { FullName: item.path.slice(0, i).join(':') } : undefined,
            SalesOrPurchase: { AccountRef: qbRef(item.account) },
          }),
        },
      });
    });
  }
  return requests;
}
