import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Company } from '../company/company.entity.js';
import { Registration } from '../registration/registration.entity.js';
import { Mapping } from '../mapping/mapping.entity.js';
import { Route } from '../routing/route.entity.js';
import type { PlainRow } from '../../db/rows.js';
import { Connector } from './connector.entity.js';
import { ConnectorService } from './connector.service.js';
import { DefaultConnectorMove, planDefaultConnectorMove } from './default-connector-move.js';
import { effectiveUnmappedPolicies, UnmappedPolicy } from './unmapped-policy.js';
import { CreateConnectorInput, UpdateConnectorInput } from './connector.inputs.js';

const CompanyConnection = ConnectionType(Company);

const ConnectorConnection = ConnectionType(Connector);

@Resolver(() => Connector)
export class ConnectorResolver {
  @Requires(Role.VIEWER)
  @Query(() => ConnectorConnection)
  connectors(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Page<Connector>> {
    return paginate(ctx.em, Connector, {}, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => Connector, { nullable: true })
  connector(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Connector | null> {
    return ctx.loaders.byId(Connector).load(id);
  }

  @Requires(Role.VIEWER)
  @Query(() => Connector, { nullable: true, description: 'The default connector (empty until the first connector exists).' })
  defaultConnector(@Ctx() ctx: GraphQLContext): Promise<Connector | null> {
    return ctx.em.findOne(Connector, { isDefault: true });
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Connector, { description: 'The first connector becomes the default.' })
  createConnector(@Arg('input') input: CreateConnectorInput, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return new ConnectorService(ctx.em).create(input);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Connector)
  updateConnector(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateConnectorInput, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return new ConnectorService(ctx.em).update(id, input);
  }

  @Requires(Role.VIEWER)
  @Query(() => DefaultConnectorMove, { description: 'What making this connector the default would do; nothing changes.' })
  defaultConnectorMove(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<DefaultConnectorMove> {
    return planDefaultConnectorMove(ctx.em, id);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Connector, {
    description:
      'Makes this connector the default; pass confirm: true. Unrouted organizations and resources then go to it, except organizations that ' +
      'already have a customer in the old default\'s file: they are routed to the old default (see defaultConnectorMove).',
  })
  setDefaultConnector(@Arg('id', () => ID) id: string, @Arg('confirm') confirm: boolean, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return new ConnectorService(ctx.em).setDefault(id, confirm);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Connector, { description: 'Deletes a connector that never sent anything to QuickBooks.' })
  deleteConnector(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return new ConnectorService(ctx.em).delete(id);
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Connector, {
    description: "Clears the company file binding (Autotask's \"clear Company File Location\"); the next Web Connector contact binds afresh.",
  })
  clearCompanyBinding(@Arg('connectorId', () => ID) connectorId: string, @Ctx() ctx: GraphQLContext): Promise<Connector> {
    return new ConnectorService(ctx.em).clearCompanyBinding(connectorId);
  }

  @FieldResolver(() => [UnmappedPolicy], { description: 'Default-or-fail for unmapped classes, terms, sales tax codes and income accounts, every kind listed.' })
  unmappedPolicies(@Root() connector: Connector): UnmappedPolicy[] {
    return effectiveUnmappedPolicies(connector);
  }

  @FieldResolver(() => Company, { nullable: true, description: 'The company file it is bound to, once the Web Connector has connected.' })
  company(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Company | Promise<Company | null> | null {
    return connector.company ? ctx.loaders.loadById(Company, connector.company.id) : null;
  }

  @FieldResolver(() => [Registration])
  registrations(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Promise<Array<PlainRow<Registration>>> {
    return ctx.loaders.plainBy(Registration, 'connector').load(connector.id);
  }

  @FieldResolver(() => [Mapping])
  mappings(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Promise<Array<PlainRow<Mapping>>> {
    return ctx.loaders.plainBy(Mapping, 'connector').load(connector.id);
  }

  @FieldResolver(() => [Route], { description: 'Organizations and resources routed to this connector.' })
  routes(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Promise<Array<PlainRow<Route>>> {
    return ctx.loaders.plainBy(Route, 'connector').load(connector.id);
  }
}

@Resolver(() => Company)
export class CompanyResolver {
  @Requires(Role.VIEWER)
  @Query(() => CompanyConnection, { description: 'Company files, including ones whose binding was cleared.' })
  companies(@Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Page<Company>> {
    return paginate(ctx.em, Company, {}, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => Company, { nullable: true })
  company(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Company | null> {
    return ctx.loaders.byId(Company).load(id);
  }

  @FieldResolver(() => Connector, { nullable: true, description: 'The connector bound to this file (empty once cleared).' })
  async connector(@Root() company: Company, @Ctx() ctx: GraphQLContext): Promise<Connector | null> {
    const [connector] = await ctx.loaders.manyBy(Connector, 'company').load(company.id);
    return connector ?? null;
  }
}
