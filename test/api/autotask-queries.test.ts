/**
 * Reading pushed Autotask data: searches, lookups by id or Autotask id, cursor pagination, relation fields
 * (organization, lines, payments, QuickBooks links, effective connector, transfers), and no N+1: a nested
 * invoice list costs the same number of SQL statements for 5 rows as for 50.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, onlyError, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Connector } from '../../src/modules/connector/connector.entity.js';
import { Organization, OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';
import {
  CreateConnectorDocument,
  InvoiceDocument,
  InvoicesDocument,
  InvoiceTreeDocument,
  OrganizationDocument,
  OrganizationsDocument,
  PaymentsDocument,
  QueueTransfersDocument,
  ResourceDocument,
  ResourcesDocument,
  SetRoutesDocument,
  UpsertInvoicesDocument,
  UpsertOrganizationsDocument,
  UpsertPaymentsDocument,
  UpsertResourcesDocument,
  type InvoiceLineInput,
} from '../generated/graphql.js';

let app: TestApp;
let statements = 0;
let admin: { id: string; token: string };
let accountant: { id: string; token: string };
let viewer: { id: string; token: string };
let connectorA: { id: string; name: string };
let connectorB: { id: string; name: string };
beforeAll(async () => {
  app = await startTestApp({ onQuery: (line) => { if (line.includes('[query]')) statements++; } });
  admin = await app.createUser(Role.ADMIN, 'Ada');
  accountant = await app.createUser(Role.ACCOUNTANT, 'Ann');
  viewer = await app.createUser(Role.VIEWER, 'Vera');
  connectorA = pick((await app.gql(CreateConnectorDocument, { input: { name: 'A' } }, admin.token)).data!.createConnector);
  connectorB = pick((await app.gql(CreateConnectorDocument, { input: { name: 'B' } }, admin.token)).data!.createConnector);
});
afterAll(async () => {
  await app?.close();
});

const pick = ({ id, name }: { id: string; name: string }) => ({ id, name });

async function push<T>(result: Promise<{ data?: T | null; errors?: unknown }>): Promise<T> {
  const res = await result;
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const lineInput = (description: string, amount: string): InvoiceLineInput => ({
  billingItemKind: 'WORK_TYPE', description, quantity: '1', rate: amount, amount, taxable: false,
});

/**
 * Organizations 1000+i (odd ones routed to B, each linked to a QuickBooks customer in A), each with
 * invoice 9000+i (three lines, two payments) queued for transfer.
 */
async function seedInvoices(from: number, to: number): Promise<void> {
  const range = Array.from({ length: to - from }, (_, k) => from + k);
  const orgs = await push(app.gql(UpsertOrganizationsDocument, { input: { organizations: range.map((i) => ({ autotaskId: 1000 + i, name: `Tree ${i}` })) } }, accountant.token));
  await push(app.gql(SetRoutesDocument, { input: { routes: range.filter((i) => i % 2).map((i) => ({ subject: 'ORGANIZATION' as const, autotaskId: 1000 + i, connectorId: connectorB.id })) } }, admin.token).then((r) => (range.some((i) => i % 2) ? r : { data: null })));
  const em = app.database.orm.em.fork();
  for (const org of orgs.upsertOrganizations.organizations) {
    em.persist(new OrganizationQbLink(em.getReference(Organization, org.id), em.getReference(Connector, connectorA.id), `80000${org.autotaskId}-1`, org.name));
  }
  await asActor({ id: 'test', name: 'seed' }, () => em.flush());
  const invoices = await push(
    app.gql(
      UpsertInvoicesDocument,
      {
        input: {
          invoices: range.map((i) => ({
            autotaskId: 9000 + i, organizationAutotaskId: 1000 + i, invoiceDate: '2026-04-30', total: '60',
            lines: [lineInput('third', '30'), lineInput('first', '10'), lineInput('second', '20')],
          })),
        },
      },
      accountant.token,
    ),
  );
  await push(
    app.gql(
      UpsertPaymentsDocument,
      { input: { payments: range.flatMap((i) => ['a', 'b'].map((s) => ({ externalId: `tree-${i}-${s}`, invoiceAutotaskId: 9000 + i, amount: '30', paymentDate: '2026-05-01' }))) } },
      accountant.token,
    ),
  );
  await push(app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: invoices.upsertInvoices.invoices.map((i) => i.id) } }, accountant.token));
}

