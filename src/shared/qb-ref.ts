import { Embeddable, Property } from '@mikro-orm/core';
import { Field, InputType, ObjectType } from 'type-graphql';
import { IsOptional, Length, Matches } from 'class-validator';

/**
 * A reference to a QuickBooks list element (account, class, item, terms, sales tax code), the way
 * qbXML `*Ref` aggregates carry it: ListID when known, FullName always (ListID wins in QuickBooks).
 */
@Embeddable()
@ObjectType('QuickBooksRef')
export class QbRef {
  @Field(() => String, { nullable: true, description: 'QuickBooks ListID, when known (e.g. from a list sync).' })
  @Property({ type: 'text', nullable: true })
  listId?: string | null;

  @Field({ description: 'QuickBooks FullName, e.g. "Services:Labor" for a sub-item.' })
  @Property({ type: 'text' })
  fullName!: string;
}

@InputType('QuickBooksRefInput')
export class QbRefInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/^[0-9A-Fa-f]{1,16}-[0-9]{1,20}$/, { message: 'must be a QuickBooks ListID such as 80000001-1234567890' })
  listId?: string | null;

  // 159 is qbXML's FullName limit (parent:child path).
  @Field()
  @Length(1, 159, { message: 'must be 1 to 159 characters' })
  fullName!: string;
}

/** Copies an input into a stored reference (or null). */
export function toQbRef(input: QbRefInput | null | undefined): QbRef | null {
  if (!input) return null;
  const ref = new QbRef();
  ref.listId = input.listId ?? null;
  ref.fullName = input.fullName;
  return ref;
}
