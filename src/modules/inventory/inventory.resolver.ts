/** Inventory sync over GraphQL: the runs' adjustments (the sync history) with their ledger items, read by viewers. */
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Product } from '../purchasing/product.entity.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import { transfersLoader } from '../transfer/transfer.loaders.js';
import { InventoryAdjustment } from './inventory-adjustment.entity.js';

const InventoryAdjustmentConnection = ConnectionType(InventoryAdjustment);

@Resolver(() => InventoryAdjustment)
export class InventoryAdjustmentResolver {
  @Requires(Role.VIEWER)
  @Query(() => InventoryAdjustmentConnection, {
    description: 'Inventory sync history: one adjustment per stocked product and run, oldest first; optionally one connector\'s (only the default connector syncs inventory).',
  })
  inventoryAdjustments(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext, @Arg('connectorId', () => ID, { nullable: true }) connectorId?: string | null): Promise<Page<InventoryAdjustment>> {
    return paginate(ctx.em, InventoryAdjustment, connectorId ? { connector: connectorId } : {}, page);
  }

  @FieldResolver(() => Product)
  async product(@Root() adjustment: InventoryAdjustment, @Ctx() ctx: GraphQLContext): Promise<Product> {
    return (await ctx.loaders.byId(Product).load(adjustment.product.id))!;
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfer to QuickBooks (one: the default connector\'s); previewTransfer shows its exact qbXML.' })
  transfers(@Root() adjustment: InventoryAdjustment, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.INVENTORY_ADJUSTMENT).load(adjustment.id);
  }
}

export const INVENTORY_RESOLVERS: Function[] = [InventoryAdjustmentResolver];
