/** Which names the customer import treats as the same company, and which as near-duplicates. */
import { describe, expect, test } from 'vitest';
import { comparable, NearDuplicateFinder, normaliseCompanyName } from '../../src/modules/customer-import/customer-names.js';

describe('normaliseCompanyName', () => {
  test.each([
    ['Initech, Inc.', 'initech'],
    ['INITECH   incorporated', 'initech'],
    ['Vandelay Industries L.L.C.', 'vandelay industries'],
    ['Smith & Sons Pty Ltd', 'smith and sons'],
    ['Smith and Sons', 'smith and sons'],
    ['The Café Société GmbH', 'cafe societe'],
    ["O'Neil Plumbing Co.", 'oneil plumbing'],
    ['  Acme-Holdings / West  ', 'acme holdings west'],
  ])('%s → %s', (name, key) => {
    expect(normaliseCompanyName(name)).toBe(key);
  });

  test('a legal form alone, or in the middle, stays: it is the name', () => {
    expect(normaliseCompanyName('The Company')).toBe('company');
    expect(normaliseCompanyName('Inc')).toBe('inc');
    expect(normaliseCompanyName('Co Op Grocers')).toBe('co op grocers');
    expect(normaliseCompanyName('!!!')).toBe('');
  });
});

describe('NearDuplicateFinder', () => {
  const score = (a: string, b: string, threshold = 0.9) =>
    new NearDuplicateFinder(comparable(normaliseCompanyName(a)), threshold).score(comparable(normaliseCompanyName(b)));

  test('alike names score from the threshold up; unlike ones 0', () => {
    expect(score('Globex Industries', 'Globex Industrial')).toBeGreaterThanOrEqual(0.9);
    expect(score('Wayne Enterprises', 'Wayne Enterprise, Inc.')).toBeGreaterThanOrEqual(0.9);
    expect(score('Smith Plumbing', 'Smith Electric')).toBe(0);
    expect(score('Dunder Mifflin Paper', 'Dunder Mifflin', 0.8)).toBeGreaterThanOrEqual(0.8);
    expect(score('Dunder Mifflin Paper', 'Dunder Mifflin', 0.9)).toBe(0);
  });

  test('spacing alone is a near-duplicate; other numbers never are; equal names are a match, not a near-duplicate', () => {
    expect(score('Blue Sky Consulting', 'BlueSky Consulting')).toBe(1);
    expect(score('Store 12', 'Store 13')).toBe(0);
    expect(score('Customer 0001', 'Customer 0002')).toBe(0);
    expect(score('Initech Inc', 'Initech, LLC')).toBe(0);
  });
});
