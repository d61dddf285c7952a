/** Autotask records → our push inputs (mapping.ts), checked against the inputs' own validation rules. */
import { validate } from 'class-validator';
import { describe, expect, test } from 'vitest';
import { MappingSourceKind } from '../../src/modules/mapping/mapping-source.js';
import { ExpenseReportStatus } from '../../src/modules/expenses/expense-report-status.js';
import {
  billingItemKind,
  billingItemToLine,
  companyToOrganization,
  customerToCompany,
  dateOnly,
  decimal,
  expenseItemToInput,
  expenseReportStatusesFromLabels,
  expenseReportToInput,
  invoiceToInput,
  resourceToInput,
  timeEntryToInput,
  toAutotaskDate,
  toAutotaskDateTime,
  type InvoiceLookups,
} from '../../src/psa/autotask/mapping.js';
import type { AtBillingItem, AtCompany, AtExpenseItem, AtExpenseReport, AtInvoice, AtResource, AtTimeEntry } from '../../src/psa/autotask/types.js';
import { billingItem, company, expenseItem, expenseReport, invoice, resource, timeEntry } from './helpers/fake-autotask.js';

const lookups: InvoiceLookups = {
  billingCodes: new Map([
    [29682801, { id: 29682801, name: 'Onsite Support', useType: 1 }],
    [29682844, { id: 29682844, name: 'Hardware', useType: 3 }],
  ]),
  roles: new Map([[29683461, { id: 29683461, name: 'Field Technician' }]]),
  kindRules: new Map(),
  paymentTerms: new Map([[2, { id: 2, name: 'Net 30' }]]),
};

const labour = billingItem(7013377, 29684012, 29683616) as unknown as AtBillingItem;
const material = billingItem(7013378, 29684012, 29683616, {
  billingCodeID: 29682844, billingItemType: 4, description: 'APC RBC7 replacement battery cartridge', extendedPrice: 178, itemName: 'UPS Battery RBC7',
  lineItemFullDescription: 'UPS Battery RBC7: APC RBC7 replacement battery cartridge', quantity: 2, rate: 89, roleID: null, taxDollars: 12.46,
  ticketChargeID: 1201, timeEntryID: null, sortOrderID: 1,
}) as unknown as AtBillingItem;

async function problems(input: object): Promise<string[]> {
  const flat = (errors: Awaited<ReturnType<typeof validate>>, prefix = ''): string[] =>
    errors.flatMap((e) => [...Object.values(e.constraints ?? {}).map((m) => `${prefix}${e.property}: ${m}`), ...flat(e.children ?? [], `${prefix}${e.property}.`)]);
  return flat(await validate(input, { forbidUnknownValues: false }));
}

