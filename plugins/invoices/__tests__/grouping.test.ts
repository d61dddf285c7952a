/**
 * Line grouping and rounding (grouping.ts, rounding.ts) over many invoices: whatever the grouping, the lines
 * sent come to Autotask's total to the cent under ROUND_EACH_LINE, no QuickBooks line mixes taxable and
 * non-taxable lines or lines of business, descriptions stay within QuickBooks' limit; and what each rounding
 * policy sends for a merged line.
 */
import { describe, expect, test } from 'vitest';
import { amount, multiplyDecimals, QB_LIMITS, sumAmounts, type Invoice, type InvoiceLine, type LineGrouping, type RoundingPolicy } from '../../sdk/index.js';
import { fixtureContext } from '../../sdk/testing/index.js';
import plugin from '../index.js';
import { groupLines } from '../grouping.js';
import { quantityAndPriceOf } from '../rounding.js';

const GROUPINGS: readonly LineGrouping[] = ['NONE', 'BY_BILLING_ITEM', 'BY_LINE_OF_BUSINESS', 'ONE_LINE_PER_GROUP'];
const KINDS = ['WORK_TYPE', 'ROLE', 'MATERIAL', 'EXPENSE_CATEGORY', 'RECURRING_SERVICE', 'MILESTONE', 'SHIPPING', 'TAX'];
const RATES = ['95', '33.3333', '26.67', '14.2857', '0.0001', '150.5', '-25'];
const QUANTITIES = ['1', '0.25', '3', '1.3333', '2.5', '0', '-1'];

/** A deterministic pseudo-random sequence (the same invoices every run). */
function* numbers(seed: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2147483648;
    yield x;
  }
}

/** An invoice of `count` lines of a few billing items, lines of business and taxabilities; amounts rounded per line, as Autotask posts them. */
function invoiceOf(seed: number, count: number): Invoice {
  const next = numbers(seed);
  const pick = <T,>(values: readonly T[]) => values[next.next().value % values.length]!;
  const lines: InvoiceLine[] = Array.from({ length: count }, (_, i) => {
    const kind = i === 0 ? 'WORK_TYPE' : pick(KINDS); // at least one line to send
    const quantity = pick(QUANTITIES);
    const rate = pick(RATES);
    return {
      position: i + 1, billingItemKind: kind, billingItemId: `${kind}-${pick(['1', '2'])}`, billingItemName: `${kind} ${pick(['A', 'B'])}`, billingCodeId: pick([null, 'bc-1']),
      roleName: null, workTypeName: null, description: `${pick(['Remote support', 'On-site visit', 'Laptop', 'Mileage'])} ${'x'.repeat(pick([0, 10, 1500]))}`,
      quantity, rate, amount: amount(multiplyDecimals(quantity, rate)), taxable: pick([true, false]), lineOfBusinessId: pick([null, 'lob-1', 'lob-2']),
      lineOfBusinessName: null, serviceDate: pick([null, '2026-11-18', '2026-11-19']),
    };
  });
  const sent = lines.filter((l) => l.billingItemKind !== 'TAX');
  return {
    id: `inv-${seed}`, autotaskId: seed, organizationId: 'org-1', invoiceNumber: String(seed), invoiceDate: '2026-11-20', poNumber: null, paymentTermId: null,
    paymentTermName: null, transmissionMethod: null, total: sumAmounts(sent.map((l) => l.amount)), taxTotal: '0.00', lines,
  };
}

const ctx = (lineGrouping: LineGrouping, roundingPolicy: RoundingPolicy = 'ROUND_EACH_LINE') =>
  fixtureContext({ connector: { lineGrouping, roundingPolicy }, customers: { 'org-1': { listId: '80000001-1' } } });

/** What QuickBooks makes of a line: its Amount, or Quantity × Rate rounded to the cent. */
const quickBooksAmount = (line: Record<string, unknown>) =>
  typeof line['Amount'] === 'string' ? line['Amount'] : amount(multiplyDecimals(String(line['Quantity']), String(line['Rate'])));

const INVOICES = Array.from({ length: 60 }, (_, i) => invoiceOf(i + 1, 1 + (i % 12)));

