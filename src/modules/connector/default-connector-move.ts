/**
 * Moving the default connector without duplicating customers. An organization without a route follows the
 * default; if it already has a customer in the old default's company file (an `OrganizationQbLink`), its next
 * invoice would create a second customer in the new default's file. So a move first shows those organizations
 * (`defaultConnectorMove`), and the confirmed move routes them to the old default in the same transaction:
 * they keep billing to the customer they have. Everything else (no customer anywhere yet) follows the new
 * default, which is what moving it is for.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ObjectType } from 'type-graphql';
import { AppError } from '../../errors/app-error.js';
import { Organization, OrganizationQbLink } from '../autotask/organization.entity.js';
import { Route, RouteSubject } from '../routing/route.entity.js';
import { Connector } from './connector.entity.js';

@ObjectType({ description: 'What setDefaultConnector(confirm: true) would do to organizations that already have a customer in the current default.' })
export class DefaultConnectorMove {
  @Field(() => Connector, { nullable: true, description: 'The default today (empty when there is none).' }) from!: Connector | null;
  @Field(() => Connector) to!: Connector;
  @Field(() => [Organization], {
    description:
      'Organizations without a route that have a customer in the current default\'s company file. The move routes them to it, ' +
      'so their invoices keep going to that customer instead of creating a second one in the new default\'s file.',
  })
  organizationsKeptOnCurrentDefault!: Organization[];
}

/** The move to `targetId`: the current default and the unrouted organizations linked to a customer in it. */
export async function planDefaultConnectorMove(em: EntityManager, targetId: string): Promise<DefaultConnectorMove> {
  const to = await em.findOne(Connector, { id: targetId });
  if (!to) throw AppError.notFound('Connector', targetId);
  const from = to.isDefault ? null : await em.findOne(Connector, { isDefault: true });
  const move = Object.assign(new DefaultConnectorMove(), { from, to, organizationsKeptOnCurrentDefault: [] as Organization[] });
  if (!from) return move;
  // One query: links of the old default whose organization has no ORGANIZATION route.
  const links = await em.find(
    OrganizationQbLink,
    { connector: from },
    { populate: ['organization'], orderBy: { organization: { name: 'asc', autotaskId: 'asc' } } },
  );
  const routed = new Set(
    (await em.find(Route, { subject: RouteSubject.ORGANIZATION, autotaskId: { $in: links.map((l) => l.organization.autotaskId) } }, { fields: ['autotaskId'] })).map(
      (r) => r.autotaskId,
    ),
  );
  move.organizationsKeptOnCurrentDefault = links.map((l) => l.organization).filter((o) => !routed.has(o.autotaskId));
  return move;
}

/** Routes the planned organizations to the old default (inside the caller's transaction; audited like setRoutes). */
export function keepOnCurrentDefault(em: EntityManager, move: DefaultConnectorMove): void {
  if (!move.from) return;
  for (const organization of move.organizationsKeptOnCurrentDefault) em.persist(new Route(RouteSubject.ORGANIZATION, organization.autotaskId, move.from));
}
