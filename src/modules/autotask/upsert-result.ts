import { Field, Int, ObjectType } from 'type-graphql';
import { Organization } from './organization.entity.js';
import { Resource } from './resource.entity.js';
import { Invoice } from './invoice.entity.js';
import { Payment } from './payment.entity.js';
import { TimeEntry } from './time-entry.entity.js';

/** How one upsert call went: each pushed record was created, updated, or already stored exactly so. */
// The subclasses inherit these fields; the base type itself is never referenced, so never emitted.
@ObjectType()
export abstract class UpsertSummary {
  @Field(() => Int, { description: 'Records that did not exist yet.' })
  created: number = 0;

  @Field(() => Int, { description: 'Records whose stored values changed.' })
  updated: number = 0;

  @Field(() => Int, { description: 'Records already stored with exactly these values (nothing was written for them).' })
  unchanged: number = 0;

  /** Counts one record: `null` when it is new, else whether its stored values changed. */
  count(changed: boolean | null): void {
    if (changed === null) this.created++;
    else if (changed) this.updated++;
    else this.unchanged++;
  }
}

@ObjectType({ description: 'The outcome of upsertOrganizations.' })
export class UpsertOrganizationsResult extends UpsertSummary {
  @Field(() => [Organization], { description: 'The organizations, in the order pushed.' })
  organizations: Organization[] = [];
}

@ObjectType({ description: 'The outcome of upsertResources.' })
export class UpsertResourcesResult extends UpsertSummary {
  @Field(() => [Resource], { description: 'The resources, in the order pushed.' })
  resources: Resource[] = [];
}

@ObjectType({ description: 'The outcome of upsertInvoices.' })
export class UpsertInvoicesResult extends UpsertSummary {
  @Field(() => [Invoice], { description: 'The invoices, in the order pushed.' })
  invoices: Invoice[] = [];
}

@ObjectType({ description: 'The outcome of upsertPayments.' })
export class UpsertPaymentsResult extends UpsertSummary {
  @Field(() => [Payment], { description: 'The payments, in the order pushed.' })
  payments: Payment[] = [];
}

@ObjectType({ description: 'The outcome of upsertTimeEntries.' })
export class UpsertTimeEntriesResult extends UpsertSummary {
  @Field(() => [TimeEntry], { description: 'The time entries, in the order pushed.' })
  timeEntries: TimeEntry[] = [];
}
