/**
 * A local HTTP server answering in Autotask REST's documented shapes (/work/shared/docs/autotask-rest.md §8):
 * zoneInformation without auth; the three auth headers (any case) on everything else, 401 otherwise;
 * `{Entity}/query` by GET (?search=) or POST with all 13 operators and and/or groups, case-insensitive field
 * names and top-level keys, non-queryable fields and maxRecords > 500 refused with `{errors}`; pages of at most
 * 500 ordered by id with an absolute `pageDetails.nextPageUrl` (`…/query/next?paging=…`, GET or POST, the
 * POST body re-applied); `query/count`; GET by id (`{item}`, 404 when missing); PATCH Invoices/BillingItems
 * (writable fields only, `{itemId}`); POST Companies; ThresholdInformation. Entities with declared fields (time
 * entries, expense reports and items, tickets, tasks, projects) take filters on those fields while empty.
 *
 * It counts requests in flight per endpoint: more than `threadLimit` at once is recorded as a violation (the
 * tests fail on it) and answered with Autotask's thread-threshold `{errors}`. Faults can be queued per route.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type AtRecord = Record<string, unknown> & { id: number };

export interface FakeAutotaskOptions {
  readonly userName?: string;
  readonly integrationCode?: string;
  readonly secret?: string;
  /** Added to every answer, so concurrent requests overlap (default 5 ms). */
  readonly latencyMs?: number;
  readonly threadLimit?: number;
  readonly zoneName?: string;
}

export interface Fault {
  /** Which requests: method and entity (lower case, e.g. "invoices", "zoneinformation"); omitted = any. */
  readonly method?: string;
  readonly entity?: string;
  /** Also match on the path (lower case), e.g. /query\/next/. */
  readonly path?: RegExp;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** JSON body, or a string sent as is. */
  readonly body?: unknown;
}

export interface LoggedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** Lower-case entity segment after v1.0 ("invoices"), or "zoneinformation". */
  readonly entity: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
  readonly status: number;
}

/** Fields that "return an error when queried" (docs §2.2 #45). */
const NOT_QUERYABLE: Record<string, string[]> = {
  invoices: ['duedate', 'taxregionid'],
  billingitems: ['lineitemfulldescription', 'lineitemgroupdescription'],
  companies: ['assetvalue'],
  // docs §5.8: glCode / gLCode (names match case-insensitively, so both spellings are refused).
  expenseitems: ['isreimbursable', 'isrejected', 'glcode'],
  expensereports: ['amountdue', 'departmentnumber', 'submit'],
};

/**
 * Fields an entity has even while its table is empty (the fake otherwise knows an entity's fields from its
 * records): real Autotask accepts a filter on lastModifiedDateTime of a tenant without any time entry.
 */
const DECLARED_FIELDS: Record<string, () => AtRecord> = {
  timeentries: () => timeEntry(1, 1),
  expensereports: () => expenseReport(1, 1),
  expenseitems: () => expenseItem(1, 1),
  tickets: () => ticket(1, 1),
  tasks: () => ({ id: 1, projectID: null, title: null, status: null }),
  projects: () => ({ id: 1, companyID: null, projectName: null, organizationalLevelAssociationID: null, status: null }),
};

/** Writable fields per entity (docs §8 item 8). */
const WRITABLE: Record<string, string[]> = {
  invoices: ['invoiceNumber', 'paidDate', 'webServiceDate'],
  billingitems: ['webServiceDate'],
  purchaseorders: ['externalPONumber'],
  expensereports: ['quickBooksReferenceNumber'],
};

const ENTITY_NAMES: Record<string, string> = {
  companies: 'Companies',
  resources: 'Resources',
  invoices: 'Invoices',
  billingitems: 'BillingItems',
  billingcodes: 'BillingCodes',
  roles: 'Roles',
  paymentterms: 'PaymentTerms',
  invoicetemplates: 'InvoiceTemplates',
  countries: 'Countries',
  purchaseorders: 'PurchaseOrders',
  expensereports: 'ExpenseReports',
  purchaseorderitems: 'PurchaseOrderItems',
  purchaseorderitemreceiving: 'PurchaseOrderItemReceiving',
  products: 'Products',
  inventoryitems: 'InventoryItems',
  inventorylocations: 'InventoryLocations',
  timeentries: 'TimeEntries',
  expenseitems: 'ExpenseItems',
  tickets: 'Tickets',
  tasks: 'Tasks',
  projects: 'Projects',
};

