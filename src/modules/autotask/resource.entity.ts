import { Entity, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';

/** An Autotask resource (a technician or other staff member); routes timesheets and expenses. */
@ObjectType({ description: 'An Autotask resource (staff member).' })
@Entity()
export class Resource extends BaseEntity {
  @Field(() => Int) @Property({ unique: true }) autotaskId: number;
  @Field() @Property({ type: 'text' }) firstName: string;
  @Field() @Property({ type: 'text' }) lastName: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) email: string | null = null;
  @Field() @Property() active: boolean = true;

  constructor(autotaskId: number, firstName: string, lastName: string) {
    super('res');
    this.autotaskId = autotaskId;
    this.firstName = firstName;
    this.lastName = lastName;
  }
}
