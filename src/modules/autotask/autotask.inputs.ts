/**
 * What scripts push: Autotask records keyed by their Autotask id (payments by the pusher's own id).
 * Every push carries the whole record: an omitted optional field clears the stored value.
 * Lengths follow Autotask's own field limits (docs/autotask-rest.md §5).
 */
import { Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsEmail, IsOptional, Length, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { AddressInput } from '../../shared/address.js';
import { TransmissionMethod } from '../connector/connector-settings.js';
import { MappingSourceKind } from '../mapping/mapping-source.js';
import { IsCalendarDate, IsDecimal4, IsMoney } from './autotask-values.js';

/** Most records one upsert call takes. */
export const MAX_BATCH = 1000;
/** Most lines one invoice may have. */
export const MAX_INVOICE_LINES = 2000;

export const AUTOTASK_ID = { message: 'must be a positive Autotask id' };
/** Like IsOptional, and an empty string counts as "not set" too (it is stored as null). */
const IsOptionalText = (): PropertyDecorator => ValidateIf((_, value) => value != null && value !== '');

/** 1 to MAX_BATCH records per call. */
export function BatchSize(what: string): PropertyDecorator {
  const min = ArrayMinSize(1, { message: `must hold at least one ${what}` });
  const max = ArrayMaxSize(MAX_BATCH, { message: `must hold at most ${MAX_BATCH} ${what}s per call` });
  return (target, key) => {
    min(target, key);
    max(target, key);
  };
}

@InputType({ description: 'An Autotask organization (company).' })
export class OrganizationInput {
  @Field(() => Int, { description: 'Autotask Companies.id.' })
  @Min(1, AUTOTASK_ID)
  autotaskId!: number;

  @Field({ description: 'Autotask companyName.' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  name!: string;

  @Field(() => Int, { nullable: true, description: 'Autotask parentCompanyID.' })
  @IsOptional()
  @Min(1, AUTOTASK_ID)
  parentAutotaskId?: number | null;

  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() address?: AddressInput | null;

  @Field(() => AddressInput, { nullable: true, description: 'The invoice settings billing address, when it differs.' })
  @IsOptional()
  @ValidateNested()
  billingAddress?: AddressInput | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(25, { message: 'must be at most 25 characters' }) phone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(25, { message: 'must be at most 25 characters' }) fax?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptionalText()
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmail({}, { message: 'must be an email address' })
  email?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false }) @IsOptional() taxExempt?: boolean;

  @Field(() => TransmissionMethod, { nullable: true, description: "Autotask invoice settings' transmission method; empty: the connector's default." })
  @IsOptional()
  transmissionMethod?: TransmissionMethod | null;

  @Field(() => String, { nullable: true, description: 'Autotask payment term id.' })
  @IsOptional()
  @MaxLength(64, { message: 'must be at most 64 characters' })
  paymentTermId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(100, { message: 'must be at most 100 characters' })
  paymentTermName?: string | null;

  @Field(() => Int, { nullable: true, description: 'The account manager: Autotask ownerResourceID (mapped to a QuickBooks sales rep, ACCOUNT_MANAGER).' })
  @IsOptional()
  @Min(1, AUTOTASK_ID)
  ownerResourceId?: number | null;

  @Field(() => String, { nullable: true, description: 'Autotask classification picklist value (mapped to a QuickBooks customer type, CLASSIFICATION).' })
  @IsOptional()
  @MaxLength(64, { message: 'must be at most 64 characters' })
  classificationId?: string | null;

  @Field(() => String, { nullable: true, description: "Autotask invoice template id of the organization's invoice settings (mapped to a QuickBooks template, INVOICE_TEMPLATE)." })
  @IsOptional()
  @MaxLength(64, { message: 'must be at most 64 characters' })
  invoiceTemplateId?: string | null;
}

@InputType()
export class UpsertOrganizationsInput {
  @Field(() => [OrganizationInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('organization')
  organizations!: OrganizationInput[];
}

@InputType({ description: 'An Autotask resource (staff member).' })
export class ResourceInput {
  @Field(() => Int, { description: 'Autotask Resources.id.' })
  @Min(1, AUTOTASK_ID)
  autotaskId!: number;

  @Field() @Length(1, 50, { message: 'must be 1 to 50 characters' }) firstName!: string;
  @Field() @Length(1, 50, { message: 'must be 1 to 50 characters' }) lastName!: string;

  @Field(() => String, { nullable: true })
  @IsOptionalText()
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmail({}, { message: 'must be an email address' })
  email?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true }) @IsOptional() active?: boolean;
}

@InputType()
export class UpsertResourcesInput {
  @Field(() => [ResourceInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('resource')
  resources!: ResourceInput[];
}

// ---- Timesheets (issue 14) ----

@InputType({ description: 'An Autotask time entry (TimeEntries).' })
export class TimeEntryInput {
  @Field(() => Int, { description: 'Autotask TimeEntries.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field(() => Int, { description: 'resourceID: push the resource first.' }) @Min(1, AUTOTASK_ID) resourceAutotaskId!: number;
  @Field({ description: 'dateWorked (YYYY-MM-DD).' }) @IsCalendarDate() dateWorked!: string;
  @Field({ description: 'hoursWorked: more than 0, at most 24 (decimal string).' }) @IsDecimal4() hoursWorked!: string;

  @Field(() => Int, { nullable: true, description: "The company of the entry's ticket or task; leave out for regular (internal) time." })
  @IsOptional()
  @Min(1, AUTOTASK_ID)
  organizationAutotaskId?: number | null;

  @Field(() => String, { nullable: true, description: 'Work type (billingCodeID).' }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) workTypeId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200, { message: 'must be at most 200 characters' }) workTypeName?: string | null;
  @Field(() => String, { nullable: true, description: 'Payroll (time) category: internalBillingCodeID, else the work type.' })
  @IsOptional()
  @MaxLength(64, { message: 'must be at most 64 characters' })
  payrollCategoryId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200, { message: 'must be at most 200 characters' }) payrollCategoryName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) lineOfBusinessId?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) @IsOptional() isNonBillable?: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(8000, { message: 'must be at most 8000 characters' }) summaryNotes?: string | null;
}

@InputType()
export class UpsertTimeEntriesInput {
  @Field(() => [TimeEntryInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('time entry')
  timeEntries!: TimeEntryInput[];
}

@InputType({ description: 'One invoice line; lines are numbered in the order given.' })
export class InvoiceLineInput {
  @Field(() => MappingSourceKind, { description: 'What kind of billing item the line bills.' })
  billingItemKind!: MappingSourceKind;

  @Field(() => String, { nullable: true, description: 'Autotask id of the billing item (work type, product, service...).' })
  @IsOptional()
  @MaxLength(64, { message: 'must be at most 64 characters' })
  billingItemId?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255, { message: 'must be at most 255 characters' })
  billingItemName?: string | null;

  @Field(() => String, { nullable: true, description: 'Autotask billing code id (→ income account mapping).' })
  @IsOptional()
  @MaxLength(64, { message: 'must be at most 64 characters' })
  billingCodeId?: string | null;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) roleName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200, { message: 'must be at most 200 characters' }) workTypeName?: string | null;

  @Field() @Length(1, 8000, { message: 'must be 1 to 8000 characters' }) description!: string;

  @Field({ description: 'Decimal string, up to 4 decimals.' }) @IsDecimal4() quantity!: string;
  @Field({ description: 'Decimal string, up to 4 decimals.' }) @IsDecimal4() rate!: string;
  @Field({ description: 'Decimal string, up to 2 decimals.' }) @IsMoney() amount!: string;
  @Field() taxable!: boolean;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) lineOfBusinessId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) lineOfBusinessName?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) @IsOptional() @IsCalendarDate() serviceDate?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The sub-organization's name when the line is billed to its parent organization (it goes into the QuickBooks line description, as Autotask's extension does).",
  })
  @IsOptional()
  @MaxLength(100, { message: 'must be at most 100 characters' })
  subOrganizationName?: string | null;
}

