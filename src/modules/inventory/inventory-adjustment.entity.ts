import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Connector } from '../connector/connector.entity.js';
import { Product } from '../purchasing/product.entity.js';

/**
 * One product of one inventory sync run: the on-hand quantity QuickBooks is to have (Autotask's total over
 * all locations, frozen when the run started), sent as one InventoryAdjustmentAdd line (NewQuantity). A row
 * per run and product, so each run is its own ledger item (INVENTORY_ADJUSTMENT) and the rows are the sync
 * history Autotask shows ("Inventory Synchronization History").
 */
@ObjectType({ description: "One product of an inventory sync run: QuickBooks' on-hand set to Autotask's total." })
@Entity()
@Index({ properties: ['connector', 'runAt'] })
export class InventoryAdjustment extends BaseEntity {
  @ManyToOne(() => Connector, { deleteRule: 'cascade' })
  connector: Rel<Connector>;

  @Field(() => Product)
  @ManyToOne(() => Product, { deleteRule: 'cascade' })
  product: Rel<Product>;

  @Field(() => Int, { description: "Autotask's on-hand units over every inventory location when the run started: QuickBooks' new QuantityOnHand." })
  @Property({ type: 'integer' })
  quantity: number;

  @Field({ description: 'When the run that made this adjustment started (the connector\'s inventorySyncedAt).' })
  @Property({ type: 'timestamptz' })
  runAt: Date;

  constructor(connector: Connector, product: Product, quantity: number, runAt: Date) {
    super('inva');
    this.connector = connector;
    this.product = product;
    this.quantity = quantity;
    this.runAt = runAt;
  }
}
