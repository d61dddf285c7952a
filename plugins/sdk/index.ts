/**
 * The plugin SDK: the only module plugins import. See README.md here for the contract and an example.
 */
import type { Address, Organization, Product } from './entities.js';
import type { ConnectorSettings, DataProblem, EntityType, ItemTypePlugin, ListedElement, ListedKind, ListedRef, QbRef, QbxmlResponse, ResponseOutcome, TranslateContext, UnmappedKind, UnmappedPolicy } from './types.js';
import { QB_LIMITS, fitName, normalizedLevels, shortenName } from './names.js';

export type * from './types.js';
export type * from './entities.js';
export { QB_LIMITS, externalGuid, fitName, fitNamePath, itemKey, normalizedLevels, sameGuid, shortenName, tooLongToReference, withNameSuffix } from './names.js';
export type { FittedName, FittedNamePath, LongNamePolicy } from './names.js';
export { afterNamedEntryAnswer, fitEntryName, interpretNamedEntry, namedEntryAdd, namedEntryLookup, namedEntryNames, namedEntryQuery, numberedEntryName } from './named-list.js';
export type { NamedEntry, NamedList } from './named-list.js';

/** The contract version this host speaks. */
export const PLUGIN_API_VERSION = 1;

/** Every entity type a plugin can handle (the values of `EntityType`). */
export const ENTITY_TYPES: readonly EntityType[] = ['ORGANIZATION', 'INVOICE', 'PAYMENT', 'CREDIT_APPLICATION', 'INVOICE_VOID', 'TIME_ACTIVITY', 'VENDOR', 'PURCHASE_ORDER', 'ITEM_RECEIPT', 'EXPENSE_REPORT', 'RESOURCE_VENDOR', 'INVENTORY_ADJUSTMENT'];

/** Declares a plugin; a typed identity that lets TypeScript check the whole definition. */
export function definePlugin<TEntity>(plugin: ItemTypePlugin<TEntity>): ItemTypePlugin<TEntity> {
  return plugin;
}

/**
 * The mapping, else the policy's default for USE_DEFAULT, else undefined: how hosts (and the fixture context)
 * answer classFor, termsFor, salesTaxCode and incomeAccount.
 */
export function withUnmappedDefault(mapped: QbRef | undefined, policy: UnmappedPolicy): QbRef | undefined {
  return mapped ?? (policy.onUnmapped === 'USE_DEFAULT' ? (policy.default ?? undefined) : undefined);
}

const UNMAPPED_WHAT: Readonly<Record<UnmappedKind, string>> = {
  LINE_OF_BUSINESS: 'line of business to a QuickBooks class',
  PAYMENT_TERM: 'payment term to QuickBooks terms',
  TAXABILITY: 'taxability to a QuickBooks sales tax code',
  BILLING_CODE: 'billing code to a QuickBooks income account',
  ACCOUNT_MANAGER: 'account manager to a QuickBooks sales rep',
  CLASSIFICATION: 'classification to a QuickBooks customer type',
  INVOICE_TEMPLATE: 'invoice template to a QuickBooks invoice template',
  PAYROLL_CATEGORY: 'payroll (time) category to a QuickBooks payroll wage item',
  EXPENSE_CATEGORY: 'expense category to a QuickBooks expense account (billable or reimbursable)',
};

/** What each listed kind names in QuickBooks, for messages. */
const LISTED_WHAT: Readonly<Record<ListedKind, string>> = {
  ACCOUNT_MANAGER: 'sales rep',
  CLASSIFICATION: 'customer type',
  INVOICE_TEMPLATE: 'invoice template',
};

/** The status code a transfer fails with when a reference names what the synced QuickBooks list lacks. */
export const NOT_IN_QUICKBOOKS_LIST = 'NOT_IN_QUICKBOOKS_LIST';

/**
 * Checks a mapped (or defaulted) reference against the connector's synced list (`elements`, undefined when the
 * list is not synced for this company file: the reference is then sent as it is). Found: sent by its ListID.
 * Missing, inactive, or (INVOICE_TEMPLATE) a template of another type: `missing`, because QuickBooks would
 * answer 3140. The one rule hosts and `fixtureContext` apply.
 */
