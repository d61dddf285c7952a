/**
 * `npx qbd-bridge` as a user runs it, in a child process: `demo` prints the invoices that landed in the
 * simulated company file and removes its data directory; a run-time failure is one line and an exit status,
 * the usage text is kept for usage errors.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The source CLI (bin/qbd-bridge.js prefers a build, which may be stale here; .ci/run runs the built demo). */
function cli(args: string[], timeoutMs = 240_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/cli/index.ts', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_OPTIONS: '--import @swc-node/register/esm-register', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`qbd-bridge ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('qbd-bridge demo', () => {
  test('pushes organizations and 10-line invoices, runs the Web Connector emulator, prints what landed and cleans up', async () => {
    const run = await cli(['demo']);
    expect(run.stderr, run.stdout).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Pushed 3 organizations and 3 invoices of 10 lines');
    expect(run.stdout).toMatch(/Customers in the simulated company file \(\d+\): .*Contoso Dental, Fabrikam Legal, Northwind Clinic/);
    expect(run.stdout).toContain('Invoices that landed (3):');
    const landed = [...run.stdout.matchAll(/^ {2}invoice #(\d+) {2}(.+?) {2}(\d+\.\d{2}) \(10 lines\)$/gm)].map((m) => [m[2], m[3]]);
    expect(landed).toEqual([
      ['Contoso Dental', '2255.00'],
      ['Fabrikam Legal', '2285.00'],
      ['Northwind Clinic', '2115.00'],
    ]);
    expect(run.stdout).toContain('Transfer ledger: 3 INVOICE SUCCEEDED, 3 ORGANIZATION SUCCEEDED');
    expect(run.stdout).toMatch(/GraphQL: http:\/\/127\.0\.0\.1:\d+\/graphql {3}token: qbdb_\S+/);
    const dataDir = /new embedded database in (\S+) \.\.\./.exec(run.stdout)?.[1];
    expect(dataDir).toBeDefined();
    expect(fs.existsSync(dataDir!)).toBe(false);
  }, 300_000);
});

describe('qbd-bridge error output', () => {
  test('a run-time failure prints one line and exits non-zero, without the usage text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-cli-'));
    const run = await cli(['simulate', '--qwc', path.join(dir, 'missing.qwc'), '--password', 'x', '--company', path.join(dir, 'acme.json')], 60_000);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Cannot read the QWC file .*missing\.qwc: ENOENT/)]);
    expect(run.stderr).not.toContain('Usage:');
  }, 120_000);

  test('a usage error still shows the usage text', async () => {
    const run = await cli(['simulate', '--qwc'], 60_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error: option '--qwc <file>' argument missing");
    expect(run.stderr).toContain('Usage: qbd-bridge simulate');
  }, 120_000);
});
