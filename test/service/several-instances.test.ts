/**
 * Several instances on one PostgreSQL: two service processes behind one address (a tiny round-robin proxy)
 * serve one Web Connector whose calls alternate between them. QuickBooks' answer to one invoice message is
 * lost (the Web Connector dies after QuickBooks processed it), then one instance is killed; the next updates
 * go through the survivor. Every invoice lands exactly once: session state lives in the database, and items
 * whose fate was unknown are looked up before anything is sent again. PostgreSQL only (an embedded database
 * belongs to one process). The scheduler's side, one pull per interval across instances, is
 * test/autotask/pull.test.ts ("run twice at once (two service instances)").
 */
import http from 'node:http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../../src/app/free-port.js';
import { sampleInvoice, sampleOrganizations } from '../../src/cli/demo-data.js';
import { graphqlClient, type GraphqlClient } from '../../src/cli/graphql-client.js';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import type { SimulatedQuickBooks } from '../../src/simulator/quickbooks-host.js';
import { runWebConnectorUpdate } from '../../src/simulator/web-connector/index.js';
import { ServiceHarness, type ServiceRun } from '../helpers/service-process.js';

const INVOICES = 12;
const onServer = Boolean(process.env.DATABASE_URL);

/** Forwards each request to the next instance in turn; one that refuses the connection is skipped (as a load balancer's health check would). */
class RoundRobinProxy {
  readonly served = new Map<number, number>();
  private next = 0;
  private readonly server: http.Server;

  constructor(private readonly ports: readonly number[]) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.forward(req, Buffer.concat(chunks), res, this.ports.length));
    });
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', resolve));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, triesLeft: number): void {
    const port = this.ports[this.next++ % this.ports.length]!;
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent: false }, (answer) => {
      this.served.set(port, (this.served.get(port) ?? 0) + 1);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      // Refused: nothing reached that instance, so the other may take the request.
      if (error.code === 'ECONNREFUSED' && triesLeft > 1) this.forward(req, body, res, triesLeft - 1);
      else res.writeHead(502).end();
    });
    upstream.end(body);
  }
}

let harness: ServiceHarness;
let proxy: RoundRobinProxy;
let first: ServiceRun;
let second: ServiceRun;
let gql: GraphqlClient;
let qwc: string;
let password: string;
const secondPort = () => harness.port + 1;

beforeAll(async () => {
  if (!onServer) return;
  harness = await ServiceHarness.create();
  const proxyPort = await freePort();
  // Both name the proxy as their public address: that is where the QWC file sends the Web Connector.
  const env = { PUBLIC_BASE_URL: `http://127.0.0.1:${proxyPort}`, LOG_LEVEL: 'warn', QBWC_MAX_REQUESTS_PER_MESSAGE: '4' };
  first = harness.start(env);
  await harness.waitForHealth(); // migrated by the first; the second finds nothing to do
  second = harness.start({ ...env, PORT: String(secondPort()) });
  await harness.waitForHealth(240_000, `http://127.0.0.1:${secondPort()}`);
  proxy = new RoundRobinProxy([harness.port, secondPort()]);
  await proxy.listen(proxyPort);

  gql = graphqlClient(`http://127.0.0.1:${proxyPort}/graphql`, await harness.createUser('Ada', 'ADMIN'), 'test');
  const me = (await gql<{ me: { id: string } }>('{ me { id } }')).me.id;
  const credential = await gql<{ createApiCredential: { generatedPassword: string; credential: { id: string } } }>(
    'mutation { createApiCredential(input: { userName: "qbwc" }) { generatedPassword credential { id } } }');
  password = credential.createApiCredential.generatedPassword;
  const connector = (await gql<{ createConnector: { id: string } }>('mutation { createConnector(input: { name: "Shared" }) { id } }')).createConnector.id;
  qwc = (await gql<{ createRegistration: { qwc: string } }>('mutation($input: CreateRegistrationInput!) { createRegistration(input: $input) { qwc } }',
    { input: { connectorId: connector, userId: me, credentialId: credential.createApiCredential.credential.id } })).createRegistration.qwc;
  const organizations = sampleOrganizations(3, 300_000);
  await gql('mutation($input: UpsertOrganizationsInput!) { upsertOrganizations(input: $input) { created } }', { input: { organizations } });
  const invoices = Array.from({ length: INVOICES }, (_, i) => sampleInvoice(800_000 + i, organizations[i % 3]!.autotaskId, i));
  const pushed = await gql<{ upsertInvoices: { invoices: Array<{ id: string }> } }>(
    'mutation($input: UpsertInvoicesInput!) { upsertInvoices(input: $input) { invoices { id } } }', { input: { invoices } });
  await gql('mutation($input: QueueTransfersInput!) { queueTransfers(input: $input) { id } }',
    { input: { entityType: 'INVOICE', entityIds: pushed.upsertInvoices.invoices.map((i) => i.id) } });
}, 600_000);

