import { Field, ObjectType } from 'type-graphql';
import { UpsertSummary } from '../autotask/upsert-result.js';
import { Product } from './product.entity.js';
import { PurchaseOrder, PurchaseOrderReceipt } from './purchase-order.entity.js';
import { Vendor } from './vendor.entity.js';

@ObjectType({ description: 'The outcome of upsertVendors.' })
export class UpsertVendorsResult extends UpsertSummary {
  @Field(() => [Vendor], { description: 'The vendors, in the order pushed.' })
  vendors: Vendor[] = [];
}

@ObjectType({ description: 'The outcome of upsertProducts.' })
export class UpsertProductsResult extends UpsertSummary {
  @Field(() => [Product], { description: 'The products, in the order pushed.' })
  products: Product[] = [];
}

@ObjectType({ description: 'The outcome of upsertPurchaseOrders.' })
export class UpsertPurchaseOrdersResult extends UpsertSummary {
  @Field(() => [PurchaseOrder], { description: 'The purchase orders, in the order pushed.' })
  purchaseOrders: PurchaseOrder[] = [];
}

@ObjectType({ description: 'The outcome of upsertPurchaseOrderReceipts.' })
export class UpsertPurchaseOrderReceiptsResult extends UpsertSummary {
  @Field(() => [PurchaseOrderReceipt], { description: 'The receipts, in the order pushed.' })
  receipts: PurchaseOrderReceipt[] = [];
}