describe('invoices', () => {
  test("the docs' example invoice with its two billing items", async () => {
    const input = invoiceToInput(invoice(29684012, 29683616, { orderNumber: 'PO-7781' }) as unknown as AtInvoice, [labour, material], lookups);
    expect(input).toMatchObject({
      autotaskId: 29684012,
      organizationAutotaskId: 29683616,
      invoiceNumber: null,
      invoiceDate: '2024-05-01',
      poNumber: 'PO-7781',
      paymentTermId: '2',
      paymentTermName: 'Net 30',
      total: '452.96',
      taxTotal: '12.46',
      paidDate: null,
    });
    // sortOrderID first (the material has 1, the labour none), then id.
    expect(input.lines.map((l) => l.billingItemKind)).toEqual([MappingSourceKind.MATERIAL, MappingSourceKind.WORK_TYPE]);
    expect(input.lines[1]).toMatchObject({
      billingItemKind: MappingSourceKind.WORK_TYPE,
      billingItemId: '29682801',
      billingItemName: 'Onsite Support',
      billingCodeId: '29682801',
      roleName: 'Field Technician',
      workTypeName: 'Onsite Support',
      description: 'Onsite Support: Replaced failing UPS battery in server room',
      quantity: '1.7500',
      rate: '150.0000',
      amount: '262.50',
      taxable: false,
      lineOfBusinessId: '3',
      serviceDate: '2024-04-17',
    });
    expect(input.lines[0]).toMatchObject({ billingItemKind: 'MATERIAL', billingItemId: '29682844', workTypeName: null, roleName: null, amount: '178.00', taxable: true });
    expect(await problems(input)).toEqual([]);
  });

  test('a description is built when lineItemFullDescription is empty; amounts round to the column scale', () => {
    const line = billingItemToLine({ ...labour, lineItemFullDescription: null, extendedPrice: 10.005, quantity: 0.33335 }, lookups);
    expect(line.description).toBe('Onsite Support: Replaced failing UPS battery in server room');
    expect(line.amount).toBe('10.01');
    expect(line.quantity).toBe('0.3334');
    const bare = billingItemToLine({ id: 5, invoiceID: 1, itemName: null, description: null, lineItemFullDescription: null }, lookups);
    expect(bare.description).toBe('Billing item 5');
    expect(bare.amount).toBe('0.00');
  });

  test('paid date and invoice number come through; unreadable dates are empty', () => {
    const input = invoiceToInput(invoice(1, 2, { paidDate: '2024-05-20T00:00:00', invoiceNumber: ' 10452 ', invoiceDateTime: null }) as unknown as AtInvoice, [labour], lookups);
    expect(input.paidDate).toBe('2024-05-20');
    expect(input.invoiceNumber).toBe('10452');
    expect(input.invoiceDate).toBe('');
  });
});

describe('line kinds', () => {
  const none = new Map<number, MappingSourceKind>();
  const item = (over: Partial<AtBillingItem>): AtBillingItem => ({ id: 1, invoiceID: 1, ...over });

  test.each([
    ['a rule for the billingItemType wins', item({ billingItemType: 4, timeEntryID: 9 }), new Map([[4, MappingSourceKind.SHIPPING]]), MappingSourceKind.SHIPPING],
    ['billing code useType 1 = work type', item({ billingCodeID: 29682801 }), none, MappingSourceKind.WORK_TYPE],
    ['a time entry = work type', item({ timeEntryID: 1 }), none, MappingSourceKind.WORK_TYPE],
    ['an expense item = expense category', item({ expenseItemID: 1 }), none, MappingSourceKind.EXPENSE_CATEGORY],
    ['a milestone', item({ milestoneID: 1 }), none, MappingSourceKind.MILESTONE],
    ['a service bundle', item({ contractServiceBundleID: 1 }), none, MappingSourceKind.SERVICE_BUNDLE],
    ['a recurring service', item({ contractServiceID: 1, serviceID: 77 }), none, MappingSourceKind.RECURRING_SERVICE],
    ['a ticket charge = material', item({ ticketChargeID: 1 }), none, MappingSourceKind.MATERIAL],
    ['billingItemType 2 (labour adjustment) = work type', item({ billingItemType: 2 }), none, MappingSourceKind.WORK_TYPE],
    ['anything else = service', item({ billingItemType: 13 }), none, MappingSourceKind.SERVICE],
  ] as const)('%s', (_, billing, rules, kind) => {
    const code = billing.billingCodeID ? lookups.billingCodes.get(billing.billingCodeID) : undefined;
    expect(billingItemKind(billing, code, rules)).toBe(kind);
  });

  test('recurring services and bundles are keyed by their service (bundle) id', () => {
    expect(billingItemToLine({ id: 1, invoiceID: 1, contractServiceID: 5, serviceID: 77, billingCodeID: 3 }, lookups).billingItemId).toBe('77');
    expect(billingItemToLine({ id: 1, invoiceID: 1, serviceBundleID: 88, billingCodeID: 3 }, lookups).billingItemId).toBe('88');
  });
});

