/**
 * Invoices and received payments: what QuickBooks computes (line amounts, subtotal, sales tax, due date,
 * RefNumber) and how payments change BalanceRemaining / IsPaid / AppliedAmount. Money is integer cents.
 */
import { describe, expect, it } from 'vitest';
import { divideCents, formatCents, multiplyToCents, normalizeDecimal, parseCents, percentOfCents } from '../../src/simulator/company/money.js';
import type { XmlElement } from '../../src/qbxml/xml-tree.js';
import { newSimulator, run, runOne, text } from './fixtures/qbxml.js';

const invoiceAdd = (customer: string, lines: string, header = '') =>
  `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef>${header}${lines}</InvoiceAdd></InvoiceAddRq>`;
const line = (item: string, extra: string) => `<InvoiceLineAdd><ItemRef><FullName>${item}</FullName></ItemRef>${extra}</InvoiceLineAdd>`;
const payment = (customer: string, total: string, applied = '') =>
  `<ReceivePaymentAddRq><ReceivePaymentAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef><TxnDate>2026-11-20</TxnDate><RefNumber>CHK-1</RefNumber><TotalAmount>${total}</TotalAmount><PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef>${applied || '<IsAutoApply>true</IsAutoApply>'}</ReceivePaymentAdd></ReceivePaymentAddRq>`;
const apply = (txnId: string, amount: string) => `<AppliedToTxnAdd><TxnID>${txnId}</TxnID><PaymentAmount>${amount}</PaymentAmount></AppliedToTxnAdd>`;
const lineAmounts = (ret: XmlElement | undefined) => ret!.children.filter((c) => c.name === 'InvoiceLineRet').map((l) => text(l, 'Amount'));

describe('money', () => {
  it('works in cents without binary floating point errors', () => {
    expect(parseCents('0.1') + parseCents('0.2')).toBe(30);
    expect(formatCents(30)).toBe('0.30');
    expect(formatCents(-5)).toBe('-0.05');
    expect(multiplyToCents('3', '33.333')).toBe(10000); // 99.999 → 100.00
    expect(multiplyToCents('0.5', '0.01')).toBe(1); // 0.005 → 0.01, half away from zero
    expect(multiplyToCents('-0.5', '0.01')).toBe(-1);
    expect(multiplyToCents('1.00001', '99999.99999')).toBe(10000100); // 100000.99998… → 100001.00
    expect(percentOfCents(9999, '6.25')).toBe(625); // 6.249375 → 6.25
    expect(divideCents(10000, '3')).toBe('33.33333');
    expect(normalizeDecimal('1.50000')).toBe('1.5');
    expect(normalizeDecimal('.5')).toBe('0.5');
  });
});