export class FakeAutotask {
  readonly userName: string;
  readonly integrationCode: string;
  readonly secret: string;
  readonly threadLimit: number;
  latencyMs: number;
  /** Records per lower-case entity name. */
  readonly data = new Map<string, AtRecord[]>();
  readonly requests: LoggedRequest[] = [];
  /** "more than N in flight on <endpoint>" messages; a test fails when there is any. */
  readonly violations: string[] = [];
  /** Highest number of requests in flight at once, per endpoint. */
  readonly maxInFlight = new Map<string, number>();
  readonly faults: Fault[] = [];
  /** `{Entity}/entityInformation/fields` answers, by lower-case entity (picklists a test needs). */
  readonly fieldInfo = new Map<string, Array<Record<string, unknown>>>();
  /** `Companies/{id}/invoiceSettings` per company id (absent: Autotask's defaults). */
  readonly invoiceSettings = new Map<number, Record<string, unknown>>();
  /** Requests served per rolling hour (ThresholdInformation). */
  requestCount = 0;
  private readonly inFlight = new Map<string, number>();
  private server: http.Server | undefined;
  private base = '';

  constructor(options: FakeAutotaskOptions = {}) {
    this.userName = options.userName ?? 'qbsync-api@example-msp.com';
    this.integrationCode = options.integrationCode ?? '8XQ2L7K3M9P4R1T6V5W0Y2Z8A4C';
    this.secret = options.secret ?? 's3cret-Pa55!';
    this.latencyMs = options.latencyMs ?? 5;
    this.threadLimit = options.threadLimit ?? 3;
    for (const name of Object.keys(ENTITY_NAMES)) this.data.set(name, []);
    this.zoneName = options.zoneName ?? 'Fake Zone';
  }

  readonly zoneName: string;

  /** The server root, e.g. http://127.0.0.1:4567 */
  get url(): string {
    return this.base;
  }