describe('companies and resources', () => {
  test('company → organization: addresses, country name, terms through the invoice template', async () => {
    const input = companyToOrganization(
      company(29683616, 'Sirius Cybernetics Corp', {
        address1: '42 Main St', city: 'Columbus', state: 'OH', postalCode: '43004', countryID: 237, invoiceTemplateID: 102, isTaxExempt: true,
        billToAttention: 'Accounts', billingAddress1: 'PO Box 9', billToCity: 'Dayton', billToState: 'OH', billToZipCode: '45401', parentCompanyID: 1,
        ownerResourceID: 29682885, classification: 3,
      }) as unknown as AtCompany,
      { countries: new Map([[237, { id: 237, displayName: 'United States' }]]), invoiceTemplates: new Map([[102, { id: 102, paymentTerms: 2 }]]), paymentTerms: lookups.paymentTerms },
    );
    expect(input).toMatchObject({
      autotaskId: 29683616,
      name: 'Sirius Cybernetics Corp',
      parentAutotaskId: 1,
      address: { line1: '42 Main St', line2: null, city: 'Columbus', state: 'OH', postalCode: '43004', country: 'United States' },
      billingAddress: { attention: 'Accounts', line1: 'PO Box 9', city: 'Dayton', postalCode: '45401', country: null },
      phone: '614-555-0100',
      email: null,
      taxExempt: true,
      paymentTermId: '2',
      paymentTermName: 'Net 30',
      // What the sales rep, customer type and invoice template mappings are keyed by.
      ownerResourceId: 29682885,
      classificationId: '3',
      invoiceTemplateId: '102',
    });
    expect(await problems(input)).toEqual([]);
  });

  test('no address parts → no address; an empty name fails validation (reported, not stored)', async () => {
    const input = companyToOrganization(company(1, '  ', { phone: null }) as unknown as AtCompany, { countries: new Map(), invoiceTemplates: new Map(), paymentTerms: new Map() });
    expect(input.address).toBeNull();
    expect(input.billingAddress).toBeNull();
    expect(await problems(input)).toEqual(['name: must be 1 to 100 characters']);
  });

  test('resource', () => {
    expect(resourceToInput(resource(5, 'Ada', 'Lovelace', { isActive: false, email: '' }) as unknown as AtResource)).toMatchObject({
      autotaskId: 5, firstName: 'Ada', lastName: 'Lovelace', email: null, active: false,
    });
  });
});

