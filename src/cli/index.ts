/**
 * `npx qbd-bridge <command>`: administration from a shell, on the embedded or the server database.
 *   user create --name "Ada" --role ADMIN   prints a new user's first API token (once)
 *   migrate                                 applies pending database migrations
 *   simulate --qwc F --password P --company C.json   one Web Connector update against a running service
 *   demo [--keep]                           the whole product once on a throwaway data directory
 *   import-customers --connector ID [--connector ID...] [--apply] [--create-new]
 *                                           QuickBooks customers → Autotask organizations (preview; apply)
 *   plugin init <dir> [--name P] [--sdk S]  a partner plugin package that passes the conformance suite
 * With the embedded database, commands work whether or not the service is running: a running service
 * shares its database through its socket; otherwise the CLI opens (and locks) the data directory itself.
 */
import 'reflect-metadata';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../app/config.js';
import { createLogger } from '../app/logger.js';
import { openDatabase, type Database } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { asActor } from '../modules/audit/actor.js';
import { applyCustomerImport, previewCustomerImport } from '../modules/customer-import/customer-import.service.js';
import { formatNextStep, formatPreview, formatResult, progressReporter, type ReportStream } from '../modules/customer-import/import-report.js';
import { Role } from '../modules/user/role.js';
import { UserService } from '../modules/user/user.service.js';
import { registerSimulateCommand } from '../simulator/cli-simulate.js';
import { CommandFailed } from './command-failed.js';
import { registerDemoCommand } from './demo.js';
import { registerPluginCommand } from './plugin-init/plugin-init.js';

const CLI_ACTOR = { id: 'cli', name: 'cli' };

export { CommandFailed };

/** What tests replace: where output goes, and the database (default: the configured one, opened per command). */
export interface CliOptions {
  readonly stdout?: ReportStream;
  readonly openDatabase?: (config: Config) => Promise<Database>;
}

export function buildCli(config: () => Config, options: CliOptions = {}): Command {
  const stdout = options.stdout ?? process.stdout;
  const withDatabase = (fn: (db: Database) => Promise<void>) => withOpenDatabase(config(), options.openDatabase, fn);
  const program = new Command('qbd-bridge')
    .description('Autotask PSA to QuickBooks Desktop bridge: administration commands')
    .showHelpAfterError();

  const user = program.command('user').description('manage people who use the GraphQL API');
  user
    .command('create')
    .description("create a user and print their first API token (shown once)")
    .requiredOption('--name <name>', 'the person\'s name')
    .addOption(new Option('--role <role>', 'what they may do').choices(Object.values(Role)).makeOptionMandatory())
    .option('--email <email>', 'their e-mail address')
    .option('--label <label>', 'what the token is for', 'created by the CLI')
    .action(async (opts: { name: string; role: Role; email?: string; label: string }) => {
      if (opts.name.trim() === '') throw new InvalidArgumentError('--name must not be empty');
      await withDatabase(async (db) => {
        const service = new UserService(db.orm.em.fork());
        const { user: created, secret } = await asActor(CLI_ACTOR, () =>
          service.create({ name: opts.name.trim(), role: opts.role, email: opts.email ?? null }, opts.label),
        );
        stdout.write(
          `Created ${created.role} ${created.name} (${created.id}).\n` +
            `API token (shown only now; send it as "Authorization: Bearer <token>"):\n${secret}\n`,
        );
      });
    });

  program
    .command('migrate')
    .description('apply pending database migrations (the service also does this when it starts)')
    .action(async () => {
      await withDatabase(async (db) => {
        stdout.write(`Database is up to date (${db.description}).\n`);
      });
    });

  program
    .command('import-customers')
    .description('import the QuickBooks customers of connectors as Autotask organizations: prints a preview; --apply links matches and stores ListIDs')
    .requiredOption('--connector <id>', 'a connector whose synced customer list to import (repeat for several)', (id: string, ids: string[] = []) => [...ids, id])
    .option('--apply', 'apply the preview: link matching customers to their organizations (conflicts are skipped)', false)
    .option('--create-new', 'with --apply: also create an Autotask company (organization) for each NEW customer', false)
    .option('--include-inactive', 'also import inactive customers', false)
    .action(async (opts: { connector: string[]; apply: boolean; createNew: boolean; includeInactive: boolean }) => {
      if (opts.createNew && !opts.apply) throw AppError.invalidInput([{ field: '--create-new', message: 'only takes effect with --apply' }]);
      const importOptions = { includeInactive: opts.includeInactive };
      await withDatabase(async (db) => {
        const em = db.orm.em.fork();
        const preview = await previewCustomerImport(em, opts.connector, importOptions);
        stdout.write(formatPreview(preview));
        if (!opts.apply) {
          stdout.write(formatNextStep(preview));
          return;
        }
        const progress = progressReporter(stdout);
        const runtime = { config: config(), logger: createLogger({ logLevel: 'warn' }) };
        const result = await asActor(CLI_ACTOR, () =>
          applyCustomerImport(em.fork(), runtime, { connectorIds: opts.connector, options: importOptions, createNew: opts.createNew }, progress.onProgress),
        ).finally(() => progress.finish());
        stdout.write(formatResult(result));
        // Scripts see failed rows in the exit status; the other rows were applied all the same.
        if (result.failed > 0) throw new CommandFailed(`${result.failed} of ${result.rows.length} customers could not be imported (listed above).`);
      });
    });

  registerSimulateCommand(program);
  registerDemoCommand(program, config, { stdout });
  registerPluginCommand(program, stdout);
  return program;
}

async function withOpenDatabase(config: Config, open: CliOptions['openDatabase'], fn: (db: Database) => Promise<void>): Promise<void> {
  const db = await (open ?? ((c: Config) => openDatabase(c, createLogger({ logLevel: 'warn' }), { role: 'cli' })))(config);
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildCli(() => loadConfig());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    // Run-time failures: one clear line and a non-zero status; the usage text is for usage errors only.
    if (error instanceof CommandFailed) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof ConfigError || error instanceof AppError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

// Run when executed directly (bin/qbd-bridge.js imports this module and calls runCli itself).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await runCli(process.argv);
}
