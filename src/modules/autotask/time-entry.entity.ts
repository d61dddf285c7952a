import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Resource } from './resource.entity.js';

/**
 * An Autotask time entry (TimeEntries): hours a resource worked on a day. Entries reach QuickBooks only
 * through an approved timesheet period (src/modules/timesheets), grouped into time activities.
 */
@ObjectType({ description: 'An Autotask time entry: hours a resource worked on one day.' })
@Entity()
@Index({ properties: ['resource', 'dateWorked'] })
export class TimeEntry extends BaseEntity {
  @Field(() => Int) @Property({ unique: true }) autotaskId: number;

  @ManyToOne(() => Resource)
  resource: Rel<Resource>;

  @Field({ description: "Autotask's dateWorked (YYYY-MM-DD): the QuickBooks TxnDate, not the UTC start time." })
  @Property({ type: 'date' })
  dateWorked: string;

  @Field({ description: 'hoursWorked (decimal string, up to 4 decimals).' })
  @Property({ type: 'decimal', precision: 8, scale: 4 })
  hoursWorked: string;

  @Field(() => Int, { nullable: true, description: "The organization (company) of the entry's ticket or task; none for regular (internal) time." })
  @Property({ type: 'integer', nullable: true })
  organizationAutotaskId: number | null = null;

  @Field(() => String, { nullable: true, description: 'Work type (billingCodeID): the QuickBooks service item, through the WORK_TYPE item mapping.' })
  @Property({ type: 'text', nullable: true })
  workTypeId: string | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) workTypeName: string | null = null;

  @Field(() => String, { nullable: true, description: 'Payroll (time) category: internal time code or work type → payroll wage item (PAYROLL_CATEGORY mapping).' })
  @Property({ type: 'text', nullable: true })
  payrollCategoryId: string | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) payrollCategoryName: string | null = null;

  @Field(() => String, { nullable: true, description: 'Line of business → class (LINE_OF_BUSINESS mapping).' })
  @Property({ type: 'text', nullable: true })
  lineOfBusinessId: string | null = null;

  @Field() @Property({ default: false }) isNonBillable: boolean = false;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) summaryNotes: string | null = null;

  constructor(autotaskId: number, resource: Resource, dateWorked: string, hoursWorked: string) {
    super('tent');
    this.autotaskId = autotaskId;
    this.resource = resource;
    this.dateWorked = dateWorked;
    this.hoursWorked = hoursWorked;
  }
}