  /** What zoneInformation answers as `url` (and what the zone lookup is configured with). */
  get zoneUrl(): string {
    return `${this.base}/ATServicesRest/`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Adds records (replacing those with the same id). */
  put(entity: string, records: AtRecord[]): void {
    const list = this.table(entity);
    const byId = new Map(list.map((r) => [r.id, r]));
    for (const r of records) byId.set(r.id, r);
    this.data.set(entity.toLowerCase(), [...byId.values()].sort((a, b) => a.id - b.id));
  }

  table(entity: string): AtRecord[] {
    return this.data.get(entity.toLowerCase()) ?? [];
  }

  record(entity: string, id: number): AtRecord | undefined {
    return this.table(entity).find((r) => r.id === id);
  }

  fault(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Requests to one entity (lower case), optionally one method. */
  calls(entity: string, method?: string): LoggedRequest[] {
    return this.requests.filter((r) => r.entity === entity.toLowerCase() && (!method || r.method === method));
  }

  resetLog(): void {
    this.requests.length = 0;
    this.maxInFlight.clear();
  }

  // ---------------------------------------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const url = new URL(req.url ?? '/', this.base);
    const parts = url.pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
    const lower = parts.map((p) => p.toLowerCase());
    const method = req.method ?? 'GET';
    const v = lower.indexOf('v1.0');
    const entity = v >= 0 ? (lower[v + 1] ?? '') : (lower[1] ?? '');
    const rest = v >= 0 ? lower.slice(v + 2) : [];
    const restRaw = v >= 0 ? parts.slice(v + 2) : [];
    const thread = entity !== 'zoneinformation' && lower[0] === 'atservicesrest';

    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method, url: req.url ?? '', entity, headers: req.headers, body, status });
      const text = payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload);
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(text);
    };

    if (thread) {
      const now = (this.inFlight.get(entity) ?? 0) + 1;
      this.inFlight.set(entity, now);
      this.maxInFlight.set(entity, Math.max(now, this.maxInFlight.get(entity) ?? 0));
    }
    try {
      if (thread && (this.inFlight.get(entity) ?? 0) > this.threadLimit) {
        this.violations.push(`more than ${this.threadLimit} requests in flight on ${entity} (${this.inFlight.get(entity)})`);
        await sleep(this.latencyMs);
        return send(500, { errors: [`Thread Threshold Exceeded — The Autotask API thread threshold of ${this.threadLimit} threads has been exceeded.`] });
      }
      await sleep(this.latencyMs);
      const fault = this.faults.find(
        (f) => (f.times ?? 1) > 0 && (!f.method || f.method === method) && (!f.entity || f.entity === entity) && (!f.path || f.path.test(url.pathname.toLowerCase())),
      );
      if (fault) {
        fault.times = (fault.times ?? 1) - 1;
        return send(fault.status, fault.body, fault.headers);
      }
      if (lower[0] !== 'atservicesrest') return send(404, { errors: ['Not found'] });
      if (lower[1] === 'versioninformation') return send(200, { apiVersions: ['V1.0'] });
      if (entity === 'zoneinformation') return this.zone(url, send);
      if (!this.authorised(req.headers)) return send(401, undefined);
      this.requestCount++;
      if (entity === 'thresholdinformation') {
        return send(200, { externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: this.requestCount });
      }
      if (!ENTITY_NAMES[entity]) return send(404, { errors: [`Unknown entity ${parts[v + 1]}`] });

      if (rest[0] === 'query') {
        if (rest[1] === 'count') {
          const query = readQuery(method === 'GET' ? url.searchParams.get('search') : body);
          if ('error' in query) return send(500, { errors: [query.error] });
          const matched = this.match(entity, query.filter);
          return 'error' in matched ? send(500, { errors: [matched.error] }) : send(200, { queryCount: matched.records.length });
        }
        if (rest[1] === 'next') {
          const paging = parsePaging(url.searchParams.get('paging'));
          if (!paging) return send(500, { errors: ['Invalid paging token.'] });
          const source = method === 'GET' ? url.searchParams.get('search') : body;
          return this.query(entity, source, paging, send);
        }
        return this.query(entity, method === 'GET' ? url.searchParams.get('search') : body, null, send);
      }
      if (rest.length === 1 && method === 'GET' && /^\d+$/.test(rest[0]!)) {
        const item = this.record(entity, Number(rest[0]));
        return item ? send(200, { item }) : send(404, undefined);
      }
      if (rest[0] === 'entityinformation' && rest[1] === 'fields' && method === 'GET') return send(200, { fields: this.fieldInfo.get(entity) ?? [] });
      if (entity === 'companies' && rest.length === 2 && rest[1] === 'invoicesettings' && /^\d+$/.test(rest[0]!)) {
        return this.companyInvoiceSettings(Number(rest[0]), method, body, send);
      }
      if (rest.length === 0 && method === 'PATCH') return this.patch(entity, body, send);
      if (rest.length === 0 && method === 'POST') return this.create(entity, body, send);
      return send(405, { errors: [`${method} is not supported on ${restRaw.join('/') || parts[v + 1]}`] });
    } finally {
      if (thread) this.inFlight.set(entity, (this.inFlight.get(entity) ?? 1) - 1);
    }
  }

  private zone(url: URL, send: (status: number, payload: unknown) => void): void {
    const user = url.searchParams.get('user');
    if (!user || user.toLowerCase() !== this.userName.toLowerCase()) return send(404, { errors: [`Unable to find user ${user ?? ''}.`] });
    send(200, { zoneName: this.zoneName, url: this.zoneUrl, webUrl: `${this.base}/`, ci: 287654 });
  }

  private authorised(headers: http.IncomingHttpHeaders): boolean {
    // Node lower-cases header names: the match is case-insensitive, as Autotask's is.
    return headers.apiintegrationcode === this.integrationCode && headers.username === this.userName && headers.secret === this.secret;
  }

  private query(entity: string, source: unknown, paging: Paging | null, send: (status: number, payload: unknown) => void): void {
    const query = readQuery(source);
    if ('error' in query) return send(500, { errors: [query.error] });
    const pageSize = paging?.pageSize ?? query.maxRecords ?? 500;
    if (pageSize < 1 || pageSize > 500) return send(500, { errors: ['MaxRecords must be between 1 and 500.'] });
    const matched = this.match(entity, query.filter);
    if ('error' in matched) return send(500, { errors: [matched.error] });
    const after = paging?.lastId ?? -Infinity;
    const remaining = matched.records.filter((r) => r.id > after);
    const page = remaining.slice(0, pageSize);
    const more = remaining.length > page.length;
    const items = query.includeFields ? page.map((r) => pick(r, ['id', ...query.includeFields!])) : page;
    const nextPaging = { pageSize, previousIds: [page[0]?.id ?? 0], nextIds: [page.at(-1)?.id ?? 0], lastId: page.at(-1)?.id ?? 0 };
    const search = typeof source === 'string' ? `&search=${encodeURIComponent(source)}` : '';
    send(200, {
      items,
      pageDetails: {
        count: items.length,
        requestCount: pageSize,
        prevPageUrl: paging ? `${this.zoneUrl}V1.0/${ENTITY_NAMES[entity]}/query/prev?paging=${encodeURIComponent(JSON.stringify(nextPaging))}${search}` : null,
        nextPageUrl: more ? `${this.zoneUrl}V1.0/${ENTITY_NAMES[entity]}/query/next?paging=${encodeURIComponent(JSON.stringify(nextPaging))}${search}` : null,
      },
    });
  }

  private match(entity: string, filter: unknown[]): { records: AtRecord[] } | { error: string } {
    const records = this.table(entity);
    const fields = new Map<string, string>();
    const declared = DECLARED_FIELDS[entity];
    for (const r of [...(declared ? [declared()] : []), ...records.slice(0, 50)]) for (const k of Object.keys(r)) fields.set(k.toLowerCase(), k);
    fields.set('id', 'id');
    try {
      const predicates = filter.map((f) => compile(f, entity, fields));
      return { records: records.filter((r) => predicates.every((p) => p(r))) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  private patch(entity: string, body: unknown, send: (status: number, payload: unknown) => void): void {
    const writable = WRITABLE[entity];
    if (!writable) return send(405, { errors: [`${ENTITY_NAMES[entity]} cannot be updated through the API.`] });
    const changes = body as Record<string, unknown> | null;
    const id = Number(changes?.id);
    const record = this.record(entity, id);
    if (!record) return send(500, { errors: [`Unable to find ${ENTITY_NAMES[entity]} with id [${String(changes?.id)}].`] });
    for (const [key, value] of Object.entries(changes ?? {})) {
      const field = writable.find((w) => w.toLowerCase() === key.toLowerCase());
      if (!field) continue; // read-only fields are ignored (SOAP-like)
      if (field === 'invoiceNumber' && typeof value === 'string' && value.length > 100) {
        return send(500, { errors: ['Value for field [invoiceNumber] exceeds the maximum length of 100.'] });
      }
      record[field] = field === 'paidDate' && typeof value === 'string' ? `${value.slice(0, 10)}T00:00:00` : value;
    }
    send(200, { itemId: id });
  }

  /** GET answers the settings with the recipient lists; PUT replaces them and refuses the recipient lists (docs §2.4 #62). */
  private companyInvoiceSettings(id: number, method: string, body: unknown, send: (status: number, payload: unknown) => void): void {
    if (!this.record('companies', id)) return send(404, undefined);
    const current = this.invoiceSettings.get(id) ?? { taxExempt: false, taxRegionId: null, taxId: null, invoiceEmailingEnabled: false, otherEmails: null };
    if (method === 'GET') return send(200, { item: { ...current, contactRecipients: [], resourceRecipients: [] } });
    if (method !== 'PUT') return send(405, { errors: [`${method} is not supported on invoiceSettings`] });
    const input = (body ?? {}) as Record<string, unknown>;
    if ('contactRecipients' in input || 'resourceRecipients' in input) return send(500, { errors: ['Recipients are changed through their own collections.'] });
    this.invoiceSettings.set(id, { ...input });
    send(200, { itemId: id });
  }

  private create(entity: string, body: unknown, send: (status: number, payload: unknown) => void): void {
    if (entity !== 'companies') return send(405, { errors: [`${ENTITY_NAMES[entity]} cannot be created through the API.`] });
    const input = (body ?? {}) as Record<string, unknown>;
    const missing = ['companyName', 'companyType', 'ownerResourceID', 'phone'].filter((f) => input[f] === undefined || input[f] === null || input[f] === '');
    if (missing.length) return send(500, { errors: missing.map((f) => `Required field [${f}] is missing.`) });
    const id = Math.max(29_000_000, ...this.table('companies').map((c) => c.id)) + 1;
    this.put('companies', [company(id, String(input.companyName), input)]);
    send(200, { itemId: id });
  }
}

// ---- queries ----

interface ParsedQuery {
  filter: unknown[];
  includeFields?: string[];
  maxRecords?: number;
}

function readQuery(source: unknown): ParsedQuery | { error: string } {
  let q: unknown = source;
  if (typeof source === 'string') {
    try {
      q = JSON.parse(source);
    } catch {
      return { error: 'The search parameter is not valid JSON.' };
    }
  }
  if (!q || typeof q !== 'object') return { error: 'A query needs a filter.' };
  const get = (name: string) => Object.entries(q as object).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const filter = get('filter');
  if (!Array.isArray(filter) || !filter.length) return { error: 'A query needs at least one filter.' };
  const includeFields = get('includeFields') as string[] | undefined;
  const maxRecords = get('maxRecords') as number | undefined;
  if (maxRecords !== undefined && (maxRecords < 1 || maxRecords > 500)) return { error: 'MaxRecords must be between 1 and 500.' };
  return { filter, includeFields, maxRecords };
}

type Predicate = (r: AtRecord) => boolean;

function compile(raw: unknown, entity: string, fields: Map<string, string>): Predicate {
  const f = raw as { op?: string; field?: string; value?: unknown; items?: unknown[]; udf?: boolean };
  const op = String(f.op ?? '').toLowerCase();
  if (op === 'and' || op === 'or') {
    const items = (f.items ?? []).map((i) => compile(i, entity, fields));
    return op === 'and' ? (r) => items.every((p) => p(r)) : (r) => items.some((p) => p(r));
  }
  const name = String(f.field ?? '');
  if (f.udf) {
    return (r) => {
      const udfs = (r.userDefinedFields as Array<{ name: string; value: unknown }> | undefined) ?? [];
      const value = udfs.find((u) => u.name.toLowerCase() === name.toLowerCase())?.value ?? null;
      return compare(op, value, f.value);
    };
  }
  if (NOT_QUERYABLE[entity]?.includes(name.toLowerCase())) throw new Error(`Field [${name}] cannot be used in a query filter for entity [${ENTITY_NAMES[entity]}].`);
  const key = fields.get(name.toLowerCase());
  if (!key) throw new Error(`Unable to find field [${name}] in the ${ENTITY_NAMES[entity]} entity.`);
  if (op === 'in' || op === 'notin') {
    if (!Array.isArray(f.value)) throw new Error(`Operator [${f.op}] needs an array value.`);
    if (f.value.length > 500) throw new Error("Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.");
  }
  return (r) => compare(op, r[key] ?? null, f.value);
}

function compare(op: string, actual: unknown, expected: unknown): boolean {
  const eq = (a: unknown, b: unknown) => (a === null || b === null ? a === b : String(a).toLowerCase() === String(b).toLowerCase());
  const cmp = (a: unknown, b: unknown) => (typeof a === 'number' ? a - Number(b) : String(a).localeCompare(String(b)));
  switch (op) {
    case 'eq':
      if (typeof actual === 'boolean' && typeof expected !== 'boolean') throw new Error('Boolean fields take true or false.');
      return eq(actual, expected);
    case 'noteq':
      return !eq(actual, expected);
    case 'gt':
      return actual !== null && cmp(actual, expected) > 0;
    case 'gte':
      return actual !== null && cmp(actual, expected) >= 0;
    case 'lt':
      return actual !== null && cmp(actual, expected) < 0;
    case 'lte':
      return actual !== null && cmp(actual, expected) <= 0;
    case 'beginswith':
      return typeof actual === 'string' && actual.toLowerCase().startsWith(String(expected).toLowerCase());
    case 'endswith':
      return typeof actual === 'string' && actual.toLowerCase().endsWith(String(expected).toLowerCase());
    case 'contains':
      return typeof actual === 'string' && actual.toLowerCase().includes(String(expected).toLowerCase());
    case 'exist':
      return actual !== null && actual !== '';
    case 'notexist':
      return actual === null || actual === '';
    case 'in':
      return (expected as unknown[]).some((v) => eq(actual, v));
    case 'notin':
      return !(expected as unknown[]).some((v) => eq(actual, v));
    default:
      throw new Error(`Unknown operator [${op}].`);
  }
}

interface Paging {
  pageSize: number;
  lastId: number;
}

function parsePaging(value: string | null): Paging | null {
  if (!value) return null;
  try {
    const p = JSON.parse(value) as Paging;
    return typeof p.pageSize === 'number' && typeof p.lastId === 'number' ? p : null;
  } catch {
    return null;
  }
}

function pick(record: AtRecord, fields: string[]): Record<string, unknown> {
  const wanted = new Set(fields.map((f) => f.toLowerCase()));
  return Object.fromEntries(Object.entries(record).filter(([k]) => wanted.has(k.toLowerCase()) || k === 'userDefinedFields'));
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

// ---- records in Autotask's full shapes (every field, null when empty) ----

export function company(id: number, companyName: string, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, companyName, companyNumber: null, companyType: 1, isActive: true, isTaxExempt: false, taxRegionID: null, taxID: null,
    address1: null, address2: null, additionalAddressInformation: null, city: null, state: null, postalCode: null, countryID: null,
    billToAddressToUse: 1, billToAttention: null, billingAddress1: null, billingAddress2: null, billToCity: null, billToState: null,
    billToZipCode: null, billToCountryID: null, billToAdditionalAddressInformation: null, billToCompanyLocationID: null,
    phone: '614-555-0100', fax: null, alternatePhone1: null, alternatePhone2: null, webAddress: null, parentCompanyID: null,
    invoiceTemplateID: null, invoiceNonContractItemsToParentCompany: false, currencyID: 1, ownerResourceID: 29682885,
    createDate: '2024-01-02T10:00:00.000', lastActivityDate: null, lastTrackedModifiedDateTime: '2024-01-02T10:00:00.000',
    assetValue: null, userDefinedFields: [],
    ...over,
  };
}

export function resource(id: number, firstName: string, lastName: string, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, firstName, lastName, middleName: null, email: `${firstName.toLowerCase()}@example-msp.com`, email2: null, email3: null,
    isActive: true, userName: firstName.toLowerCase(), title: null, resourceType: 'Employee', userType: 1, licenseType: 1,
    accountingReferenceID: null, payrollIdentifier: null, hireDate: null, officePhone: null, mobilePhone: null,
    ...over,
  };
}

export function invoice(id: number, companyID: number, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, batchID: 1187, comments: '', companyID, createDateTime: '2024-05-01T14:22:10.447', creatorResourceID: 29682885,
    dueDate: '2024-05-31T00:00:00', fromDate: '2024-04-01T00:00:00', toDate: '2024-04-30T00:00:00',
    invoiceDateTime: '2024-05-01T00:00:00', invoiceEditorTemplateID: 102, invoiceNumber: null, invoiceTotal: 452.96,
    isVoided: false, orderNumber: null, paidDate: null, paymentTerm: 2, taxGroup: null, taxRegionName: null,
    totalTaxValue: 12.46, voidedByResourceID: null, voidedDate: null, webServiceDate: null, invoiceStatus: null,
    invoiceTaxMethodExternalCode: null,
    ...over,
  };
}

