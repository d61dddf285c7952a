import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Connector } from '../connector/connector.entity.js';
import { EffectiveConnector } from '../routing/routing.resolver.js';
import { RouteSubject } from '../routing/route.entity.js';
import { TransferItem } from '../transfer/transfer-item.entity.js';
import { TransferEntityType } from '../transfer/transfer-state.js';
import { transfersLoader } from '../transfer/transfer.loaders.js';
import { Organization, OrganizationQbLink } from './organization.entity.js';
import { UpsertOrganizationsInput } from './autotask.inputs.js';
import { UpsertOrganizationsResult } from './upsert-result.js';
import { upsertOrganizations } from './autotask.service.js';
import { containsText, effectiveConnectorLoader, loadByIdOrAutotaskId } from './autotask.loaders.js';

const OrganizationConnection = ConnectionType(Organization);

@Resolver(() => Organization)
export class OrganizationResolver {
  @Requires(Role.VIEWER)
  @Query(() => OrganizationConnection, { description: 'Pushed organizations, oldest first; `search` matches part of the name, in any case.' })
  organizations(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
  ): Promise<Page<Organization>> {
    return paginate(ctx.em, Organization, search ? { name: containsText(search) } : {}, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => Organization, { nullable: true, description: 'One organization, by our id or by its Autotask id (give exactly one).' })
  organization(
    @Ctx() ctx: GraphQLContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('autotaskId', () => Int, { nullable: true }) autotaskId?: number | null,
  ): Promise<Organization | null> {
    return loadByIdOrAutotaskId(ctx, Organization, id, autotaskId);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => UpsertOrganizationsResult, {
    description: 'Creates or updates organizations by Autotask id; pushing unchanged data writes nothing. All or nothing.',
  })
  upsertOrganizations(@Arg('input') input: UpsertOrganizationsInput, @Ctx() ctx: GraphQLContext): Promise<UpsertOrganizationsResult> {
    return upsertOrganizations(ctx.em, input);
  }

  @FieldResolver(() => [OrganizationQbLink], { description: 'The QuickBooks customer it is in each connector\'s company file, once transferred.' })
  quickBooksLinks(@Root() organization: Organization, @Ctx() ctx: GraphQLContext): Promise<OrganizationQbLink[]> {
    return ctx.loaders.manyBy(OrganizationQbLink, 'organization').load(organization.id);
  }

  @FieldResolver(() => EffectiveConnector, { description: 'The connector its invoices go to: its route, else the default.' })
  effectiveConnector(@Root() organization: Organization, @Ctx() ctx: GraphQLContext): Promise<EffectiveConnector> {
    return effectiveConnectorLoader(ctx, RouteSubject.ORGANIZATION).load(String(organization.autotaskId));
  }

  @FieldResolver(() => [TransferItem], { description: 'Its transfers to QuickBooks as a customer, one per connector.' })
  transfers(@Root() organization: Organization, @Ctx() ctx: GraphQLContext): Promise<TransferItem[]> {
    return transfersLoader(ctx, TransferEntityType.ORGANIZATION).load(organization.id);
  }
}

@Resolver(() => OrganizationQbLink)
export class OrganizationQbLinkResolver {
  @FieldResolver(() => Connector, { description: 'The connector whose company file holds the customer.' })
  async connector(@Root() link: OrganizationQbLink, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return (await ctx.loaders.byId(Connector).load(link.connector.id))!;
  }

  @FieldResolver(() => Organization)
  async organization(@Root() link: OrganizationQbLink, @Ctx() ctx: GraphQLContext): Promise<Organization> {
    return (await ctx.loaders.byId(Organization).load(link.organization.id))!;
  }
}