afterAll(async () => {
  await proxy?.close();
  await harness?.close();
});

/** QuickBooks, counting the request messages that add invoices (to lose the answer to one of them). */
function watched(quickbooks: QuickBooksSimulator): { host: SimulatedQuickBooks; invoiceMessages: () => number } {
  let invoiceMessages = 0;
  const host: SimulatedQuickBooks = {
    get companyFilePath() { return quickbooks.companyFilePath; },
    get country() { return quickbooks.country; },
    get maxQbxmlVersion() { return quickbooks.maxQbxmlVersion; },
    stampFileId: (ownerId, fileId) => quickbooks.stampFileId(ownerId, fileId),
    hostCompanyPreferencesResponse: (ownerId) => quickbooks.hostCompanyPreferencesResponse(ownerId),
    process(requestXml) {
      if (requestXml.includes('<InvoiceAddRq')) invoiceMessages++;
      return quickbooks.process(requestXml);
    },
  };
  return { host, invoiceMessages: () => invoiceMessages };
}

/** What went wrong in an update: its last error and the end of both instances' logs. */
function why(run: { lastError?: string | undefined }): string {
  const tail = (text: string) => text.split('\n').slice(-12).join('\n');
  return `${run.lastError ?? ''}\nfirst instance:\n${tail(first.output())}\nsecond instance:\n${tail(second.output())}`;
}

test.skipIf(!onServer)('one Web Connector session across two instances, a lost answer and a killed instance: every invoice lands once', async () => {
  const quickbooks = new QuickBooksSimulator({ company: createCompanyFile({ seed: 'standard', companyName: 'Shared' }) });
  const qb = watched(quickbooks);
  // The Web Connector dies after QuickBooks processed the second invoice message: its answer never arrives.
  const lost = await runWebConnectorUpdate({ qwcXml: qwc, password, quickbooks: qb.host, noOpPauseMs: 0, faults: { loseResponseAfterProcessing: () => qb.invoiceMessages() === 2 } });
  expect(lost.outcome, why(lost)).toBe('aborted');
  // The calls of that one session alternated between the two instances.
  expect(proxy.served.get(harness.port)).toBeGreaterThan(3);
  expect(proxy.served.get(secondPort())).toBeGreaterThan(3);
  const landedBefore = quickbooks.company.invoices.length;
  expect(landedBefore).toBeGreaterThan(0);
  expect(landedBefore).toBeLessThan(INVOICES);

  second.child.kill('SIGKILL');
  await second.exited;
  for (let update = 0; update < 5; update++) {
    const run = await runWebConnectorUpdate({ qwcXml: qwc, password, quickbooks: qb.host, noOpPauseMs: 0 });
    if (run.outcome === 'no-work') break;
    expect(run.outcome, why(run)).toBe('completed');
  }
  const numbers = quickbooks.company.invoices.map((i) => i.refNumber);
  expect(numbers).toHaveLength(INVOICES);
  expect(new Set(numbers).size).toBe(INVOICES);
  const { transferItems } = await gql<{ transferItems: { nodes: Array<{ state: string }> } }>(
    '{ transferItems(first: 100, filter: { entityType: INVOICE }) { nodes { state } } }');
  expect(transferItems.nodes.map((n) => n.state)).toEqual(Array(INVOICES).fill('SUCCEEDED'));
}, 600_000);
