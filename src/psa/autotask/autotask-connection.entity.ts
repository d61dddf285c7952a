import { Entity, Enum, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { MappingSourceKind } from '../../modules/mapping/mapping-source.js';
import { AutotaskPullOutcome } from './pull-summary.js';

/** Which Autotask invoices a pull brings in. */
export enum AutotaskInvoiceSelection {
  /**
   * Invoices whose webServiceDate is empty: not yet processed by an external application. Confirmed by Datto
   * (clearing the Web Service Date makes an integration see the invoice again; docs §6 #99–100).
   */
  UNPROCESSED = 'UNPROCESSED',
  /** The invoices of one invoice-processing batch (`batchID`; its meaning is inferred, docs §5.2). */
  BATCH = 'BATCH',
}
registerEnumType(AutotaskInvoiceSelection, { name: 'AutotaskInvoiceSelection' });

/** A rule overriding how a billing item type code becomes a line kind (codes differ per tenant). */
@ObjectType({ description: 'Billing items of this Autotask billingItemType become lines of this kind.' })
export class AutotaskBillingItemKindRule {
  @Field(() => Int, { description: 'Autotask BillingItems.billingItemType picklist value.' })
  billingItemType!: number;

  @Field(() => MappingSourceKind)
  kind!: MappingSourceKind;
}

/** The slot value of the only row: the unique column makes a second connection row impossible. */
export const CONNECTION_SLOT = 'default';

/**
 * The Autotask REST connection: one row. The secret is stored encrypted (AES-256-GCM, key from
 * AUTOTASK_CREDENTIALS_KEY) and never leaves the service; the zone URL is cached from zone discovery.
 */
@ObjectType({ description: 'The connection to the Autotask REST API (the secret is never returned).' })
@Entity()
export class AutotaskConnection extends BaseEntity {
  @Property({ type: 'text', unique: true })
  slot: string = CONNECTION_SLOT;

  @Field({ description: "The API user's user name." })
  @Property({ type: 'text' })
  userName: string;

  @Field({ description: 'The API tracking identifier (ApiIntegrationCode).' })
  @Property({ type: 'text' })
  integrationCode: string;

  /** `v1:<key id>:<base64>`; see secret-box.ts. */
  @Property({ type: 'text', hidden: true })
  secretEncrypted: string;

  @Field({ description: 'When the secret was last set.' })
  @Property({ type: 'timestamptz' })
  secretUpdatedAt: Date = new Date();

  @Field(() => String, { nullable: true, description: 'Zone name from zone discovery, e.g. "America East".' })
  @Property({ type: 'text', nullable: true })
  zoneName: string | null = null;

  @Field(() => String, { nullable: true, description: 'REST base of the zone, e.g. https://webservices3.autotask.net/ATServicesRest/.' })
  @Property({ type: 'text', nullable: true })
  zoneUrl: string | null = null;

  @Field(() => String, { nullable: true, description: 'Autotask web UI of the zone.' })
  @Property({ type: 'text', nullable: true })
  webUrl: string | null = null;

  @Field(() => AutotaskInvoiceSelection)
  @Enum({ items: () => AutotaskInvoiceSelection, nativeEnumName: 'autotask_invoice_selection' })
  invoiceSelection: AutotaskInvoiceSelection = AutotaskInvoiceSelection.UNPROCESSED;

  @Field(() => Int, { nullable: true, description: 'The batch pulled when invoiceSelection is BATCH.' })
  @Property({ type: 'integer', nullable: true })
  invoiceBatchId: number | null = null;

  @Field(() => String, { nullable: true, description: 'Only invoices dated on or after this day (YYYY-MM-DD); keeps old history out.' })
  @Property({ type: 'date', nullable: true })
  invoicesFrom: string | null = null;

  @Field({ description: 'Write the QuickBooks invoice number back into the Autotask invoice (else only webServiceDate).' })
  @Property()
  writeBackInvoiceNumber: boolean = true;

  @Field({ description: 'Pull resources (staff) on every pull.' })
  @Property()
  pullResources: boolean = true;

  @Field({ description: 'Pull every active company on every pull (else only the companies of the pulled invoices).' })
  @Property()
  pullAllCompanies: boolean = false;

  @Field(() => [AutotaskBillingItemKindRule], { description: 'Overrides of how billing item types become line kinds.' })
  @Property({ type: 'json' })
  billingItemKinds: AutotaskBillingItemKindRule[] = [];

  @Field(() => Int, { description: 'companyType of companies created from QuickBooks customers.' })
  @Property()
  newCompanyType: number = 1;

  @Field(() => Int, { nullable: true, description: 'ownerResourceID of companies created from QuickBooks customers.' })
  @Property({ type: 'integer', nullable: true })
  newCompanyOwnerResourceId: number | null = null;

  @Field({ description: 'The scheduler pulls only when enabled.' })
  @Property()
  enabled: boolean = true;

  @Field(() => Int, { description: 'Scheduled pull every N minutes.' })
  @Property()
  pullEveryMinutes: number = 60;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastPullStartedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastPullFinishedAt: Date | null = null;

  @Field(() => AutotaskPullOutcome, { nullable: true })
  @Enum({ items: () => AutotaskPullOutcome, nativeEnumName: 'autotask_pull_outcome', nullable: true })
  lastPullOutcome: AutotaskPullOutcome | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lastPullMessage: string | null = null;

  /**
   * The start of the last pull that read time entries in full: the next one asks only for entries changed
   * since (less an overlap). Null until then (the first pull reads a window of days worked instead).
   */
  @Property({ type: 'timestamptz', nullable: true })
  timeEntriesPulledThrough: Date | null = null;

  /** AutotaskPullSummary.toJSON() of the last pull that ran; exposed as `lastPull`. */
  @Property({ type: 'json', nullable: true })
  lastPullSummary: Record<string, unknown> | null = null;

  constructor(userName: string, integrationCode: string, secretEncrypted: string) {
    super('atc');
    this.userName = userName;
    this.integrationCode = integrationCode;
    this.secretEncrypted = secretEncrypted;
  }
}
