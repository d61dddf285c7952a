/**
 * The simulated company file on its own: JSON round-trip, ids and timestamps, the Parent:Child hierarchy
 * and the name rules QuickBooks enforces when a list element is saved.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime, parseDateTime } from '../../src/simulator/company/ids.js';
import {
  CompanyFileFormatError,
  createCompanyFile,
  loadCompanyFile,
  QuickBooksError,
  QuickBooksSimulator,
  saveCompanyFile,
  SimulatedCompanyFile,
} from '../../src/simulator/quickbooks.js';
import { validator } from '../helpers/spec.js';
import { fixedClock, newSimulator, run, runOne, text } from './fixtures/qbxml.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'qbd-company-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('company JSON file', () => {
  it('round-trips: what a session wrote is there after save and load', async () => {
    const qb = newSimulator({ companyName: 'Round Trip LLC' });
    const added = run(
      qb,
      [
        '<CustomerAddRq><CustomerAdd><Name>Stark Industries</Name><BillAddress><Addr1>10880 Malibu Point</Addr1><City>Malibu</City></BillAddress></CustomerAdd></CustomerAddRq>',
        '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Stark Industries</FullName></CustomerRef><TxnDate>2026-11-01</TxnDate><InvoiceLineAdd><ItemRef><FullName>Consulting</FullName></ItemRef><Quantity>3</Quantity></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>',
      ].join(''),
    );
    qb.stampFileId('{57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}', '{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}');
    const file = path.join(dir, 'roundtrip.json');
    await saveCompanyFile(qb, file);
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe('qbd-bridge/simulated-company-file@1');

    const loaded = await loadCompanyFile(file);
    expect(loaded).toEqual(qb.company);
    const reopened = new QuickBooksSimulator({ validator, company: loaded, clock: fixedClock(Date.UTC(2026, 11, 1)) });
    const rs = runOne(reopened, '<CustomerQueryRq><FullName>Stark Industries</FullName></CustomerQueryRq>');
    expect(text(rs.rets[0], 'ListID')).toBe(text(added[0]!.rets[0], 'ListID'));
    expect(text(rs.rets[0], 'BillAddress', 'City')).toBe('Malibu');
    expect(text(rs.rets[0], 'Balance')).toBe('450.00');
    // The record counter continues where the saved file left off: no ListID is issued twice.
    const counters = new Set([...loaded.customers, ...loaded.items, ...loaded.accounts].map((r) => r.listId.split('-')[0]));
    const next = runOne(reopened, '<CustomerAddRq><CustomerAdd><Name>Pepper Potts</Name></CustomerAdd></CustomerAddRq>');
    expect(counters.has(text(next.rets[0], 'ListID')!.split('-')[0])).toBe(false);
    expect(reopened.hostCompanyPreferencesResponse('{57F3B9B6-86F1-4fcc-B1FF-966DE1813D20}')).toContain('{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}');
  });

  it('refuses a file that is not a company file', async () => {
    const file = path.join(dir, 'other.json');
    await writeFile(file, JSON.stringify({ hello: 'world' }));
    await expect(loadCompanyFile(file)).rejects.toBeInstanceOf(CompanyFileFormatError);
    await writeFile(file, '{ not json');
    await expect(loadCompanyFile(file)).rejects.toThrow(/not a simulated company file/);
  });

  it('is what the simulator keeps working on (no copy): changes are visible in the data passed in', () => {
    const data = createCompanyFile();
    const qb = new QuickBooksSimulator({ validator, company: data });
    runOne(qb, '<CustomerAddRq><CustomerAdd><Name>Visible</Name></CustomerAdd></CustomerAddRq>');
    expect(data.customers.map((c) => c.name)).toEqual(['Visible']);
    expect(qb.companyFilePath).toBe('C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\Simulated Company.QBW');
  });

  it('starts empty or with the standard lists', () => {
    const empty = createCompanyFile();
    expect([empty.customers, empty.items, empty.accounts, empty.terms].every((l) => l.length === 0)).toBe(true);
    const standard = createCompanyFile({ seed: 'standard', preferences: { salesTaxEnabled: true } });
    expect(standard.accounts.map((a) => a.name)).toContain('Accounts Receivable');
    expect(standard.salesTaxCodes.map((c) => [c.name, c.isTaxable])).toEqual([
      ['Tax', true],
      ['Non', false],
    ]);
    expect(new Set(standard.items.map((i) => i.type))).toEqual(new Set(['SalesTax', 'Service', 'NonInventory', 'OtherCharge', 'Subtotal', 'Discount']));
  });
});

describe('ids, EditSequence and timestamps', () => {
  it('formats ListIDs as hex counter, dash, Unix seconds and timestamps with the UTC offset', () => {
    const clock = () => new Date(Date.UTC(2026, 10, 25, 15, 11, 12));
    const company = new SimulatedCompanyFile(createCompanyFile({ utcOffsetMinutes: -300 }), clock);
    const first = company.newListCore('A');
    const second = company.newListCore('B');
    expect(first.listId).toBe(`80000001-${Date.UTC(2026, 10, 25, 15, 11, 12) / 1000}`);
    expect(second.listId).toBe(`80000002-${Date.UTC(2026, 10, 25, 15, 11, 12) / 1000}`);
    expect(first.timeCreated).toBe('2026-11-25T10:11:12-05:00');
    expect(first.editSequence).toBe(String(Date.UTC(2026, 10, 25, 15, 11, 12) / 1000));
  });

  it('changes the EditSequence on every change, even twice within one second', () => {
    const clock = () => new Date(Date.UTC(2026, 0, 1));
    const company = new SimulatedCompanyFile(createCompanyFile(), clock);
    const record = company.insert('customers', company.newListCore('Fast'));
    const seen = new Set([record.editSequence]);
    for (let i = 0; i < 3; i++) {
      company.touch(record);
      seen.add(record.editSequence);
    }
    expect(seen.size).toBe(4);
  });

  it('parses and formats DATETIMETYPE in both directions', () => {
    const instant = parseDateTime('2026-11-25T10:11:12-05:00', 0)!;
    expect(instant.toISOString()).toBe('2026-11-25T15:11:12.000Z');
    expect(formatDateTime(instant, 60)).toBe('2026-11-25T16:11:12+01:00');
    expect(parseDateTime('2026-11-25', -300)!.toISOString()).toBe('2026-11-25T05:00:00.000Z');
    expect(parseDateTime('yesterday', 0)).toBeUndefined();
  });
});

describe('customers and jobs (Parent:Child)', () => {
  it('builds full names and sublevels from ParentRef, and renames show up in the children', () => {
    const qb = newSimulator();
    const rs = run(
      qb,
      [
        '<CustomerAddRq><CustomerAdd><Name>Wayne Enterprises</Name></CustomerAdd></CustomerAddRq>',
        '<CustomerAddRq><CustomerAdd><Name>Batcave</Name><ParentRef><FullName>Wayne Enterprises</FullName></ParentRef></CustomerAdd></CustomerAddRq>',
        '<CustomerAddRq><CustomerAdd><Name>Phase 2</Name><ParentRef><FullName>wayne enterprises:batcave</FullName></ParentRef></CustomerAdd></CustomerAddRq>',
      ].join(''),
    );
    const phase2 = rs[2]!.rets[0];
    expect(text(phase2, 'FullName')).toBe('Wayne Enterprises:Batcave:Phase 2');
    expect(text(phase2, 'Sublevel')).toBe('2');
    expect(text(phase2, 'ParentRef', 'FullName')).toBe('Wayne Enterprises:Batcave');

    const parent = rs[0]!.rets[0];
    runOne(
      qb,
      `<CustomerModRq><CustomerMod><ListID>${text(parent, 'ListID')}</ListID><EditSequence>${text(parent, 'EditSequence')}</EditSequence><Name>Wayne Corp</Name></CustomerMod></CustomerModRq>`,
    );
    const after = runOne(qb, `<CustomerQueryRq><ListID>${text(phase2, 'ListID')}</ListID></CustomerQueryRq>`);
    expect(text(after.rets[0], 'FullName')).toBe('Wayne Corp:Batcave:Phase 2');
    expect(runOne(qb, '<CustomerQueryRq><FullName>Wayne Corp:Batcave</FullName></CustomerQueryRq>').statusCode).toBe(0);
  });

  it('refuses to make a customer its own descendant', () => {
    const qb = newSimulator();
    const acme = qb.companyFile.findByFullName('customers', 'Acme Corporation')!;
    const rs = runOne(
      qb,
      `<CustomerModRq><CustomerMod><ListID>${acme.listId}</ListID><EditSequence>${acme.editSequence}</EditSequence><ParentRef><FullName>Acme Corporation:Network Upgrade</FullName></ParentRef></CustomerMod></CustomerModRq>`,
    );
    expect(rs.statusCode).toBe(3140);
  });

  it('rolls a job balance up into the parent TotalBalance', () => {
    const qb = newSimulator();
    run(
      qb,
      '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme Corporation:Network Upgrade</FullName></CustomerRef><InvoiceLineAdd><Desc>Cabling</Desc><Amount>250.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>' +
        '<InvoiceAddRq><InvoiceAdd><CustomerRef><FullName>Acme Corporation</FullName></CustomerRef><InvoiceLineAdd><Desc>Audit</Desc><Amount>100.00</Amount></InvoiceLineAdd></InvoiceAdd></InvoiceAddRq>',
    );
    const [parent, job] = runOne(qb, '<CustomerQueryRq><FullName>Acme Corporation</FullName><FullName>Acme Corporation:Network Upgrade</FullName></CustomerQueryRq>').rets;
    expect([text(parent, 'Balance'), text(parent, 'TotalBalance')]).toEqual(['100.00', '350.00']);
    expect([text(job, 'Balance'), text(job, 'TotalBalance')]).toEqual(['250.00', '250.00']);
  });
});

describe('name uniqueness', () => {
  it('is one name space for customers, vendors, employees and other names (case-insensitive)', () => {
    const company = new SimulatedCompanyFile(createCompanyFile());
    company.insert('vendors', company.newListCore('Office Depot'));
    for (const list of ['customers', 'employees', 'otherNames', 'vendors'] as const) {
      let error: unknown;
      try {
        company.insert(list, company.newListCore('OFFICE DEPOT'));
      } catch (e) {
        error = e;
      }
      expect(error, list).toBeInstanceOf(QuickBooksError);
      expect((error as QuickBooksError).status).toMatchObject({ code: 3100, message: 'The name "OFFICE DEPOT" of the list element is already in use.' });
    }
  });

  it('keeps items, accounts and classes in their own name spaces', () => {
    const qb = newSimulator();
    // "Consulting" is an item in the standard seed; the same name is free as a customer, account and class.
    const rs = run(
      qb,
      [
        '<CustomerAddRq><CustomerAdd><Name>Consulting</Name></CustomerAdd></CustomerAddRq>',
        '<AccountAddRq><AccountAdd><Name>Consulting</Name><AccountType>Income</AccountType></AccountAdd></AccountAddRq>',
        '<ClassAddRq><ClassAdd><Name>Consulting</Name></ClassAdd></ClassAddRq>',
        '<ItemNonInventoryAddRq><ItemNonInventoryAdd><Name>consulting</Name><SalesOrPurchase><AccountRef><FullName>Sales</FullName></AccountRef></SalesOrPurchase></ItemNonInventoryAdd></ItemNonInventoryAddRq>',
      ].join(''),
      { onError: 'continueOnError' },
    );
    expect(rs.map((r) => r.statusCode)).toEqual([0, 0, 0, 3100]);
  });
});