@InputType({ description: 'An Autotask invoice with all its lines.' })
export class InvoiceInput {
  @Field(() => Int, { description: 'Autotask Invoices.id.' })
  @Min(1, AUTOTASK_ID)
  autotaskId!: number;

  @Field(() => Int, { description: 'Autotask companyID; the organization must have been pushed already.' })
  @Min(1, AUTOTASK_ID)
  organizationAutotaskId!: number;

  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) invoiceNumber?: string | null;
  @Field({ description: 'YYYY-MM-DD.' }) @IsCalendarDate() invoiceDate!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50, { message: 'must be at most 50 characters' }) poNumber?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) paymentTermId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) paymentTermName?: string | null;
  @Field(() => TransmissionMethod, { nullable: true, description: "Empty: the connector's default." }) @IsOptional() transmissionMethod?: TransmissionMethod | null;
  @Field({ description: 'Decimal string, up to 2 decimals.' }) @IsMoney() total!: string;
  @Field(() => String, { nullable: true, defaultValue: '0.00', description: 'Decimal string, up to 2 decimals.' }) @IsOptional() @IsMoney() taxTotal?: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) @IsOptional() @IsCalendarDate() paidDate?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'For a credit (negative total): the Autotask id of the invoice it credits. Its credit memo is then applied to that invoice in QuickBooks.',
  })
  @IsOptional()
  @Min(1, AUTOTASK_ID)
  creditsInvoiceAutotaskId?: number | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Voided (or deleted) in Autotask. An invoice already in QuickBooks is then voided there, unless payments or credits were applied to it.',
  })
  @IsOptional()
  isVoided?: boolean;

  @Field(() => [InvoiceLineInput], { description: 'Every line of the invoice; replaces the stored lines.' })
  @ArrayMinSize(1, { message: 'must hold at least one line' })
  @ArrayMaxSize(MAX_INVOICE_LINES, { message: `must hold at most ${MAX_INVOICE_LINES} lines` })
  @ValidateNested({ each: true })
  lines!: InvoiceLineInput[];
}