export function checkListed(kind: ListedKind, ref: QbRef, elements: readonly ListedElement[] | undefined): ListedRef {
  if (!elements) return { ref };
  const what = LISTED_WHAT[kind];
  const element =
    (ref.listId ? elements.find((e) => e.listId === ref.listId) : undefined) ?? elements.find((e) => e.fullName.toLowerCase() === ref.fullName.toLowerCase());
  if (!element) return { missing: ref, reason: `QuickBooks has no ${what} "${ref.fullName}"` };
  if (!element.isActive) return { missing: ref, reason: `the ${what} "${element.fullName}" is inactive in QuickBooks` };
  if (kind === 'INVOICE_TEMPLATE' && element.type !== 'Invoice') {
    return { missing: ref, reason: `"${element.fullName}" is a ${element.type ?? 'non-invoice'} template in QuickBooks, and invoices take only Invoice templates` };
  }
  return { ref: { listId: element.listId, fullName: element.fullName } };
}

/**
 * The reference of a listed kind for the qbXML (`ref`), or the problem to return before sending: the mapped
 * or default element is not in the synced list (code NOT_IN_QUICKBOOKS_LIST, never QuickBooks' 3140), or the
 * value is unmapped under the FAIL policy. `sourceId` is the Autotask value (null: nothing to map, though
 * a USE_DEFAULT default, such as the connector's invoice template, still applies).
 */
export function listedReference(
  ctx: Pick<TranslateContext, 'connector' | 'listedRef'>,
  kind: ListedKind,
  sourceId: string | number | null | undefined,
  field: string,
  source: string,
): { readonly ref?: QbRef; readonly problem?: DataProblem } {
  const id = sourceId === null || sourceId === undefined || sourceId === '' ? null : String(sourceId);
  const listed = ctx.listedRef(kind, id);
  if (listed && 'missing' in listed) {
    return {
      problem: {
        field,
        code: NOT_IN_QUICKBOOKS_LIST,
        message: `${listed.reason} (${id !== null ? `mapped for ${source}` : `the connector's default for unmapped ${kind} values`}).`,
        hint: `Map ${source} to a QuickBooks ${LISTED_WHAT[kind]} that exists (the connector's synced list shows them), or add it in QuickBooks and refresh the lists, then retry.`,
      },
    };
  }
  if (listed) return { ref: listed.ref };
  const problem = id !== null ? unmappedProblem(ctx.connector, kind, undefined, field, source) : undefined;
  return problem ? { problem } : {};
}

/**
 * The problem to report for a value that has no QuickBooks reference (`ref` is what the lookup answered) when
 * the connector's policy for its kind is FAIL; undefined otherwise (mapped, defaulted, or left out).
 */
export function unmappedProblem(
  connector: ConnectorSettings,
  kind: UnmappedKind,
  ref: QbRef | undefined,
  field: string,
  source: string,
): DataProblem | undefined {
  if (ref || connector.unmappedPolicies[kind].onUnmapped !== 'FAIL') return undefined;
  return { field, message: `Map the ${UNMAPPED_WHAT[kind]} (${source}), or give the connector a default for unmapped ${kind} values.` };
}

/**
 * The QuickBooks item an Autotask product is in this file: its PRODUCT mapping, else the item named after the
 * product (one level: `:` and `~` become `-`; within QuickBooks' 31 characters by the long-name policy), the
 * name purchase orders create it under. A rule of the product, kept here so every transfer of products agrees.
 */
export function productItem(product: Product, ctx: Pick<TranslateContext, 'itemMapping' | 'connector'>):
  { readonly ok: true; readonly ref: QbRef; readonly mapped: boolean } | { readonly ok: false; readonly message: string } {
  const target = ctx.itemMapping('PRODUCT', String(product.autotaskId))?.target;
  if (target) return { ok: true, ref: target, mapped: true };
  const fitted = fitName(normalizedLevels(product.name).join('-'), QB_LIMITS.itemName, ctx.connector.longNamePolicy, 'a QuickBooks item name');
  if (!fitted.ok) return { ok: false, message: `The product "${product.name}" cannot name a QuickBooks item: ${fitted.message}` };
  if (!fitted.value) return { ok: false, message: 'The product has no name to find its QuickBooks item by: name it or map it.' };
  return { ok: true, ref: { listId: null, fullName: fitted.value }, mapped: false };
}

