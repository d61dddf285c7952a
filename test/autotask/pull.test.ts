/**
 * Pulling from (fake) Autotask into the service and the transfer ledger:
 * - the scheduled pull, run twice at once (two scheduler instances), queues each of 1,200 invoices exactly once;
 * - what is stored (organizations, resources, invoices with lines) and how invoices are routed to connectors;
 * - write-back of the QuickBooks number after a successful transfer, paid dates, companies from QuickBooks customers;
 * - problems, failures and the lock as the manual pull sees them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLogger } from '../../src/app/logger.js';
import { asActor } from '../../src/modules/audit/actor.js';
import { Invoice, InvoiceLine } from '../../src/modules/autotask/invoice.entity.js';
import { Organization, OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';
import { Resource } from '../../src/modules/autotask/resource.entity.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferEntityType, TransferState } from '../../src/modules/transfer/transfer-state.js';
import { markSent, markSucceeded } from '../../src/modules/transfer/transfer-ledger.js';
import type { Connector } from '../../src/modules/connector/connector.entity.js';
import { AutotaskConnection } from '../../src/psa/autotask/autotask-connection.entity.js';
import { startAutotaskScheduler } from '../../src/psa/autotask/scheduler.js';
import { createAutotaskCompany, writeBackInvoice, writeBackInvoicePaid } from '../../src/psa/autotask/write-back.js';
import { tryAcquireLease } from '../../src/psa/job-lock.js';
import { PULL_LOCK } from '../../src/psa/autotask/pull.js';
import { PullFromAutotaskDocument, SetAutotaskConnectionDocument, AutotaskConnectionDocument } from '../generated/graphql.js';
import { onlyError } from '../helpers/test-app.js';
import { billingItem, company, invoice, seedTenant } from './helpers/fake-autotask.js';
import { connectionInput, secondInstance, seedConnectors, startAutotaskTestApp, type AutotaskTestApp } from './helpers/autotask-app.js';

const INVOICES = 1200;
const COMPANIES = 12;
/** Company 29683601's invoices go to the "Other" connector; the rest to the default. */
const ROUTED_COMPANY = 29683601;

let t: AutotaskTestApp;
let main: Connector;
let other: Connector;
let em: EntityManager;
let invoiceIds: number[];
const logger = createLogger({ logLevel: 'silent' });

beforeAll(async () => {
  t = await startAutotaskTestApp();
  ({ invoiceIds } = seedTenant(t.fake, { companies: COMPANIES, invoices: INVOICES }));
  ({ main, other } = await seedConnectors(t.app, [ROUTED_COMPANY]));
  em = t.app.database.orm.em.fork() as EntityManager;
  const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { pullEveryMinutes: 60 }) }, t.admin);
  expect(set.errors).toBeUndefined();
});
afterAll(async () => {
  await t?.close();
});
afterEach(() => {
  expect(t.fake.violations, 'more than 3 concurrent requests on one endpoint').toEqual([]);
});

async function ledger(): Promise<TransferItem[]> {
  return em.fork().find(TransferItem, { entityType: TransferEntityType.INVOICE }, { populate: ['connector'] });
}

