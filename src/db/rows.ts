/**
 * Set-based writes of plain rows: one statement per batch, whatever its size, and no ORM entity per row (the
 * unit of work's change sets, hydration and identity map cost far more than the SQL for bulk upserts).
 *
 * Rows are keyed by the entity's property names (as the audit log and the GraphQL types name them); the
 * entity's metadata turns them into columns. The rows travel as one JSON parameter that
 * `json_populate_recordset(null::<table>, …)` reads with the table's own column types, so a batch of any size
 * is one bound parameter (PostgreSQL takes at most 65 535) and dates, decimals and enums need no casts. As `json`,
 * not `jsonb`: the text is read once, straight into the rows, where jsonb would first build its own tree of the
 * whole batch (for the megabytes of 10 000 invoice lines, about half the statement's time: issue #17).
 * Parameters are bound (sent beside the statement), never written into its text: see executeBound.
 */
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ReferenceKind, type Collection, type EntityClass, type EntityMetadata, type EntityProperty, type LogContext } from '@mikro-orm/core';

/** A row as property → value; values as they are stored (canonical decimal strings, YYYY-MM-DD dates...). */
export type Row = Record<string, unknown>;

/** MikroORM's statement runner behind em.execute: times the statement and logs it (the tests count statements in that log). */
interface LoggingConnection {
  executeQuery<T>(query: string, run: () => Promise<T>, context?: LogContext): Promise<T>;
}

/** What executeBound needs of a pg client: the one knex holds for the transaction, or one of its pool. */
interface PgClient {
  query(text: string, values: readonly unknown[]): Promise<{ rows: unknown[] }>;
}

/** The `$n` form of each statement text of `?` placeholders, worked out once per text. */
const positionalTexts = new Map<string, { readonly text: string; readonly placeholders: number }>();
/** Statement texts built from variable parts (lists of columns, union branches) stay few, but are not kept without bound. */
const MAX_POSITIONAL_TEXTS = 1000;

/**
 * A statement's `?` placeholders as PostgreSQL's `$1, $2…`, read as knex reads a raw statement (every `?`, even
 * inside a string literal; `\?` is a literal `?`, as for jsonb's `?` operators), so callers write the SQL they wrote for em.execute.
 */
function positional(sql: string): { readonly text: string; readonly placeholders: number } {
  const known = positionalTexts.get(sql);
  if (known) return known;
  let placeholders = 0;
  const text = sql.replace(/\\?\?\??/g, (match) => {
    if (match === '\\?') return '?';
    if (match === '??') throw new Error('executeBound takes no ?? (identifier) placeholders: quote identifiers into the statement');
    return `$${++placeholders}`;
  });
  if (positionalTexts.size >= MAX_POSITIONAL_TEXTS) positionalTexts.clear();
  const converted = { text, placeholders };
  positionalTexts.set(sql, converted);
  return converted;
}

/**
 * Runs one statement (`?` placeholders) in the entity manager's transaction with its parameters bound: sent
 * beside the statement ($1, $2… in the extended protocol), not quoted into its text. `em.execute` quotes them
 * in, and pg's escapeLiteral builds a literal one character at a time: for the megabytes of JSON of a batch of
 * 1000 invoices that was most of the call's CPU, spent collecting the garbage (issue #17). An array parameter
 * is one PostgreSQL array (`= any(?)`, not `in (?)`). Logged like em.execute's statements, without the
 * parameters; errors converted as em.execute's are (UniqueConstraintViolationException...).
 *
 * Run on the pg client itself (the transaction's, or one of the pool's), not through a knex raw query: knex's
 * binding rewriting, runner and transaction wrappers cost more CPU than the driver's own work for the
 * statements of a Web Connector call (issue #17).
 */
