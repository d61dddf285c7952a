import { registerEnumType } from 'type-graphql';

/** How the QuickBooks item name is built from an Autotask billing item (Autotask's naming conventions). */
export enum ItemNamingConvention {
  /** The billing item's own name (work type, material, service...): the fewest QuickBooks items. */
  BILLING_ITEM_NAME = 'BILLING_ITEM_NAME',
  /** "Role:Work Type" for labour (one item per role and work type); other kinds use their name. */
  ROLE_AND_WORK_TYPE = 'ROLE_AND_WORK_TYPE',
  /** The line description (when QuickBooks, not Autotask, keeps inventory). */
  LINE_DESCRIPTION = 'LINE_DESCRIPTION',
}

/** QuickBooks' "To be printed" / "To be emailed" flags on a new invoice (IsToBePrinted / IsToBeEmailed). */
export enum TransmissionMethod {
  NONE = 'NONE',
  PRINT = 'PRINT',
  EMAIL = 'EMAIL',
  /** Both flags: printed and e-mailed. */
  BOTH = 'BOTH',
}

export enum TaxMode {
  /** QuickBooks calculates sales tax from the customer's and lines' tax codes (recommended). */
  QUICKBOOKS_CALCULATES = 'QUICKBOOKS_CALCULATES',
  /** Autotask's tax total is sent as one invoice line (legacy, US only; never combine with the above). */
  PSA_TAX_AS_LINE = 'PSA_TAX_AS_LINE',
}

/** What a transfer does when a billing item has no QuickBooks item mapped. */
export enum MissingMappingPolicy {
  /** Create the QuickBooks item, with the mapped (or the connector's default) income account. */
  AUTO_CREATE = 'AUTO_CREATE',
  /** Fail the transfer and list what needs mapping. */
  FAIL = 'FAIL',
}

/** Who numbers invoices in QuickBooks. */
export enum InvoiceNumbering {
  /** QuickBooks numbers them (as Autotask's extension does); the number is written back to Autotask. */
  QUICKBOOKS = 'QUICKBOOKS',
  /** The Autotask invoice number is sent as QuickBooks' RefNumber. */
  AUTOTASK = 'AUTOTASK',
}

/** A new customer's name is already used by a vendor, employee or other name (QuickBooks 3100). */
export enum CustomerNameCollision {
  /** Fail the transfer with a hint: a person renames one of them. */
  FAIL = 'FAIL',
  /** Add the customer with a suffix, " (C)". */
  SUFFIX = 'SUFFIX',
}

/** A name or number longer than QuickBooks allows (customer and item names, Autotask's invoice numbers). */
export enum LongNamePolicy {
  /** Send it shortened to QuickBooks' limit, ending in "~" and five characters derived from the whole name, so two long names never become one. */
  SHORTEN = 'SHORTEN',
  /** Do not send it: the transfer fails with a problem on the field, for a person to shorten it in Autotask. */
  FAIL = 'FAIL',
}

/** How an invoice's lines become QuickBooks lines, like Autotask's invoice template (plugins/invoices/grouping.ts). */
export enum LineGrouping {
  /** One QuickBooks line per Autotask line (the default). */
  NONE = 'NONE',
  /** Lines of the same billing item, line of business and taxability merged: quantities and amounts summed. */
  BY_BILLING_ITEM = 'BY_BILLING_ITEM',
  /** As BY_BILLING_ITEM, listed line of business by line of business. */
  BY_LINE_OF_BUSINESS = 'BY_LINE_OF_BUSINESS',
  /** One line per line of business, line type and taxability, under the generic items "Labor", "Products", "Expenses", "Services", … */
  ONE_LINE_PER_GROUP = 'ONE_LINE_PER_GROUP',
}

/** Who rounds invoice line amounts to cents (plugins/invoices/rounding.ts). */
export enum RoundingPolicy {
  /** Each line's Amount is Autotask's, rounded half up to the cent: QuickBooks' subtotal is the sum of Autotask's lines (the default). */
  ROUND_EACH_LINE = 'ROUND_EACH_LINE',
  /** Autotask's Quantity and Rate; QuickBooks computes and rounds each amount (the invoice shows Autotask's rates; totals may differ by cents, flagged TOTAL_MISMATCH). */
  SEND_RATE_AND_QUANTITY = 'SEND_RATE_AND_QUANTITY',
}

// ---- Timesheets (issue 14) ----

/**
 * How long an Autotask timesheet period is. Autotask's API cannot say (it is set up by Autotask support), so
 * the connector says it: approving a resource's period takes the period containing the date given.
 */
export enum TimesheetPeriod {
  /** 7 days from timesheetPeriodAnchor (and every 7 days before and after it). */
  WEEKLY = 'WEEKLY',
  /** 14 days from timesheetPeriodAnchor. */
  BI_WEEKLY = 'BI_WEEKLY',
  /** The 1st to the 15th, and the 16th to the month's last day. */
  SEMI_MONTHLY = 'SEMI_MONTHLY',
}

// ---- Expense reports (issue 14) ----

/** What an expense report's company-paid items (credit card, check: not reimbursable) become. */
export enum CompanyPaidExpenses {
  /** Left off the resource's bill: the company's card or bank statement brings them into QuickBooks (Autotask's QBO app does the same). */
  EXCLUDE = 'EXCLUDE',
  /** On the resource's bill like reimbursable items (the vendor is then owed them: only for companies that pay staff back for card statements). */
  INCLUDE = 'INCLUDE',
}

