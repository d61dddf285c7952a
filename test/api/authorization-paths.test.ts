/**
 * Authorization by path: the type policy (src/graphql/policy.ts) holds wherever a protected type is reached.
 *
 * First the query that used to leak (a viewer reading every registration and QWC file through `connectors`) and
 * its neighbours (/qwc, a mutation's answer, another user's tokens). Then the schema walk: every field path from
 * Query (bounded depth, no type twice on a path) that ends at a protected type is run as each role — anonymous,
 * VIEWER, ACCOUNTANT, ADMIN — against seeded data (two accountants, a viewer and an admin, each with registrations
 * and tokens, a credential, the Autotask connection, transfers), and must show exactly the rows of that path the
 * type's root query lets the role see, or be refused with the code the root query answers.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { introspectionFromSchema, type IntrospectionObjectType, type IntrospectionOutputTypeRef, type IntrospectionSchema } from 'graphql';
import { buildAppSchema } from '../../src/graphql/schema.js';
import { POLICY, type ProtectedType } from '../../src/graphql/policy.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Company } from '../../src/modules/company/company.entity.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { Role } from '../../src/modules/user/role.js';
import { Organization, OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';
import { AutotaskConnection } from '../../src/psa/autotask/autotask-connection.entity.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../helpers/test-app.js';
import { customer, seedCustomerList } from '../customer-import/helpers.js';

let app: TestApp;
type Person = { id: string; token: string };
let ada: Person, ann: Person, bob: Person, vera: Person;
const ids = { north: '', south: '', company: '', org1: '', org2: '', resource: '', inv11: '', inv12: '', transfer: '', po: '', expenseReport: '' };

/** Runs an operation and fails the test on any error (for the set-up). */
async function ok<T = Record<string, any>>(query: string, token: string): Promise<T> {
  const res = (await app.gql(query, {}, token)) as GraphQLResponse<T>;
  expect(res.errors, query).toBeUndefined();
  return res.data!;
}

