/**
 * `--graphql`: the nested connectors query of the issue (200 connectors with company, registrations and their
 * users, mappings, routes; the query test/api/n-plus-one.test.ts proves batched). The service runs at
 * LOG_LEVEL=trace, which logs each SQL statement: the bench counts those of one query, then times many.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/app/config.js';
import { BenchService, chunks } from './bench-service.js';
import { figure, percentile, type Say } from './report.js';
import { processCpuMs } from './process-stats.js';

export interface GraphqlBenchOptions {
  readonly connectors: number;
  readonly repeats: number;
  readonly serverUrl: string | undefined;
  readonly cpuProfileDir?: string;
}

/** The ConnectorTree operation of the tests' documents, so bench and test ask the same thing. */
function connectorTreeQuery(): string {
  const documents = readFileSync(path.join(PROJECT_ROOT, 'test/graphql/connectors.graphql'), 'utf8');
  const start = documents.indexOf('query ConnectorTree');
  const end = documents.indexOf('\n}\n', start);
  return documents.slice(start, end + 2);
}

export async function benchGraphql(options: GraphqlBenchOptions, say: Say): Promise<boolean> {
  return BenchService.measure({ serverUrl: options.serverUrl, logLevel: 'trace', cpuProfileDir: options.cpuProfileDir }, say, async (service, check) => {
    say(`qbd-bridge bench: the nested query over ${options.connectors} connectors, ${options.serverUrl ? 'PostgreSQL server' : 'embedded database'}`);
    await service.start();
    await service.setUp();
    const { createUser } = await service.gql<{ createUser: { id: string } }>('mutation { createUser(input: { name: "Bench Accountant", role: ACCOUNTANT }) { id } }');
    const routes: Array<{ subject: string; autotaskId: number; connectorId: string }> = [];
    for (let i = 0; i < options.connectors; i++) {
      const connector = await service.connector(`Tree ${i + 1}`);
      await service.gql('mutation($input: CreateRegistrationInput!) { createRegistration(input: $input) { id } }',
        { input: { connectorId: connector.id, userId: createUser.id, credentialId: service.credentialId } });
      await service.gql('mutation($input: UpsertMappingsInput!) { upsertMappings(input: $input) { id } }', {
        input: {
          connectorId: connector.id,
          mappings: ['WORK_TYPE', 'LINE_OF_BUSINESS', 'BILLING_CODE'].map((kind) => ({ sourceKind: kind, sourceId: String(i + 1), sourceName: `source ${i}`, target: { fullName: `Target ${i}` } })),
        },
      });
      routes.push({ subject: 'ORGANIZATION', autotaskId: 10_000 + i, connectorId: connector.id }, { subject: 'RESOURCE', autotaskId: 20_000 + i, connectorId: connector.id });
    }
    for (const batch of chunks(routes)) await service.gql('mutation($input: SetRoutesInput!) { setRoutes(input: $input) { id } }', { input: { routes: batch } });

    const query = connectorTreeQuery();
    const ask = () => service.gql<{ connectors: { nodes: unknown[] } }>(query, { first: options.connectors });
    // The fewest of three: a statement of the scheduler's own (a pull or write-back tick) may fall inside one count.
    const statements = Math.min(await statementsOf(service, ask), await statementsOf(service, ask), await statementsOf(service, ask));
    const durations: number[] = [];
    // The service's CPU over the timed queries (the embedded database's included): unlike the times, it compares
    // across runs on a box shared with other work.
    const cpuBefore = processCpuMs(service.pid);
    for (let i = 0; i < options.repeats; i++) {
      const startedAt = performance.now();
      const answer = await ask();
      durations.push(performance.now() - startedAt);
      if (answer.connectors.nodes.length !== options.connectors) throw new Error(`the query returned ${answer.connectors.nodes.length} connectors, not ${options.connectors}`);
    }
    const cpuAfter = processCpuMs(service.pid);
    say();
    check(figure(say, 'SQL statements per query', statements, '', { op: '<=', value: 8 }));
    figure(say, 'service CPU per query', cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / options.repeats, 'ms');
    figure(say, 'p50', percentile(durations, 50), 'ms');
    check(figure(say, `p95 (${options.repeats} queries)`, percentile(durations, 95), 'ms', { op: '<=', value: 150 }));
  });
}

/**
 * SQL statements the service logged while answering `ask`. The log arrives through a pipe, maybe after the
 * answer: a /healthz afterwards runs `select 1`, and counting stops at its line.
 */
async function statementsOf(service: BenchService, ask: () => Promise<unknown>): Promise<number> {
  const before = service.output().length;
  await ask();
  await fetch(`${service.harness.url}/healthz`);
  for (;;) {
    const lines = service.output().slice(before).split('\n').filter((l) => l.includes('"msg":"sql"') && l.includes('[query]'));
    const health = lines.findIndex((l) => /select 1\b/.test(l));
    if (health >= 0) return health;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
