/**
 * The built-in plugins against the QuickBooks simulator, the way the host drives them in a Web Connector
 * session: an organization becomes a customer, its invoice (with items created on the way) an invoice, and
 * a partial payment a received payment applied to it; name collisions, jobs, stale EditSequences and
 * reconciliation behave as QuickBooks makes them behave.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { createCompanyFile, QuickBooksSimulator } from '../../src/simulator/quickbooks.js';
import { validator } from '../../test/helpers/spec.js';
import customers from '../customers/index.js';
import invoices from '../invoices/index.js';
import payments from '../payments/index.js';
import type { Invoice, Organization, Payment, QuickBooksIds } from '../sdk/index.js';
import { fixtureContext, type FixtureContextData } from '../sdk/testing/index.js';
import { reconcileThroughSimulator, sendToSimulator, transferThroughSimulator } from '../sdk/testing/simulator.js';

const organization = (overrides: Partial<Organization> = {}): Organization => ({
  id: 'org-1',
  autotaskId: 100,
  name: 'Contoso Dental Group',
  parentAutotaskId: null,
  address: { attention: null, line1: '1200 Harbor Blvd', line2: null, city: 'Oxnard', state: 'CA', postalCode: '93035', country: null },
  billingAddress: null,
  phone: '(805) 555-0142',
  fax: null,
  email: 'ap@contosodental.example',
  taxExempt: false,
  paymentTermId: 'term-30',
  paymentTermName: 'Net 30',
  ...overrides,
});

const invoice: Invoice = {
  id: 'inv-1',
  autotaskId: 1043,
  organizationId: 'org-1',
  invoiceNumber: '1043',
  invoiceDate: '2026-11-20',
  poNumber: 'PO-1',
  paymentTermId: 'term-30',
  paymentTermName: 'Net 30',
  transmissionMethod: 'EMAIL',
  total: '1023.33',
  taxTotal: '0.00',
  lines: [
    { position: 1, billingItemKind: 'WORK_TYPE', billingItemId: 'wt-1', billingItemName: 'Consulting', billingCodeId: null, roleName: 'Engineer', workTypeName: 'Consulting', description: 'Consulting', quantity: '2', rate: '150', amount: '300.00', taxable: false, lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: '2026-11-12' },
    { position: 2, billingItemKind: 'WORK_TYPE', billingItemId: 'wt-2', billingItemName: 'On-Site', billingCodeId: 'bc-labor', roleName: 'Engineer', workTypeName: 'On-Site', description: 'On-site visit', quantity: '3', rate: '165', amount: '495.00', taxable: false, lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null },
    { position: 3, billingItemKind: 'MATERIAL', billingItemId: 'm-1', billingItemName: 'Dell~Latitude 5440', billingCodeId: 'bc-hw', roleName: null, workTypeName: null, description: 'Laptop', quantity: '1', rate: '200', amount: '200.00', taxable: false, lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null },
    // A grouped line: QuickBooks derives the rate from quantity and amount.
    { position: 4, billingItemKind: 'EXPENSE_CATEGORY', billingItemId: 'e-1', billingItemName: 'Mileage', billingCodeId: null, roleName: null, workTypeName: null, description: 'Mileage (grouped)', quantity: '3', rate: '9.44', amount: '28.33', taxable: false, lineOfBusinessId: null, lineOfBusinessName: null, serviceDate: null },
  ],
};

const payment: Payment = { id: 'pay-1', externalId: 'AT-PAY-1', invoiceId: 'inv-1', amount: '500.00', paymentDate: '2026-11-27', paymentMethod: 'Check', depositAccount: null, reference: '4417' };

describe('built-in plugins against the QuickBooks simulator', () => {
  let qb: QuickBooksSimulator;
  let data: { customers: Record<string, QuickBooksIds>; transferred: { INVOICE: Record<string, QuickBooksIds> } };
  const context = (extra: FixtureContextData = {}) =>
    fixtureContext({
      connector: { itemNamingConvention: 'ROLE_AND_WORK_TYPE', defaultIncomeAccount: 'Services', ...extra.connector },
      customers: data.customers,
      transferred: data.transferred,
      entities: { ORGANIZATION: { 'org-1': organization() }, INVOICE: { 'inv-1': invoice } },
      mappings: {
        terms: { 'term-30': 'Net 30' },
        salesTaxCodes: { taxable: 'Tax', nonTaxable: 'Non' },
        incomeAccounts: { 'bc-hw': 'Sales' },
        items: { 'WORK_TYPE:wt-1': { target: 'Consulting', itemType: 'SERVICE' } },
        ...extra.mappings,
      },
    });

  beforeEach(() => {
    qb = new QuickBooksSimulator({ validator, company: createCompanyFile({ seed: 'standard', preferences: { salesTaxEnabled: true } }) });
    data = { customers: {}, transferred: { INVOICE: {} } };
  });

  test('organization → customer, invoice with new items → invoice, partial payment → payment; reconcile finds each', () => {
    const customer = transferThroughSimulator(customers, organization(), context(), qb);
    expect(customer.rounds.map((r) => r.requests.map((q) => q.type))).toEqual([['CustomerQueryRq'], ['CustomerAddRq']]);
    expect(customer.outcome).toMatchObject({ kind: 'succeeded', ids: { fullName: 'Contoso Dental Group' } });
    data.customers['org-1'] = (customer.outcome as { ids: QuickBooksIds }).ids;
    expect(qb.companyFile.findByFullName('customers', 'Contoso Dental Group')?.fields).toMatchObject({ Phone: '(805) 555-0142' });

    const added = transferThroughSimulator(invoices, invoice, context(), qb);
    expect(added.rounds).toHaveLength(1);
    // Every prerequisite item add succeeded (nothing existed yet), then the invoice.
    expect(added.rounds[0]!.responses.map((r) => r.statusCode)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(added.outcome).toMatchObject({ kind: 'succeeded', note: 'Invoice 1 added.' });
    const ids = (added.outcome as { ids: QuickBooksIds }).ids;
    expect(ids.txnId).toBeTruthy();
    for (const name of ['Engineer:On-Site', 'Dell:Latitude 5440', 'Mileage']) expect(qb.companyFile.findByFullName('items', name), name).toBeDefined();
    data.transferred.INVOICE['inv-1'] = ids;

    // Had the answer been lost, re-sending would add a second invoice: reconcile finds this one by its stamp.
    expect(reconcileThroughSimulator(invoices, invoice, context(), qb)).toEqual({ found: ids });

    const paid = transferThroughSimulator(payments, payment, context(), qb);
    expect(paid.outcome).toMatchObject({ kind: 'succeeded', note: 'Payment of 500.00 received.' });
    expect(reconcileThroughSimulator(payments, payment, context(), qb)).toMatchObject({ found: { txnId: (paid.outcome as { ids: QuickBooksIds }).ids.txnId } });

    const balance = sendToSimulator(qb, [{ type: 'InvoiceQueryRq', role: 'main', body: { TxnID: [ids.txnId!] } }], '13.0')[0]!;
    expect((balance.body['InvoiceRet'] as Record<string, string>)['BalanceRemaining']).toBe('523.33');

    // Paying more than is left fails with a hint.
    const over = transferThroughSimulator(payments, { ...payment, id: 'pay-2', externalId: 'AT-PAY-2', amount: '600.00' }, context(), qb);
    expect(over.outcome).toMatchObject({ kind: 'failed', statusCode: '3210' });
  });

  test('totals that differ succeed with a TOTAL_MISMATCH alert', () => {
    data.customers['org-1'] = (transferThroughSimulator(customers, organization(), context(), qb).outcome as { ids: QuickBooksIds }).ids;
    const outcome = transferThroughSimulator(invoices, { ...invoice, total: '1023.34' }, context(), qb).outcome;
    const difference = "QuickBooks total 1023.33 differs from Autotask's 1023.34 by 0.01";
    expect(outcome).toMatchObject({
      kind: 'succeeded',
      note: expect.stringContaining(`Invoice 1 added. ${difference}`),
      alerts: [{ code: 'TOTAL_MISMATCH', message: expect.stringContaining(difference), autotaskAmount: '1023.34', quickBooksAmount: '1023.33' }],
    });
  });

  test('an invoice waits for its customer', () => {
    expect(transferThroughSimulator(invoices, invoice, context(), qb).translation).toMatchObject({ kind: 'waitFor', entityType: 'ORGANIZATION', entityId: 'org-1' });
  });

  test('an existing customer of that name is linked, not added', () => {
    const outcome = transferThroughSimulator(customers, organization({ name: 'Globex Inc' }), context(), qb).outcome;
    expect(outcome).toMatchObject({ kind: 'succeeded', ids: { fullName: 'Globex Inc', listId: qb.companyFile.findByFullName('customers', 'Globex Inc')!.listId } });
  });

  test('a job under an existing customer: the parent prerequisite answers 3100, the job is added', () => {
    const run = transferThroughSimulator(customers, organization({ name: 'Acme Corporation~Server Refresh' }), context(), qb);
    expect(run.rounds[1]!.responses.map((r) => r.statusCode)).toEqual([3100, 0]);
    expect(run.outcome).toMatchObject({ kind: 'succeeded', ids: { fullName: 'Acme Corporation:Server Refresh' } });
  });

  test('a name used by a vendor: suffixed under SUFFIX, a failure with a hint under FAIL', () => {
    sendToSimulator(qb, [{ type: 'VendorAddRq', role: 'main', body: { VendorAdd: { Name: 'Contoso Dental Group' } } }], '13.0');
    const failed = transferThroughSimulator(customers, organization(), context({ connector: { customerNameCollision: 'FAIL' } }), qb).outcome;
    expect(failed).toMatchObject({ kind: 'failed', statusCode: '3100' });
    expect((failed as { hint: string }).hint).toContain('SUFFIX');

    const suffixed = transferThroughSimulator(customers, organization(), context({ connector: { customerNameCollision: 'SUFFIX' } }), qb);
    expect(suffixed.outcome).toMatchObject({ kind: 'succeeded', ids: { fullName: 'Contoso Dental Group (C)' } });
    // Next time the suffixed customer is found by name, and reconcile finds it too.
    const again = transferThroughSimulator(customers, organization(), context({ connector: { customerNameCollision: 'SUFFIX' } }), qb);
    expect(again.rounds).toHaveLength(1);
    expect(again.outcome).toMatchObject({ kind: 'succeeded', ids: { fullName: 'Contoso Dental Group (C)' } });
    expect(reconcileThroughSimulator(customers, organization(), context({ connector: { customerNameCollision: 'SUFFIX' } }), qb)).toMatchObject({
      found: { fullName: 'Contoso Dental Group (C)' },
    });
  });

  test('a stale EditSequence: the customer is read again and modified once', () => {
    const ids = (transferThroughSimulator(customers, organization(), context(), qb).outcome as { ids: QuickBooksIds }).ids;
    data.customers['org-1'] = { ...ids, editSequence: '1' }; // someone edited the customer in QuickBooks since
    const run = transferThroughSimulator(customers, organization({ name: 'Contoso Dental', phone: '805-555-0199' }), context(), qb);
    expect(run.rounds.map((r) => r.responses[0]!.statusCode)).toEqual([3200, 0, 0]);
    expect(run.outcome).toMatchObject({ kind: 'succeeded', ids: { listId: ids.listId, fullName: 'Contoso Dental' } });
    expect(qb.companyFile.findByFullName('customers', 'Contoso Dental')?.fields).toMatchObject({ Phone: '805-555-0199' });
  });

  test('under the FAIL policy nothing is sent for unmapped items', () => {
    data.customers['org-1'] = (transferThroughSimulator(customers, organization(), context(), qb).outcome as { ids: QuickBooksIds }).ids;
    const run = transferThroughSimulator(invoices, invoice, context({ connector: { missingMappingPolicy: 'FAIL' } }), qb);
    expect(run.translation).toMatchObject({ kind: 'invalid' });
    expect((run.translation.kind === 'invalid' ? run.translation.problems : []).map((p) => p.field)).toEqual([
      'lines[1].billingItemId',
      'lines[2].billingItemId',
      'lines[3].billingItemId',
    ]);
    expect(run.rounds).toEqual([]);
  });
});
