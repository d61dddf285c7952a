/**
 * `npm run soak -- --faults N [--seed S] [--db embedded|postgres]`: builds, then soaks the built service with N
 * injected faults across three company files and checks that nothing was lost, doubled or left stuck
 * (README.md in this folder). Prints one line of figures; exits 1 on any violation, naming the seed to replay.
 */
import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runSoak } from './soak/run.js';

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432/test';
/** Violations printed in full; the rest are counted. */
const SHOWN_VIOLATIONS = 40;

interface SoakCliOptions {
  faults: number;
  seed?: number;
  db: 'embedded' | 'postgres';
  databaseUrl: string;
  verbose: boolean;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number');
  return n;
}

const program = new Command('soak')
  .description('injects faults into Web Connector sessions of three company files and checks exactly-once afterwards')
  .option('--faults <n>', 'faults to inject', count, 1000)
  .option('--seed <n>', 'seed of the fault schedule and the data (default: random, printed)', count)
  .addOption(new Option('--db <kind>', 'database of the service').choices(['embedded', 'postgres']).default('embedded'))
  .option('--database-url <url>', 'PostgreSQL server for --db postgres (a database is created on it for the run)', process.env.DATABASE_URL ?? DEFAULT_SERVER)
  .option('--verbose', 'print every update with its fault and outcome', false);

async function main(): Promise<void> {
  const options = program.parse().opts<SoakCliOptions>();
  const seed = options.seed ?? randomInt(1, 2 ** 31);
  const say = (line = '') => void process.stdout.write(`${line}\n`);
  const db = options.db === 'postgres' ? 'postgres' : 'embedded';
  say(`qbd-bridge soak: ${options.faults} faults, seed ${seed}, ${db} database (replay: npm run soak -- --faults ${options.faults} --seed ${seed} --db ${db})`);
  const startedAt = performance.now();
  const result = await runSoak({ faults: options.faults, seed, serverUrl: options.db === 'postgres' ? options.databaseUrl : undefined, say, verbose: options.verbose });
  for (const [failure, n] of result.verdict.failures) say(`  FAILED ${n} × ${failure}`);
  for (const violation of result.verdict.violations.slice(0, SHOWN_VIOLATIONS)) say(`  VIOLATION ${violation}`);
  if (result.verdict.violations.length > SHOWN_VIOLATIONS) say(`  ... and ${result.verdict.violations.length - SHOWN_VIOLATIONS} more`);
  say(`${result.summary} seconds=${Math.round((performance.now() - startedAt) / 1000)}`);
  if (result.verdict.violations.length > 0) {
    say(`FAILED: ${result.verdict.violations.length} violations; replay with --faults ${options.faults} --seed ${seed} --db ${db}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 2;
});
