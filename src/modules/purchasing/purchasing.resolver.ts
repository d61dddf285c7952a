/** Purchasing over GraphQL: vendors, products and purchase orders (read by viewers, pushed by accountants), as invoices are. */
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf, type GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Organization } from '../autotask/organization.entity.js';
import { loadByIdOrAutotaskId } from '../autotask/autotask.loaders.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import { transfersLoader } from '../transfer/transfer.loaders.js';
import { Product } from './product.entity.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt } from './purchase-order.entity.js';
import { UpsertProductsInput, UpsertPurchaseOrderReceiptsInput, UpsertPurchaseOrdersInput, UpsertVendorsInput } from './purchasing.inputs.js';
import { UpsertProductsResult, UpsertPurchaseOrderReceiptsResult, UpsertPurchaseOrdersResult, UpsertVendorsResult } from './purchasing.results.js';
import { upsertProducts, upsertPurchaseOrderReceipts, upsertPurchaseOrders, upsertVendors } from './purchasing.service.js';
import { Vendor } from './vendor.entity.js';

const PurchaseOrderConnection = ConnectionType(PurchaseOrder);
const VendorConnection = ConnectionType(Vendor);
const ProductConnection = ConnectionType(Product);

@Resolver(() => PurchaseOrder)
export class PurchaseOrderResolver {
  @Requires(Role.VIEWER)
  @Query(() => PurchaseOrderConnection, { description: "Pushed or pulled purchase orders, oldest first; optionally one vendor's only." })
  purchaseOrders(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext, @Arg('vendorId', () => ID, { nullable: true }) vendorId?: string | null): Promise<Page<PurchaseOrder>> {
    return paginate(ctx.em, PurchaseOrder, vendorId ? { vendor: vendorId } : {}, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => PurchaseOrder, { nullable: true, description: 'One purchase order, by our id or by its Autotask id (give exactly one).' })
  purchaseOrder(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('autotaskId', () => Int, { nullable: true }) autotaskId?: number | null,
  ): Promise<PurchaseOrder | null> {
    return loadByIdOrAutotaskId(ctx, PurchaseOrder, id, autotaskId);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertPurchaseOrdersResult, {
    description:
      'Creates or updates purchase orders by Autotask id, each with all its lines and their receipts (which replace the stored ones, matched by Autotask id; a line without receipts keeps its stored ones). ' +
      'A purchase order already in QuickBooks that changed is queued again (needsResync) and sent as one PurchaseOrderMod. ' +
      'Their vendors, products and organizations must have been pushed first. Pushing unchanged data writes nothing. All or nothing.',
  })
  upsertPurchaseOrders(@Arg('input') input: UpsertPurchaseOrdersInput, @Ctx() ctx: GraphQLContext): Promise<UpsertPurchaseOrdersResult> {
    return upsertPurchaseOrders(ctx.em, input, actorOf(ctx));
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertPurchaseOrderReceiptsResult, {
    description:
      'Creates or updates receipts (Autotask PurchaseOrderItemReceiving rows) by Autotask id, each naming its purchase order line. A new receipt of a purchase order ' +
      'queued for a connector is queued there (an item receipt linked to the purchase order); one cancelled after it reached QuickBooks is deleted there. All or nothing.',
  })
  upsertPurchaseOrderReceipts(@Arg('input') input: UpsertPurchaseOrderReceiptsInput, @Ctx() ctx: GraphQLContext): Promise<UpsertPurchaseOrderReceiptsResult> {
    return upsertPurchaseOrderReceipts(ctx.em, input, actorOf(ctx));
  }

  @FieldResolver(() => Vendor)
  async vendor(@Root() order: PurchaseOrder, @Ctx() ctx: GraphQLContext): Promise<Vendor> {
    return (await ctx.loaders.byId(Vendor).load(order.vendor.id))!;
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organization the goods are for: the ship-to customer, and the routing.' })
  async purchaseFor(@Root() order: PurchaseOrder, @Ctx() ctx: GraphQLContext): Promise<Organization | null> {
    return order.purchaseFor ? ((await ctx.loaders.byId(Organization).load(order.purchaseFor.id)) ?? null) : null;
  }

  @FieldResolver(() => [PurchaseOrderLine], { description: 'In order.' })
  lines(@Root() order: PurchaseOrder, @Ctx() ctx: GraphQLContext): Promise<PurchaseOrderLine[]> {
    return ctx.loaders.manyBy(PurchaseOrderLine, 'purchaseOrder', { position: 'asc' }).load(order.id);
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfers to QuickBooks, one per connector.' })
  transfers(@Root() order: PurchaseOrder, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.PURCHASE_ORDER).load(order.id);
  }
}

@Resolver(() => PurchaseOrderLine)
export class PurchaseOrderLineResolver {
  @FieldResolver(() => Product)
  async product(@Root() line: PurchaseOrderLine, @Ctx() ctx: GraphQLContext): Promise<Product> {
    return (await ctx.loaders.byId(Product).load(line.product.id))!;
  }

  @FieldResolver(() => [PurchaseOrderReceipt], { description: 'Goods received against the line.' })
  receipts(@Root() line: PurchaseOrderLine, @Ctx() ctx: GraphQLContext): Promise<PurchaseOrderReceipt[]> {
    return ctx.loaders.manyBy(PurchaseOrderReceipt, 'line', { receiveDate: 'asc' }).load(line.id);
  }
}

@Resolver(() => Vendor)
export class VendorResolver {
  @Requires(Role.VIEWER)
  @Query(() => VendorConnection, { description: 'Pushed or pulled vendors, oldest first.' })
  vendors(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Page<Vendor>> {
    return paginate(ctx.em, Vendor, {}, page);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertVendorsResult, { description: 'Creates or updates vendors by Autotask id. Pushing unchanged data writes nothing. All or nothing.' })
  upsertVendors(@Arg('input') input: UpsertVendorsInput, @Ctx() ctx: GraphQLContext): Promise<UpsertVendorsResult> {
    return upsertVendors(ctx.em, input);
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfers to QuickBooks (vendor records), one per connector.' })
  transfers(@Root() vendor: Vendor, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.VENDOR).load(vendor.id);
  }
}

@Resolver(() => Product)
export class ProductResolver {
  @Requires(Role.VIEWER)
  @Query(() => ProductConnection, { description: 'Pushed or pulled products, oldest first.' })
  products(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Page<Product>> {
    return paginate(ctx.em, Product, {}, page);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertProductsResult, { description: 'Creates or updates products by Autotask id. Pushing unchanged data writes nothing. All or nothing.' })
  upsertProducts(@Arg('input') input: UpsertProductsInput, @Ctx() ctx: GraphQLContext): Promise<UpsertProductsResult> {
    return upsertProducts(ctx.em, input);
  }
}

export const PURCHASING_RESOLVERS: Function[] = [PurchaseOrderResolver, PurchaseOrderLineResolver, VendorResolver, ProductResolver];