@InputType()
export class UpsertInvoicesInput {
  @Field(() => [InvoiceInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('invoice')
  invoices!: InvoiceInput[];
}

@InputType({ description: 'A payment received against an invoice.' })
export class PaymentInput {
  @Field({ description: "The pushing system's own id for the payment (the idempotency key)." })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  externalId!: string;

  @Field(() => Int, { description: 'Autotask id of the invoice paid; the invoice must have been pushed already.' })
  @Min(1, AUTOTASK_ID)
  invoiceAutotaskId!: number;

  @Field({ description: 'Decimal string, up to 2 decimals; more than zero.' }) @IsMoney() amount!: string;
  @Field({ description: 'YYYY-MM-DD.' }) @IsCalendarDate() paymentDate!: string;

  @Field(() => String, { nullable: true, description: 'QuickBooks payment method name, e.g. "Check".' })
  @IsOptional()
  @MaxLength(31, { message: 'must be at most 31 characters (QuickBooks payment method names)' })
  paymentMethod?: string | null;

  @Field(() => String, { nullable: true, description: 'QuickBooks deposit account FullName (else Undeposited Funds).' })
  @IsOptional()
  @MaxLength(159, { message: 'must be at most 159 characters (QuickBooks account full names)' })
  depositAccount?: string | null;

  @Field(() => String, { nullable: true, description: 'Check number or processor reference.' })
  @IsOptional()
  @MaxLength(20, { message: 'must be at most 20 characters (QuickBooks reference numbers)' })
  reference?: string | null;
}

@InputType()
export class UpsertPaymentsInput {
  @Field(() => [PaymentInput], { description: `1 to ${MAX_BATCH}; created, or updated when the external id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('payment')
  payments!: PaymentInput[];
}
