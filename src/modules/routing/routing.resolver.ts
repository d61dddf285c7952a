import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, Min, ValidateNested } from 'class-validator';
import { AppError } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { Role } from '../user/role.js';
import { Connector } from '../connector/connector.entity.js';
import type { PlainRow } from '../../db/rows.js';
import { Route, RouteSubject } from './route.entity.js';
import { resolveRoutes, type EffectiveRoute } from './routing.service.js';

const RouteConnection = ConnectionType(Route);

/** What Route's fields resolve from: an entity, or a plain row (a connector's `routes`; see PlainRow). */
type RouteRow = PlainRow<Route>;

@InputType()
export class RouteKeyInput {
  @Field(() => RouteSubject) subject!: RouteSubject;
  @Field(() => Int) @Min(1, { message: 'must be a positive Autotask id' }) autotaskId!: number;
}

@InputType()
export class RouteInput extends RouteKeyInput {
  @Field(() => ID) connectorId!: string;
}

@InputType()
export class SetRoutesInput {
  @Field(() => [RouteInput])
  @ArrayMinSize(1, { message: 'must hold at least one route' })
  @ArrayMaxSize(5000, { message: 'must hold at most 5000 routes per call' })
  @ValidateNested({ each: true })
  routes!: RouteInput[];
}

@ObjectType({ description: 'Where an organization or resource goes, and why.' })
export class EffectiveConnector implements EffectiveRoute {
  @Field(() => RouteSubject) subject!: RouteSubject;
  @Field(() => Int) autotaskId!: number;
  @Field(() => Connector, { nullable: true, description: 'Empty only while no connector exists.' }) connector!: Connector | null;
  @Field(() => Route, { nullable: true, description: 'The explicit route; empty means the default connector applies.' }) route!: Route | null;
  @Field({ description: 'True when an explicit route decided it.' })
  get routed(): boolean {
    return this.route !== null;
  }
}

@Resolver(() => Route)
export class RouteResolver {
  @Requires(Role.VIEWER)
  @Query(() => RouteConnection)
  routes(
    @Args() page: PageArgs,
    @Ctx() ctx: GraphQLContext,
    @Arg('subject', () => RouteSubject, { nullable: true }) subject?: RouteSubject,
    @Arg('connectorId', () => ID, { nullable: true }) connectorId?: string,
  ): Promise<Page<Route>> {
    return paginate(ctx.em, Route, { ...(subject ? { subject } : {}), ...(connectorId ? { connector: connectorId } : {}) }, page);
  }

  @Requires(Role.VIEWER)
  @Query(() => [EffectiveConnector], { description: 'The connector each organization or resource goes to: its route, else the default.' })
  async effectiveConnectors(
    @Arg('subject', () => RouteSubject) subject: RouteSubject,
    @Arg('autotaskIds', () => [Int]) autotaskIds: number[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<EffectiveConnector[]> {
    if (autotaskIds.length > 5000) throw AppError.invalidInput([{ field: 'autotaskIds', message: 'must hold at most 5000 ids' }]);
    const routes = await resolveRoutes(ctx.em, subject, autotaskIds);
    return routes.map((r) => Object.assign(new EffectiveConnector(), r));
  }

  @Requires(Role.ADMIN)
  @Mutation(() => [Route], { description: 'Routes organizations or resources to connectors (replacing earlier routes); all or nothing.' })
  async setRoutes(@Arg('input') input: SetRoutesInput, @Ctx() ctx: GraphQLContext): Promise<Route[]> {
    return ctx.em.transactional(async (em) => {
      const connectorIds = [...new Set(input.routes.map((r) => r.connectorId))];
      const connectors = new Map((await em.find(Connector, { id: { $in: connectorIds } })).map((c) => [c.id, c]));
      const problems = input.routes.flatMap((r, i) =>
        connectors.has(r.connectorId) ? [] : [{ field: `routes.${i}.connectorId`, message: `no connector has id ${r.connectorId}` }],
      );
      if (problems.length) throw AppError.invalidInput(problems);
      const existing = await em.find(Route, { $or: input.routes.map((r) => ({ subject: r.subject, autotaskId: r.autotaskId })) });
      const byKey = new Map(existing.map((r) => [`${r.subject}:${r.autotaskId}`, r]));
      const result = input.routes.map((r) => {
        const connector = connectors.get(r.connectorId)!;
        let route = byKey.get(`${r.subject}:${r.autotaskId}`);
        if (!route) em.persist((route = new Route(r.subject, r.autotaskId, connector)));
        route.connector = connector;
        byKey.set(`${r.subject}:${r.autotaskId}`, route);
        return route;
      });
      await em.flush();
      return result;
    });
  }

  @Requires(Role.ADMIN)
  @Mutation(() => Int, { description: 'Removes routes; those organizations or resources go to the default again. Returns how many were removed.' })
  async removeRoutes(@Arg('keys', () => [RouteKeyInput]) keys: RouteKeyInput[], @Ctx() ctx: GraphQLContext): Promise<number> {
    if (keys.length === 0) return 0;
    const found = await ctx.em.find(Route, { $or: keys.map((k) => ({ subject: k.subject, autotaskId: k.autotaskId })) });
    await ctx.em.remove(found).flush();
    return found.length;
  }

  @FieldResolver(() => Connector)
  connector(@Root() route: RouteRow, @Ctx() ctx: GraphQLContext): Connector | Promise<Connector | null> {
    return ctx.loaders.loadById(Connector, route.connector.id);
  }
}
