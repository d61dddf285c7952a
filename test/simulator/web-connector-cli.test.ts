/** `qbd-bridge simulate` as the command line runs it (commander with exitOverride instead of process.exit). */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CommandFailed } from '../../src/cli/command-failed.js';
import { registerSimulateCommand, type OpenedCompany } from '../../src/simulator/cli-simulate.js';
import { FakeQuickBooks } from './helpers/fake-quickbooks.js';
import { buildQwc, TEST_FILE_ID, TEST_OWNER_ID } from './helpers/qwc.js';
import { startScriptedQbwcServer, type ScriptedQbwcServer, type ScriptedServerOptions } from './helpers/scripted-qbwc-server.js';

let dir: string;
let server: ScriptedQbwcServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qbd-simulate-'));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

interface CliRun {
  stdout: string;
  stderr: string;
  exitCode: number;
  saved: number;
}

async function simulate(
  args: string[],
  script: ScriptedServerOptions = {},
  qwcOverrides = {},
  useRealSimulator = false,
): Promise<CliRun> {
  server ??= await startScriptedQbwcServer(script);
  const qwcPath = path.join(dir, 'tenant.qwc');
  await writeFile(qwcPath, buildQwc(server.url, qwcOverrides));
  const run: CliRun = { stdout: '', stderr: '', exitCode: 0, saved: 0 };
  const openCompany = async (companyPath: string): Promise<OpenedCompany> => ({
    quickbooks: new FakeQuickBooks(),
    created: companyPath.endsWith('missing.json'),
    save: async () => {
      run.saved++;
    },
  });
  const program = new Command('qbd-bridge').exitOverride().configureOutput({
    writeOut: (s) => (run.stdout += s),
    writeErr: (s) => (run.stderr += s),
  });
  registerSimulateCommand(program, {
    ...(useRealSimulator ? {} : { openCompany }),
    stdout: (s) => (run.stdout += s),
    stderr: (s) => (run.stderr += s),
  });
  try {
    await program.parseAsync(['simulate', '--qwc', qwcPath, '--password', 'pw', '--noop-pause', '0', ...args], { from: 'user' });
  } catch (error) {
    // Usage errors come from commander; run-time failures are CommandFailed (runCli prints their message).
    if (error instanceof CommandFailed) {
      run.stderr += `${error.message}\n`;
      run.exitCode = error.exitCode;
    } else if (error instanceof CommanderError) run.exitCode = error.exitCode;
    else throw error;
  }
  return run;
}

const work: ScriptedServerOptions = {
  handlers: {
    sendRequestXML: () =>
      '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><CustomerQueryRq requestID="1"/></QBXMLMsgsRq></QBXML>',
  },
};

describe('qbd-bridge simulate', () => {
  test('runs an update, prints the log and a summary, writes --log and --save', async () => {
    const logPath = path.join(dir, 'qbwc.log');
    const run = await simulate(['--company', path.join(dir, 'acme.json'), '--save', '--log', logPath], work);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^\d{8}\.\d{2}:\d{2}:\d{2} UTC\t: QBWebConnector\.RegistryManager\.setUpdateLock\(\) : \*+ Update session locked/m);
    expect(run.stdout).toContain("Authenticating to application 'qbd-bridge test', username = 'tenant-42'");
    expect(run.stdout).toContain('Outcome: completed; 1 request(s) sent to QuickBooks; 1 response(s) posted');
    expect(run.saved).toBe(1);
    const log = await readFile(logPath, 'utf8');
    expect(log).toContain('do_closeConnection()');
    expect(server!.operations().at(-1)).toBe('closeConnection');
  });

  test('a missing company file starts an empty company and says so', async () => {
    const run = await simulate(['--company', path.join(dir, 'missing.json')], work);
    expect(run.stdout).toContain('missing.json does not exist: starting an empty company (add --save to keep it).');
    expect(run.saved).toBe(0);
    expect(run.exitCode).toBe(0);
  });

  test('no work is a success; the wait hints are printed', async () => {
    const run = await simulate(['--company', path.join(dir, 'acme.json')], { handlers: { authenticate: () => ['t', 'none', '600'] } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Outcome: no-work; 0 request(s) sent to QuickBooks; 0 response(s) posted; next update in 600 s');
  });

  test('a failed update exits 1', async () => {
    const run = await simulate(['--company', path.join(dir, 'acme.json')], { handlers: { authenticate: () => ['', 'nvu'] } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('The update did not succeed: nvu');
  });

  test('a QWC file the Web Connector would refuse exits 2 before any HTTP call', async () => {
    const run = await simulate(['--company', path.join(dir, 'acme.json')], {}, { OwnerID: 'not-a-guid' });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('<OwnerID> "not-a-guid" must be a GUID in braces');
    expect(server!.calls).toHaveLength(0);
  });

  test('with the QuickBooks simulator: a missing company file is created by --save, FileID stamped, and read back next time', async () => {
    const companyPath = path.join(dir, 'acme.json');
    const first = await simulate(['--company', companyPath, '--save'], work, {}, true);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('acme.json does not exist: starting an empty company (it will be created).');
    const saved = JSON.parse(await readFile(companyPath, 'utf8')) as { companyName: string; companyDataExts: unknown[] };
    expect(saved.companyName).toBe('acme');
    expect(saved.companyDataExts).toEqual([{ ownerId: TEST_OWNER_ID, name: 'FileID', value: TEST_FILE_ID }]);
    const send = server!.callsOf('sendRequestXML')[0]!;
    expect(send.args['strCompanyFileName']).toBe('C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\acme.QBW');

    const second = await simulate(['--company', companyPath], work, {}, true);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).not.toContain('does not exist');
    expect(server!.callsOf('sendRequestXML')[1]!.args['strHCPResponse']).toContain(`<DataExtValue>${TEST_FILE_ID}</DataExtValue>`);
  });

  test('with the QuickBooks simulator: a company file that is not one exits 2', async () => {
    const companyPath = path.join(dir, 'broken.json');
    await writeFile(companyPath, '{"hello": "world"}');
    const run = await simulate(['--company', companyPath], work, {}, true);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`Cannot open the company file ${companyPath}`);
    expect(server!.calls).toHaveLength(0);
  });

  test('bad numbers are refused by the option parser', async () => {
    const run = await simulate(['--company', path.join(dir, 'acme.json'), '--timeout', 'soon']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('--timeout must be a whole number of milliseconds');
  });
});
