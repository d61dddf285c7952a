import { Field, Float, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { CustomerImportAction } from './customer-import.types.js';

/** Most connectors one import takes. */
export const MAX_IMPORT_CONNECTORS = 50;

/** Names at least this alike (0 to 1, ../mapping-help/similarity.ts) are near-duplicates. */
export const DEFAULT_SIMILARITY_THRESHOLD = 0.9;

@InputType({ description: 'How customers are compared.' })
export class CustomerImportOptionsInput {
  @Field({ defaultValue: false, description: 'Also import inactive customers (as inactive companies).' })
  includeInactive: boolean = false;

  @Field(() => Float, { defaultValue: DEFAULT_SIMILARITY_THRESHOLD, description: 'Names at least this alike (0.5 to 1) are near-duplicates: a conflict.' })
  @Min(0.5, { message: 'must be at least 0.5' })
  @Max(1, { message: 'must be at most 1' })
  similarityThreshold: number = DEFAULT_SIMILARITY_THRESHOLD;
}

@InputType({ description: 'A decision for one customer of the preview, overriding its default action.' })
export class CustomerImportDecisionInput {
  @Field(() => ID) connectorId!: string;
  @Field({ description: 'The customer\'s ListID.' }) listId!: string;
  @Field(() => CustomerImportAction) action!: CustomerImportAction;
  @Field(() => ID, { nullable: true, description: 'LINK: the organization to link to (default: the match).' })
  organizationId?: string | null;
}

@InputType()
export class ApplyCustomerImportInput {
  @Field(() => [ID])
  @ArrayMinSize(1, { message: 'must name at least one connector' })
  @ArrayMaxSize(MAX_IMPORT_CONNECTORS, { message: `must name at most ${MAX_IMPORT_CONNECTORS} connectors` })
  connectorIds!: string[];

  @Field(() => CustomerImportOptionsInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  options?: CustomerImportOptionsInput | null;

  @Field({ defaultValue: false, description: 'Create organizations for NEW customers (in Autotask). Off: NEW rows are skipped unless a decision says CREATE.' })
  createNew: boolean = false;

  @Field(() => [CustomerImportDecisionInput], { nullable: true, description: 'Per-customer decisions; the other rows take their defaultAction.' })
  @IsOptional()
  @ValidateNested({ each: true })
  decisions?: CustomerImportDecisionInput[] | null;
}
