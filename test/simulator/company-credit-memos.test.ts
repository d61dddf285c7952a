/**
 * Credit memos: CreditMemoAdd computes what QuickBooks computes (line amounts, subtotal, sales tax,
 * TotalAmount, CreditRemaining, the next number from the invoices' sequence), CreditMemoQuery finds them
 * with the transaction filters, and company files keep them. Every response here is checked against
 * Intuit's XSD by `run`/`runOne`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCompanyFile, QuickBooksSimulator, saveCompanyFile } from '../../src/simulator/quickbooks.js';
import type { XmlElement } from '../../src/qbxml/xml-tree.js';
import { validator } from '../helpers/spec.js';
import { fixedClock, newSimulator, run, runOne, text } from './fixtures/qbxml.js';

const creditMemoAdd = (customer: string, lines: string, header = '') =>
  `<CreditMemoAddRq><CreditMemoAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef>${header}${lines}</CreditMemoAdd></CreditMemoAddRq>`;
const line = (item: string, extra: string) => `<CreditMemoLineAdd><ItemRef><FullName>${item}</FullName></ItemRef>${extra}</CreditMemoLineAdd>`;
const invoiceAdd = (customer: string, header = '') =>
  `<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>${customer}</FullName></CustomerRef>${header}<InvoiceLineAdd><Desc>x</Desc><Amount>10.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>`;
const lines = (ret: XmlElement | undefined) => ret!.children.filter((c) => c.name === 'CreditMemoLineRet');
const balanceOf = (qb: QuickBooksSimulator, customer: string) =>
  text(runOne(qb, `<CustomerQueryRq><FullName>${customer}</FullName></CustomerQueryRq>`).rets[0], 'Balance');

describe('CreditMemoAdd', () => {
  it.each(['13.0', '16.0'])('computes line amounts, totals and CreditRemaining, and keeps the header fields (qbXML %s)', (version) => {
    const qb = newSimulator({ preferences: { salesTaxEnabled: true }, maxQbxmlVersion: { major: 16, minor: 0 } });
    runOne(qb, '<ClassAddRq><ClassAdd><Name>Managed</Name></ClassAdd></ClassAddRq>', { version });
    const rs = runOne(
      qb,
      creditMemoAdd(
        'Globex Inc',
        line('Remote Support', '<Desc>Outage credit</Desc><Quantity>1.5</Quantity><ClassRef><FullName>Managed</FullName></ClassRef><ServiceDate>2026-11-18</ServiceDate>') + // item price 95.00 → 142.50
          line('Hardware', '<Quantity>2</Quantity><Rate>49.99</Rate>') + // taxable (item's code Tax) → 99.98
          line('Travel', '<Amount>20.00</Amount><SalesTaxCodeRef><FullName>Non</FullName></SalesTaxCodeRef>'),
        '<TxnDate>2026-11-20</TxnDate><PONumber>PO-77</PONumber><ItemSalesTaxRef><FullName>State Tax</FullName></ItemSalesTaxRef><Memo>November outage</Memo><Other>AT:9101</Other>',
      ),
      { version },
    );
    expect(rs.statusCode).toBe(0);
    const ret = rs.rets[0]!;
    expect(ret.name).toBe('CreditMemoRet');
    expect(lines(ret).map((l) => [text(l, 'ItemRef', 'FullName'), text(l, 'Desc'), text(l, 'Quantity'), text(l, 'Rate'), text(l, 'Amount'), text(l, 'SalesTaxCodeRef', 'FullName')])).toEqual([
      ['Remote Support', 'Outage credit', '1.5', '95', '142.50', 'Non'],
      ['Hardware', 'Hardware', '2', '49.99', '99.98', 'Tax'],
      ['Travel', 'Travel expenses', undefined, undefined, '20.00', 'Non'],
    ]);
    expect([text(lines(ret)[0], 'ClassRef', 'FullName'), text(lines(ret)[0], 'ServiceDate')]).toEqual(['Managed', '2026-11-18']);
    expect(text(ret, 'Subtotal')).toBe('262.48');
    expect(text(ret, 'SalesTaxPercentage')).toBe('6.25');
    expect(text(ret, 'SalesTaxTotal')).toBe('6.25'); // 99.98 × 6.25 % = 6.24875
    expect(text(ret, 'TotalAmount')).toBe('268.73');
    expect(text(ret, 'CreditRemaining')).toBe('268.73');
    expect([text(ret, 'TxnDate'), text(ret, 'PONumber'), text(ret, 'Memo'), text(ret, 'Other')]).toEqual(['2026-11-20', 'PO-77', 'November outage', 'AT:9101']);
    expect(text(ret, 'ARAccountRef', 'FullName')).toBe('Accounts Receivable');
    // A credit memo is not due: no terms, no DueDate, even though invoices would take the customer's.
    expect([text(ret, 'TermsRef', 'FullName'), text(ret, 'DueDate')]).toEqual([undefined, undefined]);
    // The credit shows on the customer and on A/R as money owed to the customer.
    expect(balanceOf(qb, 'Globex Inc')).toBe('-268.73');
    const ar = runOne(qb, '<AccountQueryRq><FullName>Accounts Receivable</FullName></AccountQueryRq>', { version }).rets[0];
    expect(text(ar, 'Balance')).toBe('-268.73');
    expect(qb.company.creditMemos).toHaveLength(1);
  });

  it('takes its number from the invoices\' sequence and keeps a given one', () => {
    const qb = newSimulator();
    const rs = run(
      qb,
      [
        invoiceAdd('Globex Inc', '<RefNumber>1041</RefNumber>'),
        creditMemoAdd('Globex Inc', line('Consulting', '<Quantity>1</Quantity>')),
        creditMemoAdd('Globex Inc', line('Consulting', '<Quantity>1</Quantity>'), '<RefNumber>CM-7</RefNumber>'),
        invoiceAdd('Globex Inc'),
      ].join(''),
    );
    expect(rs.map((r) => [r.rets[0]!.name, text(r.rets[0], 'RefNumber'), text(r.rets[0], 'TxnNumber')])).toEqual([
      ['InvoiceRet', '1041', '1'],
      ['CreditMemoRet', '1042', '2'],
      ['CreditMemoRet', 'CM-7', '3'],
      ['InvoiceRet', '1043', '4'],
    ]);
  });

  it('refuses an unknown item (3140) without saving anything or using up a number', () => {
    const qb = newSimulator();
    const refused = runOne(qb, creditMemoAdd('Globex Inc', line('No Such Item', '<Amount>5.00</Amount>')));
    expect(refused.statusCode).toBe(3140);
    expect(refused.message).toContain('"No Such Item" in the Credit Memo line');
    expect(runOne(qb, creditMemoAdd('Nobody', line('Consulting', ''))).statusCode).toBe(3140);
    expect(qb.company.creditMemos).toHaveLength(0);
    const added = runOne(qb, creditMemoAdd('Globex Inc', line('Consulting', '')));
    expect([text(added.rets[0], 'RefNumber'), text(added.rets[0], 'TxnNumber'), lines(added.rets[0]).map((l) => text(l, 'Amount'))]).toEqual(['1', '1', ['150.00']]);
  });
});

describe('CreditMemoQuery', () => {
  it('filters by TxnID, RefNumber, TxnDateRangeFilter and EntityFilter; lines only with IncludeLineItems; IncludeRetElement and iterators', () => {
    const qb = newSimulator();
    const added = run(
      qb,
      [
        creditMemoAdd('Globex Inc', line('Consulting', '<Quantity>1</Quantity>'), '<TxnDate>2026-11-01</TxnDate><RefNumber>C-1</RefNumber><Other>AT:1</Other>'),
        creditMemoAdd('Acme Corporation', line('Consulting', '<Quantity>2</Quantity>'), '<TxnDate>2026-11-02</TxnDate><RefNumber>C-2</RefNumber><Other>AT:2</Other>'),
        creditMemoAdd('Acme Corporation:Network Upgrade', line('Consulting', '<Quantity>3</Quantity>'), '<TxnDate>2026-11-03</TxnDate><RefNumber>C-3</RefNumber><Other>AT:3</Other>'),
        invoiceAdd('Globex Inc', '<TxnDate>2026-11-01</TxnDate><RefNumber>I-1</RefNumber>'),
      ].join(''),
    );
    const refs = (r: ReturnType<typeof runOne>) => r.rets.map((ret) => text(ret, 'RefNumber'));
    const c2 = text(added[1]!.rets[0], 'TxnID')!;
    // Invoices are not credit memos: a query over all credit memos has exactly the three.
    expect(refs(runOne(qb, '<CreditMemoQueryRq></CreditMemoQueryRq>'))).toEqual(['C-1', 'C-2', 'C-3']);
    expect(refs(runOne(qb, `<CreditMemoQueryRq><TxnID>${c2}</TxnID></CreditMemoQueryRq>`))).toEqual(['C-2']);
    expect(runOne(qb, '<CreditMemoQueryRq><TxnID>NOPE-1</TxnID></CreditMemoQueryRq>').statusCode).toBe(500);
    expect(refs(runOne(qb, '<CreditMemoQueryRq><RefNumber>c-3</RefNumber></CreditMemoQueryRq>'))).toEqual(['C-3']);
    expect(runOne(qb, '<CreditMemoQueryRq><RefNumber>I-1</RefNumber></CreditMemoQueryRq>').statusCode).toBe(1);
    const dated = (from: string, to: string, entity = '') =>
      `<CreditMemoQueryRq><TxnDateRangeFilter><FromTxnDate>${from}</FromTxnDate><ToTxnDate>${to}</ToTxnDate></TxnDateRangeFilter>${entity}</CreditMemoQueryRq>`;
    expect(refs(runOne(qb, dated('2026-11-02', '2026-11-03')))).toEqual(['C-2', 'C-3']);
    expect(refs(runOne(qb, '<CreditMemoQueryRq><EntityFilter><FullNameWithChildren>Acme Corporation</FullNameWithChildren></EntityFilter></CreditMemoQueryRq>'))).toEqual(['C-2', 'C-3']);
    // What the credit-memos plugin sends to reconcile: one customer, one date, a few elements.
    const acme = qb.company.customers.find((c) => c.name === 'Acme Corporation')!;
    const reconcile = runOne(
      qb,
      `<CreditMemoQueryRq><TxnDateRangeFilter><FromTxnDate>2026-11-02</FromTxnDate><ToTxnDate>2026-11-02</ToTxnDate></TxnDateRangeFilter><EntityFilter><ListID>${acme.listId}</ListID></EntityFilter><IncludeRetElement>TxnID</IncludeRetElement><IncludeRetElement>Other</IncludeRetElement></CreditMemoQueryRq>`,
    );
    expect(reconcile.rets.map((r) => r.children.map((c) => [c.name, c.text]))).toEqual([[['TxnID', c2], ['Other', 'AT:2']]]);
    expect(runOne(qb, dated('2026-11-01', '2026-11-01', `<EntityFilter><ListID>${acme.listId}</ListID></EntityFilter>`)).statusCode).toBe(1);

    expect(lines(runOne(qb, '<CreditMemoQueryRq><RefNumber>C-2</RefNumber></CreditMemoQueryRq>').rets[0])).toEqual([]);
    const withLines = runOne(qb, '<CreditMemoQueryRq><RefNumber>C-2</RefNumber><IncludeLineItems>true</IncludeLineItems></CreditMemoQueryRq>').rets[0];
    expect(lines(withLines).map((l) => text(l, 'Amount'))).toEqual(['300.00']);

    const first = runOne(qb, '<CreditMemoQueryRq iterator="Start"><MaxReturned>2</MaxReturned></CreditMemoQueryRq>');
    expect([refs(first), first.attributes['iteratorRemainingCount']]).toEqual([['C-1', 'C-2'], '1']);
    const next = runOne(qb, `<CreditMemoQueryRq iterator="Continue" iteratorID="${first.attributes['iteratorID']}"><MaxReturned>2</MaxReturned></CreditMemoQueryRq>`);
    expect([refs(next), next.attributes['iteratorRemainingCount']]).toEqual([['C-3'], '0']);
  });
});

describe('company JSON file with credit memos', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'qbd-credit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps credit memos through save and load', async () => {
    const qb = newSimulator();
    const added = runOne(qb, creditMemoAdd('Globex Inc', line('Consulting', '<Quantity>1</Quantity>'), '<Other>AT:5</Other>')).rets[0]!;
    const file = path.join(dir, 'with-credits.json');
    await saveCompanyFile(qb, file);
    const loaded = await loadCompanyFile(file);
    expect(loaded).toEqual(qb.company);
    const reopened = new QuickBooksSimulator({ validator, company: loaded, clock: fixedClock(Date.UTC(2026, 11, 1)) });
    const found = runOne(reopened, `<CreditMemoQueryRq><TxnID>${text(added, 'TxnID')}</TxnID><IncludeLineItems>true</IncludeLineItems></CreditMemoQueryRq>`).rets[0];
    expect([text(found, 'Other'), text(found, 'TotalAmount'), lines(found).length]).toEqual(['AT:5', '150.00', 1]);
    expect(balanceOf(reopened, 'Globex Inc')).toBe('-150.00');
  });

  it('loads a file written before credit memos were kept, and can add one to it', async () => {
    const qb = newSimulator();
    runOne(qb, invoiceAdd('Globex Inc', '<RefNumber>7</RefNumber>'));
    const file = path.join(dir, 'older.json');
    await saveCompanyFile(qb, file);
    const older = JSON.parse(await readFile(file, 'utf8'));
    delete older.creditMemos;
    await writeFile(file, JSON.stringify(older));

    const loaded = await loadCompanyFile(file);
    expect(loaded.creditMemos).toEqual([]);
    const reopened = new QuickBooksSimulator({ validator, company: loaded });
    expect(runOne(reopened, '<CreditMemoQueryRq></CreditMemoQueryRq>').statusCode).toBe(1);
    expect(text(runOne(reopened, creditMemoAdd('Globex Inc', line('Consulting', ''))).rets[0], 'RefNumber')).toBe('8');
  });
});
