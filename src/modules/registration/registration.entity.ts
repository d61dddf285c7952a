import { Entity, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { newBracedGuid } from '../../shared/ids.js';
import type { Connector } from '../connector/connector.entity.js';
import type { User } from '../user/user.entity.js';
import type { ApiCredential } from '../credential/api-credential.entity.js';

/**
 * A user on a connector: one Web Connector application entry, i.e. one QWC file.
 * See qwc-scheme.ts for why each registration has its own OwnerID while sharing its connector's FileID.
 */
@ObjectType({ description: 'A user on a connector; each registration is one QWC file for the Web Connector.' })
@Entity()
export class Registration extends BaseEntity {
  @ManyToOne({ entity: 'Connector' })
  connector: Rel<Connector>;

  @ManyToOne({ entity: 'User' })
  user: Rel<User>;

  @ManyToOne({ entity: 'ApiCredential' })
  credential: Rel<ApiCredential>;

  @Field(() => String, { nullable: true, description: 'Tells several QWC files of one user apart, e.g. "front desk PC".' })
  @Property({ type: 'text', nullable: true })
  label: string | null = null;

  @Field({ description: 'This registration\'s OwnerID (braced GUID), unique per QWC file.' })
  @Property({ type: 'text', unique: true })
  ownerId: string = newBracedGuid();

  @Field(() => Date, { nullable: true, description: 'A revoked registration is refused by the Web Connector endpoint.' })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  constructor(connector: Connector, user: User, credential: ApiCredential, label: string | null) {
    super('reg');
    this.connector = connector;
    this.user = user;
    this.credential = credential;
    this.label = label;
  }
}