export function billingItem(id: number, invoiceID: number | null, companyID: number, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, accountManagerWhenApprovedID: null, billingCodeID: 29682801, taxCategoryID: 1, billingItemType: 1, companyID,
    configurationItemID: null, contractBlockID: null, contractChargeID: null, contractID: null, contractServiceAdjustmentID: null,
    contractServiceBundleAdjustmentID: null, contractServiceBundleID: null, contractServiceBundlePeriodID: null, contractServiceID: null,
    contractServicePeriodID: null, description: 'Replaced failing UPS battery in server room', expenseItemID: null, extendedPrice: 262.5,
    internalCurrencyExtendedPrice: 262.5, internalCurrencyRate: 150, internalCurrencyTaxDollars: 0, internalCurrencyTotalAmount: 262.5,
    invoiceID, itemApproverID: null, itemDate: '2024-04-17T00:00:00', itemName: 'Onsite Support',
    lineItemFullDescription: 'Onsite Support: Replaced failing UPS battery in server room', lineItemGroupDescription: null,
    milestoneID: null, nonBillable: 0, organizationalLevelAssociationID: 3, ourCost: 90, postedDate: '2024-04-30T00:00:00',
    postedOnTime: '2024-04-30T16:05:41.180', projectChargeID: null, projectID: null, purchaseOrderNumber: null, quantity: 1.75,
    rate: 150, roleID: 29683461, serviceBundleID: null, serviceID: null, sortOrderID: null, subType: 1, taskID: null, taxDollars: 0,
    ticketChargeID: null, ticketID: 31877, timeEntryID: 45112, totalAmount: 262.5, vendorID: null, webServiceDate: null,
    ...over,
  };
}

