import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { EffectiveConnector } from '../routing/routing.resolver.js';
import { RouteSubject } from '../routing/route.entity.js';
import { Resource } from './resource.entity.js';
import { UpsertResourcesInput } from './autotask.inputs.js';
import { UpsertResourcesResult } from './upsert-result.js';
import { upsertResources } from './autotask.service.js';
import { containsText, effectiveConnectorLoader, loadByIdOrAutotaskId } from './autotask.loaders.js';

const ResourceConnection = ConnectionType(Resource);

@Resolver(() => Resource)
export class ResourceResolver {
  @Requires(Role.VIEWER)
  @Query(() => ResourceConnection, { description: 'Pushed resources, oldest first; `search` matches part of the first or last name, in any case.' })
  resources(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
    @Arg('active', () => Boolean, { nullable: true }) active?: boolean | null,
  ): Promise<Page<Resource>> {
    const where: FilterQuery<Resource> = {
      ...(search ? { $or: [{ firstName: containsText(search) }, { lastName: containsText(search) }] } : {}),
      ...(active != null ? { active } : {}),
    };
    return paginate(ctx.em, Resource, where, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => Resource, { nullable: true, description: 'One resource, by our id or by its Autotask id (give exactly one).' })
  resource(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('autotaskId', () => Int, { nullable: true }) autotaskId?: number | null,
  ): Promise<Resource | null> {
    return loadByIdOrAutotaskId(ctx, Resource, id, autotaskId);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertResourcesResult, {
    description: 'Creates or updates resources by Autotask id; pushing unchanged data writes nothing. All or nothing.',
  })
  upsertResources(@Arg('input') input: UpsertResourcesInput, @Ctx() ctx: GraphQLContext): Promise<UpsertResourcesResult> {
    return upsertResources(ctx.em, input);
  }

  @FieldResolver(() => EffectiveConnector, { description: 'The connector its timesheets and expenses go to: its route, else the default.' })
  effectiveConnector(@Root() resource: Resource, @Ctx() ctx: GraphQLContext): Promise<EffectiveConnector> {
    return effectiveConnectorLoader(ctx, RouteSubject.RESOURCE).load(String(resource.autotaskId));
  }
}
