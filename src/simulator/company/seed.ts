/**
 * New company files: empty (like File › New Company with nothing set up) or seeded with what a typical
 * service company has before an integration runs (chart of accounts, terms, payment methods, sales tax
 * codes and a few items and customers), so tests and demos don't have to create them first.
 */
import { SimulatedCompanyFile } from './company-file.js';
import { COMPANY_FILE_FORMAT, type CompanyFileData, type CompanyPreferences, type ItemType, type StoredAggregate } from './types.js';

/** Options of {@link createCompanyFile}. */
export interface CreateCompanyFileOptions {
  readonly companyName?: string;
  /** `empty` (default): no list entries at all; `standard`: see {@link seedStandardLists}. */
  readonly seed?: 'empty' | 'standard';
  /** Preference overrides; sales tax is off by default like a new US company file. */
  readonly preferences?: Partial<CompanyPreferences>;
  /** UTC offset of the simulated machine in minutes (default −300, US Eastern standard time). */
  readonly utcOffsetMinutes?: number;
  /** Clock for TimeCreated and the ListIDs of seeded records. */
  readonly clock?: () => Date;
}

/** A new company file's data. */
export function createCompanyFile(options: CreateCompanyFileOptions = {}): CompanyFileData {
  const data: CompanyFileData = {
    format: COMPANY_FILE_FORMAT,
    companyName: options.companyName ?? 'Simulated Company',
    utcOffsetMinutes: options.utcOffsetMinutes ?? -300,
    preferences: {
      salesTaxEnabled: false,
      classTrackingEnabled: false,
      inventoryEnabled: false,
      invoicesToBePrintedByDefault: false,
      ...options.preferences,
    },
    // QuickBooks' record counter starts at 0x80000001 in new company files (ListIDs like 80000001-...).
    nextRecordNumber: 0x80000001,
    nextTxnNumber: 1,
    customers: [],
    vendors: [],
    employees: [],
    otherNames: [],
    items: [],
    accounts: [],
    classes: [],
    terms: [],
    salesTaxCodes: [],
    paymentMethods: [],
    salesReps: [],
    customerTypes: [],
    templates: [],
    invoices: [],
    creditMemos: [],
    receivePayments: [],
    payrollWageItems: [],
    timeTracking: [],
    companyDataExts: [],
  };
  if (options.seed === 'standard') seedStandardLists(new SimulatedCompanyFile(data, options.clock));
  return data;
}

/**
 * Adds a standard service-company setup: accounts (incl. Accounts Receivable, Undeposited Funds, Services
 * income and "Autotask Other", the default income account of a new connector), terms (Net 15/30, Due on receipt, a date-driven one), payment methods, form templates (three invoice
 * templates, a credit memo's, a sales receipt's), customer types (`Commercial:Managed Services`, ...), sales reps
 * `JD` and `MS`, the `Tax`/`Non` sales tax
 * codes and a sales tax item when sales tax is on, a few items and two customers with a job.
 */
