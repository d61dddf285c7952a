import { describe, expect, test } from 'vitest';
import {
  allRets,
  amount,
  billingAddressOf,
  compact,
  decimal,
  externalGuid,
  fitName,
  sameGuid,
  shortenName,
  isNegative,
  isZeroAmount,
  listOf,
  multiplyDecimals,
  divideExactly,
  joinWithin,
  sumDecimals,
  negate,
  qbAddress,
  qbNamePath,
  subtractAmounts,
  sumAmounts,
  textOf,
  type Address,
} from '../index.js';
import { statusResponse } from '../testing/index.js';

describe('decimal arithmetic', () => {
  test.each([
    ['12.5', '12.50'],
    ['1250.0000', '1250.00'],
    ['0.005', '0.01'],
    ['-0.005', '-0.01'],
    ['-0.004', '0.00'],
    ['2.675', '2.68'],
  ])('amount(%s) = %s', (value, expected) => expect(amount(value)).toBe(expected));

  test('signs and zero', () => {
    expect(isNegative('-0.01')).toBe(true);
    expect(isNegative('-0.00')).toBe(false);
    expect(isNegative('0')).toBe(false);
    expect(isZeroAmount('0.004')).toBe(true);
    expect(isZeroAmount('-0.005')).toBe(false);
    expect(negate('-150.0000')).toBe('150.0000');
    expect(negate('45')).toBe('-45');
  });

  test('sums, differences and products are exact', () => {
    expect(sumAmounts(['0.10', '0.20', '1350.80'])).toBe('1351.10');
    expect(subtractAmounts('100.01', '100.00')).toBe('0.01');
    expect(subtractAmounts('100.00', '100.01')).toBe('-0.01');
    expect(multiplyDecimals('3', '26.67')).toBe('80.01');
    expect(multiplyDecimals('6.5000', '150.0000')).toBe('975.00000000');
    expect(decimal('147.9000')).toBe('147.9');
  });

  test('exact sums and quotients (a merged line\'s quantity and rate)', () => {
    expect(sumDecimals(['1.5', '2', '0.25'])).toBe('3.75');
    expect(sumDecimals(['1', '-1.0000'])).toBe('0.0000');
    expect(divideExactly('99.99', '3')).toBe('33.33');
    expect(divideExactly('332.50', '3.5')).toBe('95');
    expect(divideExactly('100.00', '3')).toBeUndefined();
    expect(divideExactly('1', '8', 2)).toBeUndefined();
    expect(divideExactly('1', '8', 3)).toBe('0.125');
    expect(divideExactly('-50', '4')).toBe('-12.5');
    expect(divideExactly('5', '0')).toBeUndefined();
  });

  test('joinWithin: distinct texts joined, cut with "..." past the limit', () => {
    expect(joinWithin([' Printer fix ', 'Server patching', 'Printer fix', ''], 100)).toBe('Printer fix; Server patching');
    expect(joinWithin(['a'.repeat(8), 'b'.repeat(8)], 12)).toBe('aaaaaaaa;...');
    expect(joinWithin(['a'.repeat(8), 'b'.repeat(8)], 12)).toHaveLength(12);
  });

  test('refuses what is not a number', () => {
    expect(() => negate('12,50')).toThrow(/not a decimal/);
  });
});

