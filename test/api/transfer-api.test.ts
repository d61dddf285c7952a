/**
 * The transfer ledger through GraphQL: routing-aware, idempotent queueing; retry and cancel recording who
 * did it; filters and cursor pagination; roles.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApp, onlyError, type GraphQLResponse, type TestApp } from '../helpers/test-app.js';
import { Role } from '../../src/modules/user/role.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { markFailed, markSent, markSucceeded } from '../../src/modules/transfer/transfer-ledger.js';
import {
  CancelTransferDocument,
  CreateConnectorDocument,
  InvoiceDocument,
  OrganizationDocument,
  QueueTransfersDocument,
  RetryTransferDocument,
  SetRoutesDocument,
  TransferItemDocument,
  TransferItemsDocument,
  UpsertInvoicesDocument,
  UpsertOrganizationsDocument,
  UpsertPaymentsDocument,
  type QueueTransfersFilter,
  type TransferEntityType,
  type TransferItemFilter,
  type TransferItemsQuery,
} from '../generated/graphql.js';

let app: TestApp;
let admin: { id: string; token: string };
let accountant: { id: string; token: string };
let viewer: { id: string; token: string };
/** Connector A is the default; organization 2 is routed to B. */
let connectorA: string;
let connectorB: string;
const ids = { org1: '', org2: '', inv11: '', inv12: '', inv13: '', pay1: '', pay2: '' };

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.createUser(Role.ADMIN, 'Ada');
  accountant = await app.createUser(Role.ACCOUNTANT, 'Ann');
  viewer = await app.createUser(Role.VIEWER, 'Vera');
  connectorA = (await app.gql(CreateConnectorDocument, { input: { name: 'A' } }, admin.token)).data!.createConnector.id;
  connectorB = (await app.gql(CreateConnectorDocument, { input: { name: 'B' } }, admin.token)).data!.createConnector.id;
  await app.gql(SetRoutesDocument, { input: { routes: [{ subject: 'ORGANIZATION', autotaskId: 2, connectorId: connectorB }] } }, admin.token);

  const orgs = await app.gql(UpsertOrganizationsDocument, { input: { organizations: [{ autotaskId: 1, name: 'One' }, { autotaskId: 2, name: 'Two' }] } }, accountant.token);
  [ids.org1, ids.org2] = orgs.data!.upsertOrganizations.organizations.map((o) => o.id) as [string, string];
  const line = { billingItemKind: 'WORK_TYPE' as const, description: 'Support', quantity: '1', rate: '100', amount: '100', taxable: false };
  const invoices = await app.gql(
    UpsertInvoicesDocument,
    {
      input: {
        invoices: [11, 12, 13].map((autotaskId) => ({
          autotaskId, organizationAutotaskId: autotaskId === 12 ? 2 : 1, invoiceDate: '2026-03-01', total: '100', lines: [line],
        })),
      },
    },
    accountant.token,
  );
  [ids.inv11, ids.inv12, ids.inv13] = invoices.data!.upsertInvoices.invoices.map((i) => i.id) as [string, string, string];
  const payments = await app.gql(
    UpsertPaymentsDocument,
    {
      input: {
        payments: [
          { externalId: 'p1', invoiceAutotaskId: 11, amount: '100', paymentDate: '2026-03-05' },
          { externalId: 'p2', invoiceAutotaskId: 12, amount: '100', paymentDate: '2026-03-05' },
        ],
      },
    },
    accountant.token,
  );
  [ids.pay1, ids.pay2] = payments.data!.upsertPayments.payments.map((p) => p.id) as [string, string];
});
afterAll(async () => {
  await app?.close();
});

const auditCount = () => app.database.orm.em.fork().count(AuditEntry, {});

async function list(filter: TransferItemFilter = {}, first = 200) {
  const res = await app.gql(TransferItemsDocument, { filter, first }, viewer.token);
  expect(res.errors).toBeUndefined();
  return res.data!.transferItems;
}

/** Runs engine steps on a ledger row, as the Web Connector engine will. */
async function engine(id: string, change: (item: TransferItem) => unknown): Promise<void> {
  const em = app.database.orm.em.fork();
  change(await em.findOneOrFail(TransferItem, { id }));
  await asActor({ id: 'qbwc', name: 'Web Connector' }, () => em.flush());
}

