import { Collection, Entity, Enum, Index, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { TransmissionMethod } from '../connector/connector-settings.js';
import { MappingSourceKind } from '../mapping/mapping-source.js';
import { Organization } from './organization.entity.js';

/** An Autotask invoice; becomes a QuickBooks invoice. Lines are replaced as a whole on upsert. */
@ObjectType({ description: 'An Autotask invoice; becomes a QuickBooks invoice.' })
@Entity()
export class Invoice extends BaseEntity {
  @Field(() => Int) @Property({ unique: true }) autotaskId: number;

  @ManyToOne(() => Organization)
  organization: Rel<Organization>;

  @Field(() => String, { nullable: true, description: "Autotask's invoice number." })
  @Property({ type: 'text', nullable: true })
  invoiceNumber: string | null = null;

  @Field({ description: 'Invoice date (YYYY-MM-DD).' })
  @Property({ type: 'date' })
  invoiceDate: string;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) poNumber: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) paymentTermId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) paymentTermName: string | null = null;

  @Field(() => TransmissionMethod, { nullable: true, description: "Empty: the connector's default." })
  @Enum({ items: () => TransmissionMethod, nativeEnumName: 'transmission_method', nullable: true })
  transmissionMethod: TransmissionMethod | null = null;

  @Field({ description: 'Total as Autotask computed it (decimal string).' })
  @Property({ type: 'decimal', precision: 15, scale: 2 })
  total: string;

  @Field({ description: 'Tax total as Autotask computed it (decimal string).' })
  // defaultRaw: the column's default exactly as PostgreSQL reports it, so migration diffs see no change.
  @Property({ type: 'decimal', precision: 15, scale: 2, defaultRaw: '0.00' })
  taxTotal: string = '0.00';

  @Field(() => Int, {
    nullable: true,
    description: 'For a credit (negative total): the Autotask id of the invoice it credits; the credit memo is applied to it in QuickBooks.',
  })
  @Property({ type: 'integer', nullable: true })
  creditsInvoiceAutotaskId: number | null = null;

  @Field({ description: 'Voided (or deleted) in Autotask: a transferred invoice is then voided in QuickBooks (INVOICE_VOID transfer).' })
  @Property({ default: false })
  isVoided: boolean = false;

  @Field(() => String, { nullable: true, description: 'When Autotask (or QuickBooks) recorded the invoice as paid.' })
  @Property({ type: 'date', nullable: true })
  paidDate: string | null = null;

  // ---- QuickBooks' view of the transferred invoice, read by the paid-status work source (src/modules/paid-status) ----

  @Field(() => String, { nullable: true, description: "QuickBooks' BalanceRemaining of the transferred invoice (decimal string); null until read." })
  @Property({ type: 'decimal', precision: 15, scale: 2, nullable: true })
  qbBalanceRemaining: string | null = null;

  @Field(() => Boolean, { nullable: true, description: "QuickBooks' IsPaid of the transferred invoice; null until read." })
  @Property({ type: 'boolean', nullable: true })
  qbIsPaid: boolean | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'The day QuickBooks shows it paid (YYYY-MM-DD): the date of the latest payment applied to it; null while unpaid.',
  })
  @Property({ type: 'date', nullable: true })
  qbPaidDate: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When our copy of the QuickBooks paid status last changed.' })
  @Property({ type: 'timestamptz', nullable: true })
  qbPaidStatusChangedAt: Date | null = null;

  @OneToMany(() => InvoiceLine, (l) => l.invoice, { orderBy: { position: 'asc' } })
  lines = new Collection<InvoiceLine>(this);

  constructor(autotaskId: number, organization: Organization, invoiceDate: string, total: string) {
    super('inv');
    this.autotaskId = autotaskId;
    this.organization = organization;
    this.invoiceDate = invoiceDate;
    this.total = total;
  }
}

/** One invoice line (an Autotask billing item, or a group of them as the invoice template shows). */
@ObjectType({ description: 'One invoice line.' })
@Entity()
export class InvoiceLine extends BaseEntity {
  // Indexed: an invoice's lines are read by it on hot paths (the upsert's comparison, building the invoice to
  // send, the lines of the GraphQL answer), and PostgreSQL does not index a foreign key by itself.
  @Index()
  @ManyToOne(() => Invoice, { deleteRule: 'cascade' })
  invoice: Rel<Invoice>;

  @Field(() => Int, { description: 'Order on the invoice, from 1.' })
  @Property()
  position: number;

  @Field(() => MappingSourceKind, { description: 'What kind of billing item the line bills.' })
  @Enum({ items: () => MappingSourceKind, nativeEnumName: 'mapping_source_kind' })
  billingItemKind: MappingSourceKind;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) billingItemId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) billingItemName: string | null = null;
  @Field(() => String, { nullable: true, description: 'Billing code (→ income account mapping).' })
  @Property({ type: 'text', nullable: true })
  billingCodeId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) roleName: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) workTypeName: string | null = null;
  @Field() @Property({ type: 'text' }) description: string;
  @Field() @Property({ type: 'decimal', precision: 18, scale: 4 }) quantity: string;
  @Field() @Property({ type: 'decimal', precision: 18, scale: 4 }) rate: string;
  @Field() @Property({ type: 'decimal', precision: 15, scale: 2 }) amount: string;
  @Field() @Property() taxable: boolean;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lineOfBusinessId: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) lineOfBusinessName: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'date', nullable: true }) serviceDate: string | null = null;
  /** The sub-organization the line's work was for, when it is billed to this (parent) organization. */
  @Field(() => String, { nullable: true, description: 'The sub-organization the line is for, when billed to its parent organization.' })
  @Property({ type: 'text', nullable: true })
  subOrganizationName: string | null = null;

  constructor(init: Omit<InvoiceLine, keyof BaseEntity | 'invoice'> & { invoice: Invoice }) {
    super('invl');
    this.invoice = init.invoice;
    this.position = init.position;
    this.billingItemKind = init.billingItemKind;
    this.description = init.description;
    this.quantity = init.quantity;
    this.rate = init.rate;
    this.amount = init.amount;
    this.taxable = init.taxable;
    Object.assign(this, init);
  }
}
