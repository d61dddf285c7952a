import { Embedded, Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { QbRef } from '../../shared/qb-ref.js';
import type { Connector } from '../connector/connector.entity.js';
import { MappingSourceKind, QbItemType } from './mapping-source.js';

/**
 * One Autotask value → one QuickBooks list element, per connector (each company file has its own lists).
 * Item mappings may say "auto-create" instead of naming an item.
 */
@ObjectType({ description: 'An Autotask value mapped to a QuickBooks list element for one connector.' })
@Entity()
@Unique({ properties: ['connector', 'sourceKind', 'sourceId'] })
export class Mapping extends BaseEntity {
  @ManyToOne({ entity: 'Connector' })
  connector: Rel<Connector>;

  @Field(() => MappingSourceKind)
  @Enum({ items: () => MappingSourceKind, nativeEnumName: 'mapping_source_kind' })
  sourceKind: MappingSourceKind;

  @Field({ description: 'The Autotask id (or TAXABLE / NON_TAXABLE for taxability).' })
  @Property({ type: 'text' })
  sourceId: string;

  @Field({ description: 'The Autotask name, kept for display and for auto-created item names.' })
  @Property({ type: 'text' })
  sourceName: string;

  @Field(() => QbRef, { nullable: true, description: 'The QuickBooks element; empty when the item is auto-created.' })
  @Embedded(() => QbRef, { nullable: true, prefix: 'target_' })
  target: QbRef | null = null;

  @Field(() => QbItemType, { nullable: true, description: 'For items: the QuickBooks item type (used when auto-creating).' })
  @Enum({ items: () => QbItemType, nativeEnumName: 'qb_item_type', nullable: true })
  itemType: QbItemType | null = null;

  @Field({ description: 'For items: create the QuickBooks item on first use (named by the connector\'s convention).' })
  @Property()
  autoCreate: boolean = false;

  constructor(connector: Connector, sourceKind: MappingSourceKind, sourceId: string, sourceName: string) {
    super('map');
    this.connector = connector;
    this.sourceKind = sourceKind;
    this.sourceId = sourceId;
    this.sourceName = sourceName;
  }
}