describe('names and bodies', () => {
  test('qbNamePath: tildes are levels, colons are not, each level is shortened with a discriminator', () => {
    expect(qbNamePath('Tech~On-Site Service~Non-Billable', 31)).toEqual(['Tech', 'On-Site Service', 'Non-Billable']);
    expect(qbNamePath('Acme: West  Region', 41)).toEqual(['Acme- West Region']);
    expect(qbNamePath(' ~ Parent ~ ', 41)).toEqual(['Parent']);
    expect(qbNamePath('A very long material name that goes past the limit', 31)).toEqual(['A very long material name~LE2KC']);
  });

  test('shortenName: deterministic, distinct for names sharing a prefix, never equal to a name that fits', () => {
    const a = shortenName('Contoso Pharmaceuticals International Hold A', 41);
    const b = shortenName('Contoso Pharmaceuticals International Hold B', 41);
    expect(a).toHaveLength(41);
    expect(a).not.toBe(b);
    expect(shortenName('Contoso Pharmaceuticals International Hold A', 41)).toBe(a);
    expect(shortenName('Fits', 41)).toBe('Fits');
    // A name that fits but looks like a shortened one is shortened too, so it cannot take another's place.
    expect(shortenName(a, 41)).not.toBe(a);
    expect(fitName('2026-0000123', 11, 'SHORTEN', 'invoice number')).toEqual({ ok: true, value: expect.stringMatching(/^2026-~[0-9A-Z]{5}$/), shortenedFrom: '2026-0000123' });
    expect(fitName('2026-0000123', 11, 'FAIL', 'an invoice number')).toEqual({ ok: false, message: expect.stringContaining('12 characters, more than the 11 QuickBooks allows for an invoice number') });
  });

  test('externalGuid: a braced GUID per connector and entity, the same every time', () => {
    const guid = externalGuid({ id: 'conn_1' }, 'INVOICE', 'inv_1');
    expect(guid).toMatch(/^\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}$/);
    expect(externalGuid({ id: 'conn_1' }, 'INVOICE', 'inv_1')).toBe(guid);
    expect(externalGuid({ id: 'conn_2' }, 'INVOICE', 'inv_1')).not.toBe(guid);
    expect(sameGuid(guid.toLowerCase(), guid)).toBe(true);
  });

  test('compact drops empty parts, keeps false and zero', () => {
    expect(compact({ a: undefined, b: null, c: '', d: false, e: 0, f: { g: undefined }, h: [undefined], i: [{ j: 'x' }] })).toEqual({ d: false, e: 0, i: [{ j: 'x' }] });
  });

  test('billing address only when it differs; limits applied', () => {
    const address: Address = { attention: null, line1: '1 Main St', line2: null, city: 'Springfield', state: 'OR', postalCode: '97477-1234-5678', country: null };
    expect(billingAddressOf({ address, billingAddress: { ...address, line1: ' 1 main st ' } })).toBe(address);
    const billing = { ...address, attention: 'AP', line1: 'PO Box 1' };
    expect(billingAddressOf({ address, billingAddress: billing })).toBe(billing);
    expect(billingAddressOf({ address: null, billingAddress: null })).toBeUndefined();
    expect(qbAddress(billing, 'Globex')).toEqual({ Addr1: 'Globex', Addr2: 'AP', Addr3: 'PO Box 1', City: 'Springfield', State: 'OR', PostalCode: '97477-1234-56' });
  });
});

describe('reading answers', () => {
  test('single or repeated Rets, text or typed values', () => {
    const one = statusResponse('CustomerQueryRs', { statusCode: 0 }, { CustomerRet: { ListID: '1', Sublevel: 0, ParentRef: { FullName: 'P' } } });
    const many = statusResponse('CustomerQueryRs', { statusCode: 0 }, { CustomerRet: [{ ListID: '1' }, { ListID: '2' }] });
    expect(allRets(one, 'CustomerRet')).toHaveLength(1);
    expect(allRets(many, 'CustomerRet').map((r) => textOf(r, 'ListID'))).toEqual(['1', '2']);
    expect(textOf(allRets(one, 'CustomerRet')[0], 'Sublevel')).toBe('0');
    expect(textOf(allRets(one, 'CustomerRet')[0], 'ParentRef.FullName')).toBe('P');
    expect(textOf(allRets(one, 'CustomerRet')[0], 'ParentRef')).toBeUndefined();
    expect(listOf(undefined)).toEqual([]);
  });
});

describe('purity guard (conformance suite)', () => {
  test('the clock, randomness and the network throw inside, and are back afterwards', async () => {
    const { withoutNondeterminism, ImpureCallError, deepFreeze } = await import('../testing/index.js');
    expect(() => withoutNondeterminism(() => Date.now())).toThrow(ImpureCallError);
    expect(() => withoutNondeterminism(() => new Date())).toThrow(ImpureCallError);
    expect(() => withoutNondeterminism(() => Math.random())).toThrow(ImpureCallError);
    expect(() => withoutNondeterminism(() => fetch('http://example.invalid'))).toThrow(ImpureCallError);
    expect(() => withoutNondeterminism(() => crypto.randomUUID())).toThrow(ImpureCallError);
    expect(withoutNondeterminism(() => new Date('2026-11-20T00:00:00Z').toISOString())).toBe('2026-11-20T00:00:00.000Z');
    expect(typeof Date.now()).toBe('number');
    expect(new Date()).toBeInstanceOf(Date);
    expect(typeof Math.random()).toBe('number');
    const frozen = deepFreeze({ lines: [{ amount: '1.00' }] });
    expect(() => {
      (frozen.lines[0] as { amount: string }).amount = '2.00';
    }).toThrow(TypeError);
  });
});