async function countStatements(): Promise<{ statements: number; rows: number }> {
  statements = 0;
  const res = await app.gql(InvoiceTreeDocument, { first: 200 }, viewer.token);
  const counted = statements;
  expect(res.errors).toBeUndefined();
  const nodes = res.data!.invoices.nodes;
  // The data is really there, and right, for every row.
  for (const invoice of nodes) {
    const i = invoice.autotaskId - 9000;
    expect(invoice.organization.name).toBe(`Tree ${i}`);
    expect(invoice.organization.quickBooksLinks).toEqual([{ listId: `80000${1000 + i}-1`, connector: connectorA }]);
    expect(invoice.organization.effectiveConnector).toEqual(i % 2 ? { routed: true, connector: { id: connectorB.id } } : { routed: false, connector: { id: connectorA.id } });
    expect(invoice.lines.map((l) => [l.position, l.description])).toEqual([[1, 'third'], [2, 'first'], [3, 'second']]);
    expect(invoice.payments.map((p) => [p.externalId, p.invoice.id])).toEqual([[`tree-${i}-a`, invoice.id], [`tree-${i}-b`, invoice.id]]);
    expect(invoice.transfers).toEqual([
      { id: expect.any(String), state: 'QUEUED', attempts: [{ number: 1, state: 'QUEUED', actor: 'Ann' }] },
    ]);
  }
  return { statements: counted, rows: nodes.length };
}

// First in the file: it counts every invoice, so no other test's invoices may exist yet.
test('no N+1: a nested invoice list costs the same number of SQL statements for 5 rows as for 50', async () => {
  await seedInvoices(0, 5);
  // The token's use is recorded at most once a minute: on this first call, so that it is in neither count.
  expect((await app.gql('{ me { id } }', {}, viewer.token)).errors).toBeUndefined();
  const five = await countStatements();
  await seedInvoices(5, 50);
  const fifty = await countStatements();
  console.log(`SQL statements for a nested invoice query: ${five.rows} rows → ${five.statements}, ${fifty.rows} rows → ${fifty.statements}`);
  expect(five.rows).toBe(5);
  expect(fifty.rows).toBe(50);
  expect(fifty.statements).toBe(five.statements);
  // token lookup, page + count, organizations, links, link connectors, routes + default connector,
  // lines, payments, payment invoices, transfers, attempts
  expect(five.statements).toBeLessThanOrEqual(14);
});

test('organizations: search by part of the name in any case (taken literally), paged by cursor', async () => {
  const names = ['Acme Holdings', 'ACME Widgets', 'Beta 100% Co', 'Beta 1000 Co', 'Gamma_Delta', 'GammaXDelta', 'acme east'];
  await push(app.gql(UpsertOrganizationsDocument, { input: { organizations: names.map((name, k) => ({ autotaskId: 500 + k, name })) } }, accountant.token));
  const search = async (s: string) => (await app.gql(OrganizationsDocument, { search: s }, viewer.token)).data!.organizations.nodes.map((o) => o.name);
  expect(await search('acme')).toEqual(['Acme Holdings', 'ACME Widgets', 'acme east']);
  expect(await search('100%')).toEqual(['Beta 100% Co']);
  expect(await search('gamma_')).toEqual(['Gamma_Delta']);
  expect(await search('zzz')).toEqual([]);

  const first = await app.gql(OrganizationsDocument, { search: 'ACME', first: 2 }, viewer.token);
  expect(first.data!.organizations).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, nodes: [{ name: 'Acme Holdings' }, { name: 'ACME Widgets' }] });
  const second = await app.gql(OrganizationsDocument, { search: 'ACME', first: 2, after: first.data!.organizations.pageInfo.endCursor }, viewer.token);
  expect(second.data!.organizations).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false }, nodes: [{ name: 'acme east' }] });
});

