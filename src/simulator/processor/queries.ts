/**
 * The query filters of list and transaction queries, and paging (MaxReturned, iterators). Handlers say how
 * to find candidates and how to render one; this module applies the qbXML filter elements of the request.
 */
import type { ListName, SimulatedCompanyFile } from '../company/company-file.js';
import { parseDateTime } from '../company/ids.js';
import { QB_STATUS, refuse, type QbxmlStatus } from '../company/status-codes.js';
import type { ListRecord, TxnRecord } from '../company/types.js';
import type { HandlerResult, RequestContext } from './context.js';
import type { RetElement } from './response-writer.js';
import { child, childText, childTexts, type XmlElement } from '../../qbxml/xml-tree.js';

/** Which records a query selected, in response order, and a status when some named ones were missing. */
export interface Selection {
  readonly ids: string[];
  readonly status?: QbxmlStatus;
}

const lower = (s: string) => s.toLocaleLowerCase('en');

function instant(ctx: RequestContext, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return parseDateTime(text, ctx.company.data.utcOffsetMinutes)?.getTime();
}

/** `ToModifiedDate`/`ToTxnDate` given as a date alone includes that whole day. */
function endInstant(ctx: RequestContext, text: string | undefined): number | undefined {
  const t = instant(ctx, text);
  if (t === undefined || text === undefined) return undefined;
  return /T/.test(text) ? t : t + 86_400_000 - 1;
}

function matches(criterion: string | undefined, value: string, pattern: string): boolean {
  const v = lower(value);
  const p = lower(pattern);
  switch (criterion) {
    case 'StartsWith':
      return v.startsWith(p);
    case 'EndsWith':
      return v.endsWith(p);
    default:
      return v.includes(p);
  }
}

/**
 * Selects list records for a `*QueryRq` with the ListQuery filters: ListID* or FullName* (status 500 for
 * names that do not exist), else ActiveStatus (default ActiveOnly), From/ToModifiedDate, NameFilter,
 * NameRangeFilter, and `extra` for request-specific filters. Sorted by full name, as QuickBooks lists them.
 */
export function selectListRecords<R extends ListRecord>(
  ctx: RequestContext,
  list: ListName,
  candidates: readonly R[],
  extra?: (record: R) => boolean,
): Selection {
  const { company, request } = ctx;
  const fullName = (r: R) => company.fullName(list, r);
  const listIds = childTexts(request, 'ListID');
  const fullNames = childTexts(request, 'FullName');
  if (listIds.length > 0 || fullNames.length > 0) {
    const ids: string[] = [];
    const missing: string[] = [];
    for (const id of listIds) {
      const found = candidates.find((r) => r.listId === id);
      if (found) ids.push(found.listId);
      else missing.push(id);
    }
    for (const name of fullNames) {
      const found = candidates.find((r) => lower(fullName(r)) === lower(name));
      if (found) ids.push(found.listId);
      else missing.push(name);
    }
    return { ids, ...(missing.length > 0 ? { status: QB_STATUS.notAllFound(missing[0]!) } : {}) };
  }
  const active = childText(request, 'ActiveStatus') ?? 'ActiveOnly';
  const from = instant(ctx, childText(request, 'FromModifiedDate'));
  const to = endInstant(ctx, childText(request, 'ToModifiedDate'));
  const nameFilter = child(request, 'NameFilter');
  const range = child(request, 'NameRangeFilter');
  const selected = candidates.filter((r) => {
    if (active === 'ActiveOnly' && !r.isActive) return false;
    if (active === 'InactiveOnly' && r.isActive) return false;
    const modified = parseDateTime(r.timeModified, company.data.utcOffsetMinutes)?.getTime() ?? 0;
    if (from !== undefined && modified < from) return false;
    if (to !== undefined && modified > to) return false;
    const name = fullName(r);
    if (nameFilter && !matches(childText(nameFilter, 'MatchCriterion'), name, childText(nameFilter, 'Name') ?? '')) return false;
    if (range) {
      const fromName = childText(range, 'FromName');
      const toName = childText(range, 'ToName');
      if (fromName !== undefined && lower(name) < lower(fromName)) return false;
      // QuickBooks' ToName includes names that start with it ("A" to "C" includes "Carl").
      if (toName !== undefined && lower(name) > lower(toName) && !lower(name).startsWith(lower(toName))) return false;
    }
    return extra ? extra(r) : true;
  });
  selected.sort((a, b) => lower(fullName(a)).localeCompare(lower(fullName(b)), 'en'));
  return { ids: selected.map((r) => r.listId) };
}