describe.each(GROUPINGS)('%s', (grouping) => {
  test('groups keep every line once, the exact sum of their amounts, one taxability and one line of business each', () => {
    for (const invoice of INVOICES) {
      const groups = groupLines(invoice.lines, grouping, ctx(grouping));
      expect(groups.flatMap((g) => g.indexes).sort((a, b) => a - b)).toEqual(invoice.lines.flatMap((l, i) => (l.billingItemKind === 'TAX' ? [] : [i])));
      expect(sumAmounts(groups.map((g) => g.amount))).toBe(invoice.total);
      for (const group of groups) {
        expect(new Set(group.lines.map((l) => l.taxable)).size).toBe(1);
        expect(new Set(group.lines.map((l) => l.lineOfBusinessId)).size).toBe(1);
        expect(group.description.length).toBeLessThanOrEqual(QB_LIMITS.lineDescription);
      }
    }
  });

  test('under ROUND_EACH_LINE, the QuickBooks lines come to Autotask\'s total to the cent', () => {
    for (const invoice of INVOICES) {
      const result = plugin.translate(invoice, ctx(grouping));
      expect(result.kind, JSON.stringify(result)).toBe('requests');
      if (result.kind !== 'requests') continue;
      const lines = (result.requests.at(-1)!.body['InvoiceAdd'] as { InvoiceLineAdd: Array<Record<string, unknown>> }).InvoiceLineAdd;
      expect(sumAmounts(lines.map(quickBooksAmount)), invoice.id).toBe(invoice.total);
    }
  });
});

describe('merged lines', () => {
  const backup = (overrides: Partial<InvoiceLine> = {}): InvoiceLine => ({
    position: 1, billingItemKind: 'WORK_TYPE', billingItemId: 'wt-1', billingItemName: 'Remote Support', billingCodeId: null, roleName: null, workTypeName: null,
    description: 'Backup check', quantity: '1', rate: '33.3333', amount: '33.33', taxable: false, lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null, ...overrides,
  });
  const merged = (lines: InvoiceLine[], policy: RoundingPolicy) => {
    const [group] = groupLines(lines, 'BY_BILLING_ITEM', ctx('BY_BILLING_ITEM'));
    return quantityAndPriceOf(group!, policy);
  };

  test('ROUND_EACH_LINE: Rate = amount / quantity when exact, else Quantity and Amount', () => {
    expect(merged([backup(), backup(), backup()], 'ROUND_EACH_LINE')).toEqual({ Quantity: '3', Rate: '33.33' });
    expect(merged([backup(), backup({ quantity: '2', amount: '66.67' })], 'ROUND_EACH_LINE')).toEqual({ Quantity: '3', Amount: '100.00' });
  });

  test('SEND_RATE_AND_QUANTITY: the common rate; the exact average of different rates; else the extended amount rounded once', () => {
    expect(merged([backup(), backup(), backup()], 'SEND_RATE_AND_QUANTITY')).toEqual({ Quantity: '3', Rate: '33.3333' });
    expect(merged([backup({ rate: '100', amount: '100.00' }), backup({ rate: '50', amount: '50.00' })], 'SEND_RATE_AND_QUANTITY')).toEqual({ Quantity: '2', Rate: '75' });
    expect(merged([backup({ rate: '100', amount: '100.00' }), backup({ rate: '50', amount: '50.00' }), backup({ rate: '0.01', amount: '0.01' })], 'SEND_RATE_AND_QUANTITY'))
      .toEqual({ Quantity: '3', Amount: '150.01' });
  });

  test('a line without quantity sends its amount alone under either policy', () => {
    expect(merged([backup({ quantity: '0', rate: '0', amount: '49.00' })], 'SEND_RATE_AND_QUANTITY')).toEqual({ Amount: '49.00' });
  });

  test('ONE_LINE_PER_GROUP: several billing items under the generic item of their type; one billing item keeps its item', () => {
    const lines = [backup(), backup({ billingItemId: 'wt-2', billingItemName: 'Onsite' }), backup({ billingItemKind: 'MATERIAL', billingItemId: 'm-1', billingItemName: 'Hardware' })];
    const groups = groupLines(lines, 'ONE_LINE_PER_GROUP', ctx('ONE_LINE_PER_GROUP'));
    expect(groups.map((g) => [g.generic?.name, g.lines.map((l) => l.billingItemName)])).toEqual([
      ['Labor', ['Remote Support', 'Onsite']],
      [undefined, ['Hardware']],
    ]);
  });

  test('descriptions of many lines are joined and cut within QuickBooks\' Desc limit', () => {
    const lines = Array.from({ length: 50 }, (_, i) => backup({ description: `Ticket ${i}: ${'work '.repeat(30)}` }));
    const [group] = groupLines(lines, 'BY_BILLING_ITEM', ctx('BY_BILLING_ITEM'));
    expect(group!.description.length).toBeLessThanOrEqual(QB_LIMITS.lineDescription);
    expect(group!.description).toMatch(/^Ticket 0: work .*; Ticket 1: .*\.\.\.$/);
  });
});