test('organization and invoice lookups: by id or by Autotask id, exactly one of them', async () => {
  const byAutotask = await app.gql(OrganizationDocument, { autotaskId: 1003 }, viewer.token);
  const org = byAutotask.data!.organization!;
  expect(org).toMatchObject({ autotaskId: 1003, name: 'Tree 3', effectiveConnector: { routed: true, connector: { name: 'B' } } });
  expect(org.quickBooksLinks).toEqual([{ listId: '800001003-1', fullName: 'Tree 3', connector: connectorA, organization: { id: org.id } }]);
  expect((await app.gql(OrganizationDocument, { id: org.id }, viewer.token)).data!.organization!.autotaskId).toBe(1003);
  expect((await app.gql(OrganizationDocument, { autotaskId: 77_777 }, viewer.token)).data!.organization).toBeNull();
  expect((await app.gql(OrganizationDocument, { id: 'org_nope' }, viewer.token)).data!.organization).toBeNull();
  for (const variables of [{}, { id: org.id, autotaskId: 1003 }]) {
    const error = onlyError(await app.gql(OrganizationDocument, variables, viewer.token));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'id', message: 'give either id or autotaskId, not both and not neither' }] });
  }

  const invoice = (await app.gql(InvoiceDocument, { autotaskId: 9003 }, viewer.token)).data!.invoice!;
  expect(invoice).toMatchObject({ autotaskId: 9003, total: '60.00', organization: { id: org.id, autotaskId: 1003 } });
  expect(invoice.lines.map((l) => l.description)).toEqual(['third', 'first', 'second']);
  expect(invoice.payments).toEqual([{ externalId: 'tree-3-a', amount: '30.00' }, { externalId: 'tree-3-b', amount: '30.00' }]);
  expect((await app.gql(InvoiceDocument, { id: invoice.id }, viewer.token)).data!.invoice!.autotaskId).toBe(9003);
  expect(onlyError(await app.gql(InvoiceDocument, {}, viewer.token)).extensions?.code).toBe('BAD_USER_INPUT');
});

test("invoices and payments: one organization's or one invoice's, paged by cursor", async () => {
  const org = (await app.gql(OrganizationDocument, { autotaskId: 1004 }, viewer.token)).data!.organization!;
  await push(
    app.gql(
      UpsertInvoicesDocument,
      { input: { invoices: [9500, 9501].map((autotaskId) => ({ autotaskId, organizationAutotaskId: 1004, invoiceDate: '2026-05-31', total: '5', lines: [lineInput('x', '5')] })) } },
      accountant.token,
    ),
  );
  const page1 = await app.gql(InvoicesDocument, { organizationId: org.id, first: 2 }, viewer.token);
  expect(page1.data!.invoices).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
  expect(page1.data!.invoices.nodes.map((i) => i.autotaskId)).toEqual([9004, 9500]);
  const page2 = await app.gql(InvoicesDocument, { organizationId: org.id, first: 2, after: page1.data!.invoices.pageInfo.endCursor }, viewer.token);
  expect(page2.data!.invoices.nodes.map((i) => i.autotaskId)).toEqual([9501]);
  expect(page2.data!.invoices.nodes.every((i) => i.organization.id === org.id)).toBe(true);

  const inv = (await app.gql(InvoiceDocument, { autotaskId: 9004 }, viewer.token)).data!.invoice!;
  const payments = await app.gql(PaymentsDocument, { invoiceId: inv.id, first: 1 }, viewer.token);
  expect(payments.data!.payments).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, nodes: [{ externalId: 'tree-4-a', invoice: { autotaskId: 9004 } }] });
  const all = await app.gql(PaymentsDocument, { first: 200 }, viewer.token);
  expect(all.data!.payments.totalCount).toBe(100);
});

test('resources: search by first or last name, filter by active, look up; effective connector by resource routing', async () => {
  await push(
    app.gql(
      UpsertResourcesDocument,
      {
        input: {
          resources: [
            { autotaskId: 70, firstName: 'Tara', lastName: 'Nguyen' },
            { autotaskId: 71, firstName: 'Sam', lastName: 'Tarrant', active: false },
            { autotaskId: 72, firstName: 'Bo', lastName: 'Bench' },
          ],
        },
      },
      accountant.token,
    ),
  );
  await push(app.gql(SetRoutesDocument, { input: { routes: [{ subject: 'RESOURCE', autotaskId: 71, connectorId: connectorB.id }] } }, admin.token));
  const found = await app.gql(ResourcesDocument, { search: 'TAR' }, viewer.token);
  expect(found.data!.resources.nodes).toMatchObject([
    { autotaskId: 70, effectiveConnector: { routed: false, connector: { name: 'A' } } },
    { autotaskId: 71, active: false, effectiveConnector: { routed: true, connector: { name: 'B' } } },
  ]);
  expect((await app.gql(ResourcesDocument, { search: 'tar', active: true }, viewer.token)).data!.resources.nodes.map((r) => r.autotaskId)).toEqual([70]);
  expect((await app.gql(ResourcesDocument, { active: false }, viewer.token)).data!.resources.totalCount).toBe(1);
  expect((await app.gql(ResourceDocument, { autotaskId: 72 }, viewer.token)).data!.resource).toMatchObject({ firstName: 'Bo', lastName: 'Bench' });
});
