import { Collection, Entity, Enum, OneToMany, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Role } from './role.js';
import { ApiToken } from './api-token.entity.js';

/** A person at the MSP. */
@ObjectType()
@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  @Field()
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  email: string | null = null;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role: Role;

  @Field({ description: 'An inactive user cannot sign in; their tokens stop working.' })
  @Property()
  active: boolean = true;

  @OneToMany(() => ApiToken, (t) => t.user)
  tokens = new Collection<ApiToken>(this);

  constructor(name: string, role: Role) {
    super('usr');
    this.name = name;
    this.role = role;
  }
}
