/**
 * The compiled check of GraphQL arguments (src/graphql/input-validation.ts) may pass an argument only when
 * class-validator finds nothing in it: compared, for every input class of the schema, on objects made of
 * valid, invalid, missing and nested values drawn at random (seeded), and on the invoice batch of the bench.
 */
import { expect, test } from 'vitest';
import { getMetadataStorage, validateSync, type ValidatorOptions } from 'class-validator';
import { RESOLVERS } from '../../src/graphql/schema.js';
import { isCertainlyValid } from '../../src/graphql/input-validation.js';
import { InvoiceInput, InvoiceLineInput, UpsertInvoicesInput } from '../../src/modules/autotask/autotask.inputs.js';
import { sampleInvoice } from '../../src/cli/demo-data.js';

// What type-graphql passes class-validator.
const OPTIONS: ValidatorOptions = { forbidUnknownValues: false, skipMissingProperties: true };
const classValidatorPasses = (object: object): boolean => validateSync(object, OPTIONS).length === 0;

/** Every class with class-validator decorators, once the schema's resolvers (and their inputs) are loaded. */
function decoratedClasses(): Function[] {
  void RESOLVERS;
  const byTarget = (getMetadataStorage() as unknown as { validationMetadatas: Map<Function | string, unknown[]> }).validationMetadatas;
  return [...byTarget.keys()].filter((target): target is Function => typeof target === 'function');
}

function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const SCALARS: unknown[] = [
  undefined, null, '', 'x', ' ', 'a'.repeat(20), 'a'.repeat(26), 'a'.repeat(101), 'a'.repeat(300), 'a'.repeat(8001),
  0, 1, -1, 2.5, 1_000_000, true, false,
  '2026-01-15', '2026-02-30', '1899-12-31', '2026-1-5', '12.34', '-12.3456', '12.345', '1.23456', '99999999999999.9999', '1e5',
  'someone@example.com', 'not an email', 'YYYY-MM-DD',
];

test('the compiled check passes exactly the objects class-validator passes, for every input class', () => {
  const classes = decoratedClasses();
  expect(classes.length).toBeGreaterThan(20);
  const next = random(17);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const properties = (target: Function): string[] =>
    [...new Set(getMetadataStorage().getTargetValidationMetadatas(target, '', false, false, undefined).map((m) => m.propertyName))];
  const make = (target: Function, depth: number): object => {
    const object = Object.create(target.prototype as object) as Record<string, unknown>;
    for (const property of properties(target)) {
      const roll = next();
      if (roll < 0.6 || depth >= 2) object[property] = pick(SCALARS);
      else if (roll < 0.75) object[property] = make(pick(classes), depth + 1);
      else object[property] = Array.from({ length: Math.floor(next() * 3) }, () => (next() < 0.8 ? make(pick(classes), depth + 1) : pick(SCALARS)));
    }
    return object;
  };
  let passed = 0;
  for (const target of classes) {
    for (let i = 0; i < 300; i++) {
      const object = make(target, 0);
      const expected = classValidatorPasses(object);
      expect(isCertainlyValid(object), `${target.name} ${JSON.stringify(object)}`).toBe(expected);
      if (expected) passed++;
    }
  }
  // Not only refusals: many of the random objects are valid.
  expect(passed).toBeGreaterThan(classes.length * 10);
});

test('a batch of valid invoices passes; one bad line anywhere in it does not', () => {
  const asInput = (plain: ReturnType<typeof sampleInvoice>): InvoiceInput =>
    Object.assign(new InvoiceInput(), plain, { lines: plain.lines.map((line) => Object.assign(new InvoiceLineInput(), line)) });
  const batch = Object.assign(new UpsertInvoicesInput(), { invoices: Array.from({ length: 50 }, (_, i) => asInput(sampleInvoice(1000 + i, 77, i))) });
  expect(classValidatorPasses(batch)).toBe(true);
  expect(isCertainlyValid(batch)).toBe(true);
  batch.invoices[37]!.lines[4]!.amount = '12.345';
  expect(classValidatorPasses(batch)).toBe(false);
  expect(isCertainlyValid(batch)).toBe(false);
});
