import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/postgresql';
import { actorOf, type GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { answerDetail } from '../../graphql/selection.js';
import { Role } from '../user/role.js';
import { Connector } from '../connector/connector.entity.js';
import { TransferAttempt, TransferItem } from './transfer-item.entity.js';
import { cancel, retry } from './transfer-ledger.js';
import { changeTransfer, queueTransfers } from './transfer.service.js';
import { QueueTransfersInput, TransferItemFilter } from './transfer.inputs.js';

const TransferItemConnection = ConnectionType(TransferItem);

@Resolver(() => TransferItem)
export class TransferItemResolver {
  @Requires(Role.VIEWER)
  @Query(() => TransferItemConnection, { description: 'The transfer ledger, oldest first.' })
  transferItems(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('filter', () => TransferItemFilter, { nullable: true }) filter?: TransferItemFilter | null,
  ): Promise<Page<TransferItem>> {
    const where: FilterQuery<TransferItem> = {
      ...(filter?.connectorId ? { connector: filter.connectorId } : {}),
      ...(filter?.state ? { state: filter.state } : {}),
      ...(filter?.entityType ? { entityType: filter.entityType } : {}),
      ...(filter?.entityId ? { entityId: filter.entityId } : {}),
    };
    return paginate(ctx.em, TransferItem, where, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => TransferItem, { nullable: true })
  transferItem(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<TransferItem | null> {
    return ctx.loaders.byId(TransferItem).load(id);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => [TransferItem], {
    description:
      'Queues organizations, invoices or payments for QuickBooks (the Web Connector sends them on its next run). ' +
      'Without connectorId each goes where routing sends it. Already queued, sent or transferred entities are ' +
      'returned unchanged; failed and cancelled ones are queued again. All or nothing.',
  })
  queueTransfers(@Arg('input') input: QueueTransfersInput, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<TransferItem[]> {
    return queueTransfers(ctx.em, input, actorOf(ctx), answerDetail(info));
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => TransferItem, {
    description: 'Queues a FAILED, CANCELLED or NEEDS_RECONCILE transfer again (one needing reconciliation is looked up in QuickBooks first).',
  })
  retryTransfer(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<TransferItem> {
    return changeTransfer(ctx.em, id, retry, actorOf(ctx));
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => TransferItem, { description: 'Withdraws a QUEUED, FAILED or NEEDS_RECONCILE transfer; it is not sent unless retried.' })
  cancelTransfer(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<TransferItem> {
    return changeTransfer(ctx.em, id, cancel, actorOf(ctx));
  }

  @FieldResolver(() => Connector)
  async connector(@Root() item: TransferItem, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return (await ctx.loaders.byId(Connector).load(item.connector.id))!;
  }

  @FieldResolver(() => [TransferAttempt], { description: 'Its history: every send and every state change, oldest first.' })
  attempts(@Root() item: TransferItem, @Ctx() ctx: GraphQLContext): Promise<TransferAttempt[]> {
    return ctx.loaders.manyBy(TransferAttempt, 'item', { number: 'asc' }).load(item.id);
  }
}
