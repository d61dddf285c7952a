import { describe, expect, test } from 'vitest';
import { definePluginConformanceSuite, fixtureContext } from '../../sdk/testing/index.js';
import { customerName, fittedCustomerName, isSameCustomerName, withSuffix } from '../customer-request.js';
import plugin from '../index.js';

definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });

const SHORTEN = { longNamePolicy: 'SHORTEN' } as const;

describe('customer names', () => {
  test('jobs, the 41-character limit and the collision suffix', () => {
    expect(customerName({ name: 'Acme~Network Upgrade~Phase 2' }, SHORTEN)).toEqual({
      path: ['Acme', 'Network Upgrade', 'Phase 2'],
      fullName: 'Acme:Network Upgrade:Phase 2',
      name: 'Phase 2',
      parentFullName: 'Acme:Network Upgrade',
      shortened: [],
      legacyFullName: 'Acme:Network Upgrade:Phase 2',
    });
    const long = 'Northwind Traders Regional Medical Partners LLC';
    const shortened = customerName({ name: long }, SHORTEN)!.name;
    expect(shortened).toMatch(/^Northwind Traders Regional Medical~[0-9A-Z]{5}$/);
    expect(withSuffix(shortened)).toHaveLength(41);
    expect(withSuffix(shortened)).toMatch(/^Northwind Traders Regional Medi~[0-9A-Z]{5} \(C\)$/);
    expect(isSameCustomerName('initech (c)', customerName({ name: 'Initech' }, SHORTEN)!)).toBe(true);
  });

  test('two organizations sharing their first 41 characters get two different names, or a problem under FAIL', () => {
    const a = 'Contoso Pharmaceuticals International Hold A';
    const b = 'Contoso Pharmaceuticals International Hold B';
    expect(a.slice(0, 41)).toBe(b.slice(0, 41));
    const nameA = customerName({ name: a }, SHORTEN)!;
    const nameB = customerName({ name: b }, SHORTEN)!;
    expect(nameA.fullName).not.toBe(nameB.fullName);
    expect(nameA.shortened).toEqual([a]);
    expect(customerName({ name: a }, SHORTEN)).toEqual(nameA); // deterministic
    expect(fittedCustomerName({ name: a }, { longNamePolicy: 'FAIL' })).toEqual({ problem: expect.stringContaining('44 characters, more than the 41') });
  });

  test('a customer found by name that another organization owns is not linked', () => {
    const organization = { id: 'org-2', autotaskId: 2, name: 'Initech', parentAutotaskId: null, address: null, billingAddress: null, phone: null, fax: null, email: null, taxExempt: false, paymentTermId: null, paymentTermName: null };
    const lookups = fixtureContext({ customerOwners: { '80000001-1': 'org-1' } });
    const request = { type: 'CustomerQueryRq', role: 'main', body: { FullName: ['Initech'] } } as const;
    const response = { type: 'CustomerQueryRs', statusCode: 0, statusSeverity: 'Info', statusMessage: 'Status OK', body: { CustomerRet: { ListID: '80000001-1', FullName: 'Initech', EditSequence: '1' } } };
    const owned = plugin.handleResponse(response, { connector: lookups.connector, request, followUps: 0, entity: organization, lookups });
    expect(owned).toMatchObject({ kind: 'failed', hint: expect.stringContaining('already belongs to another organization') });
    const own = plugin.handleResponse(response, { connector: lookups.connector, request, followUps: 0, entity: { ...organization, id: 'org-1' }, lookups });
    expect(own).toMatchObject({ kind: 'succeeded', ids: { listId: '80000001-1' } });
  });

  test('an organization linked by ListID and EditSequence is modified without being renamed when only the case differs', () => {
    const ctx = fixtureContext({ customers: { 'org-1': { listId: 'L1', editSequence: '7', fullName: 'GLOBEX INC' } } });
    const result = plugin.translate(
      { id: 'org-1', autotaskId: 1, name: 'Globex Inc', parentAutotaskId: null, address: null, billingAddress: null, phone: null, fax: null, email: null, taxExempt: false, paymentTermId: null, paymentTermName: null },
      ctx,
    );
    expect(result).toEqual({ kind: 'requests', requests: [{ type: 'CustomerModRq', role: 'main', body: { CustomerMod: { ListID: 'L1', EditSequence: '7', CompanyName: 'Globex Inc' } } }] });
  });
});

