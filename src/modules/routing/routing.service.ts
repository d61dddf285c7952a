/**
 * Routing: which connector (company file) an organization's invoices or a resource's timesheets and
 * expenses go to. An explicit route wins; everything else goes to the default connector.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Connector } from '../connector/connector.entity.js';
import { Route, RouteSubject } from './route.entity.js';

export interface EffectiveRoute {
  readonly subject: RouteSubject;
  readonly autotaskId: number;
  /** Null only when no connector exists yet. */
  readonly connector: Connector | null;
  /** The explicit route, when there is one (else the default applies). */
  readonly route: Route | null;
}

/** The effective connector for each id, in one query for the routes and one for the default. */
export async function resolveRoutes(em: EntityManager, subject: RouteSubject, autotaskIds: readonly number[]): Promise<EffectiveRoute[]> {
  // Sequential: callers may pass a transaction's EntityManager, whose one connection runs one query at a time.
  const routes = await em.find(Route, { subject, autotaskId: { $in: [...autotaskIds] } }, { populate: ['connector'] });
  const fallback = await em.findOne(Connector, { isDefault: true });
  const byId = new Map(routes.map((r) => [r.autotaskId, r]));
  return autotaskIds.map((autotaskId) => {
    const route = byId.get(autotaskId) ?? null;
    return { subject, autotaskId, route, connector: route ? route.connector : fallback };
  });
}