export async function executeBound<T extends object = Record<string, unknown>>(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const { text, placeholders } = positional(sql);
  if (placeholders !== params.length) throw new Error(`Expected ${params.length} bindings, saw ${placeholders}: ${sql}`);
  // As knex refuses them: pg would send an undefined parameter as null without a word.
  if (params.includes(undefined)) throw new Error(`Undefined binding(s) detected when compiling RAW query: ${sql}`);
  const connection = em.getConnection();
  const transaction = em.getTransactionContext<Knex.Transaction>();
  const run = async (): Promise<T[]> => {
    if (transaction) {
      if (transaction.isCompleted()) throw new Error(`Transaction query already complete: ${sql}`);
      const client = (await transaction.client.acquireConnection()) as PgClient;
      return (await client.query(text, params)).rows as T[];
    }
    const pool = connection.getKnex().client;
    const client = (await pool.acquireConnection()) as PgClient;
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await pool.releaseConnection(client);
    }
  };
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
 * (json_populate_recordset reads a missing key as null) but their columns are still named, so an insert
 * writes null there rather than the column's default: a batch of invoice lines is a third smaller for it,
 * and both sides parse and copy that much less.
 */
function asColumns(byProperty: ReadonlyMap<string, string>, rows: readonly Row[]): { properties: string[]; names: string[]; json: string } {
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
  const named = [...properties];
  const names = named.map((property) => {
    const column = columnOf[property];
    if (column === undefined) throw new Error(`no stored column for property ${property}`);
    return column;
  });
  return { properties: named, names, json: JSON.stringify(converted) };
}

/** A statement of `?` placeholders with its parameters, to run (executeBound) or to write with others (writeAll). */
export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Inserts the rows (each with every column it needs, the id included) in one statement. */
export async function insertRows(em: EntityManager, entity: EntityClass<object>, rows: readonly Row[]): Promise<void> {
  const insert = insertStatement(em, entity, rows);
  if (insert) await executeBound(em, insert.sql, insert.params);
}

/** insertRows' statement; undefined for no rows. */
export function insertStatement(em: EntityManager, entity: EntityClass<object>, rows: readonly Row[]): Statement | undefined {
  const insert = insertPieces(em, entity, rows);
  return insert && { sql: insert.sql, params: insert.params };
}

/** insertStatement, with what insertRowsThen builds on: the properties the rows name and the column list. */
function insertPieces(
  em: EntityManager, entity: EntityClass<object>, rows: readonly Row[],
): (Statement & { readonly properties: readonly string[]; readonly columnList: string; readonly namesId: boolean }) | undefined {
  if (rows.length === 0) return undefined;
  const { meta, byProperty } = columns(em, entity);
  const { properties, names, json } = asColumns(byProperty, rows);
  const list = names.map(quoted).join(', ');
  return {
    sql: `insert into ${quoted(meta.tableName)} (${list}) select ${list} from json_populate_recordset(null::${quoted(meta.tableName)}, ?::json)`,
    params: [json],
    properties,
    columnList: list,
    namesId: names.includes('id'),
  };
}

/**
 * What a statement run with an insert (insertRowsThen) reads: the inserted rows as `inserted` (their `id` and
 * the columns the rows named), and the properties the rows named.
 */
export interface InsertedRows {
  readonly properties: readonly string[];
}

/**
 * insertRows' statement returning the rows' `id` and the columns they name, to be read as a `with` query by the
 * rest of a statement (see InsertedRows); undefined for no rows.
 */
export function insertReturning(em: EntityManager, entity: EntityClass<object>, rows: readonly Row[]): (Statement & InsertedRows) | undefined {
  const insert = insertPieces(em, entity, rows);
  if (!insert) return undefined;
  const returning = insert.namesId ? insert.columnList : `"id", ${insert.columnList}`;
  return { sql: `${insert.sql} returning ${returning}`, params: insert.params, properties: insert.properties };
}

/**
 * insertRows, and in the same statement `then` (SQL reading the inserted rows, see InsertedRows, with its own
 * `?` parameters): what follows from the rows is worked out by the database from what it just wrote, nothing
 * of it sent beside them.
 */
export async function insertRowsThen(
  em: EntityManager, entity: EntityClass<object>, rows: readonly Row[], then: (inserted: InsertedRows) => Statement,
): Promise<void> {
  const insert = insertReturning(em, entity, rows);
  if (!insert) return;
  const next = then({ properties: insert.properties });
  await executeBound(em, `with inserted as (${insert.sql}) ${next.sql}`, [...insert.params, ...next.params]);
}

