/**
 * Find or add a named QuickBooks list element (a vendor, an employee, an other name): the rule every plugin
 * that needs one follows, so it lives once here. Matching order: the ListID a mapping or an earlier transfer
 * gave (the caller uses it and sends nothing), else an element of exactly the fitted name, else a new one.
 *
 *   translate        → `namedEntryQuery(entry)`            (…QueryRq by FullName)
 *   its answer       → `afterNamedEntryAnswer(...)`:  found with our ExternalGUID              → succeeded (ours)
 *                                                     found, owned by no other entity of ours → succeeded
 *                                                     found, owned by another (or another's
 *                                                       ExternalGUID)                         → failed (no silent merge)
 *                                                     none                                   → follow-up …AddRq
 *   the Add's answer → succeeded; 3100 (a customer, vendor, employee or other name holds the name) → failed
 *   reconcile        → the same query; `interpretNamedEntry` matches the ExternalGUID, else the exact name
 *
 * A name longer than QuickBooks allows is never cut: `fitEntryName` follows the connector's long-name policy
 * (SHORTEN: a deterministic name with a discriminator, so two long names that share their first characters
 * never become one element; FAIL: a problem). Two entities whose names fit to the same element still do not
 * merge: the second finds it owned by the first and fails — or, for a `numbered` entry (a resource's own
 * vendor), goes on to the next numbered name ("v-One, Ray (2)", up to " (4)"), as it does when QuickBooks
 * answers the Add with 3100 (a customer, employee or other name holds it). One name is tried per request, so
 * the answer to a lost request is found again: a numbered entry's lookup (`namedEntryLookup`) reads every
 * element whose name starts like its names and recognises its own by the ExternalGUID.
 */
import { QB_LIMITS, fitName, normalizedLevels, sameGuid, withNameSuffix, type FittedName } from './names.js';
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
  /**
   * When another entity of ours owns the element of the name, or QuickBooks answers the Add with 3100: go on
   * to the next numbered name (`numberedEntryName`) instead of failing.
   */
  readonly numbered?: boolean;
  /**
   * Names of existing elements to link to first, when nobody else owns them (e.g. a synced vendor named like
   * the resource); looked up before `name`, never added.
   */
  readonly existing?: readonly string[];
  /**
   * Other entity types whose elements of this list this entry must not take either (a resource's vendor is
   * not an Autotask vendor's, and the other way round).
   */
  readonly sharedWith?: readonly EntityType[];
}

/**
 * How many numbered names a `numbered` entry tries: its name, then " (2)" to " (4)" — each a query and maybe an
 * Add, so with two existing names the chain stays within the follow-ups a transfer may take.
 */
const MAX_NUMBER = 4;
/** Follow-ups after which a taken name fails instead of going on (retries end). */
const MAX_FOLLOW_UPS = 10;

/** The name of a list element under the connector's long-name policy (one level: a `:` becomes `-`). */
export function fitEntryName(name: string, list: NamedList, connector: Pick<ConnectorSettings, 'longNamePolicy'>, what: string): FittedName {
  return fitName(normalizedLevels(name).join('-'), NAME_LIMIT[list], connector.longNamePolicy, what);
}

/** The `n`th name of an entry: the name itself (1), else the name with " (n)", within the list's limit. */
export function numberedEntryName(name: string, n: number, list: NamedList): string {
  return n <= 1 ? name : withNameSuffix(name, ` (${n})`, NAME_LIMIT[list]);
}

/** The names an entry tries, in order: its existing ones, its own, and for a numbered entry " (2)" to " (4)". */
export function namedEntryNames(entry: Pick<NamedEntry, 'list' | 'name' | 'numbered' | 'existing'>): string[] {
  const names = [...(entry.existing ?? []), entry.name];
  if (entry.numbered) for (let n = 2; n <= MAX_NUMBER; n++) names.push(numberedEntryName(entry.name, n, entry.list));
  return names.filter((name, i) => names.findIndex((other) => other.toLowerCase() === name.toLowerCase()) === i);
}

/** The lookup by exact name (QuickBooks' FullName match ignores case): the entry's first name, or `name`. */
export function namedEntryQuery(entry: Pick<NamedEntry, 'list' | 'name' | 'numbered' | 'existing'>, name = namedEntryNames(entry)[0]!): PlannedRequest {
  return { type: `${entry.list}QueryRq`, role: 'main', body: { FullName: [name], IncludeRetElement: INCLUDE } };
}

