import { Embeddable, Property } from '@mikro-orm/core';
import { Field, InputType, ObjectType } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';

/** A postal address as Autotask holds it (QuickBooks' BillAddress takes the same parts). */
@Embeddable()
@ObjectType()
export class Address {
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) attention?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) line1?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) line2?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) state?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) country?: string | null;
}

/** Autotask limits its own fields to these lengths; longer input is a mistake worth reporting. */
@InputType()
export class AddressInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) attention?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(128) line1?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(128) line2?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50) city?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(25) state?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) postalCode?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) country?: string | null;
}

export function toAddress(input: AddressInput | null | undefined): Address | null {
  return input ? Object.assign(new Address(), input) : null;
}
