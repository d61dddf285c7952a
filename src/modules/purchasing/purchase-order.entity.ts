import { Collection, Embedded, Entity, Enum, ManyToOne, OneToMany, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../shared/base-entity.js';
import { Address } from '../../shared/address.js';
import { Organization } from '../autotask/organization.entity.js';
import { Product } from './product.entity.js';
import { PurchaseOrderStatus } from './purchase-order-status.js';
import { Vendor } from './vendor.entity.js';

/** An Autotask purchase order; becomes a QuickBooks purchase order. Lines are replaced as a whole on upsert. */
@ObjectType({ description: 'An Autotask purchase order; becomes a QuickBooks purchase order.' })
@Entity()
export class PurchaseOrder extends BaseEntity {
  @Field(() => Int, { description: 'Autotask PurchaseOrders.id.' })
  @Property({ unique: true })
  autotaskId: number;

  @Field(() => String, { nullable: true, description: "Autotask's purchase order number (QuickBooks numbers its own: 11 characters)." })
  @Property({ type: 'text', nullable: true })
  purchaseOrderNumber: string | null = null;

  @Field(() => PurchaseOrderStatus)
  @Enum({ items: () => PurchaseOrderStatus, nativeEnumName: 'purchase_order_status' })
  status: PurchaseOrderStatus;

  @ManyToOne(() => Vendor)
  vendor: Rel<Vendor>;

  /** The organization the goods are for (Autotask purchaseForCompanyID): QuickBooks' ship-to customer, and the routing. */
  @ManyToOne(() => Organization, { nullable: true })
  purchaseFor: Rel<Organization> | null = null;

  @Field({ description: 'Order date (YYYY-MM-DD): submitted, else created.' })
  @Property({ type: 'date' })
  orderDate: string;

  @Field(() => String, { nullable: true, description: 'Expected arrival (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  expectedDate: string | null = null;

  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) shipToName: string | null = null;

  @Field(() => Address, { nullable: true })
  @Embedded(() => Address, { nullable: true, prefix: 'ship_to_' })
  shipToAddress: Address | null = null;

  @Field(() => String, { nullable: true, description: 'Autotask generalMemo: the QuickBooks memo.' })
  @Property({ type: 'text', nullable: true })
  memo: string | null = null;

  @Field(() => String, { nullable: true, description: 'Autotask externalPONumber: the QuickBooks PO number, written back once transferred.' })
  @Property({ type: 'text', nullable: true })
  externalPONumber: string | null = null;

  @OneToMany(() => PurchaseOrderLine, (l) => l.purchaseOrder, { orderBy: { position: 'asc' } })
  lines = new Collection<PurchaseOrderLine>(this);

  constructor(autotaskId: number, vendor: Vendor, status: PurchaseOrderStatus, orderDate: string) {
    super('po');
    this.autotaskId = autotaskId;
    this.vendor = vendor;
    this.status = status;
    this.orderDate = orderDate;
  }
}

/** One purchase order line (Autotask PurchaseOrderItems). */
@ObjectType({ description: 'One purchase order line.' })
@Entity()
export class PurchaseOrderLine extends BaseEntity {
  @ManyToOne(() => PurchaseOrder, { deleteRule: 'cascade' })
  purchaseOrder: Rel<PurchaseOrder>;

  @Field(() => Int, { description: 'Autotask PurchaseOrderItems.id: the key that finds the line again in QuickBooks (line Other1).' })
  @Property({ unique: true })
  autotaskId: number;

  @Field(() => Int, { description: 'Order on the purchase order, from 1.' })
  @Property()
  position: number;

  @ManyToOne(() => Product)
  product: Rel<Product>;

  @Field() @Property({ type: 'decimal', precision: 18, scale: 4 }) quantity: string;
  @Field() @Property({ type: 'decimal', precision: 18, scale: 4 }) unitCost: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) memo: string | null = null;

  @Field(() => String, { nullable: true, description: 'Line of business of what the line is bought for (→ QuickBooks class).' })
  @Property({ type: 'text', nullable: true })
  lineOfBusinessId: string | null = null;

  @OneToMany(() => PurchaseOrderReceipt, (r) => r.line)
  receipts = new Collection<PurchaseOrderReceipt>(this);

  constructor(init: Omit<PurchaseOrderLine, keyof BaseEntity | 'purchaseOrder' | 'receipts'> & { purchaseOrder: PurchaseOrder }) {
    super('pol');
    this.purchaseOrder = init.purchaseOrder;
    this.autotaskId = init.autotaskId;
    this.position = init.position;
    this.product = init.product;
    this.quantity = init.quantity;
    this.unitCost = init.unitCost;
    Object.assign(this, init);
  }
}

/** Goods received against a purchase order line (Autotask PurchaseOrderItemReceiving): a QuickBooks item receipt line. */
@ObjectType({ description: 'Goods received against a purchase order line.' })
@Entity()
export class PurchaseOrderReceipt extends BaseEntity {
  @Field(() => Int, { description: 'Autotask PurchaseOrderItemReceiving.id.' })
  @Property({ unique: true })
  autotaskId: number;

  @ManyToOne(() => PurchaseOrderLine, { deleteRule: 'cascade' })
  line: Rel<PurchaseOrderLine>;

  @Field({ description: 'Units received (quantityNowReceiving).' })
  @Property({ type: 'decimal', precision: 18, scale: 4 })
  quantity: string;

  @Field({ description: 'YYYY-MM-DD.' }) @Property({ type: 'date' }) receiveDate: string;
  @Field(() => String, { nullable: true }) @Property({ type: 'text', nullable: true }) vendorInvoiceNumber: string | null = null;

  @Field({ description: 'Cancelled in Autotask: a receipt already in QuickBooks is deleted there.' })
  @Property({ default: false })
  isCancelled: boolean = false;

  constructor(autotaskId: number, line: PurchaseOrderLine, quantity: string, receiveDate: string) {
    super('porc');
    this.autotaskId = autotaskId;
    this.line = line;
    this.quantity = quantity;
    this.receiveDate = receiveDate;
  }
}
