import { Field, InputType, Int } from 'type-graphql';
import { IsIn, IsISO8601, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { QbRefInput } from '../../shared/qb-ref.js';
import {
  CompanyPaidExpenses,
  CustomerNameCollision,
  TimesheetPeriod,
  InvoiceNumbering,
  ItemNamingConvention,
  LineGrouping,
  LongNamePolicy,
  MissingMappingPolicy,
  QBXML_VERSIONS,
  RoundingPolicy,
  TaxMode,
  TransmissionMethod,
  UnmappedAction,
  UnmappedKind,
} from './connector-settings.js';

@InputType({ description: 'What a transfer does with a value of one mapping kind that has no mapping.' })
export class UnmappedPolicyInput {
  @Field(() => UnmappedKind) kind!: UnmappedKind;
  @Field(() => UnmappedAction) onUnmapped!: UnmappedAction;
  @Field(() => QbRefInput, {
    nullable: true,
    description: 'USE_DEFAULT: the QuickBooks class, terms, sales tax code or account to use (BILLING_CODE without one: defaultIncomeAccount).',
  })
  @IsOptional()
  @ValidateNested()
  default?: QbRefInput | null;
}

/** Settings shared by create and update; every field is optional here. */
// The two subclasses inherit these fields; the base type itself is never referenced, so never emitted.
@InputType()
export class ConnectorSettingsInput {
  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  enabled?: boolean;

  @Field(() => Int, { nullable: true, description: '1 to 1440 minutes.' })
  @IsOptional()
  @Min(1, { message: 'must be at least 1 minute' })
  @Max(1440, { message: 'must be at most 1440 minutes (one day)' })
  runEveryMinutes?: number;

  @Field(() => String, { nullable: true, description: `One of ${QBXML_VERSIONS.join(', ')}.` })
  @IsOptional()
  @IsIn([...QBXML_VERSIONS], { message: `must be one of ${QBXML_VERSIONS.join(', ')}` })
  qbxmlVersionCap?: string;

  @Field(() => ItemNamingConvention, { nullable: true }) @IsOptional() itemNamingConvention?: ItemNamingConvention;
  @Field(() => TransmissionMethod, { nullable: true }) @IsOptional() defaultTransmissionMethod?: TransmissionMethod;
  @Field(() => TaxMode, { nullable: true }) @IsOptional() taxMode?: TaxMode;

  @Field(() => QbRefInput, { nullable: true, description: 'Required when taxMode is PSA_TAX_AS_LINE.' })
  @IsOptional()
  @ValidateNested()
  psaTaxItem?: QbRefInput | null;

  @Field(() => QbRefInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  noLineOfBusinessClass?: QbRefInput | null;

  @Field(() => MissingMappingPolicy, { nullable: true }) @IsOptional() missingMappingPolicy?: MissingMappingPolicy;

  @Field(() => QbRefInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  defaultIncomeAccount?: QbRefInput;

  @Field(() => InvoiceNumbering, { nullable: true }) @IsOptional() invoiceNumbering?: InvoiceNumbering;
  @Field(() => CustomerNameCollision, { nullable: true }) @IsOptional() customerNameCollision?: CustomerNameCollision;

  @Field(() => [UnmappedPolicyInput], { nullable: true, description: 'Sets the policies of the kinds listed; the other kinds keep theirs.' })
  @IsOptional()
  @ValidateNested({ each: true })
  unmappedPolicies?: UnmappedPolicyInput[];
  @Field(() => LongNamePolicy, { nullable: true }) @IsOptional() longNamePolicy?: LongNamePolicy;
  @Field(() => LineGrouping, { nullable: true }) @IsOptional() lineGrouping?: LineGrouping;
  @Field(() => RoundingPolicy, { nullable: true }) @IsOptional() roundingPolicy?: RoundingPolicy;
  @Field(() => TimesheetPeriod, { nullable: true }) @IsOptional() timesheetPeriod?: TimesheetPeriod;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: the first day of one weekly or bi-weekly period.' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be a date (YYYY-MM-DD)' })
  timesheetPeriodAnchor?: string;
  // ---- Expense reports (issue 14) ----
  @Field(() => QbRefInput, { nullable: true, description: 'The account cash advances are credited to (a negative bill line); null: advances are not transferred.' })
  @IsOptional()
  @ValidateNested()
  cashAdvanceAccount?: QbRefInput | null;
  @Field(() => Boolean, { nullable: true, description: "Autotask's \"Transfer Class to QuickBooks\": every expense line carries the class of the report's line of business." })
  @IsOptional()
  transferExpenseClass?: boolean;
  @Field(() => CompanyPaidExpenses, { nullable: true }) @IsOptional() companyPaidExpenses?: CompanyPaidExpenses;

  @Field(() => Boolean, { nullable: true, description: 'Inventory on-hand sync at the next session (the default connector only; cleared when the run starts).' })
  @IsOptional()
  syncInventoryAtNextSession?: boolean;

  @Field(() => QbRefInput, { nullable: true, description: 'The account inventory adjustments post to (e.g. "Inventory Adjustment", a COGS account).' })
  @IsOptional()
  @ValidateNested()
  inventoryAdjustmentAccount?: QbRefInput | null;
}

const NAME_RULE = { message: 'must be 1 to 60 characters' };

@InputType()
export class CreateConnectorInput extends ConnectorSettingsInput {
  @Field({ description: 'e.g. the company file\'s name: "Acme Holdings".' })
  @Length(1, 60, NAME_RULE)
  name!: string;
}

@InputType()
export class UpdateConnectorInput extends ConnectorSettingsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 60, NAME_RULE)
  name?: string;
}