export function seedStandardLists(company: SimulatedCompanyFile): void {
  const account = (name: string, accountType: string, accountNumber?: string) => {
    const core = company.newListCore(name, { AccountType: accountType, ...(accountNumber ? { AccountNumber: accountNumber } : {}) });
    return company.insert('accounts', { ...core, accountType, ...(accountNumber ? { accountNumber } : {}) });
  };
  account('Checking', 'Bank', '1000');
  const ar = account('Accounts Receivable', 'AccountsReceivable', '1200');
  ar.fields['SpecialAccountType'] = 'AccountsReceivable';
  const undeposited = account('Undeposited Funds', 'OtherCurrentAsset', '1499');
  undeposited.fields['SpecialAccountType'] = 'UndepositedFunds';
  const services = account('Services', 'Income', '4000');
  const sales = account('Sales', 'Income', '4100');
  const reimbursed = account('Reimbursed Expenses', 'Income', '4200');
  // A new connector's default income account (src/modules/connector): items qbd-bridge creates for unmapped
  // billing items post here, so a first transfer into the standard company works without mappings.
  account('Autotask Other', 'Income', '4900');
  account('Cost of Goods Sold', 'CostOfGoodsSold', '5000');
  account('Inventory Asset', 'OtherCurrentAsset', '1300');
  const taxPayable = account('Sales Tax Payable', 'OtherCurrentLiability', '2200');
  taxPayable.fields['SpecialAccountType'] = 'SalesTaxPayable';
  account('Other Expenses', 'OtherExpense', '8000');

  for (const [name, days] of [['Net 15', '15'], ['Net 30', '30'], ['Due on receipt', '0']] as const) {
    company.insert('terms', { ...company.newListCore(name, { StdDueDays: days }), kind: 'Standard' });
  }
  company.insert('terms', { ...company.newListCore('Due 10th of next month', { DayOfMonthDue: '10', DueNextMonthDays: '5' }), kind: 'DateDriven' });

  for (const name of ['Cash', 'Check', 'Visa', 'MasterCard', 'American Express', 'E-Check']) {
    company.insert('paymentMethods', company.newListCore(name));
  }

  // The form templates every new company file has (qbXML cannot add templates), a few customer types and reps.
  for (const [name, templateType] of [
    ['Intuit Service Invoice', 'Invoice'],
    ['Intuit Product Invoice', 'Invoice'],
    ['Intuit Professional Invoice', 'Invoice'],
    ['Custom Credit Memo', 'CreditMemo'],
    ['Custom Sales Receipt', 'SalesReceipt'],
  ] as const) {
    company.insert('templates', { ...company.newListCore(name), templateType });
  }
  const commercial = company.insert('customerTypes', company.newListCore('Commercial'));
  company.insert('customerTypes', { ...company.newListCore('Managed Services'), parentId: commercial.listId });
  company.insert('customerTypes', company.newListCore('Residential'));
  company.insert('customerTypes', company.newListCore('Referral'));
  // QuickBooks ties a rep to an employee, vendor or other name; the seed has none, so its reps stand alone.
  for (const initial of ['JD', 'MS']) company.insert('salesReps', company.newListCore(initial, { Initial: initial }));

  const ref = (listId: string) => ({ $ref: listId });
  let taxCodeId: string | undefined;
  let nonTaxCodeId: string | undefined;
  if (company.data.preferences.salesTaxEnabled) {
    taxCodeId = company.insert('salesTaxCodes', { ...company.newListCore('Tax', { IsTaxable: 'true', Desc: 'Taxable Sales' }), isTaxable: true }).listId;
    nonTaxCodeId = company.insert('salesTaxCodes', { ...company.newListCore('Non', { IsTaxable: 'false', Desc: 'Non-Taxable Sales' }), isTaxable: false }).listId;
    company.insert('items', { ...company.newListCore('State Tax', { ItemDesc: 'State sales tax', TaxRate: '6.25' }), type: 'SalesTax' });
  }
  const item = (type: ItemType, name: string, fields: StoredAggregate) => company.insert('items', { ...company.newListCore(name, fields), type });
  const taxCode = (id: string | undefined): StoredAggregate => (id ? { SalesTaxCodeRef: ref(id) } : {});
  item('Service', 'Consulting', { ...taxCode(nonTaxCodeId), SalesOrPurchase: { Desc: 'Consulting services', Price: '150.00', AccountRef: ref(services.listId) } });
  item('Service', 'Remote Support', { ...taxCode(nonTaxCodeId), SalesOrPurchase: { Desc: 'Remote support hour', Price: '95.00', AccountRef: ref(services.listId) } });
  item('NonInventory', 'Hardware', { ...taxCode(taxCodeId), SalesOrPurchase: { Desc: 'Hardware', Price: '0.00', AccountRef: ref(sales.listId) } });
  item('OtherCharge', 'Travel', { ...taxCode(nonTaxCodeId), SalesOrPurchase: { Desc: 'Travel expenses', AccountRef: ref(reimbursed.listId) } });
  item('Subtotal', 'Subtotal', { ItemDesc: 'Subtotal' });
  item('Discount', 'Discount 10%', { ItemDesc: '10% discount', DiscountRatePercent: '10.0', AccountRef: ref(sales.listId) });

  const net30 = company.findByFullName('terms', 'Net 30')!;
  const acme = company.insert('customers', company.newListCore('Acme Corporation', { CompanyName: 'Acme Corporation', TermsRef: ref(net30.listId) }));
  company.insert('customers', { ...company.newListCore('Network Upgrade', { JobStatus: 'InProgress' }), parentId: acme.listId });
  company.insert('customers', company.newListCore('Globex Inc', { CompanyName: 'Globex Inc' }));
}
