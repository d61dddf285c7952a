/**
 * `npx qbd-bridge demo`: the whole product once, on a throwaway data directory, with nothing to install.
 *
 * It starts the real service (src/app/service.ts: embedded database, migrations, plugins, GraphQL, /qbwc) on a
 * free local port, does what the README's first run does over GraphQL (an admin, the Web Connector
 * credential, a connector, a registration), pushes a few organizations and 10-line invoices the way a script
 * would, queues the invoices (their organizations follow), and runs the Web Connector emulator against a
 * simulated company file (the `standard` seed) until the ledger settles. Then it prints what landed.
 *
 * Why over HTTP and GraphQL rather than calling services: the demo is also the walk-through's proof — every
 * step is the request a user would send. Data goes away at the end unless `--keep`, which keeps serving
 * (Ctrl-C stops it) so the printed URL and token can be explored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../app/config.js';
import { freePort } from '../app/free-port.js';
import { createLogger } from '../app/logger.js';
import { startService, type RunningService } from '../app/service.js';
import { asActor } from '../modules/audit/actor.js';
import { Role } from '../modules/user/role.js';
import { UserService } from '../modules/user/user.service.js';
import { createCompanyFile, QuickBooksSimulator } from '../simulator/quickbooks.js';
import { runWebConnectorUpdate } from '../simulator/web-connector/index.js';
import { CommandFailed } from './command-failed.js';
import { DEMO_INVOICES, DEMO_ORGANIZATIONS } from './demo-data.js';
import { graphqlClient } from './graphql-client.js';

const DEMO_ACTOR = { id: 'demo', name: 'qbd-bridge demo' };
/** Enough Web Connector updates for list sync, customers, invoices; the demo stops as soon as the ledger settles. */
const MAX_UPDATES = 6;

interface DemoOptions {
  keep: boolean;
}

export interface DemoDeps {
  readonly stdout: { write(text: string): unknown };
}

/** Registers `demo` on the CLI; `config` is the environment's configuration (PLUGINS, APP_NAME... apply). */
export function registerDemoCommand(program: Command, config: () => Config, deps: DemoDeps): Command {
  return program
    .command('demo')
    .description('start the service on a throwaway data directory, push sample organizations and invoices, run a simulated Web Connector update and print what landed in QuickBooks')
    .option('--keep', 'keep the data directory and keep serving (Ctrl-C stops) to explore it over GraphQL', false)
    .action(async (opts: DemoOptions) => {
      await runDemo(config(), opts, deps.stdout);
    });
}

async function runDemo(base: Config, opts: DemoOptions, out: DemoDeps['stdout']): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qbd-bridge-demo-'));
  const port = await freePort(); // QWC files need the real port, so PORT=0 will not do
  // The embedded database in the throwaway folder, whatever DATABASE_URL says: the demo never touches real data.
  const config: Config = Object.freeze({
    ...base,
    dataDir,
    databaseUrl: undefined,
    host: '127.0.0.1',
    port,
    publicBaseUrl: `http://127.0.0.1:${port}`,
    tls: undefined,
    // Errors only: the demo's own lines are the output (list sync notes, e.g. payroll items, are expected here).
    logLevel: 'error',
  });
  const say = (line = ''): void => void out.write(`${line}\n`);
  say(`Starting qbd-bridge on ${config.publicBaseUrl} with a new embedded database in ${dataDir} ...`);
  let service: RunningService | undefined;
  try {
    service = await startService(config, createLogger(config));
    const demo = await setUp(service, config, say);
    const summary = await transfer(config, demo, say);
    printSummary(summary, config, demo.token, say);
    if (summary.invoices.length === 0) throw new CommandFailed('demo: no invoice reached the simulated QuickBooks (see the ledger above).');
    if (opts.keep) {
      say(`Keeping ${dataDir}. Serving until Ctrl-C; afterwards: DATA_DIR=${dataDir} npm start`);
      await untilInterrupted();
    } else {
      say('The demo service stops now and its data is removed; `npx qbd-bridge demo --keep` keeps it serving to explore.');
    }
  } finally {
    await service?.stop();
    if (!opts.keep) rmSync(dataDir, { recursive: true, force: true });
  }
}

interface DemoSetUp {
  readonly token: string;
  readonly password: string;
  readonly qwc: string;
  readonly connectorId: string;
}

