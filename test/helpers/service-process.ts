/**
 * The service as a user runs it, for service-process tests: `src/main.ts` in its own process on a fresh data
 * directory (or, with DATABASE_URL set, a fresh database on that server), on a random port, with its output
 * kept; plus the CLI on the same data and a small GraphQL client. `close()` kills what it started and removes
 * the data. `{ built: true }` runs the compiled service (dist/service/main.js, after `npm run build`) as
 * `npm start` does: the bench (bench/) measures that one, not the on-the-fly compiled source.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/app/config.js';
import { createServerDatabase } from './server-database.js';

/**
 * The command `npm start` runs (package.json), as argv: `node`, its flags, the bundle. The built harness, the
 * Dockerfile, the systemd unit and .ci/run start exactly this (test/deploy/deployment.test.ts).
 */
export function npmStartCommand(): string[] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start.split(/\s+/);
}

export interface ServiceRun {
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  readonly exited: Promise<number | null>;
}

export interface GraphQLAnswer {
  data?: unknown;
  errors?: Array<{ message: string; extensions: { code: string } & Record<string, unknown> }>;
}

export interface ServiceHarnessOptions {
  /** Run dist/service/main.js (needs `npm run build`) instead of compiling src/main.ts on the fly. */
  readonly built?: boolean;
}

export class ServiceHarness {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'qbd-service-'));
  readonly port = 40_000 + Math.floor(Math.random() * 20_000);
  readonly url = `http://127.0.0.1:${this.port}`;
  readonly env: Record<string, string | undefined> = {
    ...process.env,
    DATA_DIR: this.dataDir,
    PORT: String(this.port),
    LOG_LEVEL: 'info',
    NODE_OPTIONS: '--import @swc-node/register/esm-register',
  };
  private readonly running: ChildProcess[] = [];
  private dropDatabase = async (): Promise<void> => undefined;

  private constructor(private readonly options: ServiceHarnessOptions) {}

  /** A harness whose database exists (a new one on the server when `databaseUrl` / DATABASE_URL is set). */
  static async create(options: ServiceHarnessOptions & { databaseUrl?: string } = {}): Promise<ServiceHarness> {
    const harness = new ServiceHarness(options);
    const serverUrl = 'databaseUrl' in options ? options.databaseUrl : process.env.DATABASE_URL;
    if (serverUrl) {
      const created = await createServerDatabase(serverUrl);
      harness.env.DATABASE_URL = created.url;
      harness.dropDatabase = created.drop;
    } else {
      delete harness.env.DATABASE_URL;
    }
    return harness;
  }

  /** `src/main.ts` from source, or `dist/service/main.js` as `npm start` runs it when the harness is `built`. */
  start(extraEnv: Record<string, string> = {}, nodeArgs: readonly string[] = []): ServiceRun {
    // Built: `npm start`'s command, its node flags included (package.json), without npm's build first.
    const [, ...startArgs] = npmStartCommand();
    const args = this.options.built ? [...nodeArgs, ...startArgs] : [...nodeArgs, 'src/main.ts'];
    const env: Record<string, string | undefined> = { ...this.env, ...extraEnv };
    if (this.options.built) delete env.NODE_OPTIONS;
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.running.push(child);
    let text = '';
    child.stdout!.on('data', (d) => (text += d));
    child.stderr!.on('data', (d) => (text += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => text, exited };
  }

  // Generous: a first start on a fresh data directory runs initdb, which takes long on a busy machine.
  async waitForHealth(timeoutMs = 240_000, url = this.url): Promise<Response> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.ok) return res;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error('service did not become healthy');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM, as a service manager stops it; resolves with its exit code once it has stopped. */
  async stop(run: ServiceRun): Promise<number | null> {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
    return run.exited;
  }

  cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      // The source CLI (bin/qbd-bridge.js prefers a build, which may be stale here; .ci/run tests the built bin).
      const child = spawn(process.execPath, ['src/cli/index.ts', ...args], { cwd: PROJECT_ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** `npx qbd-bridge user create` on this service's data; returns the printed token. */
  async createUser(name: string, role: 'ADMIN' | 'ACCOUNTANT' | 'VIEWER'): Promise<string> {
    const result = await this.cli(['user', 'create', '--name', name, '--role', role]);
    const token = /^(qbdb_[A-Za-z0-9_-]{43})$/m.exec(result.stdout)?.[1];
    if (result.code !== 0 || !token) throw new Error(`user create failed (${result.code}): ${result.stderr}`);
    return token;
  }

  async graphql(token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GraphQLAnswer;
  }

  async close(): Promise<void> {
    for (const child of this.running) child.kill('SIGKILL');
    await Promise.all(this.running.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : undefined)));
    await this.dropDatabase();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
