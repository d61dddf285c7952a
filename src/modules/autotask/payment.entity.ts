import { Entity, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Invoice } from './invoice.entity.js';

/**
 * A payment received against an Autotask invoice (Autotask has no payment entity: scripts or a payment
 * portal push them here), keyed by the pusher's own id so pushes are idempotent.
 */
@ObjectType({ description: 'A payment received against an invoice; becomes a QuickBooks ReceivePayment.' })
@Entity()
export class Payment extends BaseEntity {
  @Field({ description: "The pushing system's id for this payment (idempotency key)." })
  @Property({ type: 'text', unique: true })
  externalId: string;

  @ManyToOne(() => Invoice)
  invoice: Rel<Invoice>;

  @Field() @Property({ type: 'decimal', precision: 15, scale: 2 }) amount: string;
  @Field() @Property({ type: 'date' }) paymentDate: string;
  @Field(() => String, { nullable: true, description: 'QuickBooks payment method name, e.g. "Check".' })
  @Property({ type: 'text', nullable: true })
  paymentMethod: string | null = null;
  @Field(() => String, { nullable: true, description: 'QuickBooks deposit account FullName (else Undeposited Funds).' })
  @Property({ type: 'text', nullable: true })
  depositAccount: string | null = null;
  @Field(() => String, { nullable: true, description: 'Check number or processor reference.' })
  @Property({ type: 'text', nullable: true })
  reference: string | null = null;

  constructor(externalId: string, invoice: Invoice, amount: string, paymentDate: string) {
    super('pay');
    this.externalId = externalId;
    this.invoice = invoice;
    this.amount = amount;
    this.paymentDate = paymentDate;
  }
}
