import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../app/config.js';
import type { Logger } from '../app/logger.js';
import type { Actor } from '../modules/audit/actor.js';
import type { User } from '../modules/user/user.entity.js';
import type { ApiToken } from '../modules/user/api-token.entity.js';
import { Loaders } from './loaders.js';
import type { MappingEngine } from '../mapping-engine/index.js';

/** What every resolver gets: a per-request EntityManager fork, per-request DataLoaders, and who is asking. */
export interface GraphQLContext {
  readonly em: EntityManager;
  readonly loaders: Loaders;
  readonly config: Config;
  readonly logger: Logger;
  /** Undefined when the request carried no valid token. */
  readonly user: User | undefined;
  readonly token: ApiToken | undefined;
  /** The plugin registry and ledger source (absent in tests that do not need them). */
  readonly engine?: MappingEngine;
}

export function makeContext(init: Omit<GraphQLContext, 'loaders'>): GraphQLContext {
  return { ...init, loaders: new Loaders(init.em) };
}

/** The signed-in user as an audit-log actor. */
export function actorOf(ctx: GraphQLContext): Actor {
  return ctx.user ? { id: ctx.user.id, name: ctx.user.name } : { id: 'anonymous', name: 'anonymous' };
}
