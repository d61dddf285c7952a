/**
 * `npx qbd-bridge <command>`: administration from a shell, on the embedded or the server database.
 *   user create --name "Ada" --role ADMIN   prints a new user's first API token (once)
 *   migrate [--check]                       applies pending database migrations (--check: lists them only)
 *   doctor                                  checks what the first Web Connector run needs (URL, certificate, ...)
 *   backup <file> / restore <file>          a consistent backup of the database while it runs; restore into an empty one
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
import { restoreBackup, writeBackup } from '../db/backup.js';
import { openDatabase, type Database } from '../db/database.js';
import { schemaStatus } from '../db/schema-version.js';
import { AppError } from '../errors/app-error.js';
import { asActor } from '../modules/audit/actor.js';
import { applyCustomerImport, previewCustomerImport } from '../modules/customer-import/customer-import.service.js';
import { formatNextStep, formatPreview, formatResult, progressReporter, type ReportStream } from '../modules/customer-import/import-report.js';
import { Role } from '../modules/user/role.js';
import { UserService } from '../modules/user/user.service.js';
import { registerSimulateCommand } from '../simulator/cli-simulate.js';
import { CommandFailed } from './command-failed.js';
import { formatDoctor, runDoctor } from './doctor.js';
import { registerDemoCommand } from './demo.js';
import { registerPluginCommand } from './plugin-init/plugin-init.js';

const CLI_ACTOR = { id: 'cli', name: 'cli' };

export { CommandFailed };

/** What tests replace: where output goes, and the database (default: the configured one, opened per command). */
export interface CliOptions {
  readonly stdout?: ReportStream;
  readonly openDatabase?: (config: Config, options: { readonly migrate: boolean }) => Promise<Database>;
}

export function buildCli(config: () => Config, options: CliOptions = {}): Command {
  const stdout = options.stdout ?? process.stdout;
  const withDatabase = (fn: (db: Database) => Promise<void>, migrate = true) => withOpenDatabase(config(), options.openDatabase, migrate, fn);
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
    .option('--check', 'only say which migrations would run', false)
    .action(async (opts: { check: boolean }) => {
      if (!opts.check) {
        await withDatabase(async (db) => {
          stdout.write(`Database is up to date (${db.description}).\n`);
        });
        return;
      }
      await withDatabase(async (db) => {
        const { pending, unknown } = await schemaStatus(db.orm);
        if (unknown.length > 0) throw new CommandFailed(`The database (${db.description}) was migrated by a newer qbd-bridge: ${unknown.join(', ')} unknown to this version.`);
        stdout.write(
          pending.length === 0
            ? `Nothing to migrate (${db.description}).\n`
            : `${pending.length} migration${pending.length === 1 ? '' : 's'} would run on ${db.description}:\n${pending.map((name) => `  ${name}\n`).join('')}`,
        );
      }, false);
    });

  program
    .command('doctor')
    .description('check what the first Web Connector run needs: public URL, certificate, credential, connectors, Autotask, clock, disk')
    .action(async () => {
      await withDatabase(async (db) => {
        const results = await runDoctor({ config: config(), em: db.orm.em.fork(), autotask: { config: config() } });
        stdout.write(formatDoctor(results));
        const failed = results.filter((r) => r.status === 'fail').length;
        if (failed > 0) throw new CommandFailed(`${failed} check(s) failed (above).`);
      });
    });

  program
    .command('backup')
    .description('write a consistent backup of the database to <file> (gzip\'d JSON lines); the service may keep running')
    .argument('<file>', 'where to write it')
    .action(async (file: string) => {
      await withDatabase(async (db) => {
        const summary = await writeBackup(db.orm, file);
        stdout.write(`Backed up ${db.description} to ${file}: ${describeRows(summary.rows)}, schema at ${summary.migrations} migrations.\n`);
      });
    });

  program
    .command('restore')
    .description('restore a backup into an empty database (a new DATA_DIR, or an empty DATABASE_URL), then migrate it to this version')
    .argument('<file>', 'a file written by `qbd-bridge backup`')
    .action(async (file: string) => {
      await withDatabase(async (db) => {
        const summary = await restoreBackup(db.orm, file);
        stdout.write(
          `Restored ${file} into ${db.description}: ${describeRows(summary.rows)}` +
            (summary.upgradedBy.length > 0 ? `; then applied ${summary.upgradedBy.length} newer migration(s).\n` : '.\n'),
        );
      }, false);
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

function describeRows(rows: Record<string, number>): string {
  const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
  return `${total} rows in ${Object.keys(rows).length} tables`;
}

async function withOpenDatabase(config: Config, open: CliOptions['openDatabase'], migrate: boolean, fn: (db: Database) => Promise<void>): Promise<void> {
  const opener = open ?? ((c: Config, o: { migrate: boolean }) => openDatabase(c, createLogger({ logLevel: 'warn' }), { role: 'cli', ...o }));
  const db = await opener(config, { migrate });
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
