/**
 * `qbd-bridge import-customers`, run in-process on the test database: the preview text, applying it with one
 * plain line per customer when stdout is not a terminal, a progress bar when it is, and a failing row turning
 * into exit status 1 (CommandFailed) after the others were applied.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildCli, CommandFailed } from '../../src/cli/index.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { OrganizationQbLink } from '../../src/modules/autotask/organization.entity.js';
import type { Connector } from '../../src/modules/connector/connector.entity.js';
import { pushOrganization } from '../helpers/billing-fixture.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { seedConnectors } from '../autotask/helpers/autotask-app.js';
import { customer, seedCustomerList } from './helpers.js';

let app: TestApp;
let main: Connector;
const initech = customer('Initech, Inc.', { phone: '512-555-0147' });
const hooli = customer('Hooli', { phone: '650-555-0100' });

beforeAll(async () => {
  app = await startTestApp();
  ({ main } = await seedConnectors(app));
  await pushOrganization(app.database.orm.em.fork(), 601, 'Initech Inc');
  await seedCustomerList(app.database.orm.em.fork(), main.id, [initech, hooli, customer('Move', { parent: hooli })]);
});
afterAll(async () => {
  await app?.close();
});

/** Runs the CLI on the test database (left open) and returns what it printed. */
async function run(args: string[], terminal = false): Promise<{ output: string; error?: unknown }> {
  let output = '';
  const stdout = { isTTY: terminal, columns: 120, write: (text: string) => ((output += text), true) };
  const cli = buildCli(() => app.config, { stdout, openDatabase: async () => ({ ...app.database, close: async () => undefined }) });
  cli.exitOverride();
  try {
    await cli.parseAsync(['node', 'qbd-bridge', 'import-customers', ...args]);
    return { output };
  } catch (error) {
    return { output, error };
  }
}

test('without --apply: the preview and the next step; nothing changes', async () => {
  const { output, error } = await run(['--connector', main.id]);
  expect(error).toBeUndefined();
  expect(output).toBe(
    [
      'Customer import preview: 2 customers from 1 connector.',
      `  Main (${main.id}): 2 customers, 1 job and 0 inactive left out, synced ${output.match(/synced (\S+)/)![1]}`,
      '  LINKED 0 · MATCH 1 · NEW 1 · CONFLICT 0',
      'NEW      Main: Hooli',
      'MATCH    Main: Initech, Inc. → Initech Inc (Autotask 601)',
      'Nothing was changed. Run again with --apply to link 1 matching customer (add --create-new to also create 1 new organization in Autotask).',
      '',
    ].join('\n'),
  );
  expect(await app.database.orm.em.fork().count(OrganizationQbLink)).toBe(0);
});

test('--create-new only with --apply', async () => {
  const { error } = await run(['--connector', main.id, '--create-new']);
  expect(error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('--create-new: only takes effect with --apply') });
});

test('--apply on a non-terminal: one plain line per customer, then the outcome; the link is audited as the CLI', async () => {
  const { output, error } = await run(['--connector', main.id, '--apply']);
  expect(error).toBeUndefined();
  expect(output).toContain(
    ['[1/2] SKIPPED Hooli (NEW)', '[2/2] LINKED Initech, Inc. → Initech Inc (Autotask 601)', 'Applied: 1 linked, 0 created, 0 already linked, 1 skipped, 0 failed.', ''].join('\n'),
  );
  expect(output).not.toContain('\u001b[');
  const link = await app.database.orm.em.fork().findOneOrFail(OrganizationQbLink, { listId: initech.listId });
  const audit = await app.database.orm.em.fork().findOneOrFail(AuditEntry, { entityType: 'OrganizationQbLink', entityId: link.id });
  expect(audit).toMatchObject({ action: 'create', actorId: 'cli' });
});

test('--apply --create-new on a terminal: a progress bar; without an Autotask connection the new row fails and the exit status says so', async () => {
  const { output, error } = await run(['--connector', main.id, '--apply', '--create-new'], true);
  expect(error).toBeInstanceOf(CommandFailed);
  expect((error as Error).message).toBe('1 of 2 customers could not be imported (listed above).');
  expect(output).toMatch(/Importing customers \|[█░]+\| 2\/2/);
  expect(output).not.toContain('[1/2]');
  expect(output).toContain('Applied: 0 linked, 0 created, 1 already linked, 0 skipped, 1 failed.\n  FAILED Hooli (CREATE): AUTOTASK_CONNECTION_REQUIRED: ');
});
