/**
 * A tiny typed builder for Autotask REST query filters (docs §2.2):
 *   where.eq<AtInvoice>('isVoided', false), where.in<AtBillingItem>('invoiceID', ids), where.notExist('webServiceDate'),
 *   where.or(where.eq('a', 1), where.eq('b', 2))
 * Field names are checked against the entity type when one is given. Top-level filters combine with AND.
 */

export type AtComparisonOp = 'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte' | 'beginsWith' | 'endsWith' | 'contains';
export type AtListOp = 'in' | 'notIn';
export type AtPresenceOp = 'exist' | 'notExist';
export type AtScalar = string | number | boolean;

export type AtFilter =
  | { op: AtComparisonOp; field: string; value: AtScalar; udf?: boolean }
  | { op: AtListOp; field: string; value: string[] | number[] }
  | { op: AtPresenceOp; field: string }
  | { op: 'and' | 'or'; items: AtFilter[] };

export interface AtQuery {
  filter: AtFilter[];
  includeFields?: string[];
  /** 1 to 500 per page (Autotask's maximum and default). */
  maxRecords?: number;
}

/** Most records Autotask returns per page or call. */
export const MAX_PAGE_SIZE = 500;

type FieldOf<T> = T extends object ? Extract<keyof T, string> : string;

const comparison =
  (op: AtComparisonOp) =>
  <T = unknown>(field: FieldOf<T>, value: AtScalar): AtFilter => ({ op, field, value });

export const where = {
  eq: comparison('eq'),
  noteq: comparison('noteq'),
  gt: comparison('gt'),
  gte: comparison('gte'),
  lt: comparison('lt'),
  lte: comparison('lte'),
  beginsWith: comparison('beginsWith'),
  endsWith: comparison('endsWith'),
  contains: comparison('contains'),
  in: <T = unknown>(field: FieldOf<T>, values: readonly number[] | readonly string[]): AtFilter => ({
    op: 'in',
    field,
    value: [...values] as number[] | string[],
  }),
  notIn: <T = unknown>(field: FieldOf<T>, values: readonly number[] | readonly string[]): AtFilter => ({
    op: 'notIn',
    field,
    value: [...values] as number[] | string[],
  }),
  exist: <T = unknown>(field: FieldOf<T>): AtFilter => ({ op: 'exist', field }),
  notExist: <T = unknown>(field: FieldOf<T>): AtFilter => ({ op: 'notExist', field }),
  /** A user-defined field compared by name (only one UDF per query, docs §2.2 #39). */
  udf: (name: string, op: AtComparisonOp, value: AtScalar): AtFilter => ({ op, field: name, value, udf: true }),
  and: (...items: AtFilter[]): AtFilter => ({ op: 'and', items }),
  or: (...items: AtFilter[]): AtFilter => ({ op: 'or', items }),
  /** Every record (Datto's own idiom: `{"op":"exist","field":"id"}`). */
  all: (): AtFilter => ({ op: 'exist', field: 'id' }),
};

/** Splits a list into chunks of at most `size` (e.g. ids for `in` filters: one condition per value). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