test('queueTransfers follows routing: invoices and payments go where their organization is routed, the rest to the default', async () => {
  const invoices = await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv11, ids.inv12] } }, accountant.token);
  expect(invoices.errors).toBeUndefined();
  expect(invoices.data!.queueTransfers).toMatchObject([
    { entityType: 'INVOICE', entityId: ids.inv11, state: 'QUEUED', attemptCount: 0, queuedBy: 'Ann', connector: { name: 'A' } },
    { entityType: 'INVOICE', entityId: ids.inv12, state: 'QUEUED', attemptCount: 0, queuedBy: 'Ann', connector: { name: 'B' } },
  ]);
  expect(invoices.data!.queueTransfers[0]!.attempts).toEqual([
    { number: 1, state: 'QUEUED', qbStatusCode: null, message: 'queued', actor: 'Ann', requestId: null },
  ]);

  const organizations = await app.gql(QueueTransfersDocument, { input: { entityType: 'ORGANIZATION', entityIds: [ids.org2, ids.org1] } }, accountant.token);
  expect(organizations.data!.queueTransfers.map((t) => [t.entityId, t.connector.name])).toEqual([[ids.org2, 'B'], [ids.org1, 'A']]);

  const payments = await app.gql(QueueTransfersDocument, { input: { entityType: 'PAYMENT', entityIds: [ids.pay1, ids.pay2] } }, accountant.token);
  expect(payments.data!.queueTransfers.map((t) => [t.entityId, t.connector.name])).toEqual([[ids.pay1, 'A'], [ids.pay2, 'B']]);

  // A named connector overrides routing; it is a separate ledger row from the one for A.
  const pinned = await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv11], connectorId: connectorB } }, accountant.token);
  expect(pinned.data!.queueTransfers).toMatchObject([{ entityId: ids.inv11, connector: { id: connectorB } }]);
  expect(pinned.data!.queueTransfers[0]!.id).not.toBe(invoices.data!.queueTransfers[0]!.id);

  // The organization's own view agrees with where its invoices went.
  const org2 = await app.gql(OrganizationDocument, { id: ids.org2 }, viewer.token);
  expect(org2.data!.organization!.effectiveConnector).toMatchObject({ routed: true, connector: { id: connectorB } });
  expect(org2.data!.organization!.transfers).toMatchObject([{ state: 'QUEUED', connector: { id: connectorB } }]);
});

test('queueing is idempotent: the same rows come back and nothing is written', async () => {
  const before = await list();
  const audit = await auditCount();
  const again = await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv12, ids.inv11] } }, accountant.token);
  const byEntity = new Map(before.nodes.filter((n) => n.connector.id === connectorA || n.entityId === ids.inv12).map((n) => [n.entityId, n.id]));
  expect(again.data!.queueTransfers.map((t) => t.id)).toEqual([byEntity.get(ids.inv12), byEntity.get(ids.inv11)]);
  expect(again.data!.queueTransfers.every((t) => t.attempts.length === 1)).toBe(true);
  // Asking only for the ids answers the same rows (as references, nothing read back).
  const idsOnly = (await app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }',
    { input: { entityType: 'INVOICE', entityIds: [ids.inv12, ids.inv11] } }, accountant.token)) as unknown as GraphQLResponse<{ queueTransfers: Array<{ id: string }> }>;
  expect(idsOnly.data!.queueTransfers).toEqual([{ id: byEntity.get(ids.inv12) }, { id: byEntity.get(ids.inv11) }]);
  expect((await list()).totalCount).toBe(before.totalCount);
  expect(await auditCount()).toBe(audit);
});

test('unknown ids, repeated ids or an unknown connector: BAD_USER_INPUT naming them, and nothing is queued', async () => {
  const before = (await list()).totalCount;
  const unknown = onlyError(
    await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv13, 'inv_nope', ids.pay1] } }, accountant.token),
  );
  expect(unknown.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    fields: [
      { field: 'entityIds.1', message: 'no invoice has id inv_nope' },
      { field: 'entityIds.2', message: `no invoice has id ${ids.pay1}` },
    ],
  });
  const repeated = onlyError(await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv13, ids.inv13] } }, accountant.token));
  expect(repeated.extensions?.fields).toEqual([{ field: 'entityIds.1', message: `repeats ${ids.inv13}, already at entityIds.0` }]);
  const connector = onlyError(
    await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv13], connectorId: 'conn_nope' } }, accountant.token),
  );
  expect(connector.extensions?.fields).toEqual([{ field: 'connectorId', message: 'no connector has id conn_nope' }]);
  const empty = onlyError(await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [] } }, accountant.token));
  expect(empty.extensions?.fields).toEqual([{ field: 'entityIds', message: 'must hold at least one id' }]);
  expect((await list({ entityId: ids.inv13 })).totalCount).toBe(0);
  expect((await list()).totalCount).toBe(before);
});

