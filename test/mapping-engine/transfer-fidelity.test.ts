/**
 * Transfer fidelity (issue #16, defects 1, 3, 4), through the real service, the Web Connector emulator and the
 * simulated company file:
 *  - prerequisite items are created once per connector, not with every invoice, and an "already exists"
 *    answer to one is not counted as a failure in closeConnection's summary;
 *  - two organizations whose names share their first 41 characters stay two QuickBooks customers, each billed
 *    its own invoices; a customer another organization owns is never linked by name; under the FAIL policy a
 *    long name is a data problem, and previewTransfer shows the exact name that will be sent.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { update } from '../helpers/qbwc-fixture.js';
import { pushInvoices, pushInvoicesWithLines, pushOrganization, startBillingSetup, unmappedLabourLine, type BillingSetup } from '../helpers/billing-fixture.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';
import { Organization } from '../../src/modules/autotask/organization.entity.js';
import { UpdateConnectorDocument } from '../generated/graphql.js';

let billing: BillingSetup;

beforeAll(async () => {
  billing = await startBillingSetup('Fidelity Books');
}, 60_000);
afterAll(async () => {
  await billing?.app.close();
});

async function gql(query: string, variables: Record<string, unknown>) {
  const { app, fixture } = billing;
  const res = await app.gql(query, variables, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, never>;
}

async function queue(entityType: 'INVOICE' | 'ORGANIZATION', entityIds: readonly string[]): Promise<void> {
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType, entityIds } });
}

async function transfersOf(entityIds: readonly string[]): Promise<TransferItem[]> {
  const { app, connectorId } = billing;
  return app.database.orm.em.fork().find(TransferItem, { connector: connectorId, entityId: { $in: [...entityIds] } }, { orderBy: { id: 'asc' } });
}

async function organizationId(autotaskId: number): Promise<string> {
  const { app } = billing;
  return (await app.database.orm.em.fork().findOneOrFail(Organization, { autotaskId })).id;
}

/** A busy machine answers a message of 50 requests slowly: wait longer than the emulator's default. */
const LOADED = { timeoutMs: 90_000 };

const itemAdds = (requests: readonly string[]) => requests.flatMap((m) => [...m.matchAll(/<ItemServiceAdd>\s*<Name>([^<]*)<\/Name>/g)].map((x) => x[1]));

test('30 invoices needing 3 items not mapped send each ItemServiceAdd once; "already exists" is no failure', { timeout: 300_000 }, async () => {
  const { app, qwc, qb } = billing;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 801, 'Hooli Logistics');
  // "Consulting" is in the company file already (QuickBooks answers its add with 3100); the other two are new.
  const lines = [unmappedLabourLine('9101', 'Consulting'), unmappedLabourLine('9102', 'Onsite Visit'), unmappedLabourLine('9103', 'After Hours')];
  const invoiceIds = await pushInvoicesWithLines(em, 801, Array.from({ length: 30 }, (_, i) => 30_001 + i), lines);
  await queue('INVOICE', invoiceIds);

  const run = await update(qwc, qb, LOADED);
  expect(run.outcome, run.lastError).toBe('completed');
  expect(itemAdds(run.requests).sort()).toEqual(['After Hours', 'Consulting', 'Onsite Visit']);
  expect(qb.company.items.filter((i) => ['Consulting', 'Onsite Visit', 'After Hours'].includes(i.name))).toHaveLength(3);
  const items = await transfersOf(invoiceIds);
  expect(items.map((i) => i.state)).toEqual(invoiceIds.map(() => TransferState.SUCCEEDED));
  // Outcomes, not severities: the 3100 answer to the Consulting add counts as a success.
  const summary = /^(\d+) sent, (\d+) succeeded, (\d+) failed/.exec(run.closeConnectionResult ?? '');
  expect(summary, run.closeConnectionResult).not.toBeNull();
  expect(summary![3]).toBe('0');
  expect(summary![2]).toBe(summary![1]);

  // A later run knows the items it created or found: no item add at all.
  const more = await pushInvoicesWithLines(em, 801, [30_101, 30_102], lines);
  await queue('INVOICE', more);
  const again = await update(qwc, qb, LOADED);
  expect(again.outcome, again.lastError).toBe('completed');
  expect(itemAdds(again.requests)).toEqual([]);
  expect((await transfersOf(more)).map((i) => i.state)).toEqual([TransferState.SUCCEEDED, TransferState.SUCCEEDED]);
});

