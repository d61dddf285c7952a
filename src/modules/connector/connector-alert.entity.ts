import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { BaseEntity } from '../../shared/base-entity.js';
import type { Connector } from './connector.entity.js';

export enum AlertKind {
  /** The Web Connector opened a company file that is not the connector's. Nothing was sent. */
  WRONG_COMPANY_FILE = 'WRONG_COMPANY_FILE',
  /** QBWC could not reach QuickBooks or open the company file (connectionError). */
  QUICKBOOKS_UNREACHABLE = 'QUICKBOOKS_UNREACHABLE',
  /** QuickBooks failed a whole message (an HRESULT instead of a response). */
  QUICKBOOKS_ERROR = 'QUICKBOOKS_ERROR',
  /** A transfer succeeded with something to check (details: transferItemId, entityType, entityId, code, amounts). Open until a person resolves it. */
  TRANSFER_ALERT = 'TRANSFER_ALERT',
}
registerEnumType(AlertKind, { name: 'ConnectorAlertKind' });

/** Something about a connector a person should look at. Resolved by a person or by the next good session. */
@ObjectType({ description: 'Something about a connector a person should look at.' })
@Entity()
export class ConnectorAlert extends BaseEntity {
  @ManyToOne({ entity: 'Connector', deleteRule: 'cascade' })
  connector: Rel<Connector>;

  @Field(() => AlertKind)
  @Enum({ items: () => AlertKind, nativeEnumName: 'connector_alert_kind' })
  kind: AlertKind;

  @Field() @Property({ type: 'text' }) message: string;

  @Field(() => GraphQLJSONObject) @Property({ type: 'json' }) details: Record<string, unknown>;

  @Field(() => Date, { nullable: true }) @Property({ type: 'timestamptz', nullable: true }) resolvedAt: Date | null = null;

  constructor(connector: Connector, kind: AlertKind, message: string, details: Record<string, unknown> = {}) {
    super('alrt');
    this.connector = connector;
    this.kind = kind;
    this.message = message;
    this.details = details;
  }
}