describe('the scheduled pull', () => {
  test('run twice at once (two service instances), it queues each invoice exactly once', async () => {
    const second = await secondInstance(t.app);
    const a = startAutotaskScheduler({ orm: t.app.database.orm as MikroORM, config: t.app.config, logger, tickSeconds: 3600, http: t.runtime.http });
    const b = startAutotaskScheduler({ orm: second.orm, config: t.app.config, logger, tickSeconds: 3600, http: t.runtime.http });
    try {
      t.fake.resetLog();
      const summaries = await Promise.all([a.tick(), b.tick()]);
      const ran = summaries.filter((s) => s?.ran);
      expect(ran).toHaveLength(1);
      const skipped = summaries.find((s) => s && !s.ran);
      if (skipped) expect(skipped.message).toMatch(/Another Autotask pull is (running|starting)/);
      expect(ran[0]).toMatchObject({
        trigger: 'schedule',
        outcome: 'SUCCEEDED',
        invoicesFound: INVOICES,
        invoicesQueued: INVOICES,
        invoicesAlreadyInLedger: 0,
        errors: [],
      });
      expect(ran[0]!.invoices).toMatchObject({ created: INVOICES, updated: 0, unchanged: 0 });
      expect(ran[0]!.organizations).toMatchObject({ created: COMPANIES });
      expect(ran[0]!.resources).toMatchObject({ created: 2 });

      const items = await ledger();
      expect(items).toHaveLength(INVOICES);
      expect(new Set(items.map((i) => i.entityId)).size).toBe(INVOICES);
      expect(items.every((i) => i.state === TransferState.QUEUED && i.queuedBy === 'scheduler')).toBe(true);
      const routedInvoices = invoiceIds.filter((_, i) => i % COMPANIES === 1).length;
      expect(items.filter((i) => i.connector.id === other.id)).toHaveLength(routedInvoices);
      expect(items.filter((i) => i.connector.id === main.id)).toHaveLength(INVOICES - routedInvoices);

      // Only one pull talked to Autotask: the invoice query's three pages once.
      expect(t.fake.calls('invoices', 'POST')).toHaveLength(3);
      // Billing items for 1,200 invoices: 6 queries of 200 ids, side by side but never more than 3 at once.
      expect(t.fake.calls('billingitems', 'POST')).toHaveLength(6);
      expect(t.fake.maxInFlight.get('billingitems')).toBeLessThanOrEqual(3);

      // The next ticks, on both instances, find it not due.
      t.fake.resetLog();
      expect(await Promise.all([a.tick(), b.tick()])).toEqual([null, null]);
      expect(t.fake.requests).toEqual([]);
      const rows = (await em.fork().getConnection().execute('select holder from job_lock where name = ?', [PULL_LOCK])) as Array<{ holder: string | null }>;
      expect(rows[0]!.holder).toBeNull();
    } finally {
      await a.stop();
      await b.stop();
      await second.close();
    }
  });

  test('what was stored: organizations, resources, invoices with lines', async () => {
    const org = await em.fork().findOneOrFail(Organization, { autotaskId: 29683600 });
    expect(org).toMatchObject({ name: 'Customer 1', paymentTermId: '2', paymentTermName: 'Net 30', taxExempt: false });
    expect(org.address).toMatchObject({ line1: '1 Main St', city: 'Columbus', country: 'United States' });
    expect(await em.fork().count(Resource, {})).toBe(2);
    expect(await em.fork().findOneOrFail(Resource, { autotaskId: 29682886 })).toMatchObject({ active: false });
    const inv = await em.fork().findOneOrFail(Invoice, { autotaskId: 29684001 });
    expect(inv).toMatchObject({ invoiceDate: '2024-05-01', total: '452.96', taxTotal: '12.46', paymentTermName: 'Net 30' });
    const lines = await em.fork().find(InvoiceLine, { invoice: inv }, { orderBy: { position: 'asc' } });
    expect(lines.map((l) => [l.billingItemKind, l.amount, l.taxable, l.roleName, l.workTypeName])).toEqual([
      ['WORK_TYPE', '262.50', false, 'Field Technician', 'Onsite Support'],
      ['MATERIAL', '178.00', true, null, null],
    ]);
  });

  test('the timer runs a due pull by itself, and stop() waits for it and frees the lock', async () => {
    await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { lastPullStartedAt: new Date(Date.now() - 61 * 60_000) });
    const scheduler = startAutotaskScheduler({ orm: t.app.database.orm as MikroORM, config: t.app.config, logger, tickSeconds: 0.05, http: t.runtime.http });
    try {
      for (let i = 0; i < 400; i++) {
        const conn = await em.fork().findOneOrFail(AutotaskConnection, { slot: 'default' });
        const started = conn.lastPullStartedAt!.getTime();
        if (started > Date.now() - 60_000 && conn.lastPullFinishedAt && conn.lastPullFinishedAt.getTime() >= started) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await scheduler.stop();
    }
    const conn = (await t.app.gql(AutotaskConnectionDocument, {}, t.admin)).data!.autotaskConnection!;
    expect(conn.lastPullOutcome).toBe('SUCCEEDED');
    expect(conn.lastPull).toMatchObject({ trigger: 'schedule', invoicesFound: INVOICES, invoicesQueued: 0, invoicesAlreadyInLedger: INVOICES });
    expect(conn.lastPull!.invoices).toMatchObject({ created: 0, updated: 0, unchanged: INVOICES });
    expect(await ledger()).toHaveLength(INVOICES);
    // A disabled connection is never pulled by the scheduler.
    await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { enabled: false, lastPullStartedAt: null });
    const idle = startAutotaskScheduler({ orm: t.app.database.orm as MikroORM, config: t.app.config, logger, tickSeconds: 3600 });
    expect(await idle.tick()).toBeNull();
    await idle.stop();
    await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { enabled: true, lastPullStartedAt: new Date() });
  });
});