beforeAll(async () => {
  app = await startTestApp({ engine: true });
  ada = await app.createUser(Role.ADMIN, 'Ada');
  ann = await app.createUser(Role.ACCOUNTANT, 'Ann');
  bob = await app.createUser(Role.ACCOUNTANT, 'Bob');
  vera = await app.createUser(Role.VIEWER, 'Vera');
  await ok('mutation { createApiToken(input: { label: "second" }) { secret } }', ann.token);
  await ok(`mutation { createApiToken(input: { userId: "${bob.id}", label: "by admin" }) { secret } }`, ada.token);
  await ok('mutation { createApiCredential(input: { userName: "qbwc" }) { credential { id } } }', ada.token);
  ids.north = (await ok('mutation { createConnector(input: { name: "North" }) { id } }', ada.token)).createConnector.id;
  ids.south = (await ok('mutation { createConnector(input: { name: "South" }) { id } }', ada.token)).createConnector.id;
  for (const [connector, person] of [[ids.north, ann], [ids.north, bob], [ids.south, ann], [ids.south, ada]] as const) {
    await ok(`mutation { createRegistration(input: { connectorId: "${connector}", userId: "${person.id}" }) { id } }`, ada.token);
  }
  await ok(`mutation { upsertMappings(input: { connectorId: "${ids.north}", mappings: [
    { sourceKind: WORK_TYPE, sourceId: "1", sourceName: "Remote", target: { fullName: "Labor" } }] }) { id } }`, ada.token);
  await ok(`mutation { setRoutes(input: { routes: [{ subject: ORGANIZATION, autotaskId: 2, connectorId: "${ids.south}" },
    { subject: ORGANIZATION, autotaskId: 1, connectorId: "${ids.north}" },
    { subject: RESOURCE, autotaskId: 7, connectorId: "${ids.south}" }] }) { id } }`, ada.token);
  const orgs = await ok('mutation { upsertOrganizations(input: { organizations: [{ autotaskId: 1, name: "One" }, { autotaskId: 2, name: "Two" }] }) { organizations { id } } }', ann.token);
  [ids.org1, ids.org2] = orgs.upsertOrganizations.organizations.map((o: { id: string }) => o.id);
  ids.resource = (await ok('mutation { upsertResources(input: { resources: [{ autotaskId: 7, firstName: "Res", lastName: "Ource" }] }) { resources { id } } }', ann.token))
    .upsertResources.resources[0].id;
  const line = '{ billingItemKind: WORK_TYPE, description: "Support", quantity: "1", rate: "100", amount: "100", taxable: false }';
  const invoices = await ok(`mutation { upsertInvoices(input: { invoices: [
    { autotaskId: 11, organizationAutotaskId: 1, invoiceDate: "2026-03-01", total: "100", lines: [${line}] },
    { autotaskId: 12, organizationAutotaskId: 2, invoiceDate: "2026-03-01", total: "100", lines: [${line}] }] }) { invoices { id } } }`, ann.token);
  [ids.inv11, ids.inv12] = invoices.upsertInvoices.invoices.map((i: { id: string }) => i.id);
  await ok(`mutation { upsertPayments(input: { payments: [
    { externalId: "p1", invoiceAutotaskId: 11, amount: "100", paymentDate: "2026-03-05" },
    { externalId: "p2", invoiceAutotaskId: 12, amount: "100", paymentDate: "2026-03-05" }] }) { payments { id } } }`, ann.token);
  const queued = await ok(`mutation { queueTransfers(input: { entityType: INVOICE, entityIds: ["${ids.inv11}", "${ids.inv12}"] }) { id } }`, ann.token);
  ids.transfer = queued.queueTransfers[0].id;
  await ok(`mutation { queueTransfers(input: { entityType: ORGANIZATION, entityIds: ["${ids.org1}", "${ids.org2}"] }) { id } }`, ann.token);
  await ok('mutation { queueTransfers(input: { entityType: PAYMENT, filter: {} }) { id } }', ann.token);
  // A timesheet day-row (TimeActivity is reached through its approval).
  await ok('mutation { upsertTimeEntries(input: { timeEntries: [{ autotaskId: 70, resourceAutotaskId: 7, dateWorked: "2026-03-02", hoursWorked: "2" }] }) { created } }', ann.token);
  await ok('mutation { approveTimesheet(input: { resourceAutotaskId: 7, date: "2026-03-02" }) { added } }', ann.token);
  // A vendor and a purchase order from it, both queued (their transfers reach connectors and registrations).
  await ok('mutation { upsertVendors(input: { vendors: [{ autotaskId: 500, name: "Ingram Micro" }] }) { created } }', ann.token);
  await ok('mutation { upsertProducts(input: { products: [{ autotaskId: 700, name: "USB-C cable" }] }) { created } }', ann.token);
  const po = await ok(`mutation { upsertPurchaseOrders(input: { purchaseOrders: [{ autotaskId: 900, status: SUBMITTED, vendorAutotaskId: 500,
    orderDate: "2026-03-01", lines: [{ autotaskId: 9001, productAutotaskId: 700, quantity: "2", unitCost: "10" }] }] }) { purchaseOrders { id } } }`, ann.token);
  ids.po = po.upsertPurchaseOrders.purchaseOrders[0].id;
  await ok('mutation { queueTransfers(input: { entityType: VENDOR, filter: {} }) { id } }', ann.token);
  await ok(`mutation { queueTransfers(input: { entityType: PURCHASE_ORDER, entityIds: ["${ids.po}"] }) { id } }`, ann.token);
  // An expense report of the routed resource, queued (its transfer reaches South, its connector and registrations).
  const report = await ok(`mutation { upsertExpenseReports(input: { expenseReports: [{ autotaskId: 44, name: "March", resourceAutotaskId: 7, status: APPROVED_FOR_PAYMENT,
    weekEnding: "2026-03-07", items: [{ autotaskId: 441, expenseDate: "2026-03-02", description: "Taxi", expenseCategoryId: "travel", amount: "12", organizationAutotaskId: 1, isBillableToCompany: true }] }] }) { expenseReports { id } } }`, ann.token);
  ids.expenseReport = report.upsertExpenseReports.expenseReports[0].id;
  await ok(`mutation { queueTransfers(input: { entityType: EXPENSE_REPORT, entityIds: ["${ids.expenseReport}"] }) { id } }`, ann.token);

  // What only the Web Connector and the Autotask set-up create: a bound company file, customers linked by ListID,
  // the synced customer list, the Autotask connection.
  const em = app.database.orm.em.fork();
  const [north, south] = [await em.findOneOrFail(Connector, { id: ids.north }), await em.findOneOrFail(Connector, { id: ids.south })];
  const company = new Company();
  company.filePath = 'C:\\QB\\North.QBW';
  north.company = company;
  const [one, two] = [await em.findOneOrFail(Organization, { id: ids.org1 }), await em.findOneOrFail(Organization, { id: ids.org2 })];
  // One is linked to another customer of North than the "One" of its list: the import preview's conflict rows.
  em.persist([company, new OrganizationQbLink(two, south, '80000002-1764000000', 'Two'), new OrganizationQbLink(one, north, '80000001-1764000000', 'One Ltd')]);
  em.persist(new AutotaskConnection('api@example.com', 'INTEGRATION', 'not a real secret'));
  await asActor({ id: 'test', name: 'seed' }, async () => {
    await em.flush();
    await seedCustomerList(em, ids.north, [customer('One'), customer('Two')]);
  });
  ids.company = company.id;
});
afterAll(async () => {
  await app?.close();
});

