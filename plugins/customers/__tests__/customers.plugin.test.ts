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