/** The stored column of one of the entity's scalar or many-to-one properties, quoted for SQL (no alias). */
export function columnSql(em: EntityManager, entity: EntityClass<object>, property: string): string {
  const column = columns(em, entity).byProperty.get(property);
  if (!column) throw new Error(`${entity.name}.${property} is not a column`);
  return quoted(column);
}

/** A timestamp as Date's ISO text (UTC, milliseconds): what to_char below makes of the value that text stores. */
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * SQL for the JSON object of the properties of a row of `alias` (the entity's columns), each value as a Row holds
 * it and JSON.stringify writes it: text, enums, ids, integers and booleans as they are, decimals and dates as their
 * text ('397.50', '2026-01-31'), timestamps as Date's ISO text (UTC, milliseconds). Other column types are refused.
 *
 * `rows`, when given, are the rows the alias reads (the ones just inserted): a timestamp that is the same in every
 * one of them — a batch's createdAt and updatedAt — is then written from that value, one parameter, instead of
 * being formatted again for each row (20 000 times for 1000 invoices' lines: issue #17).
 */
export function propertiesJsonSql(
  em: EntityManager, entity: EntityClass<object>, properties: readonly string[], alias: string, rows?: readonly Row[],
): Statement {
  const meta = em.getMetadata().get(entity.name);
  const props = new Map(meta.props.map((prop) => [prop.name, prop]));
  const params: unknown[] = [];
  const pairs = properties.map((property) => {
    const prop = props.get(property);
    const column = prop?.fieldNames?.length === 1 ? `${alias}.${quoted(prop.fieldNames[0]!)}` : undefined;
    if (!prop || !column) throw new Error(`${meta.className}.${property} is not a column`);
    const type = prop.columnTypes?.[0]?.toLowerCase() ?? '';
    let value: string;
    if (/^timestamp(tz)?(\(\d\))?( with time zone)?$/.test(type)) {
      const same = rows && sameTimestampText(rows, property);
      if (same === null) value = 'null::text';
      else if (same !== undefined) {
        value = '?::text';
        params.push(same);
      } else value = `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    } else if (/^(numeric|decimal)(\(\d+(,\s*\d+)?\))?$|^date$/.test(type)) value = `${column}::text`;
    else if (prop.kind === ReferenceKind.MANY_TO_ONE || (!prop.array && !prop.customType && (prop.enum || PLAIN_COLUMN_TYPES.test(type)))) value = column;
    else throw new Error(`${meta.className}.${property}: its column type ${type || '(unknown)'} is not written in JSON as a Row holds it`);
    return `'${property.replaceAll("'", "''")}', ${value}`;
  });
  // jsonb_build_object takes at most 100 arguments: 50 properties each.
  const objects: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) objects.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
  return { sql: objects.length ? objects.join(' || ') : `'{}'::jsonb`, params };
}

/**
 * The ISO text of `property` when every row holds the same timestamp there (a Date, or a string in exactly the
 * form to_char writes back), null when none holds one; undefined otherwise (each row's own value must be formatted).
 */
function sameTimestampText(rows: readonly Row[], property: string): string | null | undefined {
  const text = (value: unknown): string | null | undefined =>
    value === null || value === undefined ? null
      : value instanceof Date ? (Number.isNaN(value.getTime()) ? undefined : value.toISOString())
        : typeof value === 'string' && ISO_TIMESTAMP.test(value) ? value : undefined;
  const first = text(rows[0]?.[property]);
  if (first === undefined) return undefined;
  for (const row of rows) if (text(row[property]) !== first) return undefined;
  return first;
}

/**
 * Sets `properties` of the rows with these ids (each row holds `id` and every property listed), in one statement;
 * with `condition` (SQL over the table, alias t, and the row, alias r) only the rows that still meet it. Returns
 * how many rows were updated.
 */
export async function updateRows(
  em: EntityManager, entity: EntityClass<object>, properties: readonly string[], rows: readonly Row[],
  condition?: Statement,
): Promise<number> {
  const update = updateStatement(em, entity, properties, rows, condition);
  if (!update) return 0;
  return (await executeBound(em, update.sql, update.params)).length;
}

/** updateRows' statement (`returning t.id` of each row updated); undefined for no rows. */
export function updateStatement(
  em: EntityManager, entity: EntityClass<object>, properties: readonly string[], rows: readonly Row[], condition?: Statement,
): Statement | undefined {
  if (rows.length === 0) return undefined;
  const { meta, byProperty } = columns(em, entity);
  const { json } = asColumns(byProperty, rows);
  const set = properties.map((p) => {
    const column = byProperty.get(p);
    if (!column) throw new Error(`no stored column for property ${p}`);
    return `${quoted(column)} = r.${quoted(column)}`;
  });
  return {
    sql: `update ${quoted(meta.tableName)} t set ${set.join(', ')} from json_populate_recordset(null::${quoted(meta.tableName)}, ?::json) r ` +
      `where t.id = r.id${condition ? ` and (${condition.sql})` : ''} returning t.id`,
    params: [json, ...(condition?.params ?? [])],
  };
}

/**
 * Writes in one statement what would be several (data-modifying CTEs, all run whatever the others do; none sees
 * the others' rows): a round trip, a parse and a plan instead of one each. Returns how many rows the first one
 * returned (an update's `returning`), or 0 without statements.
 */
export async function writeAll(em: EntityManager, statements: ReadonlyArray<Statement | undefined>): Promise<number> {
  const given = statements.filter((s): s is Statement => s !== undefined);
  if (given.length === 0) return 0;
  if (given.length === 1) return (await executeBound(em, given[0]!.sql, given[0]!.params)).length;
  const ctes = given.map((s, i) => `w${i} as (${s.sql})`).join(', ');
  const returning = /\breturning\b/i.test(given[0]!.sql);
  const [row] = await executeBound<{ n: number }>(em, `with ${ctes} select ${returning ? '(select count(*) from w0)::int' : '0'} as n`, given.flatMap((s) => s.params));
  return row?.n ?? 0;
}

/** Deletes the rows with these ids in one statement. */
export async function deleteRows(em: EntityManager, entity: EntityClass<object>, ids: readonly string[]): Promise<void> {
  const remove = deleteStatement(em, entity, ids);
  if (remove) await executeBound(em, remove.sql, remove.params);
}

function deleteStatement(em: EntityManager, entity: EntityClass<object>, ids: readonly string[]): Statement | undefined {
  if (ids.length === 0) return undefined;
  const { meta } = columns(em, entity);
  return { sql: `delete from ${quoted(meta.tableName)} where id in (select jsonb_array_elements_text(?::jsonb))`, params: [JSON.stringify(ids)] };
}

/**
 * deleteRows, and in the same statement `then` (SQL reading the deleted rows as `deleted`, every column, with its
 * own `?` parameters; `properties`: every property stored in a column): what the rows held is read by the
 * database as it removes them, nothing of it read out first.
 */
export async function deleteRowsThen(
  em: EntityManager, entity: EntityClass<object>, ids: readonly string[], then: (deleted: { readonly properties: readonly string[] }) => Statement,
): Promise<void> {
  const remove = deleteStatement(em, entity, ids);
  if (!remove) return;
  const next = then({ properties: [...columns(em, entity).byProperty.keys()] });
  await executeBound(em, `with deleted as (${remove.sql} returning *) ${next.sql}`, [...remove.params, ...next.params]);
}

/**
 * The rows `where` selects (an SQL condition on the table, alias t), property-keyed, every value as PostgreSQL
 * writes it as text ('397.50', '2026-01-31', 'true'), so rows compare with canonical pushed values without
 * the driver's own conversions (dates to local-time Date objects, for one) getting in the way.
 */
export async function selectRowsAsText(em: EntityManager, entity: EntityClass<object>, where: string, params: readonly unknown[], orderBy = 't.id'): Promise<Array<Record<string, string | null>>> {
  const { meta, byProperty } = columns(em, entity);
  return executeBound(em, `select ${asTextList(byProperty)} from ${quoted(meta.tableName)} t where ${where} order by ${orderBy}`, [...params]);
}

/** Every column of the table (alias t) as text, under its property's name: selectRowsAsText's select list. */
function asTextList(byProperty: ReadonlyMap<string, string>): string {
  return [...byProperty].map(([property, column]) => `t.${quoted(column)}::text as ${quoted(property)}`).join(', ');
}

/**
 * selectRowsAsText with the rows of another entity that belong to each row, in the same statement: `nested.entity`'s
 * rows (alias c) where `nested.join` holds (e.g. `c.invoice_id = t.id`, probed by its index for each row), in
 * `nested.orderBy`, as text like the row's own values, under `nested.name` of each row.
 */
export async function selectRowsAsTextWith(
  em: EntityManager, entity: EntityClass<object>, where: string, params: readonly unknown[],
  nested: { readonly name: string; readonly entity: EntityClass<object>; readonly join: string; readonly orderBy: string },
): Promise<Array<Record<string, string | null> & Record<string, unknown>>> {
  const { meta, byProperty } = columns(em, entity);
  const inner = columns(em, nested.entity);
  // Each nested row as an array of its values in column order, not an object: half the JSON to write and parse.
  const values = [...inner.byProperty.values()].map((column) => `c.${quoted(column)}::text`).join(', ');
  const properties = [...inner.byProperty.keys()];
  const rows = await executeBound<Record<string, unknown>>(
    em,
    `select ${asTextList(byProperty)}, (select coalesce(json_agg(json_build_array(${values}) order by ${nested.orderBy}), '[]') from ${quoted(inner.meta.tableName)} c ` +
      `where ${nested.join}) as ${quoted(nested.name)} from ${quoted(meta.tableName)} t where ${where} order by t.id`,
    [...params],
  );
  for (const row of rows) {
    row[nested.name] = (row[nested.name] as Array<Array<string | null>>).map((v) => {
      const out: Record<string, string | null> = {};
      for (let i = 0; i < properties.length; i++) out[properties[i]!] = v[i]!;
      return out;
    });
  }
  return rows as Array<Record<string, string | null> & Record<string, unknown>>;
}

/** A stored value (as text, see selectRowsAsText) equals a value about to be stored. */
export function sameStoredText(stored: string | null | undefined, value: unknown): boolean {
  if (value === null || value === undefined) return stored === null || stored === undefined;
  return stored === (value instanceof Date ? value.toISOString() : String(value));
}

/**
 * A stored value as text (selectRowsAsText) in the form JSON holds it where propertiesJsonSql writes it:
 * integers as numbers, booleans as booleans; text, enums, ids, decimals and dates as the text. A timestamp's text
 * is not Date's ISO text: refused rather than written in another form.
 */
export function storedTextAsJson(em: EntityManager, entity: EntityClass<object>, property: string, text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  const prop = em.getMetadata().get(entity.name).properties[property as never] as EntityProperty | undefined;
  if (!prop) throw new Error(`${entity.name}.${property} is not a property`);
  const type = prop.kind === ReferenceKind.MANY_TO_ONE ? 'text' : prop.columnTypes?.[0]?.toLowerCase() ?? '';
  if (/^(int|integer|int4|smallint|int2)$/.test(type)) return Number(text);
  if (/^(boolean|bool)$/.test(type)) return text === 'true';
  if (/^timestamp/.test(type)) throw new Error(`${entity.name}.${property}: a timestamp's stored text is not written as JSON holds it`);
  return text;
}

/** A many-to-one as a plain row holds it: the referenced row's id, nothing loaded. */
export interface RowRef {
  readonly id: string;
}

/**
 * An entity's stored values as a plain object (selectPlainRows): its scalars and embeddables as the entity holds
 * them, each many-to-one as a RowRef; no collections, methods or getters. An entity is one too, so code that takes
 * a PlainRow takes either. Field resolvers of a type served as plain rows declare `@Root() row: PlainRow<X>`: a
 * type, not the class, so type-graphql hands the row over as it is (for a class it copies a plain object into a
 * `new X()`, which for an entity runs its constructor).
 */
export type PlainRow<T> = {
  readonly [K in keyof T as T[K] extends ((...args: never[]) => unknown) | Collection<object> ? never : K]: NonNullable<T[K]> extends RowRef
    ? null extends T[K] ? RowRef | null : RowRef
    : T[K];
};

/**
 * Columns read as MikroORM hydrates them: text and enums as strings, integers as numbers, booleans, timestamptz
 * (which the driver leaves as text, for MikroORM to parse) as Date. Anything else — decimals, dates, bigints,
 * arrays, JSON, custom types — is refused rather than risk a value in another form than the entity's.
 */
const PLAIN_COLUMN_TYPES = /^(text|varchar(\(\d+\))?|character varying(\(\d+\))?|uuid|int|integer|int4|smallint|int2|boolean|bool|timestamptz(\(\d\))?|timestamp(\(\d\))? with time zone)$/;

interface PlainReader {
  readonly table: string;
  /** Whether the entity has embeddables (their columns are read by alias). */
  readonly embedded: boolean;
  readonly select: string;
  readonly toPlain: (row: Record<string, unknown>) => object;
}

const plainReaders = new WeakMap<EntityMetadata, PlainReader>();

/** How to select and shape an entity's plain rows, worked out once per entity from its metadata. */
function plainReader(meta: EntityMetadata): PlainReader {
  const known = plainReaders.get(meta);
  if (known) return known;
  const unsupported = (prop: EntityProperty, why: string) => new Error(`${meta.className}.${prop.name} cannot be read as a plain row: ${why}`);
  const selected: string[] = [];
  const scalars: string[] = [];
  const dates: string[] = [];
  const refs: string[] = [];
  const embeddeds: Array<{ name: string; nullable: boolean; parts: Array<{ alias: string; name: string }> }> = [];
  const column = (prop: EntityProperty): string => {
    if (prop.fieldNames?.length !== 1) throw unsupported(prop, 'not one column');
    return prop.fieldNames[0]!;
  };
  const readable = (prop: EntityProperty): void => {
    const type = prop.columnTypes?.[0]?.toLowerCase() ?? '';
    if (prop.array || prop.customType || !(prop.enum || PLAIN_COLUMN_TYPES.test(type))) throw unsupported(prop, `its column type ${type || '(unknown)'} is not read as the entity holds it`);
  };
  const isDate = (prop: EntityProperty): boolean => prop.runtimeType === 'Date';
  for (const prop of meta.props) {
    if (prop.persist === false || prop.embedded) continue; // an embeddable's own columns are read with it (below)
    if (prop.kind === ReferenceKind.SCALAR) {
      readable(prop);
      selected.push(`t.${quoted(column(prop))} as ${quoted(prop.name)}`);
      (isDate(prop) ? dates : scalars).push(prop.name);
    } else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
      selected.push(`t.${quoted(column(prop))} as ${quoted(prop.name)}`);
      refs.push(prop.name);
    } else if (prop.kind === ReferenceKind.EMBEDDED) {
      if (prop.object || prop.array) throw unsupported(prop, 'an embeddable stored as JSON');
      const parts = Object.values(prop.embeddedProps).map((part) => {
        if (part.kind !== ReferenceKind.SCALAR) throw unsupported(part, 'a nested embeddable or relation');
        readable(part);
        const alias = `${prop.name}.${part.embedded![1]}`;
        selected.push(`t.${quoted(column(part))} as ${quoted(alias)}`);
        if (isDate(part)) throw unsupported(part, 'a date inside an embeddable');
        return { alias, name: part.embedded![1] };
      });
      embeddeds.push({ name: prop.name, nullable: prop.nullable === true, parts });
    } // collections and the inverse side of a one-to-one are not columns of this table
  }
  const reader: PlainReader = {
    table: quoted(meta.tableName),
    embedded: embeddeds.length > 0,
    select: selected.join(', '),
    toPlain: (row) => {
      const plain: Record<string, unknown> = {};
      for (const name of scalars) plain[name] = row[name];
      for (const name of dates) plain[name] = row[name] === null ? null : new Date(row[name] as string); // as MikroORM's hydrator does
      for (const name of refs) plain[name] = row[name] === null ? null : { id: row[name] };
      for (const { name, nullable, parts } of embeddeds) {
        // As MikroORM hydrates a nullable embeddable: null when every one of its columns is.
        if (nullable && parts.every((part) => row[part.alias] === null)) {
          plain[name] = null;
          continue;
        }
        const value: Record<string, unknown> = {};
        for (const part of parts) value[part.name] = row[part.alias];
        plain[name] = value;
      }
      return plain;
    },
  };
  plainReaders.set(meta, reader);
  return reader;
}

/**
 * The rows `where` selects (an SQL condition on the table, alias t), as plain objects (PlainRow): for read-only
 * answers of many rows (GraphQL relation lists), where an entity per row — hydration, identity map, the unit of
 * work's bookkeeping — cost most of the request. They are not managed: change rows through entities or the
 * statements above.
 */
export async function selectPlainRows<T extends object>(
  em: EntityManager, entity: EntityClass<T>, where: string, params: readonly unknown[], orderBy = 't.id',
): Promise<Array<PlainRow<T>>> {
  const { reader, rows } = await selectForPlainRows(em, entity, '', where, params, orderBy);
  return rows.map(reader.toPlain) as Array<PlainRow<T>>;
}

/**
 * selectPlainRows with more read in the same statement: `extra` names SQL expressions (e.g. scalar subqueries
 * for what the caller needs with the rows, such as a connector's company binding) selected beside each row and
 * handed back apart from it, as the driver reads them. `params` bind the placeholders of `extra` (in its order),
 * then those of `where`. No row, no extra values: a caller that needs them without rows reads them itself.
 */
export async function selectPlainRowsWith<T extends object, E extends Record<string, unknown>>(
  em: EntityManager, entity: EntityClass<T>, extra: { readonly [K in keyof E]: string }, where: string, params: readonly unknown[], orderBy = 't.id',
): Promise<Array<{ readonly row: PlainRow<T>; readonly extra: E }>> {
  const names = Object.keys(extra) as Array<keyof E & string>;
  const select = names.map((name) => `, ${extra[name]} as ${quoted(name)}`).join('');
  const { reader, rows } = await selectForPlainRows(em, entity, select, where, params, orderBy);
  return rows.map((row) => ({ row: reader.toPlain(row) as PlainRow<T>, extra: Object.fromEntries(names.map((name) => [name, row[name]])) as E }));
}

async function selectForPlainRows(
  em: EntityManager, entity: EntityClass<object>, extraSelect: string, where: string, params: readonly unknown[], orderBy: string,
): Promise<{ reader: PlainReader; rows: Array<Record<string, unknown>> }> {
  const reader = plainReader(em.getMetadata().get(entity.name));
  const rows = await executeBound(em, `select ${reader.select}${extraSelect} from ${reader.table} t where ${where} order by ${orderBy}`, [...params]);
  return { reader, rows };
}

/**
 * A row read as JSON (`to_jsonb(t)` in a statement that reads more than the table: column-keyed, values as
 * PostgreSQL writes them in JSON) as the entity's plain row, as selectPlainRows would have read it.
 */
export function plainRowOfJson<T extends object>(em: EntityManager, entity: EntityClass<T>, json: Readonly<Record<string, unknown>>): PlainRow<T> {
  const meta = em.getMetadata().get(entity.name);
  const reader = plainReader(meta);
  if (reader.embedded) throw new Error(`${meta.className} has embeddables: not read from JSON`);
  const byAlias: Record<string, unknown> = {};
  for (const [property, column] of columns(em, entity).byProperty) byAlias[property] = json[column] ?? null;
  return reader.toPlain(byAlias) as PlainRow<T>;
}

/** A property's column in `where` and `orderBy` of selectPlainRows (alias t), quoted. */
export function columnOf(em: EntityManager, entity: EntityClass<object>, property: string): string {
  return `t.${columnSql(em, entity, property)}`;
}
