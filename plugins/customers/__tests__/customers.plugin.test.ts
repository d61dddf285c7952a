import { describe, expect, test } from 'vitest';
import { definePluginConformanceSuite, fixtureContext } from '../../sdk/testing/index.js';
import { customerName, isSameCustomerName, withSuffix } from '../customer-request.js';
import plugin from '../index.js';

definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });

describe('customer names', () => {
  test('jobs, the 41-character limit and the collision suffix', () => {
    expect(customerName({ name: 'Acme~Network Upgrade~Phase 2' })).toEqual({
      path: ['Acme', 'Network Upgrade', 'Phase 2'],
      fullName: 'Acme:Network Upgrade:Phase 2',
      name: 'Phase 2',
      parentFullName: 'Acme:Network Upgrade',
    });
    const long = 'Northwind Traders Regional Medical Partners LLC';
    expect(customerName({ name: long })?.name).toBe(long.slice(0, 41));
    expect(withSuffix(long)).toBe('Northwind Traders Regional Medical Pa (C)');
    expect(withSuffix(long)).toHaveLength(41);
    expect(isSameCustomerName('initech (c)', customerName({ name: 'Initech' })!)).toBe(true);
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