/** Customers (and their jobs, with `...WithChildren`) an `EntityFilter`/`AccountFilter`-style element names. */
function filterTargets(company: SimulatedCompanyFile, list: ListName, filter: XmlElement): Set<string> {
  const ids = new Set<string>();
  const add = (listId: string | undefined, withChildren: boolean) => {
    if (listId === undefined) return;
    if (withChildren) for (const id of company.descendantIds(list, listId)) ids.add(id);
    else ids.add(listId);
  };
  const byName = (name: string | undefined) => (name === undefined ? undefined : (company.findByFullName(list, name)?.listId ?? `missing:${name}`));
  add(childText(filter, 'ListID'), false);
  add(byName(childText(filter, 'FullName')), false);
  add(childText(filter, 'ListIDWithChildren'), true);
  add(byName(childText(filter, 'FullNameWithChildren')), true);
  return ids;
}

/** Request-specific parts of a transaction query. */
export interface TxnQueryOptions<T extends TxnRecord> {
  /** Customer (entity) of a transaction, for EntityFilter. */
  readonly entityOf: (txn: T) => string | undefined;
  /** A/R or deposit account, for AccountFilter. */
  readonly accountOf?: (txn: T) => string | undefined;
  /** PaidStatus (invoices): whether the transaction is paid in full. */
  readonly isPaid?: (txn: T) => boolean;
  /** The list EntityFilter names (default customers; vendors for purchases). */
  readonly entityList?: ListName;
}

/**
 * Selects transactions for a `*QueryRq` with the TxnQuery filters: TxnID* (500 for unknown ones), RefNumber*
 * / RefNumberCaseSensitive*, else ModifiedDateRangeFilter, TxnDateRangeFilter, EntityFilter, AccountFilter,
 * RefNumberFilter, RefNumberRangeFilter and PaidStatus. Sorted by TxnDate, then entry order.
 */
export function selectTransactions<T extends TxnRecord>(ctx: RequestContext, candidates: readonly T[], options: TxnQueryOptions<T>): Selection {
  const { request, company } = ctx;
  const txnIds = childTexts(request, 'TxnID');
  if (txnIds.length > 0) {
    const ids: string[] = [];
    const missing: string[] = [];
    for (const id of txnIds) {
      const found = candidates.find((t) => t.txnId === id);
      if (found) ids.push(found.txnId);
      else missing.push(id);
    }
    return { ids, ...(missing.length > 0 ? { status: QB_STATUS.notAllFound(missing[0]!) } : {}) };
  }
  // RefNumbers are not unique identities, so an unknown one is a plain "no match" (status 1), not 500 [G].
  const refNumbers = childTexts(request, 'RefNumber');
  const exactRefNumbers = childTexts(request, 'RefNumberCaseSensitive');
  if (refNumbers.length > 0 || exactRefNumbers.length > 0) {
    const wanted = new Set(refNumbers.map(lower));
    const exact = new Set(exactRefNumbers);
    return {
      ids: candidates
        .filter((t) => t.refNumber !== undefined && (wanted.has(lower(t.refNumber)) || exact.has(t.refNumber)))
        .map((t) => t.txnId),
    };
  }
  const modified = child(request, 'ModifiedDateRangeFilter');
  const fromModified = instant(ctx, childText(modified, 'FromModifiedDate'));
  const toModified = endInstant(ctx, childText(modified, 'ToModifiedDate'));
  const dates = child(request, 'TxnDateRangeFilter');
  const fromDate = childText(dates, 'FromTxnDate');
  const toDate = childText(dates, 'ToTxnDate');
  const entityFilter = child(request, 'EntityFilter');
  const entities = entityFilter && filterTargets(company, options.entityList ?? 'customers', entityFilter);
  const accountFilter = child(request, 'AccountFilter');
  const accounts = accountFilter && filterTargets(company, 'accounts', accountFilter);
  const refFilter = child(request, 'RefNumberFilter');
  const refRange = child(request, 'RefNumberRangeFilter');
  const paidStatus = childText(request, 'PaidStatus') ?? 'All';
  const selected = candidates.filter((t) => {
    const modifiedAt = parseDateTime(t.timeModified, company.data.utcOffsetMinutes)?.getTime() ?? 0;
    if (fromModified !== undefined && modifiedAt < fromModified) return false;
    if (toModified !== undefined && modifiedAt > toModified) return false;
    if (fromDate !== undefined && t.txnDate < fromDate) return false;
    if (toDate !== undefined && t.txnDate > toDate) return false;
    if (entities && !entities.has(options.entityOf(t) ?? '')) return false;
    if (accounts && !accounts.has(options.accountOf?.(t) ?? '')) return false;
    if (refFilter && !matches(childText(refFilter, 'MatchCriterion'), t.refNumber ?? '', childText(refFilter, 'RefNumber') ?? '')) return false;
    if (refRange) {
      const from = childText(refRange, 'FromRefNumber');
      const to = childText(refRange, 'ToRefNumber');
      const ref = t.refNumber ?? '';
      if (from !== undefined && compareRefNumbers(ref, from) < 0) return false;
      if (to !== undefined && compareRefNumbers(ref, to) > 0) return false;
    }
    if (paidStatus !== 'All' && options.isPaid) {
      const paid = options.isPaid(t);
      if (paidStatus === 'PaidOnly' && !paid) return false;
      if (paidStatus === 'NotPaidOnly' && paid) return false;
    }
    return true;
  });
  selected.sort((a, b) => a.txnDate.localeCompare(b.txnDate) || a.txnNumber - b.txnNumber);
  return { ids: selected.map((t) => t.txnId) };
}