/** qbXML versions a connector may be capped at (QuickBooks 2003 = 2.0 ... 2023+ = 16.0). */
export const QBXML_VERSIONS = [
  '2.0', '2.1', '3.0', '4.0', '4.1', '5.0', '6.0', '7.0', '8.0', '10.0', '11.0', '12.0', '13.0', '14.0', '15.0', '16.0',
] as const;

registerEnumType(ItemNamingConvention, { name: 'ItemNamingConvention' });
registerEnumType(TransmissionMethod, { name: 'TransmissionMethod' });
registerEnumType(TaxMode, { name: 'TaxMode' });
registerEnumType(MissingMappingPolicy, { name: 'MissingMappingPolicy' });
registerEnumType(InvoiceNumbering, { name: 'InvoiceNumbering' });
registerEnumType(CustomerNameCollision, { name: 'CustomerNameCollision' });
registerEnumType(TimesheetPeriod, { name: 'TimesheetPeriod' });
registerEnumType(CompanyPaidExpenses, { name: 'CompanyPaidExpenses', description: "What an expense report's company-paid (non-reimbursable) items become." });

/**
 * Default-or-fail for the non-item mappings: what a transfer does with a line of business, payment term,
 * taxability or billing code that has no mapping. (Items have their own policy, missingMappingPolicy, because
 * a missing item can also be created.) One shape for every kind, stored per connector.
 */
export enum UnmappedAction {
  /** Use the policy's named QuickBooks element (for BILLING_CODE without one: the connector's defaultIncomeAccount). */
  USE_DEFAULT = 'USE_DEFAULT',
  /** Leave the reference out: QuickBooks uses its own default (no class, the customer's terms and tax code). */
  OMIT = 'OMIT',
  /** Fail the transfer, naming what needs mapping. */
  FAIL = 'FAIL',
}

/** The mapping kinds a policy applies to, with the QuickBooks reference each fills. */
export enum UnmappedKind {
  /** → the line's ClassRef. */
  LINE_OF_BUSINESS = 'LINE_OF_BUSINESS',
  /** → the invoice's TermsRef. */
  PAYMENT_TERM = 'PAYMENT_TERM',
  /** → the lines' SalesTaxCodeRef (TAXABLE / NON_TAXABLE). */
  TAXABILITY = 'TAXABILITY',
  /** → the income account of items created automatically. */
  BILLING_CODE = 'BILLING_CODE',
  // The reference lists: what a mapping names must be in the synced list, else the transfer fails before sending.
  /** → the customer's and the invoice's SalesRepRef (the organization's account manager). */
  ACCOUNT_MANAGER = 'ACCOUNT_MANAGER',
  /** → the customer's CustomerTypeRef (the organization's classification). */
  CLASSIFICATION = 'CLASSIFICATION',
  /** → the invoice's TemplateRef (the organization's invoice template; USE_DEFAULT: the connector's template for every invoice without one). */
  INVOICE_TEMPLATE = 'INVOICE_TEMPLATE',
  /** → a time activity's PayrollItemWageRef (employees only). */
  PAYROLL_CATEGORY = 'PAYROLL_CATEGORY',
  /** → an expense line's AccountRef (an expense category without its billable / reimbursable account; OMIT fails too). */
  EXPENSE_CATEGORY = 'EXPENSE_CATEGORY',
}

export const UNMAPPED_KINDS = Object.values(UnmappedKind);

/** Today's behaviour, kept as the default: references are left out; created items use defaultIncomeAccount. */
export const DEFAULT_UNMAPPED_ACTION: Readonly<Record<UnmappedKind, UnmappedAction>> = {
  [UnmappedKind.LINE_OF_BUSINESS]: UnmappedAction.OMIT,
  [UnmappedKind.PAYMENT_TERM]: UnmappedAction.OMIT,
  [UnmappedKind.TAXABILITY]: UnmappedAction.OMIT,
  [UnmappedKind.BILLING_CODE]: UnmappedAction.USE_DEFAULT,
  [UnmappedKind.ACCOUNT_MANAGER]: UnmappedAction.OMIT,
  [UnmappedKind.CLASSIFICATION]: UnmappedAction.OMIT,
  [UnmappedKind.INVOICE_TEMPLATE]: UnmappedAction.OMIT,
  [UnmappedKind.PAYROLL_CATEGORY]: UnmappedAction.OMIT,
  // A bill line without an account is refused by QuickBooks: nothing sensible to leave out.
  [UnmappedKind.EXPENSE_CATEGORY]: UnmappedAction.FAIL,
};

/** One stored policy (the connector's `unmapped_policies` jsonb holds them by kind; absent = the default). */
export interface StoredUnmappedPolicy {
  readonly onUnmapped: UnmappedAction;
  readonly default: { readonly listId?: string | null; readonly fullName: string } | null;
}

registerEnumType(UnmappedAction, { name: 'UnmappedAction', description: 'What a transfer does with a value that has no mapping.' });
registerEnumType(UnmappedKind, { name: 'UnmappedKind', description: 'The mapping kinds with a default-or-fail policy.' });
registerEnumType(LongNamePolicy, { name: 'LongNamePolicy' });
registerEnumType(LineGrouping, { name: 'LineGrouping', description: 'How invoice lines become QuickBooks lines (Autotask invoice-template grouping).' });
registerEnumType(RoundingPolicy, { name: 'RoundingPolicy', description: 'Who rounds invoice line amounts to cents: qbd-bridge per line, or QuickBooks from Quantity × Rate.' });
