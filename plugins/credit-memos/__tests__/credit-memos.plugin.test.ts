import { describe, expect, test } from 'vitest';
import { fixtureContext } from '../../sdk/testing/index.js';
import { definePluginConformanceSuite } from '../../sdk/testing/index.js';
import plugin from '../index.js';

// The whole conformance suite, from the fixtures in ../__fixtures__ (cases, sample responses, golden files).
definePluginConformanceSuite(plugin, { dir: new URL('../__fixtures__/', import.meta.url) });

// Plugin-specific checks go next to it, with a context built from plain data.
describe('credit-memos', () => {
  test('credits every line with a positive amount', () => {
    const ctx = fixtureContext({
      customers: { 'org-1': { listId: '80000001-1', fullName: 'Acme' } },
      mappings: { items: { 'SERVICE:9': { target: 'Managed Services' } } },
    });
    const result = plugin.translate(
      {
        id: 'inv-1', autotaskId: 7, organizationId: 'org-1', invoiceNumber: null, invoiceDate: '2026-01-31', poNumber: null,
        paymentTermId: null, paymentTermName: null, transmissionMethod: null, total: '-99.50', taxTotal: '0',
        lines: [
          { position: 1, billingItemKind: 'SERVICE', billingItemId: '9', billingItemName: 'Managed Services', billingCodeId: null, roleName: null, workTypeName: null,
            description: 'Credit: outage in January', quantity: '-1', rate: '99.5', amount: '-99.5', taxable: false, lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null },
        ],
      },
      ctx,
    );
    expect(result.kind).toBe('requests');
    const memo = result.kind === 'requests' ? (result.requests[0]!.body['CreditMemoAdd'] as { CreditMemoLineAdd: Array<Record<string, unknown>> }) : undefined;
    expect(memo?.CreditMemoLineAdd[0]).toMatchObject({ Quantity: '1', Amount: '99.50' });
  });
});
