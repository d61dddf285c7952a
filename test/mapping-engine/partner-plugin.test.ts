/**
 * Acceptance: a partner plugin from a separate folder registers through config and passes the conformance
 * suite. Credit memos are built in; the service is started with PLUGINS naming a partner module by path (a
 * partner's credit memos under its own id, asked before the built-in), as an operator would; the plugin object
 * the service registered is put through the SDK's conformance suite; a credit invoice then reaches the
 * simulated company file as a credit memo through the partner's plugin next to an ordinary invoice, and a
 * lost answer to the CreditMemoAdd is reconciled without a duplicate.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { definePluginConformanceSuite } from '../../plugins/sdk/testing/index.js';
import { loadConfig } from '../../src/app/config.js';
import { AppError } from '../../src/errors/app-error.js';
import { createMappingEngine } from '../../src/mapping-engine/index.js';
import { TransferItem } from '../../src/modules/transfer/transfer-item.entity.js';
import { TransferState } from '../../src/modules/transfer/transfer-state.js';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { pushCreditInvoice, pushInvoices, pushOrganization } from '../helpers/billing-fixture.js';
import { createConnector, createFixture, register, update, type Fixture } from '../helpers/qbwc-fixture.js';
import { validator } from '../helpers/spec.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { UpdateConnectorDocument, UpsertMappingsDocument } from '../generated/graphql.js';

/** As an operator writes it: relative to the working directory (vitest runs in the repository root). */
const PLUGIN_PATH = './test/mapping-engine/fixtures/partner-credit-memos.ts';
const PLUGIN_ID = 'acme-credit-memos';

// Loaded the way the service loads it (config → createMappingEngine → dynamic import of the path), at module
// level because the conformance suite defines its tests while the file is collected.
const loaded = await createMappingEngine(loadConfig({ PLUGINS: PLUGIN_PATH }));
const registered = loaded.registry.byId(PLUGIN_ID);
if (!registered) throw new Error(`PLUGINS=${PLUGIN_PATH} did not register the ${PLUGIN_ID} plugin`);
definePluginConformanceSuite(registered, { dir: new URL('../../plugins/credit-memos/__fixtures__/', import.meta.url) });

let app: TestApp;
let fixture: Fixture;
let connectorId: string;
let qwc: string;
let qb: QuickBooksSimulator;

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const res = await app.gql(query, variables, fixture.adminToken);
  expect(res.errors).toBeUndefined();
  return res.data as Record<string, never>;
}

beforeAll(async () => {
  app = await startTestApp({ reachableQwc: true, engine: true, env: { PLUGINS: PLUGIN_PATH } });
  fixture = await createFixture(app);
  connectorId = await createConnector(app, fixture, 'Umbrella Books');
  qwc = (await register(app, fixture, connectorId)).qwc;
  await gql(UpdateConnectorDocument as never, { id: connectorId, input: { defaultIncomeAccount: { fullName: 'Services' } } });
  await gql(UpsertMappingsDocument as never, {
    input: {
      connectorId,
      mappings: [{ sourceKind: 'WORK_TYPE', sourceId: '29682801', sourceName: 'Remote Support', target: { fullName: 'Remote Support' }, itemType: 'SERVICE' }],
    },
  });
  qb = new QuickBooksSimulator({ validator, company: createCompanyFile({ seed: 'standard', companyName: 'Umbrella Books' }) });
});
afterAll(async () => {
  await app?.close();
});

