/**
 * Per-request DataLoaders for relation fields, so a nested list query costs one SQL statement per
 * relation, not one per row (no N+1). Two shapes cover every relation we expose:
 *   byId(Entity)            — many-to-one / owning one-to-one: load the referenced rows by id;
 *   manyBy(Entity, 'field') — one-to-many / inverse one-to-one: load the rows whose `field` points at each key.
 * `custom(key, batch)` memoises any other per-request batch function under a unique key.
 */
import DataLoader from 'dataloader';
import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/postgresql';

type WithId = { id: string };

export class Loaders {
  private readonly cache = new Map<string, DataLoader<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  byId<T extends WithId>(entity: EntityClass<T>): DataLoader<string, T | null> {
    return this.custom(`id:${entity.name}`, async (ids) => {
      const rows = await this.em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>);
      const byKey = new Map(rows.map((r) => [r.id, r]));
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

  custom<V>(key: string, batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
    let loader = this.cache.get(key) as DataLoader<string, V> | undefined;
    if (!loader) {
      loader = new DataLoader<string, V>(batch);
      this.cache.set(key, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}
