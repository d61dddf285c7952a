/**
 * Query iterators: iterator="Start"/"Continue"/"Stop" with iteratorID and iteratorRemainingCount, as an
 * integration pages through a big list within one QuickBooks session.
 */
import { describe, expect, it } from 'vitest';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { fixedClock, run, runOne, text } from './fixtures/qbxml.js';

function simulatorWithCustomers(count: number): QuickBooksSimulator {
  const clock = fixedClock();
  const qb = new QuickBooksSimulator({ validator, company: createCompanyFile({ clock }), clock });
  const adds = Array.from({ length: count }, (_, i) => `<CustomerAddRq><CustomerAdd><Name>Customer ${String(i).padStart(4, '0')}</Name></CustomerAdd></CustomerAddRq>`);
  const rs = run(qb, adds.join('\n'));
  expect(rs.every((r) => r.statusCode === 0)).toBe(true);
  return qb;
}

const page = (iterator: string, maxReturned: number, iteratorId?: string) =>
  `<CustomerQueryRq requestID="p" iterator="${iterator}"${iteratorId ? ` iteratorID="${iteratorId}"` : ''}><MaxReturned>${maxReturned}</MaxReturned></CustomerQueryRq>`;

describe('iterators', () => {
  it('returns 1,000 customers exactly once in pages of 100 with remaining counts 900 … 0', () => {
    const qb = simulatorWithCustomers(1000);
    const seen: string[] = [];
    const remaining: number[] = [];
    let rs = runOne(qb, page('Start', 100));
    const iteratorId = rs.attributes['iteratorID']!;
    expect(iteratorId).toMatch(/^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/);
    for (;;) {
      expect(rs.statusCode).toBe(0);
      expect(rs.rets).toHaveLength(100);
      expect(rs.attributes['iteratorID']).toBe(iteratorId);
      seen.push(...rs.rets.map((r) => text(r, 'ListID')!));
      remaining.push(Number(rs.attributes['iteratorRemainingCount']));
      if (remaining.at(-1) === 0) break;
      rs = runOne(qb, page('Continue', 100, iteratorId));
    }
    expect(remaining).toEqual([900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    expect(new Set(seen)).toEqual(new Set(qb.company.customers.map((c) => c.listId)));

    // Continuing past the end: status 1 (no match) with nothing left, like QuickBooks.
    const after = runOne(qb, page('Continue', 100, iteratorId));
    expect(after).toMatchObject({ statusCode: 1, severity: 'Info' });
    expect(after.attributes['iteratorRemainingCount']).toBe('0');
    expect(after.rets).toHaveLength(0);
  });

  it('answers a Start that matches nothing with status 1 and remaining 0', () => {
    const qb = simulatorWithCustomers(3);
    const rs = runOne(qb, '<CustomerQueryRq iterator="Start"><MaxReturned>10</MaxReturned><NameFilter><MatchCriterion>Contains</MatchCriterion><Name>nobody</Name></NameFilter></CustomerQueryRq>');
    expect(rs.statusCode).toBe(1);
    expect(rs.attributes['iteratorRemainingCount']).toBe('0');
  });

  it('keeps the filters and the snapshot of the Start request', () => {
    const qb = simulatorWithCustomers(30);
    const start = runOne(qb, '<CustomerQueryRq iterator="Start"><MaxReturned>5</MaxReturned><NameFilter><MatchCriterion>StartsWith</MatchCriterion><Name>Customer 001</Name></NameFilter></CustomerQueryRq>');
    expect(start.rets.map((r) => text(r, 'Name'))).toEqual(['Customer 0010', 'Customer 0011', 'Customer 0012', 'Customer 0013', 'Customer 0014']);
    expect(start.attributes['iteratorRemainingCount']).toBe('5');
    // Added after Start: not part of this iteration.
    run(qb, '<CustomerAddRq><CustomerAdd><Name>Customer 0019a</Name></CustomerAdd></CustomerAddRq>');
    const next = runOne(qb, page('Continue', 10, start.attributes['iteratorID']));
    expect(next.rets.map((r) => text(r, 'Name'))).toEqual(['Customer 0015', 'Customer 0016', 'Customer 0017', 'Customer 0018', 'Customer 0019']);
    expect(next.attributes['iteratorRemainingCount']).toBe('0');
  });

  it('refuses an unknown iteratorID, one of another request kind, and one that was stopped (3391)', () => {
    const qb = simulatorWithCustomers(10);
    const unknown = '{11111111-2222-3333-4444-555555555555}';
    expect(runOne(qb, page('Continue', 5, unknown))).toMatchObject({ statusCode: 3391, severity: 'Error', message: `The iteratorID "${unknown}" is not valid.` });

    const start = runOne(qb, page('Start', 5));
    const id = start.attributes['iteratorID']!;
    const asItems = runOne(qb, `<ItemQueryRq iterator="Continue" iteratorID="${id}"><MaxReturned>5</MaxReturned></ItemQueryRq>`);
    expect(asItems.statusCode).toBe(3391);

    expect(runOne(qb, page('Stop', 5, id)).statusCode).toBe(0);
    expect(runOne(qb, page('Continue', 5, id)).statusCode).toBe(3391);
    expect(qb.processor.iterators.size).toBe(0);
  });

  it('belongs to the simulator instance (one QuickBooks session)', () => {
    const clock = fixedClock();
    const company = createCompanyFile({ seed: 'standard', clock });
    const first = new QuickBooksSimulator({ validator, company, clock });
    const start = runOne(first, page('Start', 1));
    const second = new QuickBooksSimulator({ validator, company, clock });
    expect(runOne(second, page('Continue', 1, start.attributes['iteratorID'])).statusCode).toBe(3391);
    expect(runOne(first, page('Continue', 1, start.attributes['iteratorID'])).statusCode).toBe(0);
  });

  it('pages invoices too, and MaxReturned without an iterator just caps the answer', () => {
    const clock = fixedClock();
    const qb = new QuickBooksSimulator({ validator, company: createCompanyFile({ seed: 'standard', clock }), clock });
    const invoice = '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Globex Inc</FullName></CustomerRef><InvoiceLineAdd><Desc>x</Desc><Amount>1.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>';
    run(qb, invoice.repeat(7));
    const capped = runOne(qb, '<InvoiceQueryRq><MaxReturned>3</MaxReturned></InvoiceQueryRq>');
    expect(capped.rets.map((r) => text(r, 'RefNumber'))).toEqual(['1', '2', '3']);
    expect(capped.attributes['iteratorRemainingCount']).toBeUndefined();
    const start = runOne(qb, '<InvoiceQueryRq iterator="Start"><MaxReturned>4</MaxReturned></InvoiceQueryRq>');
    expect(start.attributes['iteratorRemainingCount']).toBe('3');
    const rest = runOne(qb, `<InvoiceQueryRq iterator="Continue" iteratorID="${start.attributes['iteratorID']}"><MaxReturned>4</MaxReturned></InvoiceQueryRq>`);
    expect(rest.rets.map((r) => text(r, 'RefNumber'))).toEqual(['5', '6', '7']);
    expect(rest.attributes['iteratorRemainingCount']).toBe('0');
  });
});