describe('write-back', () => {
  test('after the transfer succeeds, the QuickBooks number and webServiceDate are PATCHed; later pulls skip the invoice', async () => {
    const inv = await em.fork().findOneOrFail(Invoice, { autotaskId: 29684001 });
    const work = em.fork();
    const item = await work.findOneOrFail(TransferItem, { entityType: TransferEntityType.INVOICE, entityId: inv.id });
    await asActor({ id: 'qbwc', name: 'Web Connector' }, async () => {
      markSent(item, { requestId: 'req-1', ticket: 'ticket-1' });
      markSucceeded(item, { txnId: '1F-1', refNumber: '10452', editSequence: '1', statusCode: '0', message: 'Status OK' });
      await work.flush();
    });

    t.fake.resetLog();
    const result = await writeBackInvoice(em.fork(), t.runtime, inv.id);
    expect(result).toMatchObject({ autotaskId: 29684001, invoiceNumber: '10452' });
    expect(result.webServiceDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    const [patch] = t.fake.calls('invoices', 'PATCH');
    expect(patch!.body).toEqual({ id: 29684001, invoiceNumber: '10452', webServiceDate: result.webServiceDate });
    expect(t.fake.record('invoices', 29684001)).toMatchObject({ invoiceNumber: '10452', webServiceDate: result.webServiceDate });

    const pulled = await t.app.gql(PullFromAutotaskDocument, {}, t.admin);
    expect(pulled.errors).toBeUndefined();
    expect(pulled.data!.pullFromAutotask).toMatchObject({ ran: true, trigger: 'manual', invoicesFound: INVOICES - 1, invoicesQueued: 0 });
  });

  test('an invoice without a successful transfer has nothing to write back', async () => {
    const inv = await em.fork().findOneOrFail(Invoice, { autotaskId: 29684002 });
    await expect(writeBackInvoice(em.fork(), t.runtime, inv.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(writeBackInvoice(em.fork(), t.runtime, 'inv_missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('with writeBackInvoiceNumber off, only webServiceDate is written', async () => {
    await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { writeBackInvoiceNumber: false });
    try {
      const inv = await em.fork().findOneOrFail(Invoice, { autotaskId: 29684001 });
      t.fake.resetLog();
      expect((await writeBackInvoice(em.fork(), t.runtime, inv.id)).invoiceNumber).toBeNull();
      expect(Object.keys(t.fake.calls('invoices', 'PATCH')[0]!.body as object).sort()).toEqual(['id', 'webServiceDate']);
    } finally {
      await em.fork().nativeUpdate(AutotaskConnection, { slot: 'default' }, { writeBackInvoiceNumber: true });
    }
  });

  test('paid date: date only', async () => {
    const inv = await em.fork().findOneOrFail(Invoice, { autotaskId: 29684003 });
    expect(await writeBackInvoicePaid(em.fork(), t.runtime, inv.id, '2024-05-20')).toEqual({ autotaskId: 29684003, paidDate: '2024-05-20' });
    expect(t.fake.record('invoices', 29684003)!.paidDate).toBe('2024-05-20T00:00:00');
    await expect(writeBackInvoicePaid(em.fork(), t.runtime, inv.id)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('companies from QuickBooks customers', () => {
  test('needs an owner resource; then POSTs the company, stores it and links it to the customer', async () => {
    const customer = { connectorId: main.id, listId: '80000123-1715011200', fullName: 'Acme Holdings', name: 'Acme Holdings', phone: '614-555-0199', billAddress: { line1: '1 Way', city: 'Columbus' } };
    await expect(createAutotaskCompany(em.fork(), t.runtime, customer)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const set = await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { secret: null, newCompanyOwnerResourceId: 29682885 }) }, t.admin);
    expect(set.errors).toBeUndefined();

    t.fake.resetLog();
    const created = await asActor({ id: 'qbwc', name: 'Web Connector' }, () => createAutotaskCompany(em.fork(), t.runtime, customer));
    expect(created.created).toBe(true);
    const [post] = t.fake.calls('companies', 'POST').filter((c) => c.url.endsWith('/Companies'));
    expect(post!.body).toEqual({ companyName: 'Acme Holdings', companyType: 1, ownerResourceID: 29682885, phone: '614-555-0199', isActive: true, address1: '1 Way', city: 'Columbus' });
    expect(created.organization).toMatchObject({ name: 'Acme Holdings', autotaskId: expect.any(Number) });
    const link = await em.fork().findOneOrFail(OrganizationQbLink, { organization: created.organization.id }, { populate: ['connector'] });
    expect(link).toMatchObject({ listId: '80000123-1715011200', fullName: 'Acme Holdings' });
    expect(link.connector.id).toBe(main.id);

    // Again: the existing company is reused, not duplicated.
    t.fake.resetLog();
    const again = await createAutotaskCompany(em.fork(), t.runtime, customer);
    expect(again.created).toBe(false);
    expect(again.organization.id).toBe(created.organization.id);
    expect(t.fake.calls('companies', 'POST').filter((c) => c.url.endsWith('/Companies'))).toHaveLength(0);
  });
});

describe('the manual pull', () => {
  test('records that cannot be stored are reported, the rest goes on (PARTIAL)', async () => {
    t.fake.put('companies', [company(29690001, '   ')]);
    t.fake.put('invoices', [invoice(29690101, 29690001), invoice(29690102, 29683600), invoice(29690103, 29683600)]);
    t.fake.put('billingitems', [billingItem(7900001, 29690101, 29690001), billingItem(7900002, 29690103, 29683600)]);
    const response = await t.app.gql(PullFromAutotaskDocument, {}, t.admin);
    expect(response.errors).toBeUndefined();
    const summary = response.data!.pullFromAutotask;
    expect(summary.outcome).toBe('PARTIAL');
    expect(summary.invoicesQueued).toBe(1);
    expect(summary.errors).toEqual(
      expect.arrayContaining([
        { entity: 'Companies', autotaskId: 29690001, message: expect.stringContaining('name must be 1 to 100 characters') },
        { entity: 'Invoices', autotaskId: 29690101, message: expect.stringContaining('its company 29690001 could not be pulled') },
        { entity: 'Invoices', autotaskId: 29690102, message: expect.stringContaining('no billing items') },
      ]),
    );
    expect(await em.fork().count(Invoice, { autotaskId: 29690103 })).toBe(1);
    expect(await em.fork().count(Invoice, { autotaskId: { $in: [29690101, 29690102] } })).toBe(0);
  });

  test('a batch id pulls that batch whatever its webServiceDate', async () => {
    t.fake.put('invoices', [invoice(29690201, 29683600, { batchID: 4242, webServiceDate: '2024-05-02T00:00:00.000' })]);
    t.fake.put('billingitems', [billingItem(7900003, 29690201, 29683600)]);
    t.fake.resetLog();
    const summary = (await t.app.gql(PullFromAutotaskDocument, { batchId: 4242 }, t.admin)).data!.pullFromAutotask;
    expect(summary).toMatchObject({ ran: true, invoicesFound: 1, invoicesQueued: 1 });
    expect(t.fake.calls('invoices', 'POST')[0]!.body).toEqual({
      filter: [
        { op: 'eq', field: 'isVoided', value: false },
        { op: 'eq', field: 'batchID', value: 4242 },
      ],
    });
  });

  test('while another pull holds the lock: CONFLICT, and nothing is asked of Autotask', async () => {
    const held = await tryAcquireLease(em.fork(), PULL_LOCK, 'other-instance:1:abcd', 60);
    expect(held.acquired).toBe(true);
    try {
      t.fake.resetLog();
      const error = onlyError(await t.app.gql(PullFromAutotaskDocument, {}, t.admin));
      expect(error.extensions?.code).toBe('CONFLICT');
      expect(error.message).toContain('Another Autotask pull is running (other-instance:1:abcd');
      expect(t.fake.requests).toEqual([]);
    } finally {
      if (held.acquired) await held.lease.release();
    }
  });

  test('pullAllCompanies: every active company on each pull', async () => {
    expect((await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { secret: null, pullAllCompanies: true }) }, t.admin)).errors).toBeUndefined();
    try {
      t.fake.resetLog();
      const summary = (await t.app.gql(PullFromAutotaskDocument, {}, t.admin)).data!.pullFromAutotask;
      expect(t.fake.calls('companies', 'POST')[0]!.body).toEqual({ filter: [{ op: 'eq', field: 'isActive', value: true }] });
      // The 12 seeded companies and the one created from QuickBooks; the unnamed one is reported, not stored.
      expect(summary.organizations).toEqual({ created: 0, updated: 0, unchanged: COMPANIES + 1 });
      expect(summary.errors.filter((e) => e.entity === 'Companies').map((e) => e.autotaskId)).toContain(29690001);
    } finally {
      await t.app.gql(SetAutotaskConnectionDocument, { input: connectionInput(t.fake, { secret: null, pullAllCompanies: false }) }, t.admin);
    }
  });

  test('a lookup Autotask refuses (Roles, 403) only leaves names empty', async () => {
    t.fake.fault({ entity: 'roles', status: 403, times: 10 });
    try {
      const summary = (await t.app.gql(PullFromAutotaskDocument, {}, t.admin)).data!.pullFromAutotask;
      expect(summary.outcome).toBe('PARTIAL');
      expect(summary.errors).toContainEqual({ entity: 'Roles', autotaskId: null, message: expect.stringContaining('names could not be read') });
      const inv = await em.fork().findOneOrFail(Invoice, { autotaskId: 29684002 });
      const [line] = await em.fork().find(InvoiceLine, { invoice: inv }, { orderBy: { position: 'asc' } });
      expect(line!.roleName).toBeNull();
    } finally {
      t.fake.faults.length = 0;
    }
  });

  test('when the tenant is near its hourly API threshold, the pull is postponed', async () => {
    t.fake.fault({ entity: 'thresholdinformation', status: 200, body: { externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 8500 } });
    t.fake.resetLog();
    const summary = (await t.app.gql(PullFromAutotaskDocument, {}, t.admin)).data!.pullFromAutotask;
    expect(summary).toMatchObject({ ran: true, outcome: 'SKIPPED', invoicesFound: 0 });
    expect(summary.message).toContain('used 8500 of its 10000 API requests');
    expect(t.fake.requests.map((r) => r.entity)).toEqual(['thresholdinformation']);
  });

  test('refused credentials: the pull FAILS with the message, recorded on the connection', async () => {
    const realSecret = t.fake.secret;
    (t.fake as { secret: string }).secret = 'rotated-in-autotask';
    try {
      const summary = (await t.app.gql(PullFromAutotaskDocument, {}, t.admin)).data!.pullFromAutotask;
      expect(summary.outcome).toBe('FAILED');
      expect(summary.message).toContain('Autotask refused the credentials (HTTP 401)');
      const conn = (await t.app.gql(AutotaskConnectionDocument, {}, t.admin)).data!.autotaskConnection!;
      expect(conn.lastPullOutcome).toBe('FAILED');
      expect(conn.lastPullMessage).toContain('Check the API user name');
    } finally {
      (t.fake as { secret: string }).secret = realSecret;
    }
  });

  // Last: it removes the connection.
  test('without a connection: NOT_FOUND', async () => {
    await em.fork().nativeDelete(AutotaskConnection, { slot: 'default' });
    const error = onlyError(await t.app.gql(PullFromAutotaskDocument, {}, t.admin));
    expect(error.extensions?.code).toBe('NOT_FOUND');
    expect(error.message).toContain('setAutotaskConnection');
  });
});
