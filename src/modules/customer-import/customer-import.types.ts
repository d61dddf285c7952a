/** What a customer import preview shows and what applying it did (GraphQL object types and enums). */
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { QuickBooksCustomer } from '../../psa/autotask/mapping.js';
import { Organization } from '../autotask/organization.entity.js';

export enum CustomerImportVerdict {
  /** Already linked to an organization by its ListID in this connector: nothing to do. */
  LINKED = 'LINKED',
  /** Its normalised name equals exactly one organization's: apply links it. */
  MATCH = 'MATCH',
  /** No organization like it: apply (with createNew, or the CREATE action) creates one in Autotask. */
  NEW = 'NEW',
  /** Needs a person's decision (see conflicts); apply skips it unless a decision names the row. */
  CONFLICT = 'CONFLICT',
}

export enum CustomerImportConflictKind {
  /** Another connector's company file has a customer of the same normalised name with other details (phone, e-mail, company name). */
  SAME_NAME_DIFFERENT_DETAILS = 'SAME_NAME_DIFFERENT_DETAILS',
  /** Another customer of the same company file has the same normalised name ("Acme Inc" and "Acme, Inc."). */
  SAME_NAME_IN_FILE = 'SAME_NAME_IN_FILE',
  /** An organization's name is very like this customer's (similarity at or above the threshold). */
  NEAR_DUPLICATE_ORGANIZATION = 'NEAR_DUPLICATE_ORGANIZATION',
  /** Another customer (of any selected company file) is named very like this one. */
  NEAR_DUPLICATE_CUSTOMER = 'NEAR_DUPLICATE_CUSTOMER',
  /** Several organizations have this normalised name. */
  AMBIGUOUS_MATCH = 'AMBIGUOUS_MATCH',
  /** The matching organization is already linked to another customer of this company file. */
  ORGANIZATION_LINKED_ELSEWHERE = 'ORGANIZATION_LINKED_ELSEWHERE',
  /** Several organizations are linked to this customer's ListID in this connector. */
  LIST_ID_LINKED_TWICE = 'LIST_ID_LINKED_TWICE',
}

export enum CustomerImportAction {
  /** Link the customer to an existing organization (the match, or the organizationId of a decision). */
  LINK = 'LINK',
  /** Create an Autotask company (organization) from the customer and link it. */
  CREATE = 'CREATE',
  SKIP = 'SKIP',
}

export enum CustomerImportOutcome {
  /** A new link to an existing organization was stored. */
  LINKED = 'LINKED',
  /** A company was created in Autotask, stored as an organization and linked. */
  CREATED = 'CREATED',
  /** The customer was linked already (re-running an import changes nothing). */
  ALREADY_LINKED = 'ALREADY_LINKED',
  SKIPPED = 'SKIPPED',
  /** See errorCode and errorMessage; the other rows went on. */
  FAILED = 'FAILED',
}

registerEnumType(CustomerImportVerdict, { name: 'CustomerImportVerdict', description: 'What a customer import preview found for a QuickBooks customer.' });
registerEnumType(CustomerImportConflictKind, { name: 'CustomerImportConflictKind' });
registerEnumType(CustomerImportAction, { name: 'CustomerImportAction', description: 'What applying a customer import does with one customer.' });
registerEnumType(CustomerImportOutcome, { name: 'CustomerImportOutcome' });

@ObjectType({ description: 'Why a customer needs a decision, and what it clashes with.' })
export class CustomerImportConflict {
  @Field(() => CustomerImportConflictKind) kind!: CustomerImportConflictKind;
  @Field() message!: string;
  @Field(() => Organization, { nullable: true, description: 'The organization concerned, if any.' }) organization!: Organization | null;
  @Field(() => ID, { nullable: true, description: 'The other customer\'s connector, for clashes between customers.' }) otherConnectorId!: string | null;
  @Field(() => String, { nullable: true }) otherListId!: string | null;
  @Field(() => String, { nullable: true }) otherFullName!: string | null;
  @Field(() => Float, { nullable: true, description: 'Name similarity (0 to 1) for near-duplicates.' }) score!: number | null;
}

