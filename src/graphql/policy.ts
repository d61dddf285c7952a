/**
 * Who may see what: ONE table keyed by GraphQL type, applied by the schema itself to every field that
 * returns a protected type, at the root or nested (`connectors { nodes { registrations } }` obeys the same rule
 * as `registrations`). Root resolvers carry no visibility checks of their own; they only push the same row rule
 * into SQL (`readableWhere`) so that a page and its totalCount count only the rows the caller may see.
 *
 * The rule, everywhere:
 * - Below a type's minimum role the field is refused (FORBIDDEN; no token: UNAUTHENTICATED), exactly as the root
 *   query of that type refuses. A connection (`XConnection`) of a protected type is refused likewise, so not even
 *   its totalCount shows.
 * - Rows owned by a user (`owner`) are for that user and for admins. Another user's row is absent: lists skip it,
 *   a nullable field or a lookup by id gives null (/qwc answers 404). Only a non-null field could not be
 *   absent; it is refused (FORBIDDEN) — the schema has no such path today, the check is there for the next one.
 * - Types not in the table are readable by every signed-in user (VIEWER "reads everything except secrets and the
 *   audit log"); what a root query or mutation needs to *run* is its own `@Requires` (authorization.ts).
 *
 * Cheap by construction: the check runs only on fields returning a protected type (scalars are not wrapped), uses
 * only the owner id the ORM already holds on the row (a reference, no SQL), and filters in memory.
 */