describe('time entries and expense reports', () => {
  const codes = new Map([
    [29682801, { id: 29682801, name: 'Onsite Support', useType: 1 }],
    [29682810, { id: 29682810, name: 'Vacation', useType: 5 }],
  ]);

  test('time entry: day worked (not the UTC start), work type, payroll category from the internal time code else the work type', async () => {
    const onTicket = timeEntryToInput(timeEntry(45112, 7, { dateWorked: '2026-11-16T00:00:00', startDateTime: '2026-11-17T02:00:00.000' }) as unknown as AtTimeEntry, codes, { organizationAutotaskId: 174, lineOfBusinessId: 3 });
    expect(onTicket).toMatchObject({
      autotaskId: 45112, resourceAutotaskId: 7, dateWorked: '2026-11-16', hoursWorked: '1.7500', organizationAutotaskId: 174, lineOfBusinessId: '3',
      workTypeId: '29682801', workTypeName: 'Onsite Support', payrollCategoryId: '29682801', payrollCategoryName: 'Onsite Support', isNonBillable: false,
    });
    expect(await problems(onTicket)).toEqual([]);
    const vacation = timeEntryToInput(timeEntry(45113, 7, { billingCodeID: null, internalBillingCodeID: 29682810, ticketID: null, hoursWorked: 8, isNonBillable: true, summaryNotes: ' ' }) as unknown as AtTimeEntry, codes, undefined);
    expect(vacation).toMatchObject({ organizationAutotaskId: null, lineOfBusinessId: null, workTypeId: null, payrollCategoryId: '29682810', payrollCategoryName: 'Vacation', isNonBillable: true, summaryNotes: null });
  });

  test('expense report statuses by label (codes per tenant); an unknown label gives no status', () => {
    const labels = ['In Progress', 'Awaiting Approval', 'Approved for Payment', 'Rejected', 'Paid', 'Transferred to Quickbooks', 'Audit hold'];
    expect([...expenseReportStatusesFromLabels(labels.map((label, i) => ({ value: String(10 + i), label })))]).toEqual([
      [10, 'IN_PROGRESS'], [11, 'AWAITING_APPROVAL'], [12, 'APPROVED_FOR_PAYMENT'], [13, 'REJECTED'], [14, 'PAID'], [15, 'TRANSFERRED_TO_QUICKBOOKS'],
    ]);
  });

  test('expense report and items: labels, billable / reimbursable, the amount each is owed as', async () => {
    const lookups = { categories: new Map([[2, 'Mileage'], [4, 'Software']]), paymentTypes: new Map([[1, 'Cash'], [2, 'Company Credit Card']]) };
    const cardPaid = expenseItem(88021, 8801, { expenseCategory: 4, paymentType: 2, isBillableToCompany: true, isReimbursable: false, companyID: 174, internalCurrencyExpenseAmount: 120, internalCurrencyReimbursementAmount: 0, miles: null });
    const input = expenseReportToInput(
      expenseReport(8801, 7, { weekEnding: '2026-11-21T00:00:00', approvedDate: null, internalCurrencyCashAdvanceAmount: 25.5 }) as unknown as AtExpenseReport,
      ExpenseReportStatus.APPROVED_FOR_PAYMENT,
      [cardPaid, expenseItem(88011, 8801, { miles: 12.345 })] as unknown as AtExpenseItem[],
      lookups,
    );
    expect(input).toMatchObject({ autotaskId: 8801, resourceAutotaskId: 7, weekEnding: '2026-11-21', approvedDate: null, cashAdvanceAmount: '25.5000', lineOfBusinessId: '3' });
    // In Autotask id order; the mileage claim's distance rounds to the stored 2 decimals.
    expect(input.items.map((i) => [i.autotaskId, i.expenseCategoryName, i.paymentTypeName, i.isBillableToCompany, i.isReimbursable, i.organizationAutotaskId, i.amount, i.miles])).toEqual([
      [88011, 'Mileage', 'Cash', false, true, null, '84.5000', '12.35'],
      [88021, 'Software', 'Company Credit Card', true, false, 174, '120.0000', null],
    ]);
    expect(await problems(input)).toEqual([]);
    // An item without a description fails the push input's rule: its report is reported and left out.
    const blank = expenseItemToInput(expenseItem(1, 1, { description: ' ', expenseCategory: 9 }) as unknown as AtExpenseItem, lookups);
    expect(blank).toMatchObject({ expenseCategoryId: '9', expenseCategoryName: null });
    expect(await problems(blank)).toEqual(['description: must be 1 to 128 characters']);
  });
});

describe('QuickBooks customer → Autotask company', () => {
  test('the POST body, cut to Autotask lengths', () => {
    expect(
      customerToCompany(
        { name: ' Acme Holdings ', phone: '+1 614 555 0100 ext 1234567890', billAddress: { line1: '1 Way', city: 'Columbus', postalCode: '43004' }, taxExempt: false },
        { companyType: 1, ownerResourceId: 29682885 },
      ),
    ).toEqual({
      companyName: 'Acme Holdings',
      companyType: 1,
      ownerResourceID: 29682885,
      phone: '+1 614 555 0100 ext 12345',
      isActive: true,
      isTaxExempt: false,
      address1: '1 Way',
      city: 'Columbus',
      postalCode: '43004',
    });
  });
});

describe('values', () => {
  test('dates and date-times in Autotask form', () => {
    expect(dateOnly('2024-05-01T14:22:10.447')).toBe('2024-05-01');
    expect(dateOnly(null)).toBeNull();
    expect(dateOnly('garbage')).toBeNull();
    expect(toAutotaskDateTime(new Date('2024-05-02T14:03:00Z'))).toBe('2024-05-02T14:03:00.000');
    expect(toAutotaskDate('2024-05-20')).toBe('2024-05-20T00:00:00');
  });

  test('decimals', () => {
    expect(decimal(262.5, 2)).toBe('262.50');
    expect(decimal(-1.005, 2)).toBe('-1.01');
    expect(decimal(1.23456, 4)).toBe('1.2346');
    expect(decimal(Number.NaN, 2)).toBe('0.00');
  });
});
