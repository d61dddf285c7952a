/** The parts of invoice translation the fixtures do not spell out one by one. */
import { describe, expect, test } from 'vitest';
import type { Address, Invoice, InvoiceLine } from '../../sdk/index.js';
import { fixtureContext, statusResponse, type FixtureContextData } from '../../sdk/testing/index.js';
import plugin from '../index.js';
import { itemNameSource, lineItem } from '../items.js';
import { quantityAndPrice } from '../rounding.js';

const line = (overrides: Partial<InvoiceLine> = {}): InvoiceLine => ({
  position: 1, billingItemKind: 'WORK_TYPE', billingItemId: 'wt-1', billingItemName: 'Remote Support', billingCodeId: null, roleName: 'Engineer',
  workTypeName: 'Remote Support', description: 'Remote support, November', quantity: '1', rate: '100', amount: '100.00', taxable: false,
  lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null, ...overrides,
});

const invoice = (lines: InvoiceLine[], overrides: Partial<Invoice> = {}): Invoice => ({
  id: 'inv-1', autotaskId: 1, organizationId: 'org-1', invoiceNumber: '1', invoiceDate: '2026-11-01', poNumber: null, paymentTermId: null,
  paymentTermName: null, transmissionMethod: null, total: '100.00', taxTotal: '0.00', lines, ...overrides,
});

const ctx = (data: FixtureContextData = {}) => fixtureContext({ customers: { 'org-1': { listId: '80000001-1' } }, ...data });

describe('quantity, rate and amount', () => {
  test.each([
    [{ quantity: '2', rate: '147.9', amount: '295.80' }, { Quantity: '2', Rate: '147.9' }],
    [{ quantity: '3', rate: '26.67', amount: '80.00' }, { Quantity: '3', Amount: '80.00' }],
    [{ quantity: '7', rate: '14.2857', amount: '100.00' }, { Quantity: '7', Rate: '14.2857' }],
    [{ quantity: '0', rate: '0', amount: '49.00' }, { Amount: '49.00' }],
    [{ quantity: '', rate: '', amount: '49' }, { Amount: '49.00' }],
    [{ quantity: '1', rate: '-25', amount: '-25.00' }, { Quantity: '1', Rate: '-25' }],
    [{ quantity: '1', rate: '12345678901', amount: '12345678901.00' }, { Quantity: '1', Amount: '12345678901.00' }],
  ])('%j → %j', (input, expected) => expect(quantityAndPrice(input)).toEqual(expected));
});

describe('item names', () => {
  test('each naming convention', () => {
    const labour = line();
    const material = line({ billingItemKind: 'MATERIAL', billingItemName: 'Dell~Latitude', roleName: null, workTypeName: null, description: 'A laptop' });
    const names = (convention: 'BILLING_ITEM_NAME' | 'ROLE_AND_WORK_TYPE' | 'LINE_DESCRIPTION') =>
      [labour, material].map((l) => itemNameSource(l, ctx({ connector: { itemNamingConvention: convention } })));
    expect(names('BILLING_ITEM_NAME')).toEqual(['Remote Support', 'Dell~Latitude']);
    expect(names('ROLE_AND_WORK_TYPE')).toEqual(['Engineer~Remote Support', 'Dell~Latitude']);
    expect(names('LINE_DESCRIPTION')).toEqual(['Remote support, November', 'A laptop']);
  });

  test('levels over 31 characters are shortened uniquely (or a problem under FAIL); an item type that cannot be created is a problem', () => {
    const long = lineItem(line({ billingItemName: 'Managed Services Platinum Plus Tier~Workstation' }), 0, ctx());
    expect(long).toMatchObject({ kind: 'create', path: [expect.stringMatching(/^Managed Services Platinum~[0-9A-Z]{5}$/), 'Workstation'], type: 'Service' });
    const other = lineItem(line({ billingItemName: 'Managed Services Platinum Plus Tier 2~Workstation' }), 0, ctx());
    expect(other.kind === 'create' && long.kind === 'create' && other.path[0] !== long.path[0]).toBe(true);
    const refused = lineItem(line({ billingItemName: 'Managed Services Platinum Plus Tier~Workstation' }), 1, ctx({ connector: { longNamePolicy: 'FAIL' } }));
    expect(refused).toMatchObject({ kind: 'problem', field: 'lines[1].billingItemName', message: expect.stringContaining('more than the 31 QuickBooks allows') });
    const inventory = lineItem(line(), 2, ctx({ mappings: { items: { 'WORK_TYPE:wt-1': { itemType: 'INVENTORY', autoCreate: true } } } }));
    expect(inventory).toMatchObject({ kind: 'problem', field: 'lines[2].billingItemId' });
  });
});