@ObjectType({ description: "One top-level QuickBooks customer of a connector's company file, and what importing it would do." })
export class CustomerImportRow {
  @Field(() => ID) connectorId!: string;
  @Field() connectorName!: string;
  @Field({ description: 'QuickBooks ListID.' }) listId!: string;
  @Field() fullName!: string;
  @Field({ description: 'QuickBooks Name (the name a created organization gets).' }) name!: string;
  @Field(() => String, { nullable: true }) companyName!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field() isActive!: boolean;
  @Field({ description: 'The name as compared: case, accents, punctuation and legal forms (Inc, LLC, Ltd, ...) removed.' }) normalisedName!: string;
  @Field(() => CustomerImportVerdict) verdict!: CustomerImportVerdict;
  @Field(() => Organization, { nullable: true, description: 'LINKED: the linked organization; MATCH: the matching one.' }) organization!: Organization | null;
  @Field(() => [CustomerImportConflict]) conflicts!: CustomerImportConflict[];
  @Field(() => CustomerImportAction, { nullable: true, description: 'What apply does without a decision for this row (createNew for NEW rows); empty when linked already.' })
  defaultAction!: CustomerImportAction | null;
  /** Not in the API: kept for linking (the customers plugin then sends CustomerMod without a query first). */
  editSequence!: string | null;
  /** Not in the API: what a created company gets besides name and phone (the list sync's copy of the customer). */
  fax!: string | null;
  billAddress!: QuickBooksCustomer['billAddress'];
  /** The customer's sales tax code is a non-taxable one; null when it has none (or the codes were never synced). */
  taxExempt!: boolean | null;
}

@ObjectType({ description: "A connector's customer list as the preview saw it." })
export class CustomerImportConnector {
  @Field(() => ID) connectorId!: string;
  @Field() name!: string;
  @Field(() => Date, { nullable: true, description: "When the customer list was last pulled from the company file; empty: never (sync it first)." })
  customersSyncedAt!: Date | null;
  @Field(() => Int, { description: 'Top-level customers in the preview.' }) customers!: number;
  @Field(() => Int, { description: 'Jobs (Parent:Child) left out: jobs are not imported.' }) jobsSkipped!: number;
  @Field(() => Int, { description: 'Inactive customers left out (see includeInactive).' }) inactiveSkipped!: number;
}

@ObjectType()
export class CustomerImportSummary {
  @Field(() => Int) total!: number;
  @Field(() => Int) linked!: number;
  @Field(() => Int) matched!: number;
  @Field(() => Int, { description: 'NEW rows.' }) new!: number;
  @Field(() => Int) conflicts!: number;
}

@ObjectType({ description: 'What importing the QuickBooks customers of one or several connectors as organizations would do.' })
export class CustomerImportPreview {
  @Field(() => [CustomerImportRow], { description: 'By connector order, then full name.' }) rows!: CustomerImportRow[];
  @Field(() => CustomerImportSummary) summary!: CustomerImportSummary;
  @Field(() => [CustomerImportConnector]) connectors!: CustomerImportConnector[];
  @Field(() => [String], { description: 'Things to fix before importing, e.g. a customer list never synced.' }) warnings!: string[];
}

@ObjectType({ description: 'What applying the import did with one customer.' })
export class CustomerImportRowResult {
  @Field(() => ID) connectorId!: string;
  @Field() listId!: string;
  @Field() fullName!: string;
  @Field(() => CustomerImportVerdict) verdict!: CustomerImportVerdict;
  @Field(() => CustomerImportAction, { nullable: true, description: 'Empty when the customer was linked already.' }) action!: CustomerImportAction | null;
  @Field(() => CustomerImportOutcome) outcome!: CustomerImportOutcome;
  @Field(() => Organization, { nullable: true }) organization!: Organization | null;
  @Field(() => String, { nullable: true, description: 'Stable error code (as extensions.errorCode) when FAILED.' }) errorCode!: string | null;
  @Field(() => String, { nullable: true }) errorMessage!: string | null;
}

@ObjectType()
export class CustomerImportResult {
  @Field(() => [CustomerImportRowResult]) rows!: CustomerImportRowResult[];
  @Field(() => Int) linked!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) alreadyLinked!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) failed!: number;
}