/** The README's first run: admin, credential, connector, registration; then the sample data, queued. */
async function setUp(service: RunningService, config: Config, say: (line?: string) => void): Promise<DemoSetUp> {
  const { user, secret: issued } = await asActor(DEMO_ACTOR, () =>
    new UserService(service.database.orm.em.fork()).create({ name: 'Demo Admin', role: Role.ADMIN, email: null }, 'qbd-bridge demo'),
  );
  const secret = issued!; // a token label was given, so a token was issued
  const gql = graphqlClient(`${config.publicBaseUrl}/graphql`, secret, 'demo');
  const credential = await gql<{ createApiCredential: { generatedPassword: string; credential: { id: string } } }>(
    'mutation { createApiCredential(input: { userName: "qbwc" }) { generatedPassword credential { id } } }',
  );
  const connector = await gql<{ createConnector: { id: string } }>('mutation { createConnector(input: { name: "Demo Company" }) { id } }');
  const connectorId = connector.createConnector.id;
  const registration = await gql<{ createRegistration: { qwc: string } }>(
    'mutation($input: CreateRegistrationInput!) { createRegistration(input: $input) { qwc } }',
    { input: { connectorId, userId: user.id, credentialId: credential.createApiCredential.credential.id } },
  );
  say('Created an admin, the Web Connector credential, connector "Demo Company" and a registration (QWC file).');

  await gql('mutation($input: UpsertOrganizationsInput!) { upsertOrganizations(input: $input) { created } }', { input: { organizations: DEMO_ORGANIZATIONS } });
  await gql('mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { created } }', { input: { invoices: DEMO_INVOICES } });
  const queued = await gql<{ queueTransfers: unknown[] }>(
    'mutation { queueTransfers(input: { entityType: INVOICE, filter: { dateFrom: "2026-11-01", dateTo: "2026-11-30" } }) { id } }',
  );
  say(
    `Pushed ${DEMO_ORGANIZATIONS.length} organizations and ${DEMO_INVOICES.length} invoices of ${DEMO_INVOICES[0]!.lines.length} lines; ` +
      `queued ${queued.queueTransfers.length} invoices (their organizations are queued with them).`,
  );
  return { token: secret, password: credential.createApiCredential.generatedPassword, qwc: registration.createRegistration.qwc, connectorId };
}

interface LedgerRow {
  entityType: string;
  state: string;
  qbRefNumber: string | null;
  qbListId: string | null;
  qbStatusCode: string | null;
  qbStatusMessage: string | null;
  hint: string | null;
}

interface DemoSummary {
  readonly updates: number;
  readonly customers: readonly string[];
  readonly invoices: ReadonlyArray<{ refNumber: string; customer: string; total: string; lines: number }>;
  readonly ledger: readonly LedgerRow[];
}

/** Web Connector updates against the simulated company file until nothing is queued or sent any more. */
async function transfer(config: Config, demo: DemoSetUp, say: (line?: string) => void): Promise<DemoSummary> {
  const gql = graphqlClient(`${config.publicBaseUrl}/graphql`, demo.token, 'demo');
  const quickbooks = new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard', companyName: 'Demo Company' }) });
  const ledger = async (): Promise<LedgerRow[]> =>
    (
      await gql<{ transferItems: { nodes: LedgerRow[] } }>(
        '{ transferItems(first: 100) { nodes { entityType state qbRefNumber qbListId qbStatusCode qbStatusMessage hint } } }',
      )
    ).transferItems.nodes;
  let rows = await ledger();
  let updates = 0;
  while (updates < MAX_UPDATES && rows.some((r) => r.state === 'QUEUED' || r.state === 'SENT' || r.state === 'NEEDS_RECONCILE')) {
    const result = await runWebConnectorUpdate({ qwcXml: demo.qwc, password: demo.password, quickbooks, noOpPauseMs: 0 });
    updates++;
    say(`Web Connector update ${updates}: ${result.outcome}, ${result.requests.length} qbXML request message(s) answered by the simulated QuickBooks.`);
    if (result.outcome !== 'completed' && result.outcome !== 'no-work') throw new CommandFailed(`demo: the Web Connector update ended with ${result.outcome}${result.lastError ? `: ${result.lastError}` : ''}`);
    rows = await ledger();
  }
  const company = quickbooks.company;
  const customerName = (listId: string): string => company.customers.find((c) => c.listId === listId)?.name ?? '?';
  const money = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
  return {
    updates,
    customers: company.customers.map((c) => c.name),
    invoices: company.invoices.map((invoice) => ({
      refNumber: invoice.refNumber ?? '',
      customer: customerName(invoice.customerId),
      total: money(invoice.subtotalCents + invoice.salesTaxTotalCents),
      lines: invoice.lines.length,
    })),
    ledger: rows,
  };
}

function printSummary(summary: DemoSummary, config: Config, token: string, say: (line?: string) => void): void {
  say();
  say(`Customers in the simulated company file (${summary.customers.length}): ${summary.customers.join(', ')}`);
  say(`Invoices that landed (${summary.invoices.length}):`);
  for (const invoice of summary.invoices) say(`  invoice #${invoice.refNumber}  ${invoice.customer}  ${invoice.total} (${invoice.lines} lines)`);
  const states = new Map<string, number>();
  for (const row of summary.ledger) states.set(`${row.entityType} ${row.state}`, (states.get(`${row.entityType} ${row.state}`) ?? 0) + 1);
  say(`Transfer ledger: ${[...states].map(([state, count]) => `${count} ${state}`).join(', ')}`);
  for (const row of summary.ledger.filter((r) => r.state === 'FAILED')) say(`  FAILED ${row.entityType}: ${row.qbStatusCode ?? ''} ${row.qbStatusMessage ?? ''} ${row.hint ?? ''}`.trimEnd());
  say();
  say(`GraphQL: ${config.publicBaseUrl}/graphql   token: ${token}`);
  say(`  e.g. curl -s ${config.publicBaseUrl}/graphql -H 'content-type: application/json' -H 'authorization: Bearer ${token}' \\`);
  say(`         -d '{"query":"{ transferItems(first: 5) { nodes { entityType state qbRefNumber } } }"}'`);
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
