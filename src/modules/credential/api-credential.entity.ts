import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';

/**
 * The user name and password the Web Connector presents in `authenticate` (Autotask's "API user").
 * One credential can serve every connector and every user; the password is stored as an argon2id hash.
 */
@ObjectType({ description: 'The user name and password the Web Connector presents (the password is never returned).' })
@Entity()
export class ApiCredential extends BaseEntity {
  @Field({ description: 'Goes into every QWC file as UserName.' })
  @Property({ type: 'text', unique: true })
  userName: string;

  @Property({ type: 'text', hidden: true })
  passwordHash: string;

  @Field()
  @Property()
  active: boolean = true;

  @Field(() => Date, { nullable: true, description: 'When the password last changed.' })
  @Property({ type: 'timestamptz', nullable: true })
  rotatedAt: Date | null = null;

  constructor(userName: string, passwordHash: string) {
    super('cred');
    this.userName = userName;
    this.passwordHash = passwordHash;
  }
}
