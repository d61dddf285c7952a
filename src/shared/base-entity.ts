import { PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { newId } from './ids.js';

/** Columns every table has: a prefixed, time-ordered id and creation/update times. */
// type-graphql copies a decorated base class's fields into each subclass; the base type itself is never referenced, so never emitted.
@ObjectType()
export abstract class BaseEntity {
  @Field(() => ID)
  @PrimaryKey({ type: 'text' })
  id: string;

  @Field()
  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Field()
  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  protected constructor(idPrefix: string) {
    this.id = newId(idPrefix);
  }
}