export function namedEntryAdd(entry: NamedEntry, name = entry.name): PlannedRequest {
  return { type: `${entry.list}AddRq`, role: 'main', body: { [`${entry.list}Add`]: { ...entry.fields, Name: name } } };
}

/**
 * Reconcile's lookup: the element of the name, or for a numbered entry every element (inactive ones too) whose
 * name starts as all its numbered names do, so the one its lost Add created is found whichever name it had.
 */
export function namedEntryLookup(entry: NamedEntry): PlannedRequest {
  if (!entry.numbered) return namedEntryQuery({ list: entry.list, name: entry.name });
  const numbered = namedEntryNames({ ...entry, existing: [] });
  let prefix = numbered[0]!;
  for (const name of numbered) while (!name.toLowerCase().startsWith(prefix.toLowerCase())) prefix = prefix.slice(0, -1);
  return {
    type: `${entry.list}QueryRq`,
    role: 'main',
    body: { ActiveStatus: 'All', NameFilter: { MatchCriterion: 'StartsWith', Name: prefix }, IncludeRetElement: INCLUDE },
  };
}

/** The name a request of the rule is about (the Add's Name, the query's FullName). */
function requestedName(entry: NamedEntry, request: PlannedRequest): string {
  const add = request.body[`${entry.list}Add`] as Record<string, unknown> | undefined;
  const fullName = request.body['FullName'];
  return String(add?.['Name'] ?? (Array.isArray(fullName) ? fullName[0] : fullName) ?? entry.name);
}

const rets = (response: QbxmlResponse, list: NamedList): Record<string, unknown>[] => {
  const value = response.body[`${list}Ret`];
  return (Array.isArray(value) ? value : value ? [value] : []).filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
};
const text = (ret: Record<string, unknown>, name: string): string | undefined => (ret[name] === undefined || ret[name] === null ? undefined : String(ret[name]));
const idsOf = (ret: Record<string, unknown>): QuickBooksIds => ({ listId: text(ret, 'ListID') ?? null, fullName: text(ret, 'FullName') ?? text(ret, 'Name') ?? null, editSequence: text(ret, 'EditSequence') ?? null });
const label = (list: NamedList) => (list === 'OtherName' ? 'other name' : list.toLowerCase());

/** Who else owns an element of this ListID (another entity of ours of the same type, or of a `sharedWith` type), if anyone. */
function otherOwner(entry: NamedEntry, listId: string, lookups: TranslateContext | undefined): string | undefined {
  for (const entityType of [entry.owner.entityType, ...(entry.sharedWith ?? [])]) {
    const owner = lookups?.listOwner?.(entityType, listId);
    if (owner && !(entityType === entry.owner.entityType && owner === entry.owner.entityId)) return owner;
  }
  return undefined;
}

/**
 * Whether an element carries another record's ExternalGUID: added by qbd-bridge (or another program) for
 * someone else, so it is never linked by its name, whatever the ledger knows yet.
 */
function foreignGuid(entry: NamedEntry, ret: Record<string, unknown>): boolean {
  const guid = text(ret, 'ExternalGUID');
  return !!guid && !!entry.guid && !sameGuid(guid, entry.guid);
}

/** A numbered entry whose name is taken goes on to its next name; when none is left, it fails. */
function nextName(entry: NamedEntry, name: string, ctx: ResponseContext, failed: (why: string) => ResponseOutcome, why: string): ResponseOutcome {
  const names = namedEntryNames(entry);
  const next = names[names.findIndex((n) => n.toLowerCase() === name.toLowerCase()) + 1];
  if (!next || ctx.followUps >= MAX_FOLLOW_UPS) {
    return failed(
      `${why}, and so are the other names it may have (${names.map((n) => `"${n}"`).join(', ')}): ` +
        `map it to its QuickBooks ${label(entry.list)} instead, or rename the ${label(entry.list)}s holding those names, then transfer again.`,
    );
  }
  return { kind: 'followUp', requests: [namedEntryQuery(entry, next)], note: `${why}: trying "${next}".` };
}

/**
 * QuickBooks' answer to the name query or to the Add (`entry` rebuilt by the plugin from `ctx.entity`);
 * `hint` says what a person does about other refusals.
 */
