/**
 * What every upsert of pushed Autotask data shares: canonical addresses, "changed or not" assignment (so an
 * unchanged push writes nothing), duplicate keys within one call, and keyed lookups of stored rows.
 */
import { AppError, type FieldProblem } from '../../errors/app-error.js';
import { Address, type AddressInput } from '../../shared/address.js';
import { BaseEntity } from '../../shared/base-entity.js';
import { optionalText } from './autotask-values.js';

/** An address with every part empty is no address. */
export function address(input: AddressInput | null | undefined): Address | null {
  const parts = {
    attention: optionalText(input?.attention),
    line1: optionalText(input?.line1),
    line2: optionalText(input?.line2),
    city: optionalText(input?.city),
    state: optionalText(input?.state),
    postalCode: optionalText(input?.postalCode),
    country: optionalText(input?.country),
  };
  return Object.values(parts).some((v) => v !== null) ? Object.assign(new Address(), parts) : null;
}


/**
 * Sets each value that differs from the stored one. Returns null for a new record (`existed` false),
 * else whether anything changed; untouched entities give MikroORM nothing to write.
 */
export function assignChanged<T extends object>(entity: T, values: Partial<T>, existed: true): boolean;
export function assignChanged<T extends object>(entity: T, values: Partial<T>, existed: boolean): boolean | null;
export function assignChanged<T extends object>(entity: T, values: Partial<T>, existed: boolean): boolean | null {
  let changed = false;
  for (const key of Object.keys(values) as Array<keyof T>) {
    const value = values[key] as T[keyof T];
    if (!sameValue(entity[key], value)) {
      entity[key] = value;
      changed = true;
    }
  }
  return existed ? changed : null;
}

/** Equality of stored values: entities by id, embeddables part by part (missing = null). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null;
  if (a instanceof BaseEntity || b instanceof BaseEntity) return (a as BaseEntity).id === (b as BaseEntity).id;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'object' && typeof b === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => sameValue(x[k], y[k]));
  }
  return false;
}

/** One problem per record whose key an earlier record of the same call already has. */
export function duplicates<T>(items: readonly T[], list: string, keyField: string, key: (item: T) => string | number): FieldProblem[] {
  const seen = new Map<string | number, number>();
  const problems: FieldProblem[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else problems.push({ field: `${list}.${i}.${keyField}`, message: `repeats ${JSON.stringify(k)}, already pushed at ${list}.${first}` });
  });
  return problems;
}

export function assertValid(problems: FieldProblem[]): void {
  if (problems.length) throw AppError.invalidInput(problems);
}

export function byKey<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T> {
  return new Map(rows.map((r) => [key(r), r]));
}

export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
