/**
 * The built service under measurement: started with the tests' service-process harness (dist/service/main.js,
 * as `npm start` runs it) on a fresh data directory or a fresh database on the PostgreSQL server, plus the
 * GraphQL set-up every bench needs (an admin, the Web Connector credential, connectors and QWC files).
 */
import { randomBytes } from 'node:crypto';
import { graphqlClient, type GraphqlClient } from '../src/cli/graphql-client.js';
import { ServiceHarness, type ServiceRun } from '../test/helpers/service-process.js';

export interface BenchServiceOptions {
  /** A PostgreSQL server URL (a database is created on it for the run), or undefined for the embedded database. */
  readonly serverUrl: string | undefined;
  /** LOG_LEVEL of the service (`trace` logs every SQL statement, which the GraphQL bench counts). */
  readonly logLevel?: string;
  /** Writes the service's V8 CPU profile (node --cpu-prof) into this folder when it stops. */
  readonly cpuProfileDir?: string;
  /** More environment of the service (e.g. PUBLIC_BASE_URL when a proxy stands in front of it). */
  readonly env?: Record<string, string>;
}

export class BenchService {
  private run: ServiceRun | undefined;
  gql!: GraphqlClient;
  adminId!: string;
  credentialId!: string;
  password!: string;
  private readonly metricsToken = randomBytes(24).toString('hex');

  private constructor(
    readonly harness: ServiceHarness,
    private readonly options: BenchServiceOptions,
  ) {}

  static async create(options: BenchServiceOptions): Promise<BenchService> {
    return new BenchService(await ServiceHarness.create({ built: true, databaseUrl: options.serverUrl }), options);
  }

  /**
   * One bench on a new service: `body` reports each figure's verdict through `check`; resolves whether every
   * target was met. On a failure the end of the service's log is printed; the service and its data always go.
   */
  static async measure(options: BenchServiceOptions, say: (line?: string) => void, body: (service: BenchService, check: (met: boolean) => void) => Promise<void>): Promise<boolean> {
    const service = await BenchService.create(options);
    let ok = true;
    try {
      await body(service, (met) => void (ok &&= met));
      return ok;
    } catch (error) {
      say(service.output().split('\n').slice(-30).join('\n'));
      throw error;
    } finally {
      await service.close();
    }
  }

  /** The database URL of this run on the server (undefined when embedded). */
  get databaseUrl(): string | undefined {
    return this.harness.env.DATABASE_URL;
  }

  get pid(): number {
    return this.run!.child.pid!;
  }

  /** Starts the service and waits for /healthz; returns the ms from spawn to healthy. */
  async start(): Promise<number> {
    const startedAt = performance.now();
    const profile = this.options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${this.options.cpuProfileDir}`] : [];
    this.run = this.harness.start({ LOG_LEVEL: this.options.logLevel ?? 'warn', METRICS_TOKEN: this.metricsToken, ...this.options.env }, profile);
    await Promise.race([
      this.harness.waitForHealth(),
      this.run.exited.then((code) => {
        throw new Error(`the service exited (${code}) before becoming healthy:\n${this.run!.output()}`);
      }),
    ]);
    return performance.now() - startedAt;
  }

  async stop(): Promise<void> {
    if (this.run) await this.harness.stop(this.run);
  }

  /** SIGKILL, as a crash or the OOM killer ends it (no shutdown, the embedded database dies with it); resolves once it is gone. */
  async kill(): Promise<void> {
    const run = this.run;
    if (!run || run.child.exitCode !== null || run.child.signalCode !== null) return;
    run.child.kill('SIGKILL');
    await run.exited;
  }

  /** The service's Prometheus metrics (GET /metrics with its token): counted since its last start. */
  async metrics(): Promise<string> {
    const res = await fetch(`${this.harness.url}/metrics`, { headers: { authorization: `Bearer ${this.metricsToken}` } });
    if (!res.ok) throw new Error(`GET /metrics answered ${res.status}`);
    return res.text();
  }

  /** Everything the service wrote since it was last started. */
  output(): string {
    return this.run?.output() ?? '';
  }

  /** An admin (through the CLI, as the README's first run) and the Web Connector credential. */
  async setUp(): Promise<void> {
    const token = await this.harness.createUser('Bench Admin', 'ADMIN');
    this.gql = graphqlClient(`${this.harness.url}/graphql`, token, 'bench');
    this.adminId = (await this.gql<{ me: { id: string } }>('{ me { id } }')).me.id;
    const credential = await this.gql<{ createApiCredential: { generatedPassword: string; credential: { id: string } } }>(
      'mutation { createApiCredential(input: { userName: "qbwc" }) { generatedPassword credential { id } } }',
    );
    this.credentialId = credential.createApiCredential.credential.id;
    this.password = credential.createApiCredential.generatedPassword;
  }

  /** A connector with the admin's registration; returns its id and QWC file. */
  async connector(name: string): Promise<{ id: string; qwc: string }> {
    const { createConnector } = await this.gql<{ createConnector: { id: string } }>(
      'mutation($name: String!) { createConnector(input: { name: $name }) { id } }', { name },
    );
    const { createRegistration } = await this.gql<{ createRegistration: { qwc: string } }>(
      'mutation($input: CreateRegistrationInput!) { createRegistration(input: $input) { qwc } }',
      { input: { connectorId: createConnector.id, userId: this.adminId, credentialId: this.credentialId } },
    );
    return { id: createConnector.id, qwc: createRegistration.qwc };
  }

  async close(): Promise<void> {
    // A CPU profile is written when the process exits on its own (SIGTERM), not when it is killed.
    if (this.options.cpuProfileDir) await this.stop();
    await this.harness.close();
  }
}

/** Splits a list into chunks of at most `size` (the API takes 1 to 1000 records per call). */
export function chunks<T>(items: readonly T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