test('two organizations sharing their first 41 characters stay two customers, each billed its own invoices', { timeout: 300_000 }, async () => {
  const { app, qwc, qb } = billing;
  const em = app.database.orm.em.fork();
  const nameA = 'Contoso Pharmaceuticals International Hold A';
  const nameB = 'Contoso Pharmaceuticals International Hold B';
  expect(nameA.slice(0, 41)).toBe(nameB.slice(0, 41));
  await pushOrganization(em, 811, nameA);
  await pushOrganization(em, 812, nameB);
  const [invoiceA] = await pushInvoices(em, 811, [31_001]);
  const [invoiceB] = await pushInvoices(em, 812, [31_002]);

  // The preview shows the exact, shortened name the lookup (and the add) will use.
  const preview = await gql('query($input: PreviewTransferInput!) { previewTransfer(input: $input) { outcome qbxml } }', {
    input: { entityType: 'ORGANIZATION', entityId: await organizationId(811) },
  });
  const previewed = (preview.previewTransfer as { outcome: string; qbxml: string });
  expect(previewed.outcome).toBe('REQUESTS');
  const sentName = /<FullName>([^<]*)<\/FullName>/.exec(previewed.qbxml)![1]!;
  expect(sentName).toMatch(/^Contoso Pharmaceuticals Internation~[0-9A-Z]{5}$/);

  await queue('INVOICE', [invoiceA!]);
  expect((await update(qwc, qb, LOADED)).outcome).toBe('completed');
  await queue('INVOICE', [invoiceB!]);
  expect((await update(qwc, qb, LOADED)).outcome).toBe('completed');

  const customers = qb.company.customers.filter((c) => c.name.startsWith('Contoso Pharmaceuticals'));
  expect(customers).toHaveLength(2);
  expect(customers.map((c) => c.name)).toContain(sentName);
  const [itemA, itemB] = [(await transfersOf([invoiceA!]))[0]!, (await transfersOf([invoiceB!]))[0]!];
  const customerOf = (txnId: string | null) => qb.company.invoices.find((i) => i.txnId === txnId)?.customerId;
  expect(customerOf(itemA.qbTxnId)).toBeDefined();
  expect(customerOf(itemB.qbTxnId)).toBeDefined();
  expect(customerOf(itemA.qbTxnId)).not.toBe(customerOf(itemB.qbTxnId));
});

test('a customer another organization already owns is not linked by name: its invoices are not billed to it', { timeout: 300_000 }, async () => {
  const { app, qwc, qb } = billing;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 821, 'Initrode');
  await pushOrganization(em, 822, 'Initrode');
  const [first] = await pushInvoices(em, 821, [32_001]);
  const [second] = await pushInvoices(em, 822, [32_002]);
  await queue('INVOICE', [first!]);
  expect((await update(qwc, qb, LOADED)).outcome).toBe('completed');
  await queue('INVOICE', [second!]);
  const run = await update(qwc, qb, LOADED);
  expect(run.outcome).toBe('completed');
  // The organization is asked about once, not again in every message of the session.
  expect(run.requests.filter((m) => m.includes('<CustomerQueryRq')).length).toBe(1);

  const customers = qb.company.customers.filter((c) => c.name === 'Initrode');
  expect(customers).toHaveLength(1);
  expect(qb.company.invoices.filter((i) => i.customerId === customers[0]!.listId)).toHaveLength(1);
  const organization = (await transfersOf([await organizationId(822)]))[0]!;
  expect(organization.state).toBe(TransferState.FAILED);
  expect(organization.hint).toContain('already belongs to another organization');
  const invoice = (await transfersOf([second!]))[0]!;
  expect(invoice.state).toBe(TransferState.FAILED);
  expect(invoice.qbTxnId).toBeNull();
});

test('under the FAIL policy a name longer than QuickBooks allows is a problem on name, and nothing is sent', { timeout: 300_000 }, async () => {
  const { app, fixture, connectorId, qwc, qb } = billing;
  const updated = await app.gql(UpdateConnectorDocument, { id: connectorId, input: { longNamePolicy: 'FAIL' as never } }, fixture.adminToken);
  expect(updated.errors).toBeUndefined();
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 831, 'Massive Dynamic Research and Development Labs');
  const id = await organizationId(831);
  const preview = await gql('query($input: PreviewTransferInput!) { previewTransfer(input: $input) { outcome problems { field message } } }', {
    input: { entityType: 'ORGANIZATION', entityId: id },
  });
  expect(preview.previewTransfer).toEqual({ outcome: 'INVALID', problems: [{ field: 'name', message: expect.stringContaining('more than the 41 QuickBooks allows') }] });
  const customersBefore = qb.company.customers.length;
  await queue('ORGANIZATION', [id]);
  const run = await update(qwc, qb, LOADED);
  expect(run.outcome).toBe('completed');
  expect(qb.company.customers).toHaveLength(customersBefore);
  const item = (await transfersOf([id]))[0]!;
  expect([item.state, item.qbStatusCode]).toEqual([TransferState.FAILED, 'DATA_PROBLEMS']);
  expect(item.qbStatusMessage).toContain('name: ');
  await app.gql(UpdateConnectorDocument, { id: connectorId, input: { longNamePolicy: 'SHORTEN' as never } }, fixture.adminToken);
});
