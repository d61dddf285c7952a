import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is making changes right now: a signed-in user, the CLI, or the service itself. */
export interface Actor {
  readonly id: string;
  readonly name: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'system' };

const storage = new AsyncLocalStorage<Actor>();

/**
 * Runs `fn` with `actor` as the author of every change it flushes. AsyncLocalStorage carries it
 * through awaits and into `em.transactional` forks, which a field on the EntityManager would not survive.
 */
export function asActor<T>(actor: Actor, fn: () => T): T {
  return storage.run(actor, fn);
}

export function currentActor(): Actor {
  return storage.getStore() ?? SYSTEM_ACTOR;
}