test('retry and cancel through the API record who did it; refused changes say why', async () => {
  const [item] = (await list({ entityId: ids.inv11, connectorId: connectorA })).nodes;
  const cancelled = await app.gql(CancelTransferDocument, { id: item!.id }, accountant.token);
  expect(cancelled.errors).toBeUndefined();
  expect(cancelled.data!.cancelTransfer).toMatchObject({ state: 'CANCELLED' });
  expect(cancelled.data!.cancelTransfer.finishedAt).not.toBeNull();
  expect(cancelled.data!.cancelTransfer.attempts.at(-1)).toMatchObject({ number: 2, state: 'CANCELLED', actor: 'Ann' });

  const twice = onlyError(await app.gql(CancelTransferDocument, { id: item!.id }, accountant.token));
  expect(twice.extensions).toMatchObject({ code: 'CONFLICT', errorCode: 'TRANSFER_STATE_CONFLICT' });
  expect(twice.message).toContain('it is CANCELLED; it is already cancelled; retry it to queue it again');

  const retried = await app.gql(RetryTransferDocument, { id: item!.id }, admin.token);
  expect(retried.data!.retryTransfer).toMatchObject({ state: 'QUEUED', finishedAt: null, reconcileBeforeSend: false });
  expect(retried.data!.retryTransfer.attempts.map((a) => [a.number, a.state, a.actor])).toEqual([
    [1, 'QUEUED', 'Ann'], [2, 'CANCELLED', 'Ann'], [3, 'QUEUED', 'Ada'],
  ]);

  // The engine sends it and QuickBooks refuses it; a person retries.
  await engine(item!.id, (i) => markSent(i, { requestId: '42', ticket: 'tkt' }));
  await engine(item!.id, (i) => markFailed(i, { statusCode: '3140', message: 'Invalid reference to item "Support"', hint: 'Map the work type' }));
  const failed = await app.gql(TransferItemDocument, { id: item!.id }, viewer.token);
  expect(failed.data!.transferItem).toMatchObject({ state: 'FAILED', attemptCount: 1, qbStatusCode: '3140', hint: 'Map the work type', requestId: '42' });
  const again = await app.gql(RetryTransferDocument, { id: item!.id }, accountant.token);
  expect(again.data!.retryTransfer).toMatchObject({ state: 'QUEUED', attemptCount: 1, hint: null });
  expect(again.data!.retryTransfer.attempts.slice(3).map((a) => [a.state, a.actor, a.requestId])).toEqual([
    ['SENT', 'Web Connector', '42'], ['FAILED', 'Web Connector', null], ['QUEUED', 'Ann', null],
  ]);

  // Once in QuickBooks, neither a retry (a duplicate) nor a cancel is possible.
  await engine(item!.id, (i) => markSent(i, { requestId: '43', ticket: 'tkt' }));
  await engine(item!.id, (i) => markSucceeded(i, { txnId: '9-1', refNumber: '1001', editSequence: '1', statusCode: '0', message: 'Status OK' }));
  const dup = onlyError(await app.gql(RetryTransferDocument, { id: item!.id }, accountant.token));
  expect(dup.extensions?.errorCode).toBe('TRANSFER_STATE_CONFLICT');
  expect(dup.message).toContain('would create a duplicate');
  expect(onlyError(await app.gql(CancelTransferDocument, { id: item!.id }, accountant.token)).extensions?.errorCode).toBe('TRANSFER_STATE_CONFLICT');
  const done = await app.gql(InvoiceDocument, { id: ids.inv11 }, viewer.token);
  expect(done.data!.invoice!.transfers.map((t) => t.state).sort()).toEqual(['QUEUED', 'SUCCEEDED']);

  expect(onlyError(await app.gql(RetryTransferDocument, { id: 'xfer_nope' }, accountant.token)).extensions?.code).toBe('NOT_FOUND');
});

test('viewers read the ledger but may not change it; no token, no access', async () => {
  const [item] = (await list({ entityId: ids.inv12 })).nodes;
  expect(onlyError(await app.gql(CancelTransferDocument, { id: item!.id }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(RetryTransferDocument, { id: item!.id }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [ids.inv13] } }, viewer.token)).extensions?.code).toBe('FORBIDDEN');
  expect(onlyError(await app.gql(TransferItemsDocument, {})).extensions?.code).toBe('UNAUTHENTICATED');
  expect((await app.gql(TransferItemDocument, { id: item!.id }, viewer.token)).data!.transferItem).toMatchObject({ state: 'QUEUED' });
  expect((await list({ entityId: ids.inv13 })).totalCount).toBe(0);
});

