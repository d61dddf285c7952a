import { Collection, Entity, Enum, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Organization } from '../autotask/organization.entity.js';
import { Resource } from '../autotask/resource.entity.js';
import { ExpenseReportStatus } from './expense-report-status.js';

/**
 * An Autotask expense report (ExpenseReports) with its items; once approved it becomes a bill to its
 * resource's QuickBooks vendor (a vendor credit when the cash advance exceeds the expenses, F9), in the file
 * its resource is routed to. Items are replaced as a whole on upsert.
 */
@ObjectType({ description: "An Autotask expense report; becomes a bill to its resource's QuickBooks vendor." })
@Entity()
export class ExpenseReport extends BaseEntity {
  @Field(() => Int, { description: 'Autotask ExpenseReports.id.' })
  @Property({ unique: true })
  autotaskId: number;

  @Field() @Property({ type: 'text' }) name: string;

  /** The submitter (submitterID): whose vendor is owed, and where the report is routed. */
  @ManyToOne(() => Resource)
  resource: Rel<Resource>;

  @Field(() => ExpenseReportStatus)
  @Enum({ items: () => ExpenseReportStatus, nativeEnumName: 'expense_report_status' })
  status: ExpenseReportStatus;

  @Field({ description: 'YYYY-MM-DD.' }) @Property({ type: 'date' }) weekEnding: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: the bill date when given.' }) @Property({ type: 'date', nullable: true }) approvedDate: string | null = null;

  @Field({ description: 'internalCurrencyCashAdvanceAmount (decimal string): a negative line on the bill, or a vendor credit when larger than the expenses.' })
  @Property({ type: 'decimal', precision: 14, scale: 4 })
  cashAdvanceAmount: string = '0';

  @Field(() => String, { nullable: true, description: 'organizationalLevelAssociationID: the line of business whose class the lines carry ("Transfer Class").' })
  @Property({ type: 'text', nullable: true })
  lineOfBusinessId: string | null = null;

  @Field(() => String, { nullable: true, description: "Autotask quickBooksReferenceNumber: the QuickBooks bill's reference, written back once transferred." })
  @Property({ type: 'text', nullable: true })
  quickBooksReferenceNumber: string | null = null;

  @OneToMany(() => ExpenseItem, (i) => i.report, { orderBy: { position: 'asc' } })
  items = new Collection<ExpenseItem>(this);

  constructor(autotaskId: number, name: string, resource: Resource, status: ExpenseReportStatus, weekEnding: string) {
    super('exr');
    this.autotaskId = autotaskId;
    this.name = name;
    this.resource = resource;
    this.status = status;
    this.weekEnding = weekEnding;
  }
}

/** One expense item (Autotask ExpenseItems): one expense line of the bill. */
@ObjectType({ description: 'One item of an expense report: one line of its QuickBooks bill.' })
@Entity()
export class ExpenseItem extends BaseEntity {
  @ManyToOne(() => ExpenseReport, { deleteRule: 'cascade' })
  report: Rel<ExpenseReport>;

  @Field(() => Int, { description: 'Autotask ExpenseItems.id.' }) @Property({ unique: true }) autotaskId: number;
  @Field(() => Int, { description: 'Order on the report, from 1.' }) @Property() position: number;
  @Field({ description: 'YYYY-MM-DD.' }) @Property({ type: 'date' }) expenseDate: string;
  @Field() @Property({ type: 'text' }) description: string;
  @Field({ description: 'Autotask expenseCategory (an Expense Category billing code): mapped to an account.' }) @Property({ type: 'text' }) expenseCategoryId: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) expenseCategoryName: string | null = null;
  @Field(() => String, { nullable: true, description: 'Autotask paymentType (picklist value).' }) @Property({ type: 'text', nullable: true }) paymentTypeId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) paymentTypeName: string | null = null;
  @Field({ description: 'isBillableToCompany: the line carries the customer:job and posts to the billable account.' }) @Property() billable: boolean = false;
  @Field({ description: 'isReimbursable (follows the payment type): false for what the company paid (credit card, check).' }) @Property() reimbursable: boolean = true;

  /** The customer the expense is billable to (companyID), if any. */
  @ManyToOne(() => Organization, { nullable: true })
  organization: Rel<Organization> | null = null;

  @Field({ description: 'internalCurrencyReimbursementAmount (decimal string).' })
  @Property({ type: 'decimal', precision: 14, scale: 4 })
  amount: string;

  @Field(() => String, { nullable: true }) @Property({ type: 'decimal', precision: 10, scale: 2, nullable: true }) miles: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) origin: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) destination: string | null = null;

  constructor(values: Pick<ExpenseItem, 'report' | 'autotaskId' | 'position' | 'expenseDate' | 'description' | 'expenseCategoryId' | 'amount'>) {
    super('exi');
    this.report = values.report;
    this.autotaskId = values.autotaskId;
    this.position = values.position;
    this.expenseDate = values.expenseDate;
    this.description = values.description;
    this.expenseCategoryId = values.expenseCategoryId;
    this.amount = values.amount;
  }
}
