import { Collection, Embedded, Entity, Enum, ManyToOne, OneToMany, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Address } from '../../shared/address.js';
import type { Connector } from '../connector/connector.entity.js';
import { TransmissionMethod } from '../connector/connector-settings.js';

/** An Autotask organization (company); becomes a QuickBooks customer. */
@ObjectType({ description: 'An Autotask organization (company); becomes a QuickBooks customer.' })
@Entity()
export class Organization extends BaseEntity {
  @Field(() => Int)
  @Property({ unique: true })
  autotaskId: number;

  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => Int, { nullable: true, description: 'Autotask id of the parent organization.' })
  @Property({ type: 'integer', nullable: true })
  parentAutotaskId: number | null = null;

  @Field(() => Address, { nullable: true })
  @Embedded(() => Address, { nullable: true, prefix: 'address_' })
  address: Address | null = null;

  @Field(() => Address, { nullable: true, description: 'Invoice settings billing address, when it differs.' })
  @Embedded(() => Address, { nullable: true, prefix: 'billing_' })
  billingAddress: Address | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) fax: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email: string | null = null;

  @Field()
  @Property()
  taxExempt: boolean = false;

  @Field(() => TransmissionMethod, { nullable: true, description: "Autotask invoice settings' transmission method; empty: the connector's default." })
  @Enum({ items: () => TransmissionMethod, nativeEnumName: 'transmission_method', nullable: true })
  transmissionMethod: TransmissionMethod | null = null;

  @Field(() => Int, { nullable: true, description: 'The account manager: Autotask ownerResourceID (mapped to a QuickBooks sales rep, ACCOUNT_MANAGER).' })
  @Property({ type: 'integer', nullable: true })
  ownerResourceId: number | null = null;

  @Field(() => String, { nullable: true, description: 'Autotask classification picklist value (mapped to a QuickBooks customer type, CLASSIFICATION).' })
  @Property({ type: 'text', nullable: true })
  classificationId: string | null = null;

  @Field(() => String, { nullable: true, description: "Autotask invoice template id of the organization's invoice settings (mapped to a QuickBooks template, INVOICE_TEMPLATE)." })
  @Property({ type: 'text', nullable: true })
  invoiceTemplateId: string | null = null;

  @Field(() => String, { nullable: true, description: 'Autotask payment term id.' })
  @Property({ type: 'text', nullable: true })
  paymentTermId: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  paymentTermName: string | null = null;

  @OneToMany(() => OrganizationQbLink, (l) => l.organization)
  quickBooksLinks = new Collection<OrganizationQbLink>(this);

  constructor(autotaskId: number, name: string) {
    super('org');
    this.autotaskId = autotaskId;
    this.name = name;
  }
}

/** The QuickBooks customer an organization became in one connector's company file. */
@ObjectType({ description: "The QuickBooks customer an organization is in one connector's company file." })
@Entity()
@Unique({ properties: ['organization', 'connector'] })
export class OrganizationQbLink extends BaseEntity {
  @ManyToOne(() => Organization)
  organization: Rel<Organization>;

  @ManyToOne({ entity: 'Connector' })
  connector: Rel<Connector>;

  @Field() @Property({ type: 'text' }) listId: string;
  @Field() @Property({ type: 'text' }) fullName: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) editSequence: string | null = null;

  constructor(organization: Organization, connector: Connector, listId: string, fullName: string) {
    super('oql');
    this.organization = organization;
    this.connector = connector;
    this.listId = listId;
    this.fullName = fullName;
  }
}
