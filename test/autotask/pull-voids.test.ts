/**
 * Voids found by the Autotask pull: an invoice voided in (fake) Autotask after its transfer succeeded is marked
 * voided by the next pull, which queues its INVOICE_VOID transfer; one voided before the previous pull started
 * (minus the overlap) is not asked for again, and no query is made while nothing was transferred.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { asActor } from '../../src/modules/audit/actor.js';
import { Invoice } from '../../src/modules/autotask/invoice.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { markSent, markSucceeded } from '../../src/modules/transfer/transfer-ledger.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { PullFromAutotaskDocument, SetAutotaskConnectionDocument } from '../generated/graphql.js';
import { seedTenant } from './helpers/fake-autotask.js';
import { connectionInput, seedConnectors, startAutotaskTestApp, type AutotaskTestApp } from './helpers/autotask-app.js';

let t: AutotaskTestApp;
let em: EntityManager;
let invoiceIds: number[];

beforeAll(async () => {
  t = await startAutotaskTestApp();
  ({ invoiceIds } = seedTenant(t.fake, { companies: 2, invoices: 4 }));
  await seedConnectors(t.app);
  em = t.app.database.orm.em.fork() as EntityManager;
  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { pullEveryMinutes: 60 }) }, t.admin);
  expect(set.errors).toBeUndefined();
});
afterAll(async () => {
  await t?.close();
});

async function pull() {
  const res = await t.app.gql(PullFromAutotaskDocument, {}, t.admin);
  expect(res.errors).toBeUndefined();
  return res.data!.pullFromAutotask;
}

/** Voids an invoice in the fake tenant, as Autotask's "Void Invoice" does. */
function voidInAutotask(autotaskId: number, voidedDate: string): void {
  t.fake.put('invoices', [{ ...t.fake.record('invoices', autotaskId)!, isVoided: true, voidedDate, voidedByResourceID: 29682885 }]);
}

const voidQueries = () => t.fake.calls('invoices', 'POST').filter((c) => JSON.stringify(c.body).includes('"voidedDate"') || JSON.stringify(c.body).includes('"isVoided","value":true'));

test('an invoice voided in Autotask after its transfer is marked voided by the next pull and its void queued', async () => {
  t.fake.resetLog();
  const first = await pull();
  expect(first.invoicesQueued).toBe(invoiceIds.length);
  expect(voidQueries()).toEqual([]); // nothing transferred yet: nothing to void, no query

  // The first invoice reaches QuickBooks; then it is voided in Autotask; a second one is voided long ago.
  const [transferredId, , oldVoidId] = invoiceIds as [number, number, number];
  const transferred = await em.fork().findOneOrFail(Invoice, { autotaskId: transferredId });
  const work = em.fork();
  const item = await work.findOneOrFail(TransferItem, { entityType: TransferEntityType.INVOICE, entityId: transferred.id });
  await asActor({ id: 'qbwc', name: 'Web Connector' }, async () => {
    markSent(item, { requestId: 'req-1', ticket: 'ticket-1' });
    markSucceeded(item, { txnId: '1F-1', refNumber: '10452', editSequence: '1', statusCode: '0', message: 'Status OK' });
    await work.flush();
  });
  voidInAutotask(transferredId, new Date().toISOString().slice(0, 19));
  voidInAutotask(oldVoidId, '2020-01-01T00:00:00');

  t.fake.resetLog();
  const second = await pull();
  expect(voidQueries()).toHaveLength(1);
  expect(second.invoicesVoided).toBe(1);
  expect((await em.fork().findOneOrFail(Invoice, { autotaskId: transferredId })).isVoided).toBe(true);
  // Voided too long before the previous pull: not asked for (it was never transferred either).
  expect((await em.fork().findOneOrFail(Invoice, { autotaskId: oldVoidId })).isVoided).toBe(false);
  const voids = await em.fork().find(TransferItem, { entityType: TransferEntityType.INVOICE_VOID });
  expect(voids.map((v) => [v.entityId, v.state, v.queuedBy])).toEqual([[transferred.id, TransferState.QUEUED, 'Admin']]);

  // Pulled again: already voided here, nothing new.
  const third = await pull();
  expect(third.invoicesVoided).toBe(0);
  expect(await em.fork().count(TransferItem, { entityType: TransferEntityType.INVOICE_VOID })).toBe(1);
});
