import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { AppError } from '../../errors/app-error.js';
import { Connector } from '../connector/connector.entity.js';
import { Role } from '../user/role.js';
import { PaidStatusSync } from './paid-status-sync.entity.js';

@Resolver(() => PaidStatusSync)
export class PaidStatusResolver {
  @Requires(Role.VIEWER)
  @Query(() => PaidStatusSync, {
    nullable: true,
    description: "Where the check of the connector's transferred invoices' paid status in QuickBooks stands; null before the first check.",
  })
  async paidStatusCheck(@Arg('connectorId', () => ID) connectorId: string, @Ctx() ctx: GraphQLContext): Promise<PaidStatusSync | null> {
    if (!(await ctx.em.count(Connector, { id: connectorId }))) throw AppError.notFound('Connector', connectorId);
    return ctx.em.findOne(PaidStatusSync, { connector: connectorId });
  }
}