describe('invoice totals', () => {
  it('computes Amount = Quantity × Rate (rounded to cents), takes the item price as default Rate, and sums the Subtotal', () => {
    const qb = newSimulator();
    const rs = runOne(
      qb,
      invoiceAdd(
        'Globex Inc',
        line('Consulting', '<Quantity>1.5</Quantity>') + // item price 150.00 → 225.00
          line('Remote Support', '<Quantity>3</Quantity><Rate>33.333</Rate>') + // 99.999 → 100.00
          line('Travel', '<Desc>Taxi</Desc><Amount>42.10</Amount>') +
          '<InvoiceLineAdd><Desc>Thank you for your business</Desc></InvoiceLineAdd>',
      ),
    );
    const ret = rs.rets[0];
    expect(lineAmounts(ret)).toEqual(['225.00', '100.00', '42.10', '0.00']);
    expect(ret!.children.filter((c) => c.name === 'InvoiceLineRet').map((l) => text(l, 'Rate'))).toEqual(['150', '33.333', undefined, undefined]);
    expect(text(ret, 'Subtotal')).toBe('367.10');
    expect(text(ret, 'SalesTaxTotal')).toBe('0.00');
    expect(text(ret, 'BalanceRemaining')).toBe('367.10');
    expect(text(ret, 'IsPaid')).toBe('false');
    expect(text(ret, 'ARAccountRef', 'FullName')).toBe('Accounts Receivable');
  });

  it('handles subtotal and percentage discount items like QuickBooks (the subtotal line is not added)', () => {
    const qb = newSimulator();
    const rs = runOne(
      qb,
      invoiceAdd(
        'Globex Inc',
        line('Consulting', '<Quantity>2</Quantity>') + line('Remote Support', '<Quantity>2</Quantity>') + line('Subtotal', '') + line('Discount 10%', ''),
      ),
    );
    expect(lineAmounts(rs.rets[0])).toEqual(['300.00', '190.00', '490.00', '-49.00']);
    expect(text(rs.rets[0], 'Subtotal')).toBe('441.00');
  });

  it('adds sales tax on taxable lines when sales tax is on', () => {
    const qb = newSimulator({ preferences: { salesTaxEnabled: true } });
    const rs = runOne(
      qb,
      invoiceAdd(
        'Globex Inc',
        line('Hardware', '<Quantity>2</Quantity><Rate>49.99</Rate>') + // taxable (item's code Tax)
          line('Consulting', '<Quantity>1</Quantity>') + // non-taxable (item's code Non)
          line('Remote Support', '<Quantity>1</Quantity><SalesTaxCodeRef><FullName>Tax</FullName></SalesTaxCodeRef>'), // taxable by line
        '<ItemSalesTaxRef><FullName>State Tax</FullName></ItemSalesTaxRef>',
      ),
    );
    const ret = rs.rets[0];
    expect(text(ret, 'Subtotal')).toBe('344.98');
    expect(text(ret, 'SalesTaxPercentage')).toBe('6.25');
    expect(text(ret, 'SalesTaxTotal')).toBe('12.19'); // (99.98 + 95.00) × 6.25% = 12.18625
    expect(text(ret, 'BalanceRemaining')).toBe('357.17');
  });

  it('numbers invoices after the highest numeric RefNumber and keeps given ones', () => {
    const qb = newSimulator();
    const rs = run(
      qb,
      [
        invoiceAdd('Globex Inc', '', '<RefNumber>1041</RefNumber>'),
        invoiceAdd('Globex Inc', '', '<RefNumber>INV-A</RefNumber>'),
        invoiceAdd('Globex Inc', ''),
        invoiceAdd('Globex Inc', ''),
      ].join(''),
    );
    expect(rs.map((r) => text(r.rets[0], 'RefNumber'))).toEqual(['1041', 'INV-A', '1042', '1043']);
    expect(rs.map((r) => text(r.rets[0], 'TxnNumber'))).toEqual(['1', '2', '3', '4']);
  });

  it('fills DueDate from the terms and honours IsToBePrinted / IsToBeEmailed', () => {
    const qb = newSimulator();
    const rs = run(
      qb,
      [
        invoiceAdd('Acme Corporation', '', '<TxnDate>2026-01-15</TxnDate>'), // customer terms Net 30
        invoiceAdd('Globex Inc', '', '<TxnDate>2026-01-07</TxnDate><TermsRef><FullName>Due 10th of next month</FullName></TermsRef><IsToBePrinted>true</IsToBePrinted><IsToBeEmailed>1</IsToBeEmailed>'),
      ].join(''),
    );
    expect(text(rs[0]!.rets[0], 'TermsRef', 'FullName')).toBe('Net 30');
    expect(text(rs[0]!.rets[0], 'DueDate')).toBe('2026-02-14');
    // Dated within 5 days of the 10th: due the 10th of the next month.
    expect(text(rs[1]!.rets[0], 'DueDate')).toBe('2026-02-10');
    expect([text(rs[1]!.rets[0], 'IsToBePrinted'), text(rs[1]!.rets[0], 'IsToBeEmailed')]).toEqual(['true', 'true']);
  });

  it('InvoiceMod replaces the lines: -1 adds, an existing TxnLineID changes, missing ones go', () => {
    const qb = newSimulator();
    const added = runOne(qb, invoiceAdd('Globex Inc', line('Consulting', '<Quantity>1</Quantity>') + line('Remote Support', '<Quantity>1</Quantity>')));
    const ret = added.rets[0]!;
    const [first] = ret.children.filter((c) => c.name === 'InvoiceLineRet');
    const mod = `<InvoiceModRq><InvoiceMod><TxnID>${text(ret, 'TxnID')}</TxnID><EditSequence>${text(ret, 'EditSequence')}</EditSequence><Memo>Revised</Memo>
      <InvoiceLineMod><TxnLineID>${text(first, 'TxnLineID')}</TxnLineID><Quantity>2</Quantity></InvoiceLineMod>
      <InvoiceLineMod><TxnLineID>-1</TxnLineID><Desc>Setup fee</Desc><Amount>10.00</Amount></InvoiceLineMod></InvoiceMod></InvoiceModRq>`;
    const modded = runOne(qb, mod).rets[0];
    expect(lineAmounts(modded)).toEqual(['300.00', '10.00']);
    expect(text(modded, 'Subtotal')).toBe('310.00');
    expect(text(modded, 'Memo')).toBe('Revised');
    expect(text(modded, 'EditSequence')).not.toBe(text(ret, 'EditSequence'));
    // The same Mod again carries a stale EditSequence.
    expect(runOne(qb, mod).statusCode).toBe(3200);
  });
});

