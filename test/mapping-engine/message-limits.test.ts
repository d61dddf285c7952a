/**
 * An item whose requests do not fit one qbXML message (issue #16, defect 5), with three requests per
 * message: an invoice needing five new items sends them ahead over two messages and then lands; a plugin's
 * translation that cannot be split fails with the limit named, instead of staying QUEUED for ever.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { update } from '../helpers/qbwc-fixture.js';
import { pushInvoicesWithLines, pushOrganization, startBillingSetup, unmappedLabourLine, type BillingSetup } from '../helpers/billing-fixture.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';

let billing: BillingSetup;

beforeAll(async () => {
  billing = await startBillingSetup('Limits Books', {
    env: { QBWC_MAX_REQUESTS_PER_MESSAGE: '3', PLUGINS: './test/mapping-engine/fixtures/plugin-unkeyed-prerequisites.ts' },
  });
}, 60_000);
afterAll(async () => {
  await billing?.app.close();
});

async function queue(entityIds: readonly string[]): Promise<TransferItem[]> {
  const { app, fixture, connectorId } = billing;
  const res = await app.gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds } }, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return app.database.orm.em.fork().find(TransferItem, { connector: connectorId, entityId: { $in: [...entityIds] } });
}

async function reload(item: TransferItem): Promise<TransferItem> {
  const { app } = billing;
  return app.database.orm.em.fork().findOneOrFail(TransferItem, { id: item.id });
}

test('an invoice needing five new items with three requests per message sends them ahead and lands', { timeout: 300_000 }, async () => {
  const { app, qwc, qb } = billing;
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 901, 'Stark Industries');
  const names = ['Onsite Visit', 'After Hours', 'Project Work', 'Training', 'Cabling'];
  const [invoiceId] = await pushInvoicesWithLines(em, 901, [40_001], names.map((name, i) => unmappedLabourLine(`95${i}`, name)));
  const [item] = await queue([invoiceId!]);

  const run = await update(qwc, qb, { timeoutMs: 90_000 });
  expect(run.outcome, run.lastError).toBe('completed');
  const adds = run.requests.flatMap((m) => [...m.matchAll(/<ItemServiceAdd>\s*<Name>([^<]*)<\/Name>/g)].map((x) => x[1]));
  expect(adds.sort()).toEqual([...names].sort());
  const done = await reload(item!);
  expect(done.state, done.qbStatusMessage ?? '').toBe(TransferState.SUCCEEDED);
  const invoice = qb.company.invoices.find((i) => i.txnId === done.qbTxnId);
  expect(invoice?.lines).toHaveLength(5);
  // Every message kept to the limit.
  for (const message of run.requests) expect([...message.matchAll(/requestID="/g)].length).toBeLessThanOrEqual(3);
});

test('a translation that cannot fit one message and cannot be split fails, naming the limit', { timeout: 300_000 }, async () => {
  const { app, qwc, qb } = billing;
  const em = app.database.orm.em.fork();
  const [invoiceId] = await pushInvoicesWithLines(em, 901, [40_999], [unmappedLabourLine('950', 'Onsite Visit')]);
  const [item] = await queue([invoiceId!]);
  const run = await update(qwc, qb, { timeoutMs: 90_000 });
  expect(run.outcome, run.lastError).toBe('completed');
  const failed = await reload(item!);
  expect([failed.state, failed.qbStatusCode]).toEqual([TransferState.FAILED, 'MESSAGE_LIMIT']);
  expect(failed.qbStatusMessage).toContain('QBWC_MAX_REQUESTS_PER_MESSAGE (3)');
  expect(run.requests.join('')).not.toContain('<ClassAdd>');
});