export function afterNamedEntryAnswer(response: QbxmlResponse, ctx: ResponseContext, entry: NamedEntry, hint: string): ResponseOutcome {
  const what = label(entry.list);
  const failed = (why: string): ResponseOutcome => ({ kind: 'failed', statusCode: String(response.statusCode), message: response.statusMessage, hint: why });
  const isError = response.statusSeverity.toLowerCase() === 'error';
  const name = requestedName(entry, ctx.request);
  if (ctx.request.type === `${entry.list}AddRq`) {
    if (isError && response.statusCode === 3100 && entry.numbered) return nextName(entry, name, ctx, failed, `QuickBooks already uses the name "${name}"`);
    if (isError) {
      return failed(response.statusCode === 3100
        ? `QuickBooks already uses the name "${name}" for a customer, employee or other name (they share one name list): rename one of them, in QuickBooks or Autotask, then transfer again.`
        : hint);
    }
    const ret = rets(response, entry.list)[0];
    if (!ret || !text(ret, 'ListID')) return failed(`QuickBooks answered without the ${what}: look for it in QuickBooks before transferring again.`);
    return { kind: 'succeeded', ids: idsOf(ret), note: `Added the QuickBooks ${what} "${text(ret, 'Name') ?? name}".` };
  }
  // The name query: status 1 ("no match") is an Info answer without Rets.
  if (isError) return failed(hint);
  const found = rets(response, entry.list).find((r) => (text(r, 'FullName') ?? text(r, 'Name') ?? '').toLowerCase() === name.toLowerCase());
  if (!found) {
    if (entry.existing?.some((n) => n.toLowerCase() === name.toLowerCase()) && name.toLowerCase() !== entry.name.toLowerCase()) {
      return nextName(entry, name, ctx, failed, `No QuickBooks ${what} is named "${name}" any more`);
    }
    if (ctx.followUps > 0 && !entry.numbered) return failed(`QuickBooks found no ${what} named "${name}" after adding it: transfer again; if it persists, report it.`);
    return { kind: 'followUp', requests: [namedEntryAdd(entry, name)], note: `No QuickBooks ${what} is named "${name}": adding it.` };
  }
  const listId = text(found, 'ListID') ?? '';
  if (sameGuid(text(found, 'ExternalGUID'), entry.guid)) {
    return { kind: 'succeeded', ids: idsOf(found), note: `Found the QuickBooks ${what} "${text(found, 'FullName') ?? name}" an earlier transfer added.` };
  }
  if (otherOwner(entry, listId, ctx.lookups) || foreignGuid(entry, found)) {
    if (entry.numbered) return nextName(entry, name, ctx, failed, `The QuickBooks ${what} "${name}" belongs to another Autotask record in this company file`);
    return failed(
      `The QuickBooks ${what} "${name}" already belongs to another Autotask record in this company file, so it is not linked to this one ` +
        `(their purchases would mix): give them distinct names in Autotask, or map this one to another QuickBooks ${what}, then transfer again.`,
    );
  }
  return { kind: 'succeeded', ids: idsOf(found), note: `Linked to the existing QuickBooks ${what} "${text(found, 'FullName') ?? name}".` };
}

/**
 * Reconcile (the answer to `namedEntryLookup`): ours by its ExternalGUID, else the element of exactly this name
 * that nobody else owns (by the ledger, or by another ExternalGUID).
 */
export function interpretNamedEntry(entry: NamedEntry, response: QbxmlResponse, ctx: TranslateContext): { readonly found: QuickBooksIds } | { readonly absent: true } {
  if (response.statusSeverity.toLowerCase() === 'error') {
    throw new Error(`cannot tell whether the ${label(entry.list)} exists: QuickBooks answered the lookup with ${response.statusCode} (${response.statusMessage})`);
  }
  const all = rets(response, entry.list);
  const match =
    all.find((r) => sameGuid(text(r, 'ExternalGUID'), entry.guid)) ??
    all.find((r) => (text(r, 'FullName') ?? text(r, 'Name') ?? '').toLowerCase() === entry.name.toLowerCase() && !otherOwner(entry, text(r, 'ListID') ?? '', ctx) && !foreignGuid(entry, r));
  return match && text(match, 'ListID') ? { found: idsOf(match) } : { absent: true };
}
