/**
 * Find or add a named QuickBooks list element (a vendor, an employee, an other name): the rule every plugin
 * that needs one follows, so it lives once here. Matching order: the ListID a mapping or an earlier transfer
 * gave (the caller uses it and sends nothing), else an element of exactly the fitted name, else a new one.
 *
 *   translate        → `namedEntryQuery(entry)`            (…QueryRq by FullName)
 *   its answer       → `afterNamedEntryAnswer(...)`:  found, owned by no other entity of ours → succeeded
 *                                                     found, owned by another                → failed (no silent merge)
 *                                                     none                                   → follow-up …AddRq
 *   the Add's answer → succeeded; 3100 (a customer, vendor, employee or other name holds the name) → failed
 *   reconcile        → the same query; `interpretNamedEntry` matches the ExternalGUID, else the exact name
 *
 * A name longer than QuickBooks allows is never cut: `fitEntryName` follows the connector's long-name policy
 * (SHORTEN: a deterministic name with a discriminator, so two long names that share their first characters
 * never become one element; FAIL: a problem). Two entities whose names fit to the same element still do not
 * merge: the second finds it owned by the first and fails.
 */
import { QB_LIMITS, fitName, normalizedLevels, sameGuid, type FittedName } from './names.js';
import type { ConnectorSettings, EntityType, PlannedRequest, QbxmlResponse, QuickBooksIds, ResponseContext, ResponseOutcome, TranslateContext } from './types.js';

/** The name lists this helper serves (qbXML's element prefix: `Vendor` → VendorQueryRq, VendorAdd, VendorRet). */
export type NamedList = 'Vendor' | 'Employee' | 'OtherName';

const NAME_LIMIT: Readonly<Record<NamedList, number>> = { Vendor: QB_LIMITS.vendorName, Employee: QB_LIMITS.employeeName, OtherName: QB_LIMITS.otherName };
const INCLUDE = ['ListID', 'EditSequence', 'Name', 'ExternalGUID'];

/** One element to find or add. */
export interface NamedEntry {
  readonly list: NamedList;
  /** The fitted name (`fitEntryName`). */
  readonly name: string;
  /** Our entity it is for, to tell ours from another's when one is found by name. */
  readonly owner: { readonly entityType: EntityType; readonly entityId: string };
  /** The Add's content besides Name (addresses, phone, ExternalGUID…); element order does not matter. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The ExternalGUID the Add carries (also in `fields`), the reconcile key. */
  readonly guid?: string;
}

/** The name of a list element under the connector's long-name policy (one level: a `:` becomes `-`). */
export function fitEntryName(name: string, list: NamedList, connector: Pick<ConnectorSettings, 'longNamePolicy'>, what: string): FittedName {
  return fitName(normalizedLevels(name).join('-'), NAME_LIMIT[list], connector.longNamePolicy, what);
}

/** The lookup by exact name (QuickBooks' FullName match ignores case). */
export function namedEntryQuery(entry: Pick<NamedEntry, 'list' | 'name'>): PlannedRequest {
  return { type: `${entry.list}QueryRq`, role: 'main', body: { FullName: [entry.name], IncludeRetElement: INCLUDE } };
}

export function namedEntryAdd(entry: NamedEntry): PlannedRequest {
  return { type: `${entry.list}AddRq`, role: 'main', body: { [`${entry.list}Add`]: { ...entry.fields, Name: entry.name } } };
}

const rets = (response: QbxmlResponse, list: NamedList): Record<string, unknown>[] => {
  const value = response.body[`${list}Ret`];
  return (Array.isArray(value) ? value : value ? [value] : []).filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
};
const text = (ret: Record<string, unknown>, name: string): string | undefined => (ret[name] === undefined || ret[name] === null ? undefined : String(ret[name]));
const idsOf = (ret: Record<string, unknown>): QuickBooksIds => ({ listId: text(ret, 'ListID') ?? null, fullName: text(ret, 'FullName') ?? text(ret, 'Name') ?? null, editSequence: text(ret, 'EditSequence') ?? null });
const label = (list: NamedList) => (list === 'OtherName' ? 'other name' : list.toLowerCase());

