import { Embedded, Entity, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Address } from '../../shared/address.js';

/** An Autotask vendor (a Companies row of a vendor type) that purchase orders buy from; becomes a QuickBooks vendor. */
@ObjectType({ description: 'An Autotask vendor (an organization of a vendor type); becomes a QuickBooks vendor.' })
@Entity()
export class Vendor extends BaseEntity {
  @Field(() => Int, { description: 'Autotask Companies.id.' })
  @Property({ unique: true })
  autotaskId: number;

  @Field({ description: 'Autotask companyName: the QuickBooks vendor name (41 characters at most there).' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => Address, { nullable: true })
  @Embedded(() => Address, { nullable: true, prefix: 'address_' })
  address: Address | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) phone: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) fax: string | null = null;

  constructor(autotaskId: number, name: string) {
    super('vnd');
    this.autotaskId = autotaskId;
    this.name = name;
  }
}
