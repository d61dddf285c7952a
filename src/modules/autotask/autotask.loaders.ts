/** Per-request batch loads the Autotask field resolvers share (see graphql/loaders.ts). */
import type DataLoader from 'dataloader';
import type { EntityClass, FilterQuery } from '@mikro-orm/postgresql';
import { AppError } from '../../errors/app-error.js';
import type { GraphQLContext } from '../../graphql/context.js';
import { EffectiveConnector } from '../routing/routing.resolver.js';
import { RouteSubject } from '../routing/route.entity.js';
import { resolveRoutes } from '../routing/routing.service.js';

/** The connector each organization's or resource's records go to, keyed by Autotask id: one routing lookup per request. */
export function effectiveConnectorLoader(ctx: GraphQLContext, subject: RouteSubject): DataLoader<string, EffectiveConnector> {
  return ctx.loaders.custom(`effectiveConnector:${subject}`, async (autotaskIds) => {
    const routes = await resolveRoutes(ctx.em, subject, autotaskIds.map(Number));
    return routes.map((r) => Object.assign(new EffectiveConnector(), r));
  });
}

/**
 * A root lookup by our id or by Autotask id, exactly one of which must be given. By id it goes through
 * the request's loader, so the same record asked for twice in one request is read once.
 */
export async function loadByIdOrAutotaskId<T extends { id: string; autotaskId: number }>(
  ctx: GraphQLContext,
  entity: EntityClass<T>,
  id: string | null | undefined,
  autotaskId: number | null | undefined,
): Promise<T | null> {
  if ((id == null) === (autotaskId == null)) {
    throw AppError.invalidInput([{ field: 'id', message: 'give either id or autotaskId, not both and not neither' }]);
  }
  if (id != null) return ctx.loaders.byId(entity).load(id);
  return ctx.em.findOne(entity, { autotaskId } as FilterQuery<T>);
}

/** `name ILIKE %search%` with the search taken literally (no wildcards of its own). */
export function containsText(search: string): { $ilike: string } {
  return { $ilike: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}