/** Who else owns an element of this ListID (another entity of ours of the same type), if anyone. */
function otherOwner(entry: NamedEntry, listId: string, lookups: TranslateContext | undefined): string | undefined {
  const owner = lookups?.listOwner?.(entry.owner.entityType, listId);
  return owner && owner !== entry.owner.entityId ? owner : undefined;
}

/**
 * QuickBooks' answer to the name query or to the Add (`entry` rebuilt by the plugin from `ctx.entity`);
 * `hint` says what a person does about other refusals.
 */
export function afterNamedEntryAnswer(response: QbxmlResponse, ctx: ResponseContext, entry: NamedEntry, hint: string): ResponseOutcome {
  const what = label(entry.list);
  const failed = (why: string): ResponseOutcome => ({ kind: 'failed', statusCode: String(response.statusCode), message: response.statusMessage, hint: why });
  const isError = response.statusSeverity.toLowerCase() === 'error';
  if (ctx.request.type === `${entry.list}AddRq`) {
    if (isError) {
      return failed(response.statusCode === 3100
        ? `QuickBooks already uses the name "${entry.name}" for a customer, employee or other name (they share one name list): rename one of them, in QuickBooks or Autotask, then transfer again.`
        : hint);
    }
    const ret = rets(response, entry.list)[0];
    if (!ret || !text(ret, 'ListID')) return failed(`QuickBooks answered without the ${what}: look for it in QuickBooks before transferring again.`);
    return { kind: 'succeeded', ids: idsOf(ret), note: `Added the QuickBooks ${what} "${text(ret, 'Name') ?? entry.name}".` };
  }
  // The name query: status 1 ("no match") is an Info answer without Rets.
  if (isError) return failed(hint);
  const found = rets(response, entry.list).find((r) => (text(r, 'FullName') ?? text(r, 'Name') ?? '').toLowerCase() === entry.name.toLowerCase());
  if (!found) {
    if (ctx.followUps > 0) return failed(`QuickBooks found no ${what} named "${entry.name}" after adding it: transfer again; if it persists, report it.`);
    return { kind: 'followUp', requests: [namedEntryAdd(entry)], note: `No QuickBooks ${what} is named "${entry.name}": adding it.` };
  }
  const listId = text(found, 'ListID') ?? '';
  if (otherOwner(entry, listId, ctx.lookups)) {
    return failed(
      `The QuickBooks ${what} "${entry.name}" already belongs to another Autotask record in this company file, so it is not linked to this one ` +
        `(their purchases would mix): give them distinct names in Autotask, or map this one to another QuickBooks ${what}, then transfer again.`,
    );
  }
  return { kind: 'succeeded', ids: idsOf(found), note: `Linked to the existing QuickBooks ${what} "${text(found, 'FullName') ?? entry.name}".` };
}

/** Reconcile: ours by its ExternalGUID, else the element of exactly this name that nobody else owns. */
export function interpretNamedEntry(entry: NamedEntry, response: QbxmlResponse, ctx: TranslateContext): { readonly found: QuickBooksIds } | { readonly absent: true } {
  if (response.statusSeverity.toLowerCase() === 'error') {
    throw new Error(`cannot tell whether the ${label(entry.list)} exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
  }
  const all = rets(response, entry.list);
  const match =
    all.find((r) => sameGuid(text(r, 'ExternalGUID'), entry.guid)) ??
    all.find((r) => (text(r, 'FullName') ?? text(r, 'Name') ?? '').toLowerCase() === entry.name.toLowerCase() && !otherOwner(entry, text(r, 'ListID') ?? '', ctx));
  return match && text(match, 'ListID') ? { found: idsOf(match) } : { absent: true };
}
