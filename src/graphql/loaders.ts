/**
 * Per-request DataLoaders for relation fields, so a nested list query costs one SQL statement per
 * relation, not one per row (no N+1). Two shapes cover every relation we expose:
 *   byId(Entity)            — many-to-one / owning one-to-one: load the referenced rows by id;
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
      // Rows this request has loaded already are not read again: the connectors of a page, when each of their
      // registrations, mappings and routes asks for its connector. A reference (not loaded) does not count.
      const unitOfWork = this.em.getUnitOfWork();
      const byKey = new Map<string, T>();
      for (const id of ids) {
        const known = unitOfWork.getById<T>(entity.name, id as never);
        if (known && wrap(known, true).isInitialized()) byKey.set(id, known);
      }
      const missing = ids.filter((id) => !byKey.has(id));
      if (missing.length) {
        for (const row of await this.em.find(entity, { id: { $in: missing } } as unknown as FilterQuery<T>)) byKey.set(row.id, row);
      }
      return ids.map((id) => byKey.get(id) ?? null);
    });
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
