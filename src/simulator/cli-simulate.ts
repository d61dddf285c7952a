/**
 * `qbd-bridge simulate`: one Web Connector update against a running service, with a simulated QuickBooks
 * whose company file is kept as JSON. The main CLI registers it with `registerSimulateCommand`.
 *
 *   qbd-bridge simulate --qwc tenant.qwc --password secret --company acme.json [--save] [--log qbwc.log]
 *
 * Exit codes: 0 when the update ran to its end (completed, no work, busy, postponed); 1 when it failed
 * (error, aborted, nvu); 2 when the QWC file or the company file cannot be used.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CommandFailed } from '../cli/command-failed.js';
import type { SimulatedQuickBooks } from './quickbooks-host.js';
import { createCompanyFile, loadCompanyFile, QuickBooksSimulator, saveCompanyFile } from './quickbooks.js';
import { parseQwc, QwcValidationError, runWebConnectorUpdate, type WebConnectorOutcome, type WebConnectorRunResult } from './web-connector/index.js';

/** A simulated QuickBooks opened on a company file, and how to write that file back. */
export interface OpenedCompany {
  readonly quickbooks: SimulatedQuickBooks;
  /** True when the file did not exist and an empty company was started. */
  readonly created: boolean;
  save(): Promise<void>;
}

export interface SimulateCommandDeps {
  /** Opens the company JSON; defaults to {@link openSimulatedCompany} (the QuickBooks simulator). */
  readonly openCompany?: (companyPath: string, seed: CompanySeed) => Promise<OpenedCompany>;
  /** Output streams (default: process.stdout / process.stderr). */
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** Outcomes after which the command exits 0. */
const SUCCESSFUL_OUTCOMES: ReadonlySet<WebConnectorOutcome> = new Set(['completed', 'no-work', 'busy', 'postponed']);

export const SIMULATE_EXIT = { failed: 1, unusableInput: 2 } as const;

function nonNegativeInt(name: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number of milliseconds`);
    return Number(value);
  };
}

/** What a missing company file starts with: nothing, or the simulator's standard lists. */
export type CompanySeed = 'empty' | 'standard';

interface SimulateOptions {
  seed: CompanySeed;
  qwc: string;
  password: string;
  company: string;
  save?: boolean;
  log?: string;
  timeout: number;
  noopPause: number;
}

export function registerSimulateCommand(program: Command, deps: SimulateCommandDeps = {}): Command {
  return program
    .command('simulate')
    .description(
      'run one QuickBooks Web Connector update against a running service (the AppURL in the QWC file), ' +
        'with a simulated QuickBooks holding the company file from --company',
    )
    .requiredOption('--qwc <file>', 'the QWC file, as downloaded from the service')
    .requiredOption('--password <password>', "the password typed into the Web Connector's Password column")
    .requiredOption('--company <company.json>', 'the simulated company file (a missing file starts an empty company)')
    .addOption(
      new Option('--seed <seed>', 'what a missing company file starts with (standard: accounts, terms, items, customers)')
        .choices(['empty', 'standard'])
        .default('empty'),
    )
    .option('--save', 'write the company file back after the update')
    .option('--log <file>', 'also write the Web Connector log to this file')
    .option('--timeout <ms>', 'HTTP timeout per SOAP call', nonNegativeInt('--timeout'), 100_000)
    .option('--noop-pause <ms>', 'pause after getLastError answers "NoOp"', nonNegativeInt('--noop-pause'), 5_000)
    .action(async (opts: SimulateOptions) => {
      const out = deps.stdout ?? ((text: string) => void process.stdout.write(text));
      const err = deps.stderr ?? ((text: string) => void process.stderr.write(text));
      // A run-time failure, not a usage error: one line and the exit code, no usage text (runCli prints it).
      const fail = (message: string, exitCode: number): never => {
        throw new CommandFailed(message, exitCode);
      };

      let qwcXml: string;
      try {
        qwcXml = await readFile(opts.qwc, 'utf8');
        parseQwc(qwcXml);
      } catch (error) {
        if (error instanceof QwcValidationError) return fail(`${opts.qwc}: ${error.message}`, SIMULATE_EXIT.unusableInput);
        return fail(`Cannot read the QWC file ${opts.qwc}: ${(error as Error).message}`, SIMULATE_EXIT.unusableInput);
      }

      let company: OpenedCompany;
      try {
        company = await (deps.openCompany ?? openSimulatedCompany)(opts.company, opts.seed);
      } catch (error) {
        return fail(`Cannot open the company file ${opts.company}: ${(error as Error).message}`, SIMULATE_EXIT.unusableInput);
      }
      if (company.created) {
        const what = opts.seed === 'standard' ? 'a company with the standard lists' : 'an empty company';
        out(`Company file ${opts.company} does not exist: starting ${what}${opts.save ? ' (it will be created)' : ' (add --save to keep it)'}.\n`);
      }

      const result = await runWebConnectorUpdate({
        qwcXml,
        password: opts.password,
        quickbooks: company.quickbooks,
        timeoutMs: opts.timeout,
        noOpPauseMs: opts.noopPause,
        log: (line) => out(`${line}\n`),
      });

      if (opts.log) await writeFile(opts.log, result.log, 'utf8');
      if (opts.save) {
        await company.save();
        out(`Saved the company file to ${opts.company}.\n`);
      }
      out(`${summarize(result)}\n`);
      if (!SUCCESSFUL_OUTCOMES.has(result.outcome)) {
        err(`The update did not succeed: ${result.outcome}${result.lastError ? ` (${result.lastError})` : ''}\n`);
        return fail(`simulate: ${result.outcome}`, SIMULATE_EXIT.failed);
      }
    });
}

/** One line for people: outcome, counts, and the hints the service gave. */
export function summarize(result: WebConnectorRunResult): string {
  const parts = [`Outcome: ${result.outcome}`, `${result.requests.length} request(s) sent to QuickBooks`, `${result.responses.length} response(s) posted`];
  if (result.waitBeforeNextUpdateSeconds !== undefined) parts.push(`next update in ${result.waitBeforeNextUpdateSeconds} s`);
  if (result.minimumRunEveryNSeconds !== undefined) parts.push(`run at most every ${result.minimumRunEveryNSeconds} s`);
  if (result.warning) parts.push(`warning: ${result.warning}`);
  if (result.lastError) parts.push(`last error: ${result.lastError}`);
  return parts.join('; ');
}

/**
 * Opens a company JSON file in the QuickBooks simulator. A missing file starts a new company named after
 * the file (acme.json → "acme", open as `…\Company Files\acme.QBW`), empty or with the standard lists.
 */
export async function openSimulatedCompany(companyPath: string, seed: CompanySeed = 'empty'): Promise<OpenedCompany> {
  const created = !existsSync(companyPath);
  const company = created
    ? createCompanyFile({ companyName: path.basename(companyPath, path.extname(companyPath)), seed })
    : await loadCompanyFile(companyPath);
  const quickbooks = new QuickBooksSimulator({ company });
  return { quickbooks, created, save: () => saveCompanyFile(quickbooks, companyPath) };
}