test('filters combine, and cursor pagination walks every row exactly once', async () => {
  const all = await list();
  // inv11 ×2, inv12, org1, org2, pay1, pay2
  expect(all.totalCount).toBe(7);
  expect((await list({ connectorId: connectorB })).nodes.map((n) => n.entityId).sort()).toEqual([ids.inv11, ids.inv12, ids.org2, ids.pay2].sort());
  expect((await list({ entityType: 'PAYMENT' })).nodes.map((n) => n.entityId)).toEqual([ids.pay1, ids.pay2]);
  expect((await list({ state: 'SUCCEEDED' })).nodes).toMatchObject([{ entityId: ids.inv11, connector: { id: connectorA } }]);
  expect((await list({ entityId: ids.inv11 })).totalCount).toBe(2);
  expect((await list({ entityType: 'INVOICE', connectorId: connectorB, state: 'QUEUED' })).totalCount).toBe(2);

  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const res: GraphQLResponse<TransferItemsQuery> = await app.gql(TransferItemsDocument, { first: 3, after }, viewer.token);
    const { nodes, pageInfo, totalCount } = res.data!.transferItems;
    expect(totalCount).toBe(7);
    seen.push(...nodes.map((n) => n.id));
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  expect(seen).toEqual(all.nodes.map((n) => n.id));
  expect(new Set(seen).size).toBe(7);
  const tooBig = onlyError(await app.gql(TransferItemsDocument, { first: 500 }, viewer.token));
  expect(tooBig.extensions?.code).toBe('BAD_USER_INPUT');
});

test('queueTransfers by filter: dates and organizations select what has no transfer yet; bad filters say which field', async () => {
  const line = { billingItemKind: 'WORK_TYPE' as const, description: 'Support', quantity: '1', rate: '50', amount: '50', taxable: false };
  const pushed = await app.gql(
    UpsertInvoicesDocument,
    {
      input: {
        invoices: [
          { autotaskId: 21, organizationAutotaskId: 1, invoiceDate: '2026-04-10', total: '50', lines: [line] },
          { autotaskId: 22, organizationAutotaskId: 1, invoiceDate: '2026-04-30', total: '50', lines: [line] },
          { autotaskId: 23, organizationAutotaskId: 2, invoiceDate: '2026-05-01', total: '50', lines: [line] },
        ],
      },
    },
    accountant.token,
  );
  const [inv21, inv22, inv23] = pushed.data!.upsertInvoices.invoices.map((i) => i.id);
  const queue = (filter: QueueTransfersFilter, entityType: TransferEntityType = 'INVOICE') =>
    app.gql(QueueTransfersDocument, { input: { entityType, filter } }, accountant.token);

  const april = await queue({ dateFrom: '2026-04-01', dateTo: '2026-04-30' });
  expect(april.errors).toBeUndefined();
  expect(april.data!.queueTransfers.map((t) => [t.entityId, t.connector.id]).sort()).toEqual([[inv21, connectorA], [inv22, connectorA]].sort());

  const organizationTwo = await queue({ organizationIds: [ids.org2], dateFrom: '2026-04-01' });
  expect(organizationTwo.data!.queueTransfers.map((t) => [t.entityId, t.connector.id])).toEqual([[inv23, connectorB]]);

  // Already in the ledger: nothing new matches, and nothing is written.
  const audit = await auditCount();
  expect((await queue({ dateFrom: '2026-04-01' })).data!.queueTransfers).toEqual([]);
  expect(await auditCount()).toBe(audit);

  const both = onlyError(await app.gql(QueueTransfersDocument, { input: { entityType: 'INVOICE', entityIds: [inv21!], filter: {} } }, accountant.token));
  expect(both.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'filter', message: 'give either entityIds or a filter, not both and not neither' }] });
  const organizationDates = onlyError(await queue({ dateFrom: '2026-04-01' }, 'ORGANIZATION'));
  expect(organizationDates.extensions?.fields).toEqual([{ field: 'filter.dateFrom', message: 'dates select invoices, payments and purchase orders, not organizations' }]);
  const backwards = onlyError(await queue({ dateFrom: '2026-05-01', dateTo: '2026-04-01' }));
  expect(backwards.extensions?.fields).toEqual([{ field: 'filter.dateTo', message: 'is before dateFrom (2026-05-01)' }]);
  const badDate = onlyError(await queue({ dateFrom: '1 April' }));
  expect(badDate.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(JSON.stringify(badDate.extensions?.fields)).toContain('must be a date written YYYY-MM-DD');
});
