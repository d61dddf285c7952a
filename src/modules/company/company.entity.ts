import { Entity, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';

/**
 * A QuickBooks company file (.QBW) as the Web Connector reports it. Created or bound on the first
 * Web Connector contact of a connector; "clearing" detaches it so the next contact binds afresh
 * (Autotask's "clear Company File Location"). Detached rows stay as history.
 */
@ObjectType({ description: 'A QuickBooks company file as the Web Connector reported it.' })
@Entity()
export class Company extends BaseEntity {
  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  companyName: string | null = null;

  @Field(() => String, { nullable: true, description: 'Full path of the .QBW file on the QuickBooks machine.' })
  @Property({ type: 'text', nullable: true })
  filePath: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: "The identity the service stamped into the file (its connector's FileID, a braced GUID).",
  })
  @Property({ type: 'text', nullable: true })
  fileId: string | null = null;

  @Field(() => String, { nullable: true, description: 'e.g. "QuickBooks Pro 2024".' })
  @Property({ type: 'text', nullable: true })
  productName: string | null = null;

  @Field(() => String, { nullable: true, description: 'Product major.minor version, e.g. "34.0".' })
  @Property({ type: 'text', nullable: true })
  productVersion: string | null = null;

  @Field(() => [String], { description: 'qbXML versions the QuickBooks product supports, e.g. ["1.0", ..., "16.0"].' })
  @Property({ type: 'json' })
  supportedQbxmlVersions: string[] = [];

  @Field(() => String, { nullable: true, description: 'qbXML country code (US, CA, UK, AU).' })
  @Property({ type: 'text', nullable: true })
  country: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  firstContactAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastContactAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When an admin cleared the binding to its connector.' })
  @Property({ type: 'timestamptz', nullable: true })
  unboundAt: Date | null = null;

  constructor() {
    super('cmp');
  }
}
