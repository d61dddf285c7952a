import { Entity, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';

/**
 * An Autotask product (what purchase order lines buy and inventory counts); becomes a QuickBooks inventory or
 * non-inventory part. `quantityOnHand` is Autotask's total over all inventory locations (QuickBooks has none).
 */
@ObjectType({ description: 'An Autotask product; becomes a QuickBooks inventory or non-inventory part.' })
@Entity()
export class Product extends BaseEntity {
  @Field(() => Int, { description: 'Autotask Products.id.' })
  @Property({ unique: true })
  autotaskId: number;

  @Field({ description: 'Autotask name (100 characters there; QuickBooks item names have 31).' })
  @Property({ type: 'text' })
  name: string;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) description: string | null = null;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) sku: string | null = null;
  @Field(() => String, { nullable: true, description: 'Manufacturer part number.' })
  @Property({ type: 'text', nullable: true })
  manufacturerPartNumber: string | null = null;

  @Field(() => String, { nullable: true, description: 'Unit cost (decimal string).' })
  @Property({ type: 'decimal', precision: 18, scale: 4, nullable: true })
  unitCost: string | null = null;

  @Field(() => String, { nullable: true, description: 'Unit price (decimal string).' })
  @Property({ type: 'decimal', precision: 18, scale: 4, nullable: true })
  unitPrice: string | null = null;

  @Field(() => String, { nullable: true, description: 'Autotask productBillingCodeID (→ income account mapping of a created item).' })
  @Property({ type: 'text', nullable: true })
  billingCodeId: string | null = null;

  @Field({ description: 'Stocked in Autotask inventory: becomes a QuickBooks inventory part (else a non-inventory part).' })
  @Property({ default: false })
  isInventory: boolean = false;

  @Field(() => Int, { nullable: true, description: "Autotask's on-hand units over every inventory location; null when not stocked." })
  @Property({ type: 'integer', nullable: true })
  quantityOnHand: number | null = null;

  constructor(autotaskId: number, name: string) {
    super('prd');
    this.autotaskId = autotaskId;
    this.name = name;
  }
}