describe('received payments', () => {
  it('updates BalanceRemaining, AppliedAmount and IsPaid as payments are applied', () => {
    const qb = newSimulator();
    const invoice = runOne(qb, invoiceAdd('Globex Inc', line('Consulting', '<Quantity>2</Quantity>'), '<TxnDate>2026-11-01</TxnDate>')).rets[0]!;
    const txnId = text(invoice, 'TxnID')!;
    expect(text(invoice, 'BalanceRemaining')).toBe('300.00');

    const partial = runOne(qb, payment('Globex Inc', '100.00', apply(txnId, '100.00'))).rets[0]!;
    expect(text(partial, 'TotalAmount')).toBe('100.00');
    expect(text(partial, 'UnusedPayment')).toBe('0.00');
    expect(text(partial, 'DepositToAccountRef', 'FullName')).toBe('Undeposited Funds');
    expect(text(partial, 'AppliedToTxnRet', 'TxnID')).toBe(txnId);
    expect(text(partial, 'AppliedToTxnRet', 'Amount')).toBe('100.00');
    expect(text(partial, 'AppliedToTxnRet', 'BalanceRemaining')).toBe('200.00');

    let current = runOne(qb, `<InvoiceQueryRq><TxnID>${txnId}</TxnID><IncludeLinkedTxns>true</IncludeLinkedTxns></InvoiceQueryRq>`).rets[0];
    expect([text(current, 'AppliedAmount'), text(current, 'BalanceRemaining'), text(current, 'IsPaid')]).toEqual(['-100.00', '200.00', 'false']);
    expect(text(current, 'LinkedTxn', 'TxnType')).toBe('ReceivePayment');
    expect(text(runOne(qb, '<CustomerQueryRq><FullName>Globex Inc</FullName></CustomerQueryRq>').rets[0], 'Balance')).toBe('200.00');

    // Paying the rest closes the invoice; one cent more would have been refused (3210).
    expect(runOne(qb, payment('Globex Inc', '200.01', apply(txnId, '200.01'))).statusCode).toBe(3210);
    runOne(qb, payment('Globex Inc', '200.00', apply(txnId, '200.00')));
    current = runOne(qb, `<InvoiceQueryRq><TxnID>${txnId}</TxnID></InvoiceQueryRq>`).rets[0];
    expect([text(current, 'AppliedAmount'), text(current, 'BalanceRemaining'), text(current, 'IsPaid')]).toEqual(['-300.00', '0.00', 'true']);
    expect(text(runOne(qb, '<CustomerQueryRq><FullName>Globex Inc</FullName></CustomerQueryRq>').rets[0], 'Balance')).toBe('0.00');

    const paid = runOne(qb, '<InvoiceQueryRq><PaidStatus>PaidOnly</PaidStatus></InvoiceQueryRq>');
    expect(paid.rets.map((r) => text(r, 'TxnID'))).toEqual([txnId]);
    expect(runOne(qb, '<InvoiceQueryRq><PaidStatus>NotPaidOnly</PaidStatus></InvoiceQueryRq>').statusCode).toBe(1);
  });

  it('auto-applies to the oldest open invoices and keeps the rest as unused payment', () => {
    const qb = newSimulator();
    const older = runOne(qb, invoiceAdd('Globex Inc', '<InvoiceLineAdd><Desc>a</Desc><Amount>50.00</Amount></InvoiceLineAdd>', '<TxnDate>2026-10-01</TxnDate>')).rets[0]!;
    const newer = runOne(qb, invoiceAdd('Globex Inc', '<InvoiceLineAdd><Desc>b</Desc><Amount>80.00</Amount></InvoiceLineAdd>', '<TxnDate>2026-11-01</TxnDate>')).rets[0]!;
    const rs = runOne(qb, payment('Globex Inc', '150.00')).rets[0]!;
    const applied = rs.children.filter((c) => c.name === 'AppliedToTxnRet').map((a) => [text(a, 'TxnID'), text(a, 'Amount'), text(a, 'BalanceRemaining')]);
    expect(applied).toEqual([
      [text(older, 'TxnID'), '50.00', '0.00'],
      [text(newer, 'TxnID'), '80.00', '0.00'],
    ]);
    expect(text(rs, 'UnusedPayment')).toBe('20.00');
    // The unused 20.00 is a credit on the customer's balance.
    expect(text(runOne(qb, '<CustomerQueryRq><FullName>Globex Inc</FullName></CustomerQueryRq>').rets[0], 'Balance')).toBe('-20.00');
  });

  it('refuses an unknown invoice (3120) and an invoice of another customer (3140)', () => {
    const qb = newSimulator();
    const acmeInvoice = runOne(qb, invoiceAdd('Acme Corporation', '<InvoiceLineAdd><Desc>a</Desc><Amount>50.00</Amount></InvoiceLineAdd>')).rets[0]!;
    expect(runOne(qb, payment('Globex Inc', '10.00', apply('DEAD-1234567890', '10.00')))).toMatchObject({ statusCode: 3120, message: expect.stringContaining('"DEAD-1234567890"') });
    expect(runOne(qb, payment('Globex Inc', '10.00', apply(text(acmeInvoice, 'TxnID')!, '10.00'))).statusCode).toBe(3140);
    expect(qb.company.receivePayments).toHaveLength(0);
  });

  it('is found again by ReceivePaymentQuery with EntityFilter and date filters', () => {
    const qb = newSimulator();
    runOne(qb, invoiceAdd('Acme Corporation:Network Upgrade', '<InvoiceLineAdd><Desc>a</Desc><Amount>75.00</Amount></InvoiceLineAdd>'));
    runOne(qb, payment('Acme Corporation:Network Upgrade', '75.00'));
    const byParent = runOne(qb, '<ReceivePaymentQueryRq><EntityFilter><FullNameWithChildren>Acme Corporation</FullNameWithChildren></EntityFilter></ReceivePaymentQueryRq>');
    expect(byParent.rets.map((r) => [text(r, 'CustomerRef', 'FullName'), text(r, 'RefNumber'), text(r, 'PaymentMethodRef', 'FullName')])).toEqual([
      ['Acme Corporation:Network Upgrade', 'CHK-1', 'Check'],
    ]);
    expect(runOne(qb, '<ReceivePaymentQueryRq><EntityFilter><FullName>Acme Corporation</FullName></EntityFilter></ReceivePaymentQueryRq>').statusCode).toBe(1);
    const inRange = runOne(qb, '<ReceivePaymentQueryRq><TxnDateRangeFilter><FromTxnDate>2026-11-20</FromTxnDate><ToTxnDate>2026-11-20</ToTxnDate></TxnDateRangeFilter></ReceivePaymentQueryRq>');
    expect(inRange.rets).toHaveLength(1);
  });
});