/** qbXML `…Ref` content from a reference: ListID when known (QuickBooks prefers it), else FullName. */
export function qbRef(ref: QbRef): { ListID: string } | { FullName: string } {
  return ref.listId ? { ListID: ref.listId } : { FullName: ref.fullName };
}

/** A decimal string with exactly two decimals, as AMTTYPE wants ("12.5" → "12.50"); exact, no binary floats. */
export function amount(value: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match) throw new Error(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole = '', fraction = ''] = match;
  const cents = BigInt(`${whole || '0'}${(fraction + '000').slice(0, 3)}`);
  const rounded = (cents + 5n) / 10n; // half up on the third decimal
  const text = rounded.toString().padStart(3, '0');
  const result = `${text.slice(0, -2)}.${text.slice(-2)}`;
  return rounded === 0n ? result : `${sign}${result}`;
}

/**
 * Hours as a qbXML TIMEINTERVALTYPE duration, rounded to the minute: "1.75" → "PT1H45M", "8" → "PT8H0M".
 * Exact (no binary floats); QuickBooks refuses negative durations, so a negative number throws.
 */
export function hoursToDuration(hours: string): string {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(hours.trim());
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) throw new Error(`not a number of hours: ${JSON.stringify(hours)}`);
  const [, whole = '', fraction = ''] = match;
  const scale = 10n ** BigInt(fraction.length);
  const units = BigInt(`${whole || '0'}${fraction}`);
  const minutes = (units * 60n * 2n + scale) / (2n * scale); // half up
  return `PT${minutes / 60n}H${minutes % 60n}M`;
}

/** A TIMEINTERVALTYPE duration as minutes ("PT1H45M" → 105; "PT2H0M0S" → 120), or undefined when it is not one. */
export function durationMinutes(duration: string | undefined): number | undefined {
  const match = duration ? /^\+?PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration.trim()) : null;
  if (!match) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) + Math.round(Number(match[3] ?? 0) / 60);
}

/** A decimal string with at most 5 decimals (PRICETYPE / QUANTYPE), trailing zeros dropped. */
export function decimal(value: string): string {
  const [whole, fraction = ''] = value.trim().split('.');
  const trimmed = fraction.slice(0, 5).replace(/0+$/, '');
  return trimmed ? `${whole}.${trimmed}` : whole!;
}