describe('registered through PLUGINS', () => {
  test('installedPlugins lists the partner plugin with its source, next to the built-ins', async () => {
    const data = await gql('{ installedPlugins { id version apiVersion entity filtered emits source } }');
    const plugins = data['installedPlugins'] as Array<Record<string, unknown>>;
    expect(plugins.find((p) => p['id'] === PLUGIN_ID)).toEqual({
      id: PLUGIN_ID,
      version: '1.0.0',
      apiVersion: 1,
      entity: 'INVOICE',
      filtered: true,
      emits: ['CreditMemoAddRq', 'CreditMemoQueryRq'],
      source: PLUGIN_PATH,
    });
    expect(plugins.filter((p) => p['source'] === 'built-in').map((p) => p['id']).sort()).toEqual(
      ['credit-applications', 'credit-memos', 'customers', 'invoice-voids', 'invoices', 'payments', 'purchase-orders', 'vendors'],
    );
  });

  test('the service runs the very plugin object the conformance suite checked', () => {
    expect(app.engine?.registry.byId(PLUGIN_ID)).toBe(registered);
    expect(app.engine?.registry.pluginFor('INVOICE', { total: '-1.00' })).toBe(registered);
  });

  test('an absolute path works as well', async () => {
    const absolute = path.resolve(PLUGIN_PATH);
    const engine = await createMappingEngine(loadConfig({ PLUGINS: absolute }));
    expect(engine.registry.list().find((e) => e.plugin.id === PLUGIN_ID)?.source).toBe(absolute);
  });

  test('a module that cannot be loaded stops the start with PLUGIN_INVALID naming it', async () => {
    const missing = './plugins/no-such-plugin/index.ts';
    const error = await createMappingEngine(loadConfig({ PLUGINS: `${PLUGIN_PATH},${missing}` })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'PLUGIN_INVALID', message: expect.stringContaining(missing) });
  });

  test("a plugin taking a built-in's id stops the start with PLUGIN_INVALID naming its module", async () => {
    const module = './test/mapping-engine/fixtures/plugin-with-builtin-id.ts';
    const error = await createMappingEngine(loadConfig({ PLUGINS: module })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'PLUGIN_INVALID', message: expect.stringMatching(/"invoices".*id already used by \.\/test\/mapping-engine\/fixtures\/plugin-with-builtin-id\.ts/) });
  });
});

test('a credit invoice becomes a credit memo, an invoice in the same run an invoice; a lost CreditMemoAdd answer is reconciled', async () => {
  const em = app.database.orm.em.fork();
  await pushOrganization(em, 801, 'Umbrella Health');
  const [invoiceId] = await pushInvoices(em, 801, [9101]);
  const creditId = await pushCreditInvoice(em, 801, 9102);
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }', { input: { entityType: 'INVOICE', entityIds: [invoiceId, creditId] } });

  // The Web Connector dies right after QuickBooks processed the first message that adds a credit memo.
  let current = '';
  let lost = false;
  const first = await update(qwc, qb, {
    log: (line) => {
      if (line.includes('strRequestXML =')) current = line;
    },
    faults: { loseResponseAfterProcessing: () => !lost && /<CreditMemoAddRq /.test(current) && (lost = true) },
  });
  expect(lost).toBe(true);
  expect(first.outcome).toBe('aborted');
  expect(qb.company.creditMemos).toHaveLength(1); // QuickBooks has it; the service does not know yet

  const second = await update(qwc, qb);
  expect(second.outcome, second.lastError).toBe('completed');
  // The next update looked the credit memo up by its stamp instead of adding it again.
  expect(second.requests.some((r) => r.includes('<CreditMemoQueryRq '))).toBe(true);
  expect(second.requests.some((r) => r.includes('<CreditMemoAddRq '))).toBe(false);

  const customer = qb.company.customers.filter((c) => c.name === 'Umbrella Health');
  expect(customer).toHaveLength(1);
  const memos = qb.company.creditMemos;
  expect(memos).toHaveLength(1);
  const memo = memos[0]!;
  expect(memo.customerId).toBe(customer[0]!.listId);
  expect(memo.fields['Other']).toBe('AT:9102');
  expect(memo.lines.map((l) => [l.quantity, l.amountCents])).toEqual([['1.5', 14250]]); // credited amounts are positive
  expect(memo.subtotalCents).toBe(14250);
  expect(memo.txnDate).toBe('2026-11-20');
  // The positive invoice went through the built-in invoices plugin, as an invoice.
  const invoices = qb.company.invoices.filter((i) => i.customerId === customer[0]!.listId);
  expect(invoices.map((i) => [i.fields['Other'], i.subtotalCents])).toEqual([['AT:9101', 33250]]);

  const items = await app.database.orm.em.fork().find(TransferItem, { connector: connectorId }, { orderBy: { id: 'asc' } });
  expect(items.map((i) => [i.entityType, i.state])).toEqual([
    ['INVOICE', TransferState.SUCCEEDED],
    ['INVOICE', TransferState.SUCCEEDED],
    ['ORGANIZATION', TransferState.SUCCEEDED],
  ]);
  const creditItem = items.find((i) => i.entityId === creditId)!;
  expect([creditItem.qbTxnId, creditItem.qbRefNumber]).toEqual([memo.txnId, memo.refNumber]);
  expect(items.find((i) => i.entityId === invoiceId)!.qbTxnId).toBe(invoices[0]!.txnId);
});
