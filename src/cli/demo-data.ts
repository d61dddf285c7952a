/**
 * The sample Autotask data `qbd-bridge demo` pushes: three organizations and one invoice of ten lines each,
 * shaped exactly like the `upsertOrganizations` / `upsertInvoices` inputs of the README's walk-through.
 * Amounts are computed from quantity × rate here so the data is consistent by construction.
 */

/** An organization as `upsertOrganizations` takes it. */
export const DEMO_ORGANIZATIONS = [
  { autotaskId: 174, name: 'Contoso Dental', phone: '555-0174', email: 'ap@contoso.example', paymentTermId: '3', paymentTermName: 'Net 30',
    address: { line1: '12 Harbor Rd', city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' } },
  { autotaskId: 175, name: 'Fabrikam Legal', phone: '555-0175', email: 'billing@fabrikam.example',
    address: { line1: '400 Main St', line2: 'Suite 9', city: 'Springfield', state: 'IL', postalCode: '62702', country: 'US' } },
  { autotaskId: 176, name: 'Northwind Clinic', taxExempt: true,
    address: { attention: 'Accounts Payable', line1: '7 Elm Ave', city: 'Shelbyville', state: 'IL', postalCode: '62565', country: 'US' } },
];

const WORK = [
  { billingItemKind: 'WORK_TYPE', billingItemId: '29682801', billingItemName: 'Remote Support', rate: '95.00' },
  { billingItemKind: 'WORK_TYPE', billingItemId: '29682802', billingItemName: 'Onsite Support', rate: '135.00' },
  { billingItemKind: 'RECURRING_SERVICE', billingItemId: '880', billingItemName: 'Managed Workstation', rate: '45.00' },
] as const;

/** Cents of a decimal string with up to 2 decimals, and back: exact, no binary floats. */
const cents = (amount: string): number => Math.round(Number(amount.replace('.', '')) * (amount.includes('.') ? 10 ** (2 - amount.split('.')[1]!.length) : 100));
const money = (value: number): string => `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`;

function lines(invoiceIndex: number) {
  return Array.from({ length: 10 }, (_, i) => {
    const work = WORK[(i + invoiceIndex) % WORK.length]!;
    const quantity = String(1 + ((i * 3 + invoiceIndex) % 4));
    return {
      ...work,
      description: `${work.billingItemName}: ticket T2026112${invoiceIndex}.${String(i + 1).padStart(4, '0')}`,
      quantity,
      amount: money(cents(work.rate) * Number(quantity)),
      taxable: false,
      serviceDate: `2026-11-${String(10 + i).padStart(2, '0')}`,
    };
  });
}

/** A 10-line invoice (`lineCount` lines) of an organization, as `upsertInvoices` takes it. */
export function sampleInvoice(autotaskId: number, organizationAutotaskId: number, index: number, lineCount = 10) {
  const invoiceLines = lines(index).slice(0, lineCount);
  return {
    autotaskId,
    organizationAutotaskId,
    invoiceNumber: `INV-${autotaskId}`,
    invoiceDate: '2026-11-28',
    total: money(invoiceLines.reduce((sum, line) => sum + cents(line.amount), 0)),
    taxTotal: '0.00',
    lines: invoiceLines,
  };
}

/** One 10-line invoice per organization, as `upsertInvoices` takes them. */
export const DEMO_INVOICES = DEMO_ORGANIZATIONS.map((organization, index) => sampleInvoice(9100 + index, organization.autotaskId, index));

/** `count` organizations shaped like the demo's (the bench's data), Autotask ids from `firstAutotaskId`. */
export function sampleOrganizations(count: number, firstAutotaskId: number) {
  return Array.from({ length: count }, (_, i) => {
    const model = DEMO_ORGANIZATIONS[i % DEMO_ORGANIZATIONS.length]!;
    return { ...model, autotaskId: firstAutotaskId + i, name: `${model.name} ${firstAutotaskId + i}` };
  });
}