/** Cuts text to QuickBooks' limit for a field (QuickBooks refuses, never truncates, over-long values). */
export function fit(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/**
 * Texts joined by `separator` (empty and repeated ones left out, in order) within `max` characters: when they
 * do not all fit, the text is cut and ends in "..." so a reader sees it goes on (e.g. descriptions of merged lines).
 */
export function joinWithin(texts: readonly string[], max: number, separator = '; '): string {
  const distinct = [...new Set(texts.map((t) => t.trim()).filter((t) => t !== ''))];
  const joined = distinct.join(separator);
  if (joined.length <= max) return joined;
  return `${joined.slice(0, Math.max(0, max - 3)).trimEnd()}...`;
}

/** The first `…Ret` of a response, if any. */
export function firstRet(response: QbxmlResponse, retName: string): Record<string, unknown> | undefined {
  const value = response.body[retName];
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

/** A failed outcome from an error status, with QuickBooks' code and message and the plugin's hint. */
export function failure(response: QbxmlResponse, hint: string): ResponseOutcome {
  return { kind: 'failed', statusCode: String(response.statusCode), message: response.statusMessage, hint };
}

/** Hints for the QuickBooks status codes every plugin meets. */
export function commonHint(statusCode: number): string | undefined {
  switch (statusCode) {
    case 3100:
      return 'The name is already used in QuickBooks, possibly by a vendor, employee or other name: rename one of them.';
    case 3140:
      return 'A referenced QuickBooks record (customer, item, class, account, terms, tax code) does not exist or is of the wrong type: check the mappings and the QuickBooks lists.';
    case 3170:
    case 3175:
    case 3176:
    case 3180:
      return 'Someone was editing the same record in QuickBooks: retry the transfer.';
    case 3200:
      return 'The record changed in QuickBooks since it was last read: retry the transfer.';
    case 3250:
      return 'A QuickBooks feature this needs is turned off (e.g. sales tax or class tracking in Preferences).';
    case 3260:
    case 3261:
      return 'The QuickBooks user the Web Connector runs as lacks permission: in QuickBooks, Integrated Applications, let it log in as an admin.';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading responses
// ---------------------------------------------------------------------------------------------------------

/** A value that may be one element or several (a parser may give a single `…Ret` or a list) as a list. */
export function listOf<T>(value: T | readonly T[] | null | undefined): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? [...(value as readonly T[])] : [value as T];
}

/** Every `…Ret` of a response (none, one or many), as records. */
export function allRets(response: QbxmlResponse, retName: string): Record<string, unknown>[] {
  return listOf(response.body[retName]).filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
}

/** A text element of a `…Ret` (or of a nested aggregate, by a dotted path such as `CustomerRef.ListID`) as a string. */
export function textOf(record: Record<string, unknown> | undefined, pathText: string): string | undefined {
  let value: unknown = record;
  for (const name of pathText.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = listOf((value as Record<string, unknown>)[name])[0];
  }
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  return String(value);
}

/** Whether QuickBooks refused the request (`statusSeverity="Error"`); Info and Warn are answers with data or none. */
export function isError(response: QbxmlResponse): boolean {
  return response.statusSeverity.toLowerCase() === 'error';
}

// ---------------------------------------------------------------------------------------------------------
// Building requests
// ---------------------------------------------------------------------------------------------------------

/**
 * A request body without the parts that would say nothing: undefined and null values, empty strings, and
 * aggregates or lists left empty by them (e.g. a BillAddress of an organization without an address).
 */
export function compact<T>(value: T): T {
  return (compactValue(value) ?? {}) as T;
}

// Plain loops: this walks every request body of every message (an invoice's lines), and the entries arrays and
// closures of map/filter/fromEntries were a visible share of the drain's allocations.
function compactValue(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      const kept = compactValue(item);
      if (kept !== undefined) items.push(kept);
    }
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(record)) {
      const kept = compactValue(record[key]);
      if (kept !== undefined) (out ??= {})[key] = kept;
    }
    return out;
  }
  return value;
}

/**
 * The QuickBooks name path of an Autotask name (see `fitNamePath`), every level over `maxSegment` characters
 * shortened deterministically with a discriminator (never cut: cutting makes different names one). Use
 * `fitNamePath` to follow the connector's long-name policy instead.
 */
export function qbNamePath(name: string, maxSegment: number): string[] {
  return normalizedLevels(name).map((level) => shortenName(level, maxSegment));
}

// ---------------------------------------------------------------------------------------------------------
// Exact decimal arithmetic on money and quantity strings (no binary floats)
// ---------------------------------------------------------------------------------------------------------

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

function parseDecimal(value: string): Scaled {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`not a decimal number: ${JSON.stringify(value)}`);
  const [, sign, whole = '', fraction = ''] = match;
  const units = BigInt(`${whole || '0'}${fraction}`);
  return { units: sign === '-' ? -units : units, scale: fraction.length };
}

function formatDecimal({ units, scale }: Scaled): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

const cents = (value: string): bigint => parseDecimal(amount(value)).units;

/** Whether a decimal string is below zero ("-0.00" is not). */
export function isNegative(value: string): boolean {
  return parseDecimal(value).units < 0n;
}

/** Whether a decimal string is zero once rounded to cents. */
export function isZeroAmount(value: string): boolean {
  return cents(value) === 0n;
}

