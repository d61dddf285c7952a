import { Field, InputType, Int } from 'type-graphql';
import { IsEmail, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { MappingSourceKind } from '../../modules/mapping/mapping-source.js';
import { IsCalendarDate } from '../../modules/autotask/autotask-values.js';
import { AutotaskInvoiceSelection } from './autotask-connection.entity.js';

@InputType({ description: 'Billing items of this Autotask billingItemType become lines of this kind.' })
export class AutotaskBillingItemKindRuleInput {
  @Field(() => Int) @Min(0, { message: 'must be an Autotask picklist value (0 or more)' }) billingItemType!: number;
  @Field(() => MappingSourceKind) kind!: MappingSourceKind;
}

@InputType({ description: 'The Autotask API user and what to pull. Optional settings keep their stored (or default) value when left out.' })
export class SetAutotaskConnectionInput {
  @Field({ description: "The API user's user name (its login, an e-mail address)." })
  @Length(1, 254, { message: 'must be 1 to 254 characters' })
  @IsEmail({}, { message: 'must be the API user\'s login, an e-mail address' })
  userName!: string;

  @Field({ description: 'The API tracking identifier (ApiIntegrationCode) set on the API user.' })
  @Length(1, 100, { message: 'must be 1 to 100 characters' })
  integrationCode!: string;

  @Field(() => String, {
    nullable: true,
    description: "The API user's password. Required the first time and when the user name changes; left out, the stored one is kept.",
  })
  @IsOptional()
  @Length(1, 500, { message: 'must be 1 to 500 characters' })
  secret?: string | null;

  @Field(() => AutotaskInvoiceSelection, { nullable: true }) @IsOptional() invoiceSelection?: AutotaskInvoiceSelection;

  @Field(() => Int, { nullable: true, description: 'Required when invoiceSelection is BATCH.' })
  @IsOptional()
  @Min(1, { message: 'must be a positive Autotask batch id' })
  invoiceBatchId?: number | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: only invoices dated on or after it. Empty: no limit.' })
  @IsOptional()
  @IsCalendarDate()
  invoicesFrom?: string | null;

  @Field(() => Boolean, { nullable: true }) @IsOptional() writeBackInvoiceNumber?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() pullResources?: boolean;
  @Field(() => Boolean, { nullable: true }) @IsOptional() pullAllCompanies?: boolean;

  @Field(() => [AutotaskBillingItemKindRuleInput], { nullable: true, description: 'Replaces the stored rules.' })
  @IsOptional()
  @ValidateNested({ each: true })
  billingItemKinds?: AutotaskBillingItemKindRuleInput[];

  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1, { message: 'must be an Autotask companyType picklist value' }) newCompanyType?: number;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1, { message: 'must be a positive Autotask resource id' })
  newCompanyOwnerResourceId?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'The scheduler pulls only when enabled (default true).' })
  @IsOptional()
  enabled?: boolean;

  @Field(() => Int, { nullable: true, description: '5 to 1440 minutes (default 60).' })
  @IsOptional()
  @Min(5, { message: 'must be at least 5 minutes (Autotask counts every request against an hourly threshold)' })
  @Max(1440, { message: 'must be at most 1440 minutes (one day)' })
  pullEveryMinutes?: number;
}
