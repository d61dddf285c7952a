import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Invoice } from '../../modules/autotask/invoice.entity.js';

/** Which write-back step failed last. */
export enum WriteBackStep {
  /** invoiceNumber (QuickBooks RefNumber) and webServiceDate, after the transfer SUCCEEDED. */
  INVOICE_NUMBER = 'INVOICE_NUMBER',
  /** paidDate set (QuickBooks shows it paid) or cleared (it no longer does). */
  PAID_DATE = 'PAID_DATE',
}
registerEnumType(WriteBackStep, { name: 'AutotaskWriteBackStep' });

/**
 * What has been written back to one Autotask invoice, and the last failure. What is still to write is not
 * stored: it is derived by query (write-back-outbox.ts) from the ledger (the invoice's latest SUCCEEDED
 * transfer differs from `numberTransferItemId`) and from our invoice's QuickBooks paid date (differs from
 * `paidDateWritten`), so nothing in the Web Connector path has to remember to enqueue anything.
 */
@ObjectType({ description: 'What was written back to the Autotask invoice, and the last failure (retried with backoff).' })
@Entity({ tableName: 'autotask_invoice_write_back' })
@Unique({ properties: ['invoice'] })
export class AutotaskInvoiceWriteBack extends BaseEntity {
  @ManyToOne({ entity: 'Invoice', deleteRule: 'cascade' })
  invoice: Rel<Invoice>;

  // ---- invoiceNumber + webServiceDate ----
  /** The SUCCEEDED transfer item whose QuickBooks number was written (a new transfer to another connector writes again). */
  @Property({ type: 'text', nullable: true }) numberTransferItemId: string | null = null;
  @Field(() => Date, { nullable: true, description: 'When the QuickBooks number and webServiceDate were written.' })
  @Property({ type: 'timestamptz', nullable: true })
  numberWrittenAt: Date | null = null;
  @Field(() => String, { nullable: true, description: 'The invoiceNumber written (null: the connection keeps Autotask numbers).' })
  @Property({ type: 'text', nullable: true })
  invoiceNumberWritten: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) webServiceDateWritten: string | null = null;

  // ---- paidDate ----
  @Field(() => Date, { nullable: true, description: 'When paidDate was last written (set or cleared).' })
  @Property({ type: 'timestamptz', nullable: true })
  paidWrittenAt: Date | null = null;
  @Field(() => String, { nullable: true, description: 'The paidDate Autotask has from us (YYYY-MM-DD); null after clearing.' })
  @Property({ type: 'date', nullable: true })
  paidDateWritten: string | null = null;
  @Field({ description: 'Autotask refused to clear paidDate; it must be cleared in Autotask by hand (not retried).' })
  @Property()
  paidClearRefused: boolean = false;

  // ---- failures ----
  @Field(() => Int, { description: 'Failures since the last success; the retry wait doubles with each.' })
  @Property()
  failures: number = 0;
  @Field(() => Date, { nullable: true, description: 'Not retried before this time.' })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null = null;
  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) lastAttemptAt: Date | null = null;
  @Field(() => WriteBackStep, { nullable: true })
  @Enum({ items: () => WriteBackStep, nativeEnumName: 'autotask_write_back_step', nullable: true })
  lastFailedStep: WriteBackStep | null = null;
  @Field(() => String, { nullable: true, description: 'Stable code of the last failure, e.g. AUTOTASK_UNAVAILABLE, AUTOTASK_REJECTED.' })
  @Property({ type: 'text', nullable: true })
  lastErrorCode: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lastError: string | null = null;

  constructor(invoice: Invoice) {
    super('atwb');
    this.invoice = invoice;
  }
}
