/**
 * Plugin fixture files: cases (an entity and its context, as JSON), sample responses (qbXML), and golden
 * files (the expected qbXML and outcomes) that `UPDATE_GOLDEN=1` rewrites.
 *
 * Layout of a plugin's `__fixtures__/` folder, for a case named `new-customer`:
 *   autotask-new-customer.json                 the case: entity, context, responses to replay, lookups
 *   new-customer.qbxml                         golden: the request message translate produces
 *   new-customer.result.json                   golden instead, when translate says skip / invalid / waitFor
 *   new-customer-rs-<label>.qbxml              a sample QuickBooks response (hand-written, XSD-valid)
 *   new-customer-followup-<label>.qbxml        golden: the follow-up message handleResponse asks for
 *   new-customer.outcomes.json                 golden: what handleResponse made of each sample response
 *   new-customer-reconcile.qbxml               golden: the reconcile query
 *   new-customer-reconcile-rs-<label>.qbxml    a sample answer to the reconcile query
 *   new-customer.reconcile.json                golden: what reconcile.interpret made of each
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ResponseOutcome, TranslateResult } from '../index.js';
import type { FixtureContextData } from './fixture-context.js';

/** A sample response to replay against handleResponse. */
export interface ResponseStep {
  /** Names the file `<case>-rs-<label>.qbxml`. */
  readonly label: string;
  /**
   * Which request it answers: `"main"` (default) for the translation's main request, or the label of an
   * earlier step whose outcome was a follow-up, for that follow-up's main request.
   */
  readonly to?: string;
  /** The outcome kind it must lead to. */
  readonly expect: ResponseOutcome['kind'];
}

/** A sample answer to the reconcile query. */
export interface ReconcileStep {
  /** Names the file `<case>-reconcile-rs-<label>.qbxml`. */
  readonly label: string;
  readonly expect: 'found' | 'absent';
}

/** One fixture case, as written in `autotask-<name>.json`. */
export interface PluginCase<TEntity = unknown> {
  /** From the file name. */
  readonly name: string;
  readonly description?: string;
  /** The entity, in the SDK's shape (plugins/sdk/entities.ts). */
  readonly entity: TEntity;
  readonly context?: FixtureContextData;
  /** The translation result kind it must produce (default `requests`). */
  readonly expect?: TranslateResult['kind'];
  /** False when the plugin's `accepts` must refuse the entity (then nothing else is checked). */
  readonly accepted?: boolean;
  readonly responses?: readonly ResponseStep[];
  readonly reconcile?: readonly ReconcileStep[];
}

/** A plugin's fixture folder. */
export class FixtureDir {
  readonly path: string;

  constructor(dir: string | URL) {
    this.path = dir instanceof URL ? fileURLToPath(dir) : dir;
  }

  /** Case names (lower-case kebab-case): every `autotask-<name>.json`, sorted. */
  caseNames(): string[] {
    return readdirSync(this.path)
      .map((file) => /^autotask-([a-z0-9][a-z0-9-]*)\.json$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
  }

  /** Reads `autotask-<name>.json`. */
  readCase<TEntity>(name: string): PluginCase<TEntity> {
    const data = JSON.parse(this.read(`autotask-${name}.json`)) as Omit<PluginCase<TEntity>, 'name'>;
    return { ...data, name };
  }

  /** Files in the folder that belong to no case (left over after a rename, or misspelled). */
  strayFiles(caseNames: readonly string[]): string[] {
    const belongs = (file: string) =>
      caseNames.some(
        (name) =>
          file === `autotask-${name}.json` ||
          [`${name}.`, `${name}-rs-`, `${name}-followup-`, `${name}-reconcile.`, `${name}-reconcile-rs-`].some((prefix) => file.startsWith(prefix)),
      );
    return readdirSync(this.path).filter((file) => !belongs(file));
  }

  read(file: string): string {
    return readFileSync(path.join(this.path, file), 'utf8');
  }

  exists(file: string): boolean {
    return existsSync(path.join(this.path, file));
  }

  /**
   * Compares `actual` with the golden file; with `UPDATE_GOLDEN=1` in the environment, rewrites the file
   * instead (review the diff before committing it).
   */
  expectGolden(file: string, actual: string): void {
    const full = path.join(this.path, file);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      if (!existsSync(full) || readFileSync(full, 'utf8') !== actual) writeFileSync(full, actual);
      return;
    }
    if (!existsSync(full)) throw new Error(`golden file ${file} is missing: run the tests with UPDATE_GOLDEN=1 to write it, then review it`);
    expect(actual, `golden file ${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(full, 'utf8'));
  }
}

/** JSON as golden files hold it: two-space indentation, a final newline. */
export function goldenJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
