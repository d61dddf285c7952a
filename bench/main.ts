/**
 * `npm run bench -- [--invoices N] [--db embedded|postgres] [--backlog ROWS] [--sessions K] [--graphql]`:
 * builds, then measures the built service from outside and prints each figure beside its target (README.md
 * in this folder). A program that prints figures, not a test: the exit status is 0 when every run finished
 * (a missed target is printed, `--strict` makes it fail the exit status too).
 */
import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { benchGraphql } from './graphql-query.js';
import { benchInvoices } from './invoices.js';
import { benchSessions } from './sessions.js';

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432/test';

interface BenchOptions {
  invoices?: number;
  db: 'embedded' | 'postgres';
  databaseUrl: string;
  backlog: number;
  sessions?: number;
  graphql: boolean;
  connectors: number;
  repeats: number;
  strict: boolean;
  cpuProf?: string;
  sql: boolean;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

const program = new Command('bench')
  .description('measures the built qbd-bridge service: throughput, CPU, memory, start times, concurrent sessions, the nested GraphQL query')
  .option('--invoices <n>', '10-line invoices to push, queue and drain through the Web Connector emulator (the default run: 1000)', count)
  .addOption(new Option('--db <kind>', 'database of the service').choices(['embedded', 'postgres']).default('embedded'))
  .option('--database-url <url>', 'PostgreSQL server for --db postgres (a database is created on it for the run)', process.env.DATABASE_URL ?? DEFAULT_SERVER)
  .option('--backlog <rows>', 'queued ledger rows on other connectors before the drain (RSS and per-message cost against a big table)', count, 0)
  .option('--sessions <k>', 'K concurrent Web Connector sessions, one company file each', count)
  .option('--graphql', 'the nested connectors query: SQL statements and p50/p95', false)
  .option('--connectors <n>', 'connectors of the --graphql query', count, 200)
  .option('--repeats <n>', 'timed --graphql queries', count, 50)
  .option('--cpu-prof <dir>', 'with --invoices, --sessions or --graphql: write the service\'s V8 CPU profiles into <dir> (open them in Chrome DevTools or speedscope)')
  .option('--sql', 'with --invoices or --sessions: the service at LOG_LEVEL=trace, its SQL statements counted (per message of the drain, per session) (costs CPU: not with the CPU figures)', false)
  .option('--strict', 'exit 1 when a target is missed', false);

async function main(): Promise<void> {
  const options = program.parse().opts<BenchOptions>();
  const serverUrl = options.db === 'postgres' ? options.databaseUrl : undefined;
  const say = (line = '') => void process.stdout.write(`${line}\n`);
  const runInvoices = options.invoices !== undefined || (options.sessions === undefined && !options.graphql);
  let met = true;
  if (runInvoices) met = (await benchInvoices({ invoices: options.invoices ?? 1000, serverUrl, backlog: options.backlog, cpuProfileDir: options.cpuProf, sql: options.sql }, say)) && met;
  if (options.sessions !== undefined) met = (await benchSessions({ sessions: options.sessions, serverUrl, cpuProfileDir: options.cpuProf, sql: options.sql }, say)) && met;
  if (options.graphql) met = (await benchGraphql({ connectors: options.connectors, repeats: options.repeats, serverUrl, cpuProfileDir: options.cpuProf }, say)) && met;
  say();
  say(met ? 'Every target printed was met.' : 'Some targets were missed (MISSED above).');
  if (!met && options.strict) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
});
