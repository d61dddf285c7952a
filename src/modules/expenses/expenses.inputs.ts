/**
 * What scripts (and, later, the Autotask pull) push for expense reports: each report with all its items,
 * keyed by Autotask id (ExpenseReports / ExpenseItems, parity-transfers.md §5.2). Items replace the stored ones.
 */
import { ArrayMaxSize, IsOptional, Length, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { AUTOTASK_ID, BatchSize, MAX_BATCH } from '../autotask/autotask.inputs.js';
import { IsCalendarDate, IsDecimal4 } from '../autotask/autotask-values.js';
import { ExpenseReportStatus } from './expense-report-status.js';

/** Most items one expense report may have. */
export const MAX_EXPENSE_ITEMS = 500;

@InputType({ description: 'One expense item (Autotask ExpenseItems); items are numbered in the order given.' })
export class ExpenseItemInput {
  @Field(() => Int, { description: 'Autotask ExpenseItems.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field({ description: 'YYYY-MM-DD.' }) @IsCalendarDate() expenseDate!: string;
  @Field() @Length(1, 128, { message: 'must be 1 to 128 characters' }) description!: string;
  @Field({ description: 'Autotask expenseCategory (picklist value of an Expense Category billing code).' }) @Length(1, 64, { message: 'must be 1 to 64 characters' }) expenseCategoryId!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) expenseCategoryName?: string | null;
  @Field(() => String, { nullable: true, description: 'Autotask paymentType (picklist value).' }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) paymentTypeId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) paymentTypeName?: string | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'isBillableToCompany.' }) @IsOptional() isBillableToCompany?: boolean;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'isReimbursable (false for company-paid items: credit card, check).' }) @IsOptional() isReimbursable?: boolean;
  @Field(() => Int, { nullable: true, description: 'Autotask companyID (0 or absent: none); push the organization first.' })
  @IsOptional()
  @Min(0, AUTOTASK_ID)
  organizationAutotaskId?: number | null;
  @Field({ description: 'internalCurrencyReimbursementAmount: decimal string, up to 4 decimals.' }) @IsDecimal4() amount!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsDecimal4() miles?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(128, { message: 'must be at most 128 characters' }) origin?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(128, { message: 'must be at most 128 characters' }) destination?: string | null;
}

@InputType({ description: 'An Autotask expense report with all its items.' })
export class ExpenseReportInput {
  @Field(() => Int, { description: 'Autotask ExpenseReports.id.' }) @Min(1, AUTOTASK_ID) autotaskId!: number;
  @Field() @Length(1, 100, { message: 'must be 1 to 100 characters' }) name!: string;
  @Field(() => Int, { description: 'Autotask submitterID; push the resource with upsertResources first.' }) @Min(1, AUTOTASK_ID) resourceAutotaskId!: number;
  @Field(() => ExpenseReportStatus) status!: ExpenseReportStatus;
  @Field({ description: 'YYYY-MM-DD.' }) @IsCalendarDate() weekEnding!: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) @IsOptional() @IsCalendarDate() approvedDate?: string | null;
  @Field(() => String, { nullable: true, description: 'internalCurrencyCashAdvanceAmount: decimal string.' }) @IsOptional() @IsDecimal4() cashAdvanceAmount?: string | null;
  @Field(() => String, { nullable: true, description: 'organizationalLevelAssociationID (line of business).' }) @IsOptional() @MaxLength(64, { message: 'must be at most 64 characters' }) lineOfBusinessId?: string | null;
  @Field(() => String, { nullable: true, description: 'quickBooksReferenceNumber as Autotask has it.' }) @IsOptional() @MaxLength(100, { message: 'must be at most 100 characters' }) quickBooksReferenceNumber?: string | null;
  @Field(() => [ExpenseItemInput], { description: 'Every item of the report; replaces the stored items.' })
  @ValidateNested({ each: true })
  @ArrayMaxSize(MAX_EXPENSE_ITEMS, { message: `must hold at most ${MAX_EXPENSE_ITEMS} items` })
  items!: ExpenseItemInput[];
}

@InputType()
export class UpsertExpenseReportsInput {
  @Field(() => [ExpenseReportInput], { description: `1 to ${MAX_BATCH}; created, or updated when the Autotask id is known.` })
  @ValidateNested({ each: true })
  @BatchSize('expense report')
  expenseReports!: ExpenseReportInput[];
}
