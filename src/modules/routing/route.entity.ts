import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from '../connector/connector.entity.js';

/** What is routed: invoices follow their organization; timesheets and expenses follow their resource. */
export enum RouteSubject {
  ORGANIZATION = 'ORGANIZATION',
  RESOURCE = 'RESOURCE',
}
registerEnumType(RouteSubject, { name: 'RouteSubject' });

/** Sends one Autotask organization or resource to a connector other than (or pinned to) the default. */
@ObjectType({ description: 'An organization or resource routed to a connector; everything unrouted goes to the default.' })
@Entity()
@Unique({ properties: ['subject', 'autotaskId'] })
export class Route extends BaseEntity {
  @Field(() => RouteSubject)
  @Enum({ items: () => RouteSubject, nativeEnumName: 'route_subject' })
  subject: RouteSubject;

  @Field(() => Int, { description: 'The Autotask id of the organization (company) or resource.' })
  @Property()
  autotaskId: number;

  @ManyToOne({ entity: 'Connector' })
  connector: Rel<Connector>;

  constructor(subject: RouteSubject, autotaskId: number, connector: Connector) {
    super('route');
    this.subject = subject;
    this.autotaskId = autotaskId;
    this.connector = connector;
  }
}
