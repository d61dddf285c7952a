import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { AuditEntry } from './audit-entry.entity.js';

const AuditEntryConnection = ConnectionType(AuditEntry);

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Requires(Role.ADMIN)
  @Query(() => AuditEntryConnection, { description: 'Every recorded change, oldest first; filter by entity or actor.' })
  auditLog(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('entityType', () => String, { nullable: true }) entityType?: string,
    @Arg('entityId', () => String, { nullable: true }) entityId?: string,
    @Arg('actorId', () => String, { nullable: true }) actorId?: string,
  ): Promise<Page<AuditEntry>> {
    const where = {
      ...(entityType ? { entityType } : {}),
      ...(entityId ? { entityId } : {}),
      ...(actorId ? { actorId } : {}),
    };
    return paginate(ctx.em, AuditEntry, where, page);
  }
}
