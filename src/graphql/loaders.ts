/**
 * Per-request DataLoaders for relation fields, so a nested list query costs one SQL statement per
 * relation, not one per row (no N+1). Two shapes cover every relation we expose:
 *   byId(Entity)            — many-to-one / owning one-to-one: load the referenced rows by id (loadById: at once
 *                             when the request holds the row already);
 *   manyBy(Entity, 'field') — one-to-many / inverse one-to-one: load the rows whose `field` points at each key;
 *   plainBy(Entity, 'field') — the same as plain rows (no entities), for read-only lists of many rows.
 * `custom(key, batch)` memoises any other per-request batch function under a unique key.
 */
import DataLoader from 'dataloader';
import { wrap, type EntityClass, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { columnOf, selectPlainRows, type PlainRow, type RowRef } from '../db/rows.js';

type WithId = { id: string };

export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  byId<T extends WithId>(entity: EntityClass<T>): DataLoader<string, T | null> {
    return this.custom(`id:${entity.name}`, async (ids) => {
      // Rows this request has loaded already are not read again (see loaded).
      const byKey = new Map<string, T>();
      for (const id of ids) {
        const known = this.loaded(entity, id);
        if (known) byKey.set(id, known);
      }
      const missing = ids.filter((id) => !byKey.has(id));
      if (missing.length) {
        for (const row of await this.em.find(entity, { id: { $in: missing } } as unknown as FilterQuery<T>)) byKey.set(row.id, row);
      }
      return ids.map((id) => byKey.get(id) ?? null);
    });
  }

  /**
   * `byId(entity).load(id)`, or the row itself, at once, when the request already holds it: the page's connector
   * that each of its registrations, mappings and routes asks for. graphql-js completes a plain value where it
   * is, a promise only a turn of the microtask queue later (and async_hooks tracks every promise): for the
   * thousand-odd relation fields of a page of connectors that was a good part of the query's CPU.
   */
  loadById<T extends WithId>(entity: EntityClass<T>, id: string): T | Promise<T | null> {
    return this.loaded(entity, id) ?? this.byId(entity).load(id);
  }

  /** The row if this request's identity map holds it loaded (a reference, not loaded yet, does not count). */
  private loaded<T extends WithId>(entity: EntityClass<T>, id: string): T | undefined {
    const known = this.em.getUnitOfWork().getById<T>(entity.name, id as never);
    return known && wrap(known, true).isInitialized() ? known : undefined;
  }

  manyBy<T extends WithId, K extends keyof T & string>(
    entity: EntityClass<T>,
    field: K,
    orderBy: Partial<Record<keyof T & string, 'asc' | 'desc'>> = {},
  ): DataLoader<string, T[]> {
    return this.custom(`many:${entity.name}.${field}`, async (keys) => {
      const rows = await this.em.find(entity, { [field]: { $in: [...keys] } } as FilterQuery<T>, {
        orderBy: { ...orderBy, id: 'asc' } as never,
      });
      const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
      for (const row of rows) {
        const ref = row[field] as unknown as WithId | null;
        if (ref) groups.get(ref.id)?.push(row);
      }
      return keys.map((k) => groups.get(k) ?? []);
    });
  }

  /**
   * manyBy as plain rows (src/db/rows.ts: scalars and embeddables as the entity has them, each many-to-one as
   * `{ id }`), in one statement per relation and no entity per row: for the relation lists of a page (a connector's
   * registrations, mappings and routes), where hydrating every row cost more than the rest of the query.
   */
  plainBy<T extends WithId, K extends keyof T & string>(entity: EntityClass<T>, field: K): DataLoader<string, Array<PlainRow<T>>> {
    return this.custom(`plain:${entity.name}.${field}`, async (keys) => {
      const rows = await selectPlainRows(this.em, entity, `${columnOf(this.em, entity, field)} = any(?)`, [[...keys]]);
      const groups = new Map<string, Array<PlainRow<T>>>(keys.map((k) => [k, []]));
      for (const row of rows) {
        const ref = (row as Record<string, unknown>)[field] as RowRef | null;
        if (ref) groups.get(ref.id)?.push(row);
      }
      return keys.map((k) => groups.get(k) ?? []);
    });
  }

  custom<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch);
      this.cache.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}

/** `fn` of a value that may still be loading (loadById): applied at once to a value, after the load to a promise. */
export function whenLoaded<V, R>(value: V | Promise<V>, fn: (value: V) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