/** RefNumbers compare numerically when both are numbers ("9" < "10"), else as text. */
function compareRefNumbers(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || a.localeCompare(b);
  return lower(a).localeCompare(lower(b), 'en');
}

/** Renders one record of a query; `shape` is the request whose IncludeLineItems/OwnerID apply. */
export type RenderOne = (id: string, shape: XmlElement) => RetElement | undefined;

function maxReturned(request: XmlElement): number | undefined {
  const text = childText(request, 'MaxReturned');
  return text === undefined ? undefined : Math.max(0, Number.parseInt(text, 10));
}

/**
 * Answers a query from its selection, honouring MaxReturned and iterators:
 * - Start: first page, `iteratorRemainingCount`, a new `iteratorID`; nothing matched → status 1, remaining 0.
 * - Continue: next page of the snapshot taken at Start; past the end → status 1, remaining 0;
 *   an unknown iteratorID (or one of another request kind) → 3391.
 * - Stop: forgets the iterator.
 */
export function answerQuery(ctx: RequestContext, select: () => Selection, render: RenderOne): HandlerResult {
  const { request, iterators } = ctx;
  const iterator = request.attributes['iterator'];
  const renderAll = (ids: readonly string[], shape: XmlElement) =>
    ids.map((id) => render(id, shape)).filter((r): r is RetElement => r !== undefined);

  if (iterator === 'Continue' || iterator === 'Stop') {
    const id = request.attributes['iteratorID'] ?? '';
    const state = iterators.get(id);
    if (!state || state.requestName !== request.name) refuse(QB_STATUS.invalidIterator(id));
    if (iterator === 'Stop') {
      iterators.stop(id);
      return { iteratorRemainingCount: 0, iteratorId: state.id };
    }
    const size = maxReturned(request) ?? state.remaining.length;
    const page = state.remaining.splice(0, size);
    if (page.length === 0) return { status: QB_STATUS.noMatch(), iteratorRemainingCount: 0, iteratorId: state.id };
    return { rets: renderAll(page, state.start), iteratorRemainingCount: state.remaining.length, iteratorId: state.id };
  }

  const selection = select();
  const limit = maxReturned(request);
  if (iterator === 'Start') {
    const size = limit ?? selection.ids.length;
    const page = selection.ids.slice(0, size);
    const state = iterators.start(request.name, request, selection.ids.slice(size));
    if (page.length === 0) return { status: selection.status ?? QB_STATUS.noMatch(), iteratorRemainingCount: 0, iteratorId: state.id };
    return {
      ...(selection.status ? { status: selection.status } : {}),
      rets: renderAll(page, request),
      iteratorRemainingCount: state.remaining.length,
      iteratorId: state.id,
    };
  }
  const ids = limit === undefined ? selection.ids : selection.ids.slice(0, limit);
  if (ids.length === 0) return { status: selection.status ?? QB_STATUS.noMatch() };
  return { ...(selection.status ? { status: selection.status } : {}), rets: renderAll(ids, request) };
}
