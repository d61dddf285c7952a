import { Embedded, Entity, Enum, Index, OneToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { newBracedGuid } from '../../shared/ids.js';
import { QbRef } from '../../shared/qb-ref.js';
import type { Company } from '../company/company.entity.js';
import {
  CompanyPaidExpenses,
  CustomerNameCollision,
  TimesheetPeriod,
  InvoiceNumbering,
  ItemNamingConvention,
  LineGrouping,
  LongNamePolicy,
  MissingMappingPolicy,
  RoundingPolicy,
  TaxMode,
  TransmissionMethod,
  type StoredUnmappedPolicy,
  type UnmappedKind,
} from './connector-settings.js';

/**
 * One QuickBooks company file reached through the Web Connector, with its own settings.
 * Exactly one connector is the default: organizations and resources not routed elsewhere go to it.
 * (A partial unique index in the migrations guarantees "at most one"; the service keeps "at least one".)
 */
@ObjectType({ description: 'A QuickBooks company file reached through the Web Connector, with its settings.' })
@Entity()
@Index({
  name: 'connector_single_default',
  expression: 'create unique index "connector_single_default" on "connector" ("is_default") where "is_default"',
})
export class Connector extends BaseEntity {
  @Field()
  @Property({ type: 'text', unique: true })
  name: string;

  @Field({ description: 'Unrouted organizations and resources go to the default connector.' })
  @Property()
  isDefault: boolean = false;

  @Field({ description: 'A paused (disabled) connector refuses Web Connector sign-ins ("nvu") until enabled again.' })
  @Property()
  enabled: boolean = true;

  @Field(() => Int, { description: 'Web Connector schedule: run every N minutes (goes into the QWC files).' })
  @Property()
  runEveryMinutes: number = 60;

  @Field({ description: 'Highest qbXML version to send, even when QuickBooks supports more.' })
  @Property({ type: 'text' })
  qbxmlVersionCap: string = '13.0';

  @Field({ description: 'The FileID in every QWC file of this connector and the identity stamped into its company file.' })
  @Property({ type: 'text', unique: true })
  fileId: string = newBracedGuid();

  @Field(() => ItemNamingConvention)
  @Enum({ items: () => ItemNamingConvention, nativeEnumName: 'item_naming_convention' })
  itemNamingConvention: ItemNamingConvention = ItemNamingConvention.BILLING_ITEM_NAME;

  @Field(() => TransmissionMethod)
  @Enum({ items: () => TransmissionMethod, nativeEnumName: 'transmission_method' })
  defaultTransmissionMethod: TransmissionMethod = TransmissionMethod.NONE;

  @Field(() => TaxMode)
  @Enum({ items: () => TaxMode, nativeEnumName: 'tax_mode' })
  taxMode: TaxMode = TaxMode.QUICKBOOKS_CALCULATES;

  @Field(() => QbRef, { nullable: true, description: 'The QuickBooks item that carries Autotask tax when taxMode is PSA_TAX_AS_LINE.' })
  @Embedded(() => QbRef, { nullable: true, prefix: 'psa_tax_item_' })
  psaTaxItem: QbRef | null = null;

  @Field(() => QbRef, { nullable: true, description: 'Class for lines whose billing item has no line of business ("[no class]" when empty).' })
  @Embedded(() => QbRef, { nullable: true, prefix: 'no_lob_class_' })
  noLineOfBusinessClass: QbRef | null = null;

  @Field(() => MissingMappingPolicy)
  @Enum({ items: () => MissingMappingPolicy, nativeEnumName: 'missing_mapping_policy' })
  missingMappingPolicy: MissingMappingPolicy = MissingMappingPolicy.AUTO_CREATE;

  @Field(() => QbRef, { description: 'Income account for items created automatically when the billing code has no account mapping.' })
  @Embedded(() => QbRef, { prefix: 'default_income_account_' })
  defaultIncomeAccount: QbRef;

  @Field(() => InvoiceNumbering)
  @Enum({ items: () => InvoiceNumbering, nativeEnumName: 'invoice_numbering' })
  invoiceNumbering: InvoiceNumbering = InvoiceNumbering.QUICKBOOKS;

  @Field(() => CustomerNameCollision)
  @Enum({ items: () => CustomerNameCollision, nativeEnumName: 'customer_name_collision' })
  customerNameCollision: CustomerNameCollision = CustomerNameCollision.FAIL;

  /** Default-or-fail per non-item mapping kind (GraphQL: the effective `unmappedPolicies`, every kind listed). */
  @Property({ type: 'jsonb' })
  unmappedPolicies: Partial<Record<UnmappedKind, StoredUnmappedPolicy>> = {};
  @Field(() => LongNamePolicy, { description: 'Names and numbers longer than QuickBooks allows: SHORTEN (unique, deterministic) or FAIL.' })
  @Enum({ items: () => LongNamePolicy, nativeEnumName: 'long_name_policy' })
  longNamePolicy: LongNamePolicy = LongNamePolicy.SHORTEN;

  @Field(() => LineGrouping, { description: 'How invoice lines become QuickBooks lines: one each (NONE), merged by billing item, by line of business, or one per group under generic items.' })
  @Enum({ items: () => LineGrouping, nativeEnumName: 'line_grouping' })
  lineGrouping: LineGrouping = LineGrouping.NONE;

  @Field(() => RoundingPolicy, { description: 'Who rounds invoice line amounts to cents: ROUND_EACH_LINE (Autotask\'s amounts) or SEND_RATE_AND_QUANTITY (QuickBooks computes them).' })
  @Enum({ items: () => RoundingPolicy, nativeEnumName: 'rounding_policy' })
  roundingPolicy: RoundingPolicy = RoundingPolicy.ROUND_EACH_LINE;

  // ---- Timesheets (issue 14) ----
  @Field(() => TimesheetPeriod, { description: "Autotask's timesheet period (its API cannot say): the period approveTimesheet takes." })
  @Enum({ items: () => TimesheetPeriod, nativeEnumName: 'timesheet_period', default: TimesheetPeriod.WEEKLY })
  timesheetPeriod: TimesheetPeriod = TimesheetPeriod.WEEKLY;

  @Field({ description: 'The first day of one WEEKLY or BI_WEEKLY period (YYYY-MM-DD); the others follow every 7 or 14 days.' })
  @Property({ type: 'date', default: '2026-01-05' })
  timesheetPeriodAnchor: string = '2026-01-05';

  // ---- Expense reports (issue 14) ----
  @Field(() => QbRef, { nullable: true, description: 'The account cash advances are credited to (a negative bill line, or a vendor credit when larger than the expenses); null: advances are not transferred.' })
  @Embedded(() => QbRef, { nullable: true, prefix: 'cash_advance_account_' })
  cashAdvanceAccount: QbRef | null = null;

  @Field({ description: "Autotask's \"Transfer Class to QuickBooks\": every expense line carries the class of the report's line of business." })
  @Property({ default: false })
  transferExpenseClass: boolean = false;

  @Field(() => CompanyPaidExpenses, { description: 'What company-paid expense items (credit card, check: not reimbursable) become: EXCLUDE (default) or INCLUDE on the bill.' })
  @Enum({ items: () => CompanyPaidExpenses, nativeEnumName: 'company_paid_expenses', default: CompanyPaidExpenses.EXCLUDE })
  companyPaidExpenses: CompanyPaidExpenses = CompanyPaidExpenses.EXCLUDE;
  // ---- Inventory on-hand sync (issue 13; the default connector's file only) ----
  @Field({ description: "Autotask's \"Sync inventory during next QuickBooks-initiated communication\": the next session of the default connector sets QuickBooks' on-hand quantities to Autotask's totals, then clears it." })
  @Property({ default: false })
  syncInventoryAtNextSession: boolean = false;

  @Field(() => Date, { nullable: true, description: 'When the last inventory sync run started (its adjustments are ledger items of type INVENTORY_ADJUSTMENT).' })
  @Property({ type: 'timestamptz', nullable: true })
  inventorySyncedAt: Date | null = null;

  @Field(() => QbRef, { nullable: true, description: 'The QuickBooks account inventory adjustments post to (Autotask tells users to create a COGS account "Inventory Adjustment").' })
  @Embedded(() => QbRef, { nullable: true, prefix: 'inventory_adjustment_account_' })
  inventoryAdjustmentAccount: QbRef | null = null;

  @OneToOne({ entity: 'Company', nullable: true, owner: true, unique: true, deleteRule: 'set null' })
  company: Rel<Company> | null = null;

  constructor(name: string) {
    super('conn');
    this.name = name;
    // Autotask's extension uses this account name too, so existing MSP company files often have it.
    this.defaultIncomeAccount = Object.assign(new QbRef(), { listId: null, fullName: 'Autotask Other' });
  }
}