/** The decimal string with the opposite sign, same decimals ("-12.50" → "12.50"). */
export function negate(value: string): string {
  const parsed = parseDecimal(value);
  return formatDecimal({ units: -parsed.units, scale: parsed.scale });
}

/** The sum of amounts, each rounded to cents first, as AMTTYPE. */
export function sumAmounts(values: readonly string[]): string {
  return formatDecimal({ units: values.reduce((sum, v) => sum + cents(v), 0n), scale: 2 });
}

/** `a − b` of two amounts, each rounded to cents first, as AMTTYPE. */
export function subtractAmounts(a: string, b: string): string {
  return formatDecimal({ units: cents(a) - cents(b), scale: 2 });
}

/** The exact sum of decimal strings (e.g. quantities), unrounded. */
export function sumDecimals(values: readonly string[]): string {
  const parsed = values.map(parseDecimal);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  return formatDecimal({ units: parsed.reduce((sum, p) => sum + p.units * 10n ** BigInt(scale - p.scale), 0n), scale });
}

/**
 * `a / b` when it has at most `maxDecimals` decimals (trailing zeros dropped), else undefined (e.g. a grouped
 * line's rate = amount / quantity, sent only when exact). Undefined for b = 0.
 */
export function divideExactly(a: string, b: string, maxDecimals = 5): string | undefined {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (y.units === 0n) return undefined;
  const numerator = x.units * 10n ** BigInt(y.scale + maxDecimals);
  const denominator = y.units * 10n ** BigInt(x.scale);
  if (numerator % denominator !== 0n) return undefined;
  const text = formatDecimal({ units: numerator / denominator, scale: maxDecimals });
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** The exact product of two decimal strings (e.g. quantity × rate), unrounded: round with `amount()`. */
export function multiplyDecimals(a: string, b: string): string {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  return formatDecimal({ units: x.units * y.units, scale: x.scale + y.scale });
}

// ---------------------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------------------

const hasAddress = (a: Address | null): a is Address => a !== null && Object.values(a).some((v) => v !== null && String(v).trim() !== '');

function sameAddress(a: Address, b: Address): boolean {
  const norm = (v: string | null) => (v ?? '').trim().toLowerCase();
  return (Object.keys(a) as Array<keyof Address>).every((k) => norm(a[k]) === norm(b[k]));
}

/**
 * The organization's billing address only when it has one that differs from its address (what Autotask's
 * extension puts on an invoice's Bill To; otherwise QuickBooks fills it from the customer).
 */
export function distinctBillingAddress(organization: Pick<Organization, 'address' | 'billingAddress'>): Address | undefined {
  const { address, billingAddress } = organization;
  return hasAddress(billingAddress) && !(hasAddress(address) && sameAddress(billingAddress, address)) ? billingAddress : undefined;
}

/** The organization's billing address when it has one that differs from its address, else its address. */
export function billingAddressOf(organization: Pick<Organization, 'address' | 'billingAddress'>): Address | undefined {
  return distinctBillingAddress(organization) ?? (hasAddress(organization.address) ? organization.address : undefined);
}

/**
 * A qbXML address aggregate (BillAddress, ShipAddress) within QuickBooks' limits: Addr1 is `firstLine`
 * (the company name, as QuickBooks fills it in itself) when given, then the attention line and the streets.
 */
export function qbAddress(address: Address | undefined, firstLine?: string): Record<string, string> | undefined {
  if (!address) return undefined;
  const lines = [firstLine, address.attention, address.line1, address.line2].map((l) => l?.trim()).filter((l): l is string => !!l);
  const field = (value: string | null | undefined, max: number) => (value?.trim() ? fit(value.trim(), max) : undefined);
  return compact<Record<string, string | undefined>>({
    Addr1: field(lines[0], 41),
    Addr2: field(lines[1], 41),
    Addr3: field(lines[2], 41),
    Addr4: field(lines[3], 41),
    City: field(address.city, 31),
    State: field(address.state, 21),
    PostalCode: field(address.postalCode, 13),
    Country: field(address.country, 31),
  }) as Record<string, string>;
}
