/**
 * `qbd-bridge plugin init` refuses what would not make a plugin package, before writing anything. (What it
 * writes is proven by test/mapping-engine/partner-plugin.test.ts: scaffolded, installed, tested and loaded.)
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CommandFailed } from '../../src/cli/index.js';
import { scaffoldPlugin } from '../../src/cli/plugin-init/plugin-init.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'qbd-plugin-init-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function refusal(dir: string, options: Parameters<typeof scaffoldPlugin>[1] = {}): unknown {
  try {
    scaffoldPlugin(dir, options);
  } catch (error) {
    return error;
  }
  throw new Error(`plugin init wrote ${dir}`);
}

test('a folder that is not empty is refused, and left as it was', () => {
  const dir = path.join(work, 'taken');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  const error = refusal(dir);
  expect(error).toBeInstanceOf(CommandFailed);
  expect((error as Error).message).toBe(`${dir} exists and is not an empty folder: name a new one.`);
  expect(readdirSync(dir)).toEqual(['notes.txt']);
});

test("a built-in plugin's id and a name npm refuses are refused, naming --name", () => {
  expect(refusal(path.join(work, 'credit-memos'))).toMatchObject({ message: '"credit-memos" is a built-in plugin\'s id: give another name (--name).' });
  expect(refusal(path.join(work, 'x'), { name: 'Acme Credits' })).toMatchObject({ message: expect.stringContaining('is not an npm package name: give one with --name') });
  expect(readdirSync(work)).toEqual(['taken']);
});
