/**
 * The deployment files (issue #15, item 3), checked where Docker itself is not available (CI has no daemon):
 * the Dockerfile parsed by dockerfile-ast is multi-stage, runs as an unprivileged user with its data in a
 * volume, starts the command .ci/run starts and checks, and its health check command, run for real, passes
 * against a running service and fails against none; the systemd unit starts the same command.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/app/config.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';
import { npmStartCommand } from '../helpers/service-process.js';

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

/** The Dockerfile's stages: each FROM and the instructions after it. */
function stages(): Instruction[][] {
  const result: Instruction[][] = [];
  for (const instruction of DockerfileParser.parse(read('Dockerfile')).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') result.push([]);
    result.at(-1)?.push(instruction);
  }
  return result;
}

const the = (stage: Instruction[], keyword: string) => stage.filter((i) => i.getKeyword() === keyword);
const content = (instruction: Instruction | undefined) => instruction?.getArgumentsContent() ?? '';

describe('Dockerfile', () => {
  const all = stages();
  const final = all.at(-1)!;
  const env = Object.fromEntries(the(final, 'ENV').flatMap((i) => i.getArguments().map((a) => a.getValue().split('=') as [string, string])));

  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  test('builds in one stage and runs from a slim one, as an unprivileged user, with its data in a volume', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(content(the(all[0]!, 'RUN').find((i) => content(i).includes('npm ci')))).toContain('npm ci');
    const user = content(the(final, 'USER').at(-1));
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(user).not.toBe('');
    expect(env.DATA_DIR).toBe('/data');
    expect(JSON.parse(content(the(final, 'VOLUME')[0]))).toEqual([env.DATA_DIR]);
    expect(env.HOST).toBe('0.0.0.0');
    expect(content(the(final, 'EXPOSE')[0])).toBe(env.PORT);
    // What the final stage copies from the build stage exists there: the build's outputs and the repository's files.
    const tsconfig = ts.parseConfigFileTextToJson('tsconfig.json', read('tsconfig.json')).config as { compilerOptions: { outDir: string } };
    for (const copy of the(final, 'COPY')) {
      expect((copy as Copy).getFromFlag()?.getValue()).toBe('build');
      const source = copy.getArguments()[0]!.getValue().replace(/^\/app\//, '');
      if (source === tsconfig.compilerOptions.outDir.replace(/^\.\//, '') || source === 'node_modules') continue;
      expect(fs.existsSync(path.join(PROJECT_ROOT, source)), source).toBe(true);
    }
  });

  test('starts the command .ci/run starts and checks, and stops on SIGTERM', () => {
    const cmd = JSON.parse(content(the(final, 'CMD').at(-1))) as string[];
    expect(cmd).toEqual(npmStartCommand());
    expect(read('.ci/run')).toContain(cmd.join(' '));
    expect(content(the(final, 'STOPSIGNAL')[0])).toBe('SIGTERM');
  });

  test('its health check passes against a running service and fails against none', { timeout: 60_000 }, async () => {
    const check = the(final, 'HEALTHCHECK')[0]!;
    const argv = JSON.parse(content(check).replace(/^CMD\s+/, '')) as string[];
    expect(argv[0]).toBe('node');
    // Not spawnSync: the service under test answers from this very process.
    const run = (port: number) =>
      new Promise<number | null>((resolve) => {
        execFile(process.execPath, argv.slice(1), { env: { ...process.env, PORT: String(port) }, timeout: 30_000 }, (error) =>
          resolve(error ? (typeof error.code === 'number' ? error.code : null) : 0),
        );
      });
    expect(await run(Number(new URL(app.url).port))).toBe(0);
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await run(port)).toBe(1);
  });
});

describe('systemd unit', () => {
  test('starts the same command as the image, restarts on failure but not on a configuration error', () => {
    const unit = read('deploy/qbd-bridge.service');
    const setting = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
    expect(setting('ExecStart')).toBe(`/usr/bin/${npmStartCommand().join(' ')}`);
    expect(setting('KillSignal')).toBe('SIGTERM');
    expect(setting('Restart')).toBe('on-failure');
    // src/main.ts exits 2 on a configuration problem.
    expect(setting('RestartPreventExitStatus')).toBe('2');
    expect(read('src/main.ts')).toContain('process.exit(2)');
    expect(setting('User')).not.toBe('root');
  });
});