const registrationsOf = (res: GraphQLResponse<any>) =>
  (res.data?.connectors.nodes as Array<{ registrations: Array<{ id: string; user: { name: string }; qwc: string }> }>).flatMap((c) => c.registrations);

// The exact query of issue #10, item 2.
const THROUGH_CONNECTORS = '{ connectors { nodes { registrations { id user { name role } credentialUserName qwc } } } }';

test('a viewer reads no registration or QWC file through connectors: refused like the registrations query', async () => {
  const res = await app.gql(THROUGH_CONNECTORS, {}, vera.token);
  expect(res.data).toBeNull();
  expect(res.errors?.length).toBeGreaterThan(0);
  for (const error of res.errors!) {
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(error.path?.at(-1)).toBe('registrations');
  }
  expect(JSON.stringify(res)).not.toContain('QBWCXML');
  const root = await app.gql('{ registrations { nodes { id } } }', {}, vera.token);
  expect(root.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
});

test('an accountant reads only their own registrations through connectors, the same ones the registrations query lists', async () => {
  const annSees = registrationsOf(await app.gql(THROUGH_CONNECTORS, {}, ann.token));
  expect(annSees.map((r) => r.user.name)).toEqual(['Ann', 'Ann']);
  expect(annSees.every((r) => r.qwc.includes('QBWCXML') && !r.qwc.includes('Bob'))).toBe(true);
  const root = await ok<{ registrations: { totalCount: number; nodes: Array<{ id: string }> } }>('{ registrations { totalCount nodes { id } } }', ann.token);
  expect(root.registrations.totalCount).toBe(2);
  expect(annSees.map((r) => r.id).sort()).toEqual(root.registrations.nodes.map((r) => r.id).sort());
  const adaSees = registrationsOf(await app.gql(THROUGH_CONNECTORS, {}, ada.token));
  expect(adaSees.map((r) => r.user.name).sort()).toEqual(['Ada', 'Ann', 'Ann', 'Bob']);
});

test("a mutation's answer obeys the policy too: queueTransfers → connector → registrations", async () => {
  const again = `mutation { queueTransfers(input: { entityType: INVOICE, entityIds: ["${ids.inv11}"] }) { connector { registrations { user { name } } } } }`;
  const res = await ok<{ queueTransfers: Array<{ connector: { registrations: Array<{ user: { name: string } }> } }> }>(again, ann.token);
  expect(res.queueTransfers[0]!.connector.registrations.map((r) => r.user.name)).toEqual(['Ann']);
});

test('/qwc follows the same policy: a viewer is refused, another accountant finds nothing, the owner and an admin get the file', async () => {
  const annOnNorth = registrationsOf(await app.gql(THROUGH_CONNECTORS, {}, ann.token))[0]!;
  const download = (token: string) => fetch(`${app.url}/qwc/${annOnNorth.id}`, { headers: { authorization: `Bearer ${token}` } });
  const asViewer = await download(vera.token);
  expect(asViewer.status).toBe(403);
  expect(await asViewer.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  expect((await download(bob.token)).status).toBe(404);
  expect((await download(ann.token)).status).toBe(200);
  expect((await download(ada.token)).status).toBe(200);
});

test("another user's tokens are absent for everyone but admins, as in every other list", async () => {
  const forBob = `{ apiTokens(userId: "${bob.id}") { id user { id } } }`;
  expect((await ok<{ apiTokens: unknown[] }>(forBob, ann.token)).apiTokens).toEqual([]);
  expect((await ok<{ apiTokens: Array<{ user: { id: string } }> }>(forBob, ada.token)).apiTokens.map((t) => t.user.id)).toEqual([bob.id, bob.id]);
  expect((await ok<{ apiTokens: unknown[] }>('{ apiTokens { id } }', ann.token)).apiTokens).toHaveLength(2);
});

// ---------------------------------------------------------------------------------------------------------------
// The schema walk.

/** Field paths from Query longer than this are not walked (the deepest path to a protected type today has 8). */
const MAX_DEPTH = 9;

/** Page size of the paged fields on a path: more than any seeded list holds (six transfers). */
const PAGE = 10;

/** Arguments for root fields that need some to reach data (the walk fails on a required argument missing here). */
const ROOT_ARGS: Record<string, () => string> = {
  connector: () => `id: "${ids.north}"`,
  company: () => `id: "${ids.company}"`,
  user: () => `id: "${bob.id}"`,
  mappings: () => `connectorId: "${ids.north}"`,
  effectiveConnectors: () => 'subject: ORGANIZATION, autotaskIds: [1, 2]',
  previewTransfer: () => `input: { entityType: ORGANIZATION, entityId: "${ids.org1}" }`,
  organization: () => `id: "${ids.org2}"`,
  resource: () => `id: "${ids.resource}"`,
  invoice: () => `id: "${ids.inv12}"`,
  purchaseOrder: () => `id: "${ids.po}"`,
  expenseReport: () => `id: "${ids.expenseReport}"`,
  transferItem: () => `id: "${ids.transfer}"`,
  customerImportPreview: () => `connectorIds: ["${ids.north}"]`,
  defaultConnectorMove: () => `id: "${ids.south}"`,
  webConnectorSessions: () => `connectorId: "${ids.north}"`,
  quickBooksListElements: () => `connectorId: "${ids.north}", list: ITEM`,
  quickBooksListStatus: () => `connectorId: "${ids.north}"`,
  unmappedValues: () => `connectorId: "${ids.north}"`,
  paidStatusCheck: () => `connectorId: "${ids.north}"`,
};

/** What the root query of each protected type shows a role: the rows every path to the type must agree with. */
const ROOT_QUERIES: Record<ProtectedType, () => string[]> = {
  Registration: () => ['registrations(first: 200) { nodes { id } }'],
  User: () => ['users(first: 200) { nodes { id } }', 'me { id }'],
  ApiToken: () => [ada, ann, bob, vera].map((p) => `apiTokens(userId: "${p.id}") { id }`),
  ApiCredential: () => ['apiCredentials { id }'],
  AutotaskConnection: () => ['autotaskConnection { id }'],
  AuditEntry: () => ['auditLog(first: 200) { nodes { id } }'],
  TransferPreview: () => [`previewTransfer(${ROOT_ARGS.previewTransfer!()}) { outcome }`],
  TimeEntry: () => ['timeEntries(first: 200) { nodes { id } }'],
  TimesheetApproval: () => ['timesheetApprovals(first: 200) { nodes { id } }'],
  TimeActivity: () => ['timesheetApprovals(first: 200) { nodes { activities { id } } }'],
};

interface Step { readonly field: string; readonly type: IntrospectionObjectType; readonly requiredArgs: string[]; readonly paged: boolean }
interface Path { readonly target: ProtectedType; readonly steps: readonly Step[] }

const namedType = (ref: IntrospectionOutputTypeRef): string =>
  ref.kind === 'NON_NULL' || ref.kind === 'LIST' ? namedType(ref.ofType) : ref.name;

/** Every path from Query that ends at a protected type, through object types only, no type twice. */
function protectedPaths(schema: IntrospectionSchema): Path[] {
  const objects = new Map(schema.types.filter((t): t is IntrospectionObjectType => t.kind === 'OBJECT').map((t) => [t.name, t]));
  const found: Path[] = [];
  const walk = (from: IntrospectionObjectType, steps: Step[], seen: Set<string>) => {
    if (steps.length >= MAX_DEPTH) return;
    for (const field of from.fields) {
      const type = objects.get(namedType(field.type));
      if (!type || seen.has(type.name)) continue;
      const requiredArgs = field.args.filter((a) => a.type.kind === 'NON_NULL' && a.defaultValue === null).map((a) => a.name);
      const path = [...steps, { field: field.name, type, requiredArgs, paged: field.args.some((a) => a.name === 'first') }];
      if (type.name in POLICY) found.push({ target: type.name as ProtectedType, steps: path });
      walk(type, path, new Set([...seen, type.name]));
    }
  };
  walk(objects.get(schema.queryType.name)!, [], new Set([schema.queryType.name]));
  return found;
}

/** The query of a path, selecting every scalar field of the protected type at its end. */
function queryOf(path: Path): string {
  const leaves = path.steps.at(-1)!.type.fields
    .filter((f) => !f.args.some((a) => a.type.kind === 'NON_NULL') && ['SCALAR', 'ENUM'].includes(unwrapKind(f.type)))
    .map((f) => f.name);
  let selection = `{ ${leaves.join(' ')} }`;
  path.steps.forEach((step, depth) => {
    if (step.requiredArgs.length && (depth > 0 || !ROOT_ARGS[step.field])) {
      throw new Error(`${path.steps.map((s) => s.field).join('.')}: give "${step.field}" its arguments (${step.requiredArgs.join(', ')}) in ROOT_ARGS`);
    }
  });
  for (const [depth, step] of [...path.steps.entries()].reverse()) {
    const given = depth === 0 && ROOT_ARGS[step.field] ? [ROOT_ARGS[step.field]!()] : [];
    // Pages just above the seeded row counts keep every path under the query cost limit (GRAPHQL_MAX_COST).
    const args = [...given, ...(step.paged ? [`first: ${PAGE}`] : [])];
    selection = `{ ${step.field}${args.length ? `(${args.join(', ')})` : ''} ${selection} }`;
  }
  return selection;
}

const unwrapKind = (ref: IntrospectionOutputTypeRef): string => (ref.kind === 'NON_NULL' || ref.kind === 'LIST' ? unwrapKind(ref.ofType) : ref.kind);

interface Outcome {
  /** The refusal's code, when the response was refused. */
  readonly refused?: string;
  /** Which steps of the path were refused (0 = the root field). */
  readonly refusedSteps: readonly number[];
  readonly rows: ReadonlySet<string>;
  /** Whether the last field of the path was resolved at all (its parent level held something). */
  readonly reached: boolean;
}

/** The rows of the protected type in a response, by id (a type without ids, e.g. TransferPreview: whether there is one). */
function rowsAt(data: unknown, fields: readonly string[]): Set<string> {
  let level: unknown[] = [data];
  for (const field of fields) {
    level = level.flatMap((value) => (value === null || value === undefined ? [] : [(value as Record<string, unknown>)[field]])).flat();
  }
  return new Set(level.filter((v) => v !== null && v !== undefined).map((v) => (v as { id?: string }).id ?? 'one without id'));
}

async function run(query: string, fields: readonly string[], token: string | undefined): Promise<Outcome> {
  const res = await app.gql(query, {}, token);
  const rows = rowsAt(res.data, fields);
  const reached = rowsAt(res.data, fields.slice(0, -1)).size > 0;
  if (!res.errors?.length) return { rows, reached, refusedSteps: [] };
  const codes = new Set(res.errors.map((e) => e.extensions?.code));
  // Only a refusal may stop a path; anything else (bad arguments, a crash) is a broken walk, not a rule.
  expect([...codes].every((c) => c === 'FORBIDDEN' || c === 'UNAUTHENTICATED'), `${query}: ${JSON.stringify(res.errors)}`).toBe(true);
  // An error path is field names and list indexes: its field names count the steps.
  const refusedSteps = res.errors.map((e) => (e.path ?? []).filter((key) => typeof key === 'string').length - 1);
  return { refused: res.errors[0]!.extensions!.code!, refusedSteps, rows, reached };
}

/** What the root queries of a type show a role: the union of the rows of those it may run, else their refusal. */
async function rootRule(type: ProtectedType, token: string | undefined): Promise<Outcome> {
  const outcomes = await Promise.all(ROOT_QUERIES[type]().map((q) => run(`{ ${q} }`, rootFields(q), token)));
  const allowed = outcomes.filter((o) => !o.refused);
  return allowed.length ? { rows: new Set(allowed.flatMap((o) => [...o.rows])), reached: true, refusedSteps: [] } : outcomes[0]!;
}

/** `registrations(first: 200) { nodes { id } }` → ['registrations', 'nodes']. */
const rootFields = (q: string): string[] => [...q.replace(/\([^)]*\)/g, '').matchAll(/(\w+)\s*\{/g)].map((m) => m[1]!);

/** Runs `tasks` a few at a time: the box is shared, and the order of results follows the tasks. */
async function inTurns<T>(tasks: ReadonlyArray<() => Promise<T>>, width = 4): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += width) results.push(...(await Promise.all(tasks.slice(i, i + width).map((t) => t()))));
  return results;
}

