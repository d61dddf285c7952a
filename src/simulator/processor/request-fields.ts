/**
 * Turning request aggregates into stored company data and stored data back into `*Ret` fields.
 * Fields the simulator does not interpret (addresses, phone numbers, notes, ...) are stored verbatim and
 * echoed in `*Ret`s that have an element of the same name, so an integration sees its data come back the
 * way QuickBooks would return it. References are resolved on the way in (so a bad one is refused with
 * 3140) and stored by ListID (so a later rename shows up).
 */
import type { SchemaElement } from '../../qbxml/xsd/schema-model.js';
import type { RefInput, SimulatedCompanyFile } from '../company/company-file.js';
import type { StoredAggregate, StoredRef, StoredValue } from '../company/types.js';
import type { RetAggregate, RetValue } from './response-writer.js';
import { childText, type XmlElement } from '../../qbxml/xml-tree.js';

/** A reference aggregate: a `*Ref` element whose children are ListID and/or FullName. */
export function isRefElement(element: XmlElement): boolean {
  return (
    element.name.endsWith('Ref') &&
    element.children.length > 0 &&
    element.children.every((c) => c.name === 'ListID' || c.name === 'FullName')
  );
}

/** The ListID/FullName of a reference element. */
export function refInput(element: XmlElement): RefInput {
  const listId = childText(element, 'ListID');
  const fullName = childText(element, 'FullName');
  return { ...(listId !== undefined ? { listId } : {}), ...(fullName !== undefined ? { fullName } : {}) };
}

/** Whether a stored value is a resolved reference. */
export function isStoredRef(value: StoredValue | undefined): value is StoredRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as StoredRef).$ref === 'string';
}

/** Options of {@link storeChildren}. */
export interface StoreOptions {
  /** Child names handled by the caller (not stored verbatim). */
  readonly skip?: ReadonlySet<string>;
  /** For Mod requests: `SalesOrPurchaseMod` is stored as `SalesOrPurchase` (the name the Ret uses). */
  readonly fromMod?: boolean;
}

/** Stores an element's children verbatim, resolving every reference inside (throws 3140/3250 on bad ones). */
export function storeChildren(company: SimulatedCompanyFile, element: XmlElement, context: string, options: StoreOptions = {}): StoredAggregate {
  const out: StoredAggregate = {};
  for (const c of element.children) {
    if (options.skip?.has(c.name)) continue;
    const name = options.fromMod && c.name.endsWith('Mod') ? c.name.slice(0, -'Mod'.length) : c.name;
    const value = storeElement(company, c, context, options.fromMod ?? false);
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[name] = [existing, value];
  }
  return out;
}

function storeElement(company: SimulatedCompanyFile, element: XmlElement, context: string, fromMod: boolean): StoredValue {
  if (isRefElement(element)) return { $ref: company.resolveRef(element.name, refInput(element), context).record.listId };
  if (element.children.length === 0) return element.text;
  return storeChildren(company, element, context, { fromMod });
}

/** Merges Mod fields into stored fields: aggregates merge field by field, everything else is replaced. */
export function mergeStored(target: StoredAggregate, changes: StoredAggregate): void {
  for (const [name, value] of Object.entries(changes)) {
    const current = target[name];
    if (isPlainAggregate(current) && isPlainAggregate(value)) mergeStored(current, value);
    else target[name] = value;
  }
}

function isPlainAggregate(value: StoredValue | undefined): value is StoredAggregate {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isStoredRef(value);
}

/** A reference as a `*Ret` shows it: ListID and current FullName. */
export function refRet(company: SimulatedCompanyFile, listId: string | undefined): RetAggregate | undefined {
  if (listId === undefined) return undefined;
  const fullName = company.fullNameOfId(listId);
  return fullName === undefined ? { ListID: listId } : { ListID: listId, FullName: fullName };
}

/**
 * Stored fields as `*Ret` content: only what the Ret's schema declaration has (an Add-only field such as
 * OpenBalance is not returned), references rendered with their current full names.
 */
export function storedToRet(company: SimulatedCompanyFile, decl: SchemaElement, stored: StoredAggregate): Record<string, RetValue> {
  const out: Record<string, RetValue> = {};
  for (const [name, value] of Object.entries(stored)) {
    const child = decl.child(name);
    if (!child) continue;
    const rendered = renderStored(company, child.element, value);
    if (rendered !== undefined) out[name] = rendered;
  }
  return out;
}

function renderStored(company: SimulatedCompanyFile, decl: SchemaElement, value: StoredValue): RetValue | undefined {
  if (Array.isArray(value)) {
    const items = value.map((v) => renderStored(company, decl, v)).filter((v): v is string | RetAggregate => v !== undefined && !Array.isArray(v));
    return items.length > 0 ? items : undefined;
  }
  if (isStoredRef(value)) return decl.isAggregate ? refRet(company, value.$ref) : undefined;
  if (typeof value === 'string') return decl.isAggregate ? undefined : value;
  if (!decl.isAggregate) return undefined;
  const inner = storedToRet(company, decl, value);
  return Object.keys(inner).length > 0 ? inner : undefined;
}