import { defaultFieldResolver, getNamedType, isAbstractType, isNonNullType, isObjectType, type GraphQLFieldResolver, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { AppError } from '../errors/app-error.js';
import { Role, roleAllows } from '../modules/user/role.js';
import type { User } from '../modules/user/user.entity.js';

interface TypePolicy {
  /** The lowest role that may see the type at all. */
  readonly minimum: Role;
  /**
   * The row property naming the user a row belongs to (`'id'` when the row is the user). Rows with an owner are
   * visible to that user and to admins only.
   */
  readonly owner?: string;
}

/** The policy. Keys are GraphQL type names (checked against the schema when it is built). */
export const POLICY = {
  /** A QWC file with the credential's user name: its own user's, or any for an admin. Viewers run no Web Connector. */
  Registration: { minimum: Role.ACCOUNTANT, owner: 'user' },
  /** People: yourself (`me`), or anyone for an admin (e-mail addresses, roles). */
  User: { minimum: Role.VIEWER, owner: 'id' },
  /** API tokens (without secrets): your own, or anyone's for an admin. */
  ApiToken: { minimum: Role.VIEWER, owner: 'user' },
  /** The Web Connector credential serves every connector and user: configuration, admins only. */
  ApiCredential: { minimum: Role.ADMIN },
  /** The Autotask API user and pull settings (never the secret): configuration, admins only. */
  AutotaskConnection: { minimum: Role.ADMIN },
  /** Who changed what: admins only. */
  AuditEntry: { minimum: Role.ADMIN },
  /** The exact qbXML a transfer would send: for those who queue transfers. */
  TransferPreview: { minimum: Role.ACCOUNTANT },
  // ---- Timesheets (issue 14): hours worked are read like invoices, by every signed-in role ----
  TimeEntry: { minimum: Role.VIEWER },
  TimesheetApproval: { minimum: Role.VIEWER },
  TimeActivity: { minimum: Role.VIEWER },
} as const satisfies Record<string, TypePolicy>;

export type ProtectedType = keyof typeof POLICY;

const policyOf = (typeName: string): TypePolicy | undefined => (POLICY as Record<string, TypePolicy>)[typeName];

/** Throws UNAUTHENTICATED without a user and FORBIDDEN below `needed`. */
export function assertRole(user: User | undefined, needed: Role): asserts user is User {
  if (!user || !roleAllows(user.role, needed)) throw refusalOf(user, needed);
}

/** UNAUTHENTICATED without a user, FORBIDDEN for one below `needed`. */
function refusalOf(user: User | undefined, needed: Role): AppError {
  return user ? AppError.forbidden(needed, user.role) : AppError.unauthenticated();
}

/** Throws unless `user` may see `type` at all (its minimum role). */
export function assertMayRead(user: User | undefined, type: ProtectedType): asserts user is User {
  assertRole(user, POLICY[type].minimum);
}

/** The owner rule: a user's own rows are theirs; admins act on everyone's. */
export function ownsOrAdmin(user: User, ownerId: string): boolean {
  return user.id === ownerId || user.role === Role.ADMIN;
}

/** For changes to another user's rows (their tokens): FORBIDDEN unless `user` is `ownerId` or an admin. */
export function assertOwnsOrAdmin(user: User | undefined, ownerId: string): asserts user is User {
  if (!user) throw AppError.unauthenticated();
  if (!ownsOrAdmin(user, ownerId)) throw new AppError('FORBIDDEN', 'Only an admin may do this for another user.');
}

/** Whether `user` (who passed the type's minimum role) may see this row. */
export function mayRead(user: User, type: ProtectedType, row: object): boolean {
  return rowVisible(user, POLICY[type], row);
}

/** The row rule as a MikroORM filter, for root queries that page in SQL: `{}`, or `{ <owner>: user.id }`. */
export function readableWhere<T>(user: User, type: ProtectedType): Partial<Record<keyof T & string, string>> {
  const owner = (POLICY[type] as TypePolicy).owner;
  return owner && user.role !== Role.ADMIN ? ({ [owner]: user.id } as Partial<Record<keyof T & string, string>>) : {};
}

function rowVisible(user: User, policy: TypePolicy, row: object): boolean {
  if (!policy.owner) return true;
  const value = (row as Record<string, unknown>)[policy.owner];
  // A many-to-one is an entity or an unloaded reference: both carry the id without a query.
  const ownerId = typeof value === 'string' ? value : (value as { id?: string } | null | undefined)?.id;
  return ownerId !== undefined && ownsOrAdmin(user, ownerId);
}

/**
 * Wraps every field whose (unwrapped) type is protected, or is a connection of a protected type, with the policy.
 * Fails at start when a policy key names no object type (a renamed type must not silently lose its protection),
 * and when a union or interface could return a protected type (the guard looks at a field's declared type).
 */
export function applyPolicy(schema: GraphQLSchema): GraphQLSchema {
  const unknown = Object.keys(POLICY).filter((name) => !isObjectType(schema.getType(name)));
  if (unknown.length) throw new Error(`The authorization policy names types the schema does not have: ${unknown.join(', ')}`);
  const abstract = Object.values(schema.getTypeMap()).filter(
    (type) => isAbstractType(type) && schema.getPossibleTypes(type).some((t) => policyOf(t.name)),
  );
  if (abstract.length) throw new Error(`Protected types behind a union or interface are not guarded: ${abstract.map((t) => t.name).join(', ')}`);
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      const guard = guardFor(field.type);
      if (!guard) return field;
      const { policy, rows } = guard;
      const resolve: GraphQLFieldResolver<unknown, { user?: User }> = field.resolve ?? defaultFieldResolver;
      const nullable = !isNonNullType(field.type);
      const guarded: GraphQLFieldResolver<unknown, { user?: User }> = rows
        ? (source, args, context, info) => {
            const user = context.user;
            // A refusal stays a rejected promise, as from the async guard this was: graphql-js names the first row
            // whose field settled, so a thrown refusal would name another row of a refused page than before.
            if (!user || !roleAllows(user.role, policy.minimum)) return Promise.reject(refusalOf(user, policy.minimum));
            // A value the resolver has at once is filtered at once: the async guard made a promise of every row's field.
            const value: unknown = resolve(source, args, context, info);
            return value instanceof Promise ? value.then((resolved) => keepVisible(resolved, user, policy, nullable)) : keepVisible(value, user, policy, nullable);
          }
        : (source, args, context, info) => {
            assertRole(context.user, policy.minimum);
            return resolve(source, args, context, info);
          };
      return { ...field, resolve: guarded };
    },
  });
}

/**
 * The policy a field of this type must obey: its own type's (with the row rule when the type has owners), or,
 * for a connection `{ nodes: [X] ... }` of a protected X, X's minimum role (its nodes field filters the rows).
 */
function guardFor(type: GraphQLOutputType): { policy: TypePolicy; rows: boolean } | undefined {
  const named = getNamedType(type);
  const own = policyOf(named.name);
  if (own) return { policy: own, rows: own.owner !== undefined };
  const nodes = isObjectType(named) ? named.getFields().nodes : undefined;
  const paged = nodes ? policyOf(getNamedType(nodes.type).name) : undefined;
  return paged ? { policy: paged, rows: false } : undefined;
}

/** Lists lose the rows that are not the user's; a single hidden row is null where allowed, refused otherwise. */
function keepVisible(value: unknown, user: User, policy: TypePolicy, nullable: boolean): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.filter((row) => row === null || rowVisible(user, policy, row as object));
  if (rowVisible(user, policy, value as object)) return value;
  if (nullable) return null;
  throw new AppError('FORBIDDEN', 'This belongs to another user; only they and admins can see it.');
}
