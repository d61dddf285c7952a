import { Entity, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { User } from './user.entity.js';

/** A bearer token for the GraphQL API. Only a hash of the secret is stored. */
@ObjectType({ description: 'A GraphQL API token (the secret is shown once, at creation).' })
@Entity()
export class ApiToken extends BaseEntity {
  @ManyToOne({ entity: 'User' })
  user: Rel<User>;

  @Field({ description: 'What the token is for, e.g. "billing script".' })
  @Property({ type: 'text' })
  label: string;

  /** SHA-256 of the secret: tokens are 256 random bits, so a fast hash is enough and keeps auth cheap. */
  @Property({ type: 'text', unique: true, hidden: true })
  secretHash: string;

  @Field({ description: 'The first characters of the secret, to recognise it.' })
  @Property({ type: 'text' })
  displayPrefix: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  constructor(user: User, label: string, secretHash: string, displayPrefix: string) {
    super('tok');
    this.user = user;
    this.label = label;
    this.secretHash = secretHash;
    this.displayPrefix = displayPrefix;
  }
}
