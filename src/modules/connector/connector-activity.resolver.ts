/** What a connector's Web Connector is doing: last contact, last session, alerts, session history. */
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AppError } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { Requires } from '../../graphql/authorization.js';
import { ConnectionType, PageArgs, paginate, type Page } from '../../graphql/pagination.js';
import { QbwcSession } from '../../qbwc/session/qbwc-session.entity.js';
import { Role } from '../user/role.js';
import { Connector } from './connector.entity.js';
import { ConnectorAlert } from './connector-alert.entity.js';

const SessionConnection = ConnectionType(QbwcSession);

@Resolver(() => Connector)
export class ConnectorActivityResolver {
  @FieldResolver(() => [ConnectorAlert], { description: 'Alerts, newest first; only open ones unless includeResolved.' })
  async alerts(
    @Root() connector: Connector,
    @Ctx() ctx: GraphQLContext,
    @Arg('includeResolved', { defaultValue: false }) includeResolved: boolean,
  ): Promise<ConnectorAlert[]> {
    const all = await ctx.loaders.manyBy(ConnectorAlert, 'connector').load(connector.id);
    return all.filter((a) => includeResolved || a.resolvedAt === null).reverse();
  }

  // DISTINCT ON keeps one row per connector however long the history is (knex expands the array into a list).
  @FieldResolver(() => QbwcSession, { nullable: true, description: 'The most recent Web Connector session.' })
  lastSession(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Promise<QbwcSession | null> {
    return ctx.loaders
      .custom<QbwcSession | null>('lastSessionByConnector', async (connectorIds) => {
        const rows: Array<{ id: string }> = await ctx.em
          .getConnection()
          .execute(
            'select distinct on (connector_id) id from qbwc_session where connector_id in (?) order by connector_id, id desc',
            [[...connectorIds]],
          );
        const sessions = await ctx.em.find(QbwcSession, { id: { $in: rows.map((r) => r.id) } });
        return connectorIds.map((id) => sessions.find((s) => s.connector.id === id) ?? null);
      })
      .load(connector.id);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When the Web Connector last called for this connector.' })
  async lastContactAt(@Root() connector: Connector, @Ctx() ctx: GraphQLContext): Promise<Date | null> {
    return (await this.lastSession(connector, ctx))?.lastCallAt ?? null;
  }

  @Requires(Role.VIEWER)
  @Query(() => SessionConnection, { description: "A connector's Web Connector sessions, oldest first." })
  webConnectorSessions(@Arg('connectorId', () => ID) connectorId: string, @Args() page: PageArgs, @Ctx() ctx: GraphQLContext): Promise<Page<QbwcSession>> {
    return paginate(ctx.em, QbwcSession, { connector: connectorId }, page);
  }

  @Requires(Role.ACCOUNTANT)
  @Mutation(() => ConnectorAlert, { description: 'Marks an alert as dealt with.' })
  async resolveConnectorAlert(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ConnectorAlert> {
    const alert = await ctx.em.findOne(ConnectorAlert, { id });
    if (!alert) throw AppError.notFound('Alert', id);
    alert.resolvedAt ??= new Date();
    await ctx.em.flush();
    return alert;
  }
}