/** A day `days` before today (UTC), as Autotask sends a date-only value: the pulls read windows back from now. */
export function daysAgo(days: number): string {
  return `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
}

/** A TimeEntries record (parity-transfers.md §4.2): by default 1.75 h of billable work on ticket 31877. */
export function timeEntry(id: number, resourceID: number, over: Record<string, unknown> = {}): AtRecord {
  const dateWorked = (over.dateWorked as string | undefined) ?? daysAgo(3);
  return {
    id, resourceID, dateWorked, startDateTime: `${dateWorked.slice(0, 10)}T14:00:00.000`, endDateTime: `${dateWorked.slice(0, 10)}T15:45:00.000`,
    hoursWorked: 1.75, hoursToBill: 1.75, offsetHours: 0, timeEntryType: 2, billingCodeID: 29682801, internalBillingCodeID: null,
    roleID: 29683461, ticketID: 31877, taskID: null, contractID: null, contractServiceID: null, contractServiceBundleID: null,
    isNonBillable: false, showOnInvoice: true, summaryNotes: 'Replaced failing UPS battery in server room', internalNotes: null,
    billingApprovalDateTime: null, billingApprovalLevelMostRecent: 0, billingApprovalResourceID: null, creatorUserID: resourceID,
    createDateTime: `${dateWorked.slice(0, 10)}T16:02:11.310`, lastModifiedDateTime: `${dateWorked.slice(0, 10)}T16:02:11.310`,
    impersonatorCreatorResourceID: null, impersonatorUpdaterResourceID: null,
    ...over,
  };
}

/** A Tickets record, as much as the pull reads of it (its company and line of business). */
export function ticket(id: number, companyID: number, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, ticketNumber: `T20240417.${String(id).padStart(4, '0')}`, title: 'UPS battery failing', companyID, contactID: null, status: 5,
    queueID: 8, priority: 2, organizationalLevelAssociationID: 3, contractID: null, createDate: '2024-04-17T13:05:00.000',
    lastActivityDate: '2024-04-17T16:02:11.310', ...over,
  };
}

/** An ExpenseReports record (docs §5.8): status 3 is "Approved for Payment" in expenseReportStatusFields. */
export function expenseReport(id: number, submitterID: number, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, name: 'Client visits', submitterID, status: 3, weekEnding: daysAgo(5), submitDate: daysAgo(4), approvedDate: daysAgo(2),
    approverID: 29682885, rejectionReason: null, internalCurrencyExpenseTotal: 84.5, internalCurrencyCashAdvanceAmount: 0,
    amountDue: 84.5, departmentNumber: null, organizationalLevelAssociationID: 3, quickBooksReferenceNumber: null,
    reimbursementCurrencyID: 1, reimbursementCurrencyAmountDue: 84.5, reimbursementCurrencyCashAdvanceAmount: 0, submit: true,
    ...over,
  };
}

/** An ExpenseItems record (docs §5.8): by default a reimbursable mileage claim (payment type 1 "Cash"). */
export function expenseItem(id: number, expenseReportID: number, over: Record<string, unknown> = {}): AtRecord {
  return {
    id, expenseReportID, description: 'Mileage to client site', expenseDate: daysAgo(6), expenseCategory: 2, paymentType: 1,
    haveReceipt: false, isBillableToCompany: false, isReimbursable: true, isRejected: false, glCode: null, companyID: 0,
    projectID: null, taskID: null, ticketID: null, workType: null, internalCurrencyExpenseAmount: 84.5,
    internalCurrencyReimbursementAmount: 84.5, expenseCurrencyExpenseAmount: 84.5, expenseCurrencyID: 1,
    reimbursementCurrencyReimbursementAmount: 84.5, miles: 130, origin: 'Office', destination: 'Contoso Dental, Dublin OH',
    odometerStart: null, odometerEnd: null, entertainmentLocation: null, purchaseOrderNumber: null,
    ...over,
  };
}

/** `entityInformation/fields` picklists for expense reports and items, labelled as a stock tenant has them. */
export function seedExpensePicklists(fake: FakeAutotask): void {
  const labels = (list: string[]) => list.map((label, i) => ({ value: String(i + 1), label, isActive: true }));
  fake.fieldInfo.set('expensereports', [
    { name: 'status', isPickList: true, picklistValues: labels(['In Progress', 'Awaiting Approval', 'Approved for Payment', 'Rejected', 'Paid', 'Transferred to Quickbooks']) },
  ]);
  fake.fieldInfo.set('expenseitems', [
    { name: 'expenseCategory', isPickList: true, picklistValues: labels(['Meals', 'Mileage', 'Hotel', 'Software']) },
    { name: 'paymentType', isPickList: true, picklistValues: labels(['Cash', 'Company Credit Card', 'Personal Credit Card', 'Check']) },
  ]);
}

/**
 * A tenant with `companies` companies, `invoices` invoices spread over them (ids from 29684001), each with
 * a labour line and a material line, plus the lookups (billing codes, roles, payment terms, templates), and a
 * little time and expenses (two time entries, one approved expense report with one item, their picklists).
 */
export function seedTenant(fake: FakeAutotask, options: { companies?: number; invoices?: number } = {}): { companyIds: number[]; invoiceIds: number[] } {
  const companyCount = options.companies ?? 5;
  const invoiceCount = options.invoices ?? 10;
  const companyIds = Array.from({ length: companyCount }, (_, i) => 29683600 + i);
  fake.put('companies', companyIds.map((id, i) => company(id, `Customer ${i + 1}`, { address1: `${i + 1} Main St`, city: 'Columbus', state: 'OH', postalCode: '43004', countryID: 237, invoiceTemplateID: 102 })));
  fake.put('resources', [resource(29682885, 'Ada', 'Lovelace'), resource(29682886, 'Carl', 'Friedrich', { isActive: false })]);
  fake.put('countries', [{ id: 237, name: 'United States', displayName: 'United States', countryCode: 'US' }]);
  fake.put('invoicetemplates', [{ id: 102, name: 'Standard', paymentTerms: 2 }]);
  fake.put('paymentterms', [
    { id: 1, name: 'Due on Receipt', description: null, isActive: true, paymentDueInDays: 0 },
    { id: 2, name: 'Net 30', description: null, isActive: true, paymentDueInDays: 30 },
  ]);
  fake.put('billingcodes', [
    { id: 29682801, name: 'Onsite Support', useType: 1, billingCodeType: 0, externalNumber: 'LAB-ONSITE', isActive: true },
    { id: 29682844, name: 'Hardware', useType: 3, billingCodeType: 0, externalNumber: 'MAT-HW', isActive: true },
  ]);
  fake.put('roles', [{ id: 29683461, name: 'Field Technician' }]);
  const invoiceIds = Array.from({ length: invoiceCount }, (_, i) => 29684001 + i);
  fake.put('invoices', invoiceIds.map((id, i) => invoice(id, companyIds[i % companyCount]!)));
  // Some time and expenses of Ada's: the ticket time the labour lines bill, an hour of regular (internal) time,
  // and an approved expense report with a mileage claim.
  fake.put('tickets', [ticket(31877, companyIds[0]!)]);
  fake.put('timeentries', [
    timeEntry(45112, 29682885),
    timeEntry(45113, 29682885, { billingCodeID: null, internalBillingCodeID: 29682810, roleID: null, ticketID: null, hoursWorked: 1, hoursToBill: 0, isNonBillable: true, summaryNotes: 'Team meeting' }),
  ]);
  fake.put('billingcodes', [{ id: 29682810, name: 'Regular Time', useType: 5, billingCodeType: 0, externalNumber: null, isActive: true }]);
  seedExpensePicklists(fake);
  fake.put('expensereports', [expenseReport(8801, 29682885)]);
  fake.put('expenseitems', [expenseItem(88011, 8801)]);
  fake.put(
    'billingitems',
    invoiceIds.flatMap((invoiceId, i) => {
      const companyID = companyIds[i % companyCount]!;
      return [
        billingItem(7_000_000 + i * 2, invoiceId, companyID),
        billingItem(7_000_001 + i * 2, invoiceId, companyID, {
          billingCodeID: 29682844, billingItemType: 4, subType: 2, description: 'APC RBC7 replacement battery cartridge', extendedPrice: 178,
          itemName: 'UPS Battery RBC7', lineItemFullDescription: 'UPS Battery RBC7: APC RBC7 replacement battery cartridge', quantity: 2,
          rate: 89, roleID: null, taxDollars: 12.46, ticketChargeID: 1201, timeEntryID: null, totalAmount: 178, purchaseOrderNumber: 'PO-7781',
        }),
      ];
    }),
  );
  return { companyIds, invoiceIds };
}
