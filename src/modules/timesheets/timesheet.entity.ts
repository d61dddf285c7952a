import { Collection, Entity, ManyToOne, OneToMany, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Organization } from '../autotask/organization.entity.js';
import { Resource } from '../autotask/resource.entity.js';

/**
 * An accountant's confirmation that a resource's timesheet period is approved in Autotask (Autotask's API
 * cannot tell, F1). Approving again re-reads the period's time entries and changes only what changed.
 */
@ObjectType({ description: "A resource's timesheet period, confirmed approved by an accountant." })
@Entity()
@Unique({ properties: ['resource', 'periodStart'] })
export class TimesheetApproval extends BaseEntity {
  @ManyToOne(() => Resource)
  resource: Rel<Resource>;

  @Field({ description: 'First day of the period (YYYY-MM-DD).' }) @Property({ type: 'date' }) periodStart: string;
  @Field({ description: 'Last day of the period (YYYY-MM-DD).' }) @Property({ type: 'date' }) periodEnd: string;
  @Field({ description: 'Who confirmed it last.' }) @Property({ type: 'text' }) approvedBy: string;
  @Field() @Property({ type: 'timestamptz' }) approvedAt: Date = new Date();

  @OneToMany(() => TimeActivity, (a) => a.approval, { orderBy: { date: 'asc', groupKey: 'asc' } })
  activities = new Collection<TimeActivity>(this);

  constructor(resource: Resource, periodStart: string, periodEnd: string, approvedBy: string) {
    super('tsap');
    this.resource = resource;
    this.periodStart = periodStart;
    this.periodEnd = periodEnd;
    this.approvedBy = approvedBy;
  }
}

/**
 * One QuickBooks TimeTracking record: a person's hours of one day for one customer/job, service item,
 * payroll item and class (F4: QuickBooks' weekly timesheet is a view over these, so periods need no
 * splitting). The ledger unit of timesheets (entity type TIME_ACTIVITY); hours 0 means "delete it in
 * QuickBooks" (the day's entries were removed in Autotask after the transfer).
 */
@ObjectType({ description: "One day's hours of a resource for one customer, service item and payroll item: one QuickBooks time record." })
@Entity()
@Unique({ properties: ['approval', 'groupKey'] })
export class TimeActivity extends BaseEntity {
  @ManyToOne(() => TimesheetApproval, { deleteRule: 'cascade' })
  approval: Rel<TimesheetApproval>;

  @ManyToOne(() => Resource)
  resource: Rel<Resource>;

  /** What the entries were grouped by (date, organization, work type, payroll category, line of business, billable). */
  @Property({ type: 'text' })
  groupKey: string;

  @Field({ description: 'YYYY-MM-DD' }) @Property({ type: 'date' }) date: string;

  @ManyToOne(() => Organization, { nullable: true })
  organization: Rel<Organization> | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) workTypeId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) workTypeName: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) payrollCategoryId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) payrollCategoryName: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lineOfBusinessId: string | null = null;
  @Field() @Property() billable: boolean;

  @Field({ description: 'The summed hours (decimal string); 0 once its entries were removed after the transfer.' })
  @Property({ type: 'decimal', precision: 8, scale: 4 })
  hours: string;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) notes: string | null = null;

  /** The Autotask time entries summed (ids). */
  @Property({ type: 'jsonb' })
  timeEntryAutotaskIds: number[] = [];

  constructor(approval: TimesheetApproval, groupKey: string, date: string, billable: boolean, hours: string) {
    super('tact');
    this.approval = approval;
    this.resource = approval.resource;
    this.groupKey = groupKey;
    this.date = date;
    this.billable = billable;
    this.hours = hours;
  }
}