describe('invoice queries', () => {
  it('filter by RefNumber, RefNumberFilter, ModifiedDateRangeFilter and EntityFilter; lines only with IncludeLineItems', () => {
    const qb = newSimulator();
    const rs = run(
      qb,
      [
        invoiceAdd('Globex Inc', line('Consulting', '<Quantity>1</Quantity>'), '<RefNumber>A-100</RefNumber>'),
        invoiceAdd('Acme Corporation', line('Consulting', '<Quantity>1</Quantity>'), '<RefNumber>A-200</RefNumber>'),
        invoiceAdd('Acme Corporation:Network Upgrade', line('Consulting', '<Quantity>1</Quantity>'), '<RefNumber>B-300</RefNumber>'),
      ].join(''),
    );
    const refs = (r: ReturnType<typeof runOne>) => r.rets.map((ret) => text(ret, 'RefNumber'));
    expect(refs(runOne(qb, '<InvoiceQueryRq><RefNumber>a-200</RefNumber></InvoiceQueryRq>'))).toEqual(['A-200']);
    expect(runOne(qb, '<InvoiceQueryRq><RefNumberCaseSensitive>a-200</RefNumberCaseSensitive></InvoiceQueryRq>').statusCode).toBe(1);
    expect(refs(runOne(qb, '<InvoiceQueryRq><RefNumberFilter><MatchCriterion>StartsWith</MatchCriterion><RefNumber>A-</RefNumber></RefNumberFilter></InvoiceQueryRq>'))).toEqual(['A-100', 'A-200']);
    expect(refs(runOne(qb, '<InvoiceQueryRq><EntityFilter><FullNameWithChildren>Acme Corporation</FullNameWithChildren></EntityFilter></InvoiceQueryRq>'))).toEqual(['A-200', 'B-300']);
    const lastModified = text(rs[2]!.rets[0], 'TimeModified')!;
    expect(refs(runOne(qb, `<InvoiceQueryRq><ModifiedDateRangeFilter><FromModifiedDate>${lastModified}</FromModifiedDate></ModifiedDateRangeFilter></InvoiceQueryRq>`))).toEqual(['B-300']);
    const withoutLines = runOne(qb, '<InvoiceQueryRq><RefNumber>A-100</RefNumber></InvoiceQueryRq>').rets[0]!;
    expect(withoutLines.children.some((c) => c.name === 'InvoiceLineRet')).toBe(false);
    const withLines = runOne(qb, '<InvoiceQueryRq><RefNumber>A-100</RefNumber><IncludeLineItems>true</IncludeLineItems></InvoiceQueryRq>').rets[0]!;
    expect(lineAmounts(withLines)).toEqual(['150.00']);
    expect(runOne(qb, '<InvoiceQueryRq><TxnID>NOPE-1</TxnID></InvoiceQueryRq>').statusCode).toBe(500);
  });
});
