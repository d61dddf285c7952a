/**
 * Acceptance: a partner plugin written outside this repository, against the SDK package only, passes its own
 * conformance test and transfers through the service. `qbd-bridge plugin init` scaffolds it into a temporary
 * folder (credit invoices → credit memos under the partner's id, asked before the built-in credit-memos);
 * it installs the SDK from this checkout's workspace (file:, offline; vitest, TypeScript and Node's types are
 * linked from this repository's node_modules instead of downloaded) and builds itself; its own `npm test`
 * runs the SDK's conformance suite. An operator's plugins folder installs the package, and the service starts
 * with PLUGINS=<package name> and PLUGINS_DIR=<that folder>; the plugin object it registered is put through
 * the conformance suite here too; a credit invoice then reaches the simulated company file as a credit memo
 * through the partner's plugin next to an ordinary invoice, and a lost answer to the CreditMemoAdd is
 * reconciled by its ExternalGUID without a duplicate.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { definePluginConformanceSuite } from '../../plugins/sdk/testing/index.js';
import { loadConfig, PROJECT_ROOT } from '../../src/app/config.js';
import { buildCli } from '../../src/cli/index.js';
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
import { builtInPlugins } from '../../plugins/index.js';

const PACKAGE = '@acme/qbd-credits';
const PLUGIN_ID = 'qbd-credits';

// The partner's machine: nothing from this repository but the SDK package and the tools a partner installs.
const work = mkdtempSync(path.join(os.tmpdir(), 'qbd-partner-'));
const partner = { dir: path.join(work, 'qbd-credits') };
let initOutput = '';
await buildCli(() => loadConfig(), { stdout: { write: (text: string) => (initOutput += text) } }).parseAsync(['node', 'qbd-bridge', 'plugin', 'init', partner.dir, '--name', PACKAGE]);
/** The environment of the partner's commands: not this vitest run's (a nested vitest would read its variables). */
const partnerEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
partnerEnv['QBXML_SPEC_DIR'] = loadConfig().specDir; // the oracle runs in the partner's suite when the XSDs are there

function npm(cwd: string, ...args: string[]): void {
  const result = spawnSync('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, env: partnerEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} failed:\n${result.stdout}${result.stderr}`);
}

for (const tool of ['vitest', 'typescript', '@types/node']) {
  const link = path.join(partner.dir, 'node_modules', tool);
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules', tool), link);
}
npm(partner.dir, 'install'); // links the SDK; `prepare` builds dist/
// Its own tests run alongside the service tests below (awaited in the last test).
const partnerTests = new Promise<{ code: number | null; output: string }>((resolve) => {
  const child = spawn('npm', ['test'], { cwd: partner.dir, env: partnerEnv });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('close', (code) => resolve({ code, output }));
});

// The operator's plugins folder, kept out of the qbd-bridge checkout (which `npm ci` empties).
const pluginsDir = path.join(work, 'qbd-plugins');
mkdirSync(pluginsDir);
writeFileSync(path.join(pluginsDir, 'package.json'), JSON.stringify({ private: true, dependencies: { [PACKAGE]: `file:${partner.dir}` } }));
npm(pluginsDir, 'install');
const env = { PLUGINS: PACKAGE, PLUGINS_DIR: pluginsDir };

// Loaded the way the service loads it (config → createMappingEngine → import of the package), at module
// level because the conformance suite defines its tests while the file is collected.
const loaded = await createMappingEngine(loadConfig(env));
const registered = loaded.registry.byId(PLUGIN_ID);
if (!registered) throw new Error(`PLUGINS=${PACKAGE} did not register the ${PLUGIN_ID} plugin`);
definePluginConformanceSuite(registered, { dir: path.join(partner.dir, '__fixtures__') });

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
  app = await startTestApp({ reachableQwc: true, engine: true, env });
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
  await partnerTests;
  rmSync(work, { recursive: true, force: true });
});

describe('registered through PLUGINS', () => {
  test('installedPlugins lists the partner plugin with its source, next to the built-ins', async () => {
    const data = await gql('{ installedPlugins { id version apiVersion entity filtered emits source } }');
    const plugins = data['installedPlugins'] as Array<Record<string, unknown>>;
    expect(plugins.find((p) => p['id'] === PLUGIN_ID)).toEqual({
      id: PLUGIN_ID,
      version: '0.1.0',
      apiVersion: 1,
      entity: 'INVOICE',
      filtered: true,
      emits: ['CreditMemoAddRq', 'CreditMemoQueryRq'],
      source: PACKAGE,
    });
    expect(plugins.filter((p) => p['source'] === 'built-in').map((p) => p['id']).sort()).toEqual(builtInPlugins.map((p) => p.id).sort());
  });

  test('the service runs the very plugin object the conformance suite checked', () => {
    expect(app.engine?.registry.byId(PLUGIN_ID)).toBe(registered);
    expect(app.engine?.registry.pluginFor('INVOICE', { total: '-1.00' })).toBe(registered);
  });

  test('an absolute path to the module works as well', async () => {
    const absolute = path.join(partner.dir, 'dist', 'index.js');
    const engine = await createMappingEngine(loadConfig({ PLUGINS: absolute }));
    expect(engine.registry.list().find((e) => e.plugin.id === PLUGIN_ID)?.source).toBe(absolute);
  });

  test('a module that cannot be loaded stops the start with PLUGIN_INVALID naming it', async () => {
    const missing = './plugins/no-such-plugin/index.ts';
    const error = await createMappingEngine(loadConfig({ ...env, PLUGINS: `${PACKAGE},${missing}` })).catch((e: unknown) => e);
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
  // The next update looked the credit memo up by its ExternalGUID instead of adding it again.
  expect(second.requests.some((r) => r.includes('<CreditMemoQueryRq ') && r.includes('<IncludeRetElement>ExternalGUID</IncludeRetElement>'))).toBe(true);
  expect(second.requests.some((r) => r.includes('<CreditMemoAddRq '))).toBe(false);

  const customer = qb.company.customers.filter((c) => c.name === 'Umbrella Health');
  expect(customer).toHaveLength(1);
  const memos = qb.company.creditMemos;
  expect(memos).toHaveLength(1);
  const memo = memos[0]!;
  expect(memo.customerId).toBe(customer[0]!.listId);
  expect(memo.fields['Other']).toBe('AT:9102');
  expect(memo.fields['ExternalGUID']).toMatch(/^\{[0-9A-F-]{36}\}$/); // the key the reconcile matched on
  expect(memo.lines.map((l) => l.amountCents)).toEqual([14250]); // credited amounts are positive
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

test('plugin init printed the plugin, its files and the next commands', () => {
  expect(initOutput).toContain(`Plugin ${PLUGIN_ID} (package ${PACKAGE}) in ${partner.dir}:`);
  for (const file of ['src/translate.ts', 'src/handle-response.ts', 'src/reconcile.ts', 'test/conformance.test.ts', '__fixtures__/credit.qbxml', 'package.json']) {
    expect(initOutput).toContain(`  ${file}\n`);
  }
  expect(initOutput).toContain(`PLUGINS=${PACKAGE}`);
});

test("the partner's own `npm test` (the SDK's conformance suite over its fixtures) passes", async () => {
  const { code, output } = await partnerTests;
  expect(code, output).toBe(0);
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  expect(plain).toContain('test/conformance.test.ts');
  expect(plain).toMatch(/Tests\s+\d+ passed/);
  expect(plain).not.toMatch(/failed/);
});