test('every path to a protected type shows each role what its root query shows, or refuses likewise', async () => {
  const schema = introspectionFromSchema(await buildAppSchema()).__schema;
  const paths = protectedPaths(schema);
  // The walk covers every protected type, and the root rule of each is written down above.
  expect(new Set(paths.map((p) => p.target))).toEqual(new Set(Object.keys(POLICY)));
  expect(paths.length).toBeGreaterThan(50);

  const roles = { ANONYMOUS: undefined, VIEWER: vera.token, ACCOUNTANT: ann.token, ADMIN: ada.token } as const;
  const targets = Object.keys(POLICY) as ProtectedType[];
  const rules = new Map<string, Outcome>();
  for (const [role, token] of Object.entries(roles)) {
    for (const type of targets) rules.set(`${role} ${type}`, await rootRule(type, token));
  }
  const problems: string[] = [];
  const asAdmin = await inTurns(paths.map((p) => () => run(queryOf(p), p.steps.map((s) => s.field), ada.token)));
  let narrowed = 0;
  for (const [role, token] of Object.entries(roles)) {
    const outcomes = role === 'ADMIN' ? asAdmin : await inTurns(paths.map((p) => () => run(queryOf(p), p.steps.map((s) => s.field), token)));
    paths.forEach((path, i) => {
      const name = `${role} ${path.steps.map((s) => s.field).join('.')} (${path.target})`;
      const rule = rules.get(`${role} ${path.target}`)!;
      const got = outcomes[i]!;
      if (rule.refused) {
        // A path whose data never reaches the last field cannot show the refusal (an empty list on the way).
        if (got.rows.size || (got.refused !== rule.refused && (asAdmin[i]!.reached || got.refused))) {
          problems.push(`${name}: expected ${rule.refused}, got ${got.refused ?? 'an answer'} with ${got.rows.size} rows`);
        }
        return;
      }
      if (got.refused) {
        // Refusing is never a leak, but only where the role's root rules refuse too: the path's own root field
        // (e.g. `users` for a non-admin) or a protected type on the way the role may not see (a viewer's
        // registrations → user).
        const wrong = got.refusedSteps.filter((step) => step > 0 && !rules.get(`${role} ${path.steps[step]!.type.name}`)?.refused);
        if (wrong.length || got.rows.size) problems.push(`${name}: refused ${got.refused} at ${wrong.map((n) => path.steps[n]!.field).join(', ')}`);
        return;
      }
      // No row the root query hides (no leak), and every row of the path the root query shows (nothing lost).
      // (Not simply equal: `me` and `apiTokens` mean the asker, so an admin's run is not every role's superset.)
      const leaked = [...got.rows].filter((row) => !rule.rows.has(row));
      const lost = [...asAdmin[i]!.rows].filter((row) => rule.rows.has(row) && !got.rows.has(row));
      if (leaked.length || lost.length) problems.push(`${name}: leaked ${JSON.stringify(leaked)}, lost ${JSON.stringify(lost)}`);
      if (role === 'ACCOUNTANT' && got.rows.size < asAdmin[i]!.rows.size) narrowed++;
    });
  }
  expect(problems).toEqual([]);
  console.log(`${paths.length} paths to protected types, each run as 4 roles`);
  // A path whose data stops short (an empty list on the way) shows nothing either way. The policy guards fields,
  // so it is enough that the field at its end is reached, and so checked, through another path.
  const lastField = (p: Path) => `${p.steps.at(-2)?.type.name ?? 'Query'}.${p.steps.at(-1)!.field}`;
  const reached = new Set(paths.filter((_, i) => asAdmin[i]!.reached).map(lastField));
  const unchecked = paths.filter((p, i) => !asAdmin[i]!.reached && !reached.has(lastField(p)));
  expect(unchecked.map((p) => p.steps.map((s) => s.field).join('.')), 'fields the seeded data reaches by no path: seed what they need').toEqual([]);

  // The seeded data makes the walk mean something: nested paths reach rows, and the rules narrow some of them.
  const nestedWithRows = paths.filter((p, i) => p.steps.length > 2 && asAdmin[i]!.rows.size > 0).map((p) => p.target);
  expect([...new Set(nestedWithRows)]).toEqual(expect.arrayContaining(['Registration', 'User']));
  expect(narrowed).toBeGreaterThan(10);
  for (const type of targets) expect(rules.get(`ADMIN ${type}`)!.rows.size, type).toBeGreaterThan(0);
}, 600_000);