describe('classes and tax codes', () => {
  const body = (result: ReturnType<typeof plugin.translate>) =>
    result.kind === 'requests' ? (result.requests.at(-1)!.body['InvoiceAdd'] as { InvoiceLineAdd: Array<Record<string, unknown>> }) : undefined;

  test('a mapped line of business gives its class; an unmapped one none; no line of business the connector\'s', () => {
    const result = plugin.translate(
      invoice([line({ lineOfBusinessId: 'lob-1' }), line({ lineOfBusinessId: 'lob-unmapped' }), line({ lineOfBusinessId: null })], { total: '300.00' }),
      ctx({ connector: { noLineOfBusinessClass: 'Overhead' }, mappings: { classes: { 'lob-1': 'Projects' }, items: { 'WORK_TYPE:wt-1': { target: 'Remote Support' } } } }),
    );
    expect(body(result)?.InvoiceLineAdd.map((l) => l['ClassRef'])).toEqual([{ FullName: 'Projects' }, undefined, { FullName: 'Overhead' }]);
  });

  test('PSA tax without a tax item is a problem; a zero tax total adds no line', () => {
    const psa = { connector: { taxMode: 'PSA_TAX_AS_LINE' as const }, mappings: { items: { 'WORK_TYPE:wt-1': { target: 'Remote Support' } } } };
    expect(plugin.translate(invoice([line()], { taxTotal: '8.00' }), ctx(psa))).toMatchObject({ kind: 'invalid', problems: [{ field: 'connector.psaTaxItem' }] });
    expect(body(plugin.translate(invoice([line()]), ctx(psa)))?.InvoiceLineAdd).toHaveLength(1);
  });
});

describe('default-or-fail for unmapped classes, terms, tax codes and accounts', () => {
  const mapped = { items: { 'WORK_TYPE:wt-1': { target: 'Remote Support' } } };
  const unmappedInvoice = invoice([line({ lineOfBusinessId: 'lob-9', lineOfBusinessName: 'Security' })], { paymentTermId: 'pt-4', paymentTermName: 'Net 45' });
  const add = (result: ReturnType<typeof plugin.translate>) =>
    result.kind === 'requests' ? (result.requests.at(-1)!.body['InvoiceAdd'] as Record<string, unknown> & { InvoiceLineAdd: Array<Record<string, unknown>> }) : undefined;

  test('OMIT (the default) leaves the references out', () => {
    const body = add(plugin.translate(unmappedInvoice, ctx({ mappings: mapped })));
    expect(body?.['TermsRef']).toBeUndefined();
    expect(body?.InvoiceLineAdd[0]).not.toHaveProperty('ClassRef');
    expect(body?.InvoiceLineAdd[0]).not.toHaveProperty('SalesTaxCodeRef');
  });

  test('USE_DEFAULT sends the named defaults; a mapping still wins', () => {
    const connector = {
      unmappedPolicies: {
        LINE_OF_BUSINESS: { onUnmapped: 'USE_DEFAULT' as const, default: 'Unassigned' },
        PAYMENT_TERM: { onUnmapped: 'USE_DEFAULT' as const, default: 'Net 30' },
        TAXABILITY: { onUnmapped: 'USE_DEFAULT' as const, default: 'Non' },
      },
    };
    const body = add(plugin.translate(unmappedInvoice, ctx({ connector, mappings: mapped })));
    expect(body?.['TermsRef']).toEqual({ FullName: 'Net 30' });
    expect(body?.InvoiceLineAdd[0]).toMatchObject({ ClassRef: { FullName: 'Unassigned' }, SalesTaxCodeRef: { FullName: 'Non' } });
    const withMapping = add(plugin.translate(unmappedInvoice, ctx({ connector, mappings: { ...mapped, classes: { 'lob-9': 'Security' } } })));
    expect(withMapping?.InvoiceLineAdd[0]?.['ClassRef']).toEqual({ FullName: 'Security' });
  });

  test('FAIL names every unmapped value at once, with its field', () => {
    const fail = { onUnmapped: 'FAIL' as const };
    const connector = { unmappedPolicies: { LINE_OF_BUSINESS: fail, PAYMENT_TERM: fail, TAXABILITY: fail, BILLING_CODE: fail } };
    const autoCreated = invoice([line({ lineOfBusinessId: 'lob-9', lineOfBusinessName: 'Security', billingCodeId: 'bc-7' })], { paymentTermId: 'pt-4', paymentTermName: 'Net 45' });
    const result = plugin.translate(autoCreated, ctx({ connector }));
    expect(result).toEqual({
      kind: 'invalid',
      problems: [
        { field: 'lines[0].billingCodeId', message: expect.stringContaining('billing code to a QuickBooks income account (billing code bc-7)') },
        { field: 'lines[0].lineOfBusinessId', message: expect.stringContaining('line of business to a QuickBooks class (line of business Security)') },
        { field: 'lines[0].taxable', message: expect.stringContaining('taxability to a QuickBooks sales tax code (NON_TAXABLE)') },
        { field: 'paymentTermId', message: expect.stringContaining('payment term to QuickBooks terms (payment term Net 45)') },
      ],
    });
  });

  test('BILLING_CODE: USE_DEFAULT with another account than defaultIncomeAccount', () => {
    const connector = { unmappedPolicies: { BILLING_CODE: { onUnmapped: 'USE_DEFAULT' as const, default: 'Income:Unmapped' } } };
    const item = lineItem(line({ billingCodeId: 'bc-7' }), 0, ctx({ connector }));
    expect(item).toMatchObject({ kind: 'create', account: { fullName: 'Income:Unmapped' } });
    expect(lineItem(line({ billingCodeId: 'bc-7' }), 0, ctx())).toMatchObject({ kind: 'create', account: { fullName: 'Autotask Other' } });
  });
});

