/**
 * Bills and vendor credits in the simulated company file (src/simulator/processor/handlers/bills.ts): QuickBooks'
 * status codes for what expense reports send — 3100 for a vendor name in use, 3140 for a reference to nothing,
 * 3210 for a billable line without a customer or a negative total — and the queries that find them again.
 * Responses are validated against the XSD by `run`.
 */
import { describe, expect, it } from 'vitest';
import { newSimulator, runOne, text } from './fixtures/qbxml.js';

const vendor = (name: string) => `<VendorAddRq><VendorAdd><Name>${name}</Name></VendorAdd></VendorAddRq>`;
const line = (account: string, amount: string, extra = '') =>
  `<ExpenseLineAdd><AccountRef><FullName>${account}</FullName></AccountRef><Amount>${amount}</Amount>${extra}</ExpenseLineAdd>`;
const add = (kind: 'Bill' | 'VendorCredit', vendorName: string, refNumber: string, lines: string) =>
  `<${kind}AddRq><${kind}Add><VendorRef><FullName>${vendorName}</FullName></VendorRef><TxnDate>2026-11-16</TxnDate>` +
  `<RefNumber>${refNumber}</RefNumber><ExternalGUID>{7F44507B-DE62-527F-9C67-C238B46F6D53}</ExternalGUID>${lines}</${kind}Add></${kind}AddRq>`;

describe('BillAdd and VendorCreditAdd', () => {
  it('adds a bill whose total is its lines, advance included, and finds it again by RefNumber', () => {
    const qb = newSimulator();
    expect(runOne(qb, vendor('v-One, Ray')).statusCode).toBe(0);
    const added = runOne(qb, add('Bill', 'v-One, Ray', '4401', line('Other Expenses', '129.00') + line('Undeposited Funds', '-50.00')));
    expect(added).toMatchObject({ name: 'BillAddRs', statusCode: 0 });
    expect(text(added.rets[0], 'AmountDue')).toBe('79.00');
    const found = runOne(qb, '<BillQueryRq><RefNumber>4401</RefNumber><IncludeLineItems>true</IncludeLineItems></BillQueryRq>');
    expect(found.rets.map((r) => [text(r, 'TxnID'), text(r, 'ExternalGUID')])).toEqual([[text(added.rets[0], 'TxnID'), '{7F44507B-DE62-527F-9C67-C238B46F6D53}']]);
    expect(runOne(qb, '<BillQueryRq><RefNumber>9999</RefNumber></BillQueryRq>')).toMatchObject({ statusCode: 1, rets: [] });
  });

  it('adds a vendor credit, kept apart from bills', () => {
    const qb = newSimulator();
    runOne(qb, vendor('v-Two, Rita'));
    const added = runOne(qb, add('VendorCredit', 'v-Two, Rita', '4402', line('Other Expenses', '-20.00') + line('Undeposited Funds', '100.00')));
    expect(added).toMatchObject({ name: 'VendorCreditAddRs', statusCode: 0 });
    expect(text(added.rets[0], 'CreditAmount')).toBe('80.00');
    expect(runOne(qb, '<BillQueryRq><RefNumber>4402</RefNumber></BillQueryRq>').rets).toHaveLength(0);
    expect(runOne(qb, '<VendorCreditQueryRq><RefNumber>4402</RefNumber></VendorCreditQueryRq>').rets).toHaveLength(1);
  });

  it('answers 3100 to a vendor named like another name, 3140 to a vendor or account that does not exist', () => {
    const qb = newSimulator();
    runOne(qb, vendor('v-One, Ray'));
    expect(runOne(qb, vendor('v-One, Ray')).statusCode).toBe(3100);
    expect(runOne(qb, add('Bill', 'Nobody', '1', line('Other Expenses', '1.00')))).toMatchObject({ statusCode: 3140, message: expect.stringContaining('Vendor "Nobody"') });
    expect(runOne(qb, add('Bill', 'v-One, Ray', '1', line('No Such Account', '1.00')))).toMatchObject({ statusCode: 3140, message: expect.stringContaining('Account "No Such Account"') });
    expect(qb.companyFile.data.bills ?? []).toHaveLength(0);
  });

  it('answers 3210 to a negative total and to a billable line without a customer', () => {
    const qb = newSimulator();
    runOne(qb, vendor('v-One, Ray'));
    expect(runOne(qb, add('Bill', 'v-One, Ray', '1', line('Other Expenses', '10.00') + line('Undeposited Funds', '-50.00')))).toMatchObject({
      statusCode: 3210, message: expect.stringContaining('Transaction amount must be positive'),
    });
    expect(runOne(qb, add('Bill', 'v-One, Ray', '1', line('Other Expenses', '10.00', '<BillableStatus>Billable</BillableStatus>'))).statusCode).toBe(3210);
    expect(qb.companyFile.data.bills ?? []).toHaveLength(0);
  });
});
