/**
 * Set-based writes of plain rows: one statement per batch, whatever its size, and no ORM entity per row (the
 * unit of work's change sets, hydration and identity map cost far more than the SQL for bulk upserts).
 *
 * Rows are keyed by the entity's property names (as the audit log and the GraphQL types name them); the
 * entity's metadata turns them into columns. The rows travel as one JSON parameter that
 * `jsonb_populate_recordset(null::<table>, …)` reads with the table's own column types, so a batch of any size
 * is one bound parameter (PostgreSQL takes at most 65 535) and dates, decimals and enums need no casts.
 * Parameters are bound (sent beside the statement), never written into its text: see executeBound.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { EntityClass, EntityMetadata, LogContext } from '@mikro-orm/core';

/** A row as property → value; values as they are stored (canonical decimal strings, YYYY-MM-DD dates...). */
export type Row = Record<string, unknown>;

/** MikroORM's statement runner behind em.execute: times the statement and logs it (the tests count statements in that log). */
interface LoggingConnection {
  executeQuery<T>(query: string, run: () => Promise<T>, context?: LogContext): Promise<T>;
}

/**
 * Runs one statement (`?` placeholders) in the entity manager's transaction with its parameters bound: sent
 * beside the statement ($1, $2… in the extended protocol), not quoted into its text. `em.execute` quotes them
 * in, and pg's escapeLiteral builds a literal one character at a time: for the megabytes of JSON of a batch of
 * 1000 invoices that was most of the call's CPU, spent collecting the garbage (issue #17). An array parameter
 * is one PostgreSQL array (`= any(?)`, not `in (?)`). Logged like em.execute's statements, without the
 * parameters; errors converted as em.execute's are (UniqueConstraintViolationException...).
 */
export async function executeBound<T extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const connection = em.getConnection();
  const query = connection.getKnex().raw(sql, params as Knex.RawBinding[]);
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) query.transacting(transaction);
  const run = async (): Promise<T[]> => ((await query) as unknown as { rows: T[] }).rows;
  try {
    return await (connection as unknown as LoggingConnection).executeQuery(sql, run, { query: sql });
  } catch (error) {
    throw error instanceof Error ? em.getDriver().convertException(error) : error;
  }
}

/** The stored columns of an entity's scalar and many-to-one properties, by property name. */
function columns(em: EntityManager, entity: EntityClass<object>): { meta: EntityMetadata; byProperty: Map<string, string> } {
  const meta = em.getMetadata().get(entity.name);
  const byProperty = new Map<string, string>();
  for (const prop of meta.props) {
    if (prop.persist === false || prop.fieldNames?.length !== 1) continue;
    if (prop.kind !== 'scalar' && prop.kind !== 'm:1') continue;
    byProperty.set(prop.name, prop.fieldNames[0]!);
  }
  return { meta, byProperty };
}

const quoted = (column: string): string => `"${column.replaceAll('"', '""')}"`;

/**
 * The rows column-keyed as one JSON text, and the columns they name. Null values are left out of the JSON
 * (jsonb_populate_recordset reads a missing key as null) but their columns are still named, so an insert
 * writes null there rather than the column's default: a batch of invoice lines is a third smaller for it,
 * and both sides parse and copy that much less.
 */
function asColumns(byProperty: ReadonlyMap<string, string>, rows: readonly Row[]): { names: string[]; json: string } {
  // A plain object and for...in: this runs for every value of batches of 10 000 rows and more.
  const columnOf: Record<string, string> = Object.fromEntries(byProperty);
  const properties = new Set<string>();
  const converted = rows.map((row) => {
    const out: Row = {};
    for (const property in row) {
      properties.add(property);
      const value = row[property];
      if (value !== null && value !== undefined) out[columnOf[property] ?? property] = value; // Dates: JSON.stringify writes them as ISO timestamps
    }
    return out;
  });
  const names = [...properties].map((property) => {
    const column = columnOf[property];
    if (column === undefined) throw new Error(`no stored column for property ${property}`);
    return column;
  });
  return { names, json: JSON.stringify(converted) };
}

/** Inserts the rows (each with every column it needs, the id included) in one statement. */
export async function insertRows(em: EntityManager, entity: EntityClass<object>, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const { meta, byProperty } = columns(em, entity);
  const { names, json } = asColumns(byProperty, rows);
  const list = names.map(quoted).join(', ');
  await executeBound(em, `insert into ${quoted(meta.tableName)} (${list}) select ${list} from jsonb_populate_recordset(null::${quoted(meta.tableName)}, ?::jsonb)`, [json]);
}

/**
 * Sets `properties` of the rows with these ids (each row holds `id` and every property listed), in one statement;
 * with `condition` (SQL over the table, alias t, and the row, alias r) only the rows that still meet it. Returns
 * how many rows were updated.
 */
export async function updateRows(
  em: EntityManager, entity: EntityClass<object>, properties: readonly string[], rows: readonly Row[],
  condition?: { readonly sql: string; readonly params: readonly unknown[] },
): Promise<number> {
  if (rows.length === 0) return 0;
  const { meta, byProperty } = columns(em, entity);
  const { json } = asColumns(byProperty, rows);
  const set = properties.map((p) => {
    const column = byProperty.get(p);
    if (!column) throw new Error(`no stored column for property ${p}`);
    return `${quoted(column)} = r.${quoted(column)}`;
  });
  const updated = await executeBound(
    em,
    `update ${quoted(meta.tableName)} t set ${set.join(', ')} from jsonb_populate_recordset(null::${quoted(meta.tableName)}, ?::jsonb) r ` +
    `where t.id = r.id${condition ? ` and (${condition.sql})` : ''} returning t.id`,
    [json, ...(condition?.params ?? [])],
  );
  return updated.length;
}

/** Deletes the rows with these ids in one statement. */
export async function deleteRows(em: EntityManager, entity: EntityClass<object>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const { meta } = columns(em, entity);
  await executeBound(em, `delete from ${quoted(meta.tableName)} where id in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(ids)]);
}

/**
 * The rows `where` selects (an SQL condition on the table, alias t), property-keyed, every value as PostgreSQL
 * writes it as text ('397.50', '2026-01-31', 'true'), so rows compare with canonical pushed values without
 * the driver's own conversions (dates to local-time Date objects, for one) getting in the way.
 */
export async function selectRowsAsText(em: EntityManager, entity: EntityClass<object>, where: string, params: readonly unknown[], orderBy = 't.id'): Promise<Array<Record<string, string | null>>> {
  const { meta, byProperty } = columns(em, entity);
  const list = [...byProperty].map(([property, column]) => `t.${quoted(column)}::text as ${quoted(property)}`).join(', ');
  return executeBound(em, `select ${list} from ${quoted(meta.tableName)} t where ${where} order by ${orderBy}`, [...params]);
}

/** A stored value (as text, see selectRowsAsText) equals a value about to be stored. */
export function sameStoredText(stored: string | null | undefined, value: unknown): boolean {
  if (value === null || value === undefined) return stored === null || stored === undefined;
  return stored === (value instanceof Date ? value.toISOString() : String(value));
}