describe('answers', () => {
  test('a warning is kept in the note', () => {
    const request = { type: 'InvoiceAddRq', role: 'main' as const, body: {} };
    const response = statusResponse('InvoiceAddRs', { statusCode: 530, statusMessage: 'A field was ignored.' }, { InvoiceRet: { TxnID: 'T1', RefNumber: '9', Subtotal: '100.00' } });
    const outcome = plugin.handleResponse(response, { connector: ctx().connector, request, followUps: 0, entity: invoice([line()]) });
    expect(outcome).toEqual({ kind: 'succeeded', ids: { txnId: 'T1', refNumber: '9', editSequence: null }, note: 'Invoice 9 added. QuickBooks warned: A field was ignored.' });
  });
});

describe('Bill To', () => {
  const street: Address = { attention: null, line1: '1200 Harbor Blvd', line2: null, city: 'Oxnard', state: 'CA', postalCode: '93035', country: 'US' };
  const organization = { id: 'org-1', autotaskId: 1, name: 'Contoso Dental', parentAutotaskId: null, address: street, billingAddress: null, phone: null, fax: null, email: null, taxExempt: false, paymentTermId: null, paymentTermName: null };
  const billAddress = (billingAddress: Address | null) => {
    const result = plugin.translate(
      invoice([line()]),
      ctx({ mappings: { items: { 'WORK_TYPE:wt-1': { target: 'Remote Support' } } }, entities: { ORGANIZATION: { 'org-1': { ...organization, billingAddress } } } }),
    );
    return result.kind === 'requests' ? (result.requests.at(-1)!.body['InvoiceAdd'] as Record<string, unknown>)['BillAddress'] : result;
  };

  test("only a billing address that differs from the organization's is sent (else QuickBooks copies the customer's)", () => {
    expect(billAddress(null)).toBeUndefined();
    expect(billAddress({ ...street, line1: ' 1200 HARBOR BLVD ' })).toBeUndefined();
    expect(billAddress({ ...street, attention: 'Accounts Payable', line1: 'PO Box 4410', postalCode: '93031' })).toEqual({
      Addr1: 'Contoso Dental', Addr2: 'Accounts Payable', Addr3: 'PO Box 4410', City: 'Oxnard', State: 'CA', PostalCode: '93031', Country: 'US',
    });
  });
});

describe('lines billed to a parent organization', () => {
  test("a sub-organization's line starts its description with the sub-organization's name", () => {
    const result = plugin.translate(
      invoice([line({ subOrganizationName: ' Contoso West ' }), line({ position: 2, subOrganizationName: null })], { total: '200.00' }),
      ctx({ mappings: { items: { 'WORK_TYPE:wt-1': { target: 'Remote Support' } } } }),
    );
    const add = result.kind === 'requests' ? (result.requests.at(-1)!.body['InvoiceAdd'] as { InvoiceLineAdd: Array<Record<string, unknown>> }) : undefined;
    expect(add?.InvoiceLineAdd.map((l) => l['Desc'])).toEqual(['Contoso West: Remote support, November', 'Remote support, November']);
  });
});