describe('a name a vendor, employee or other name already holds (the synced lists)', () => {
  const initech = { id: 'org-3', autotaskId: 3, name: 'Initech', parentAutotaskId: null, address: null, billingAddress: null, phone: null, fax: null, email: null, taxExempt: false, paymentTermId: null, paymentTermName: null };
  const noMatch = { type: 'CustomerQueryRs', statusCode: 1, statusSeverity: 'Info', statusMessage: 'No match', body: {} };

  test('under FAIL the customer fails before anything is sent, naming the clash', () => {
    const ctx = fixtureContext({ names: { OTHER_NAME: ['INITECH'] } });
    expect(plugin.translate(initech, ctx)).toEqual({
      kind: 'invalid',
      problems: [{ field: 'name', message: expect.stringContaining('The name "Initech" is already used in QuickBooks by the other name "INITECH"') }],
    });
    expect(plugin.translate(initech, fixtureContext({ names: { VENDOR: ['Initrode'] } }))).toMatchObject({ kind: 'requests' });
  });

  test("a job whose top customer's name a vendor holds fails under either policy", () => {
    for (const customerNameCollision of ['FAIL', 'SUFFIX'] as const) {
      const ctx = fixtureContext({ connector: { customerNameCollision }, names: { VENDOR: ['Initech'] } });
      expect(plugin.translate({ ...initech, name: 'Initech~Migration' }, ctx)).toMatchObject({
        kind: 'invalid',
        problems: [{ field: 'name', message: expect.stringContaining('The parent customer "Initech" of this job cannot be added: QuickBooks has the vendor "Initech"') }],
      });
    }
  });

  test('under SUFFIX the customer is looked up by both names and added suffixed at once', () => {
    const lookups = fixtureContext({ connector: { customerNameCollision: 'SUFFIX' }, names: { EMPLOYEE: ['Initech'] } });
    const translated = plugin.translate(initech, lookups);
    expect(translated).toEqual({ kind: 'requests', requests: [{ type: 'CustomerQueryRq', role: 'main', body: expect.objectContaining({ FullName: ['Initech', 'Initech (C)'] }) }] });
    if (translated.kind !== 'requests') throw new Error(`expected requests, got ${translated.kind}`);
    const request = translated.requests[0]!;
    const outcome = plugin.handleResponse(noMatch, { connector: lookups.connector, request, followUps: 0, entity: initech, lookups });
    expect(outcome).toMatchObject({ kind: 'followUp', requests: [{ type: 'CustomerAddRq', body: { CustomerAdd: { Name: 'Initech (C)' } } }], note: expect.stringContaining('adding it as "Initech (C)"') });
    // Without the clash the plain name is added.
    const free = fixtureContext({ connector: { customerNameCollision: 'SUFFIX' } });
    expect(plugin.handleResponse(noMatch, { connector: free.connector, request, followUps: 0, entity: initech, lookups: free })).toMatchObject({
      requests: [{ body: { CustomerAdd: { Name: 'Initech' } } }],
    });
  });
});

describe('sales rep and customer type (the synced lists)', () => {
  const initech = {
    id: 'org-4', autotaskId: 4, name: 'Initech', parentAutotaskId: null, address: null, billingAddress: null, phone: null, fax: null, email: null,
    taxExempt: false, paymentTermId: null, paymentTermName: null, ownerResourceId: 29682885, classificationId: '2',
  };
  const noMatch = { type: 'CustomerQueryRs', statusCode: 1, statusSeverity: 'Info', statusMessage: 'No match', body: {} };
  const lists = {
    ACCOUNT_MANAGER: [{ listId: '80000001-1', fullName: 'JD', type: null, isActive: true }, { listId: '80000002-1', fullName: 'MS', type: null, isActive: false }],
    CLASSIFICATION: [{ listId: '80000003-1', fullName: 'Commercial:Managed', type: null, isActive: true }],
  };

  test('mapped ones go by ListID as SalesRepRef and CustomerTypeRef on the CustomerAdd', () => {
    const lookups = fixtureContext({ lists, mappings: { listed: { ACCOUNT_MANAGER: { '29682885': 'jd' }, CLASSIFICATION: { '2': 'Commercial:Managed' } } } });
    const translated = plugin.translate(initech, lookups);
    if (translated.kind !== 'requests') throw new Error(`expected requests, got ${translated.kind}`);
    const outcome = plugin.handleResponse(noMatch, { connector: lookups.connector, request: translated.requests[0]!, followUps: 0, entity: initech, lookups });
    expect(outcome).toMatchObject({
      kind: 'followUp',
      requests: [{ body: { CustomerAdd: { SalesRepRef: { ListID: '80000001-1' }, CustomerTypeRef: { ListID: '80000003-1' } } } }],
    });
  });

  test('one the synced list lacks (or has inactive) fails before sending with NOT_IN_QUICKBOOKS_LIST; unmapped under FAIL names what to map', () => {
    const gone = fixtureContext({ lists, mappings: { listed: { ACCOUNT_MANAGER: { '29682885': 'MS' }, CLASSIFICATION: { '2': 'Residential' } } } });
    expect(plugin.translate(initech, gone)).toEqual({
      kind: 'invalid',
      problems: [
        expect.objectContaining({ field: 'ownerResourceId', code: 'NOT_IN_QUICKBOOKS_LIST', message: expect.stringContaining('the sales rep "MS" is inactive in QuickBooks') }),
        expect.objectContaining({ field: 'classificationId', code: 'NOT_IN_QUICKBOOKS_LIST', message: expect.stringContaining('QuickBooks has no customer type "Residential"') }),
      ],
    });
    // Lists never synced: the mapping is sent as it is, by name.
    const unsynced = fixtureContext({ mappings: { listed: { ACCOUNT_MANAGER: { '29682885': 'MS' } } } });
    expect(plugin.translate(initech, unsynced)).toMatchObject({ kind: 'requests' });
    const failing = fixtureContext({ lists, connector: { unmappedPolicies: { CLASSIFICATION: { onUnmapped: 'FAIL' } } } });
    expect(plugin.translate(initech, failing)).toEqual({
      kind: 'invalid',
      problems: [{ field: 'classificationId', message: expect.stringContaining('Map the classification to a QuickBooks customer type (classification 2)') }],
    });
  });
});
