/**
 * Builds the GraphQL schema from the resolvers. The SDL is committed at schema/schema.graphql
 * (`npm run schema:emit`); a test fails when it is stale.
 */
import 'reflect-metadata';
import path from 'node:path';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, lexicographicSortSchema, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { PROJECT_ROOT } from '../app/config.js';
import { asActor } from '../modules/audit/actor.js';
import { UserResolver, ApiTokenResolver } from '../modules/user/user.resolver.js';
import { ApiCredentialResolver } from '../modules/credential/credential.resolver.js';
import { CompanyResolver, ConnectorResolver } from '../modules/connector/connector.resolver.js';
import { ConnectorActivityResolver } from '../modules/connector/connector-activity.resolver.js';
import { RegistrationResolver } from '../modules/registration/registration.resolver.js';
import { MappingResolver } from '../modules/mapping/mapping.resolver.js';
import { RouteResolver } from '../modules/routing/routing.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { MappingEngineResolver } from '../mapping-engine/engine.resolver.js';
import { AUTOTASK_RESOLVERS } from '../modules/autotask/resolvers.js';
import { TIMESHEET_RESOLVERS } from '../modules/timesheets/timesheet.resolver.js';
import { TRANSFER_RESOLVERS } from '../modules/transfer/resolvers.js';
import { AutotaskConnectionResolver } from '../psa/autotask/autotask-connection.resolver.js';
import { QUICKBOOKS_LISTS_RESOLVERS } from '../modules/quickbooks-lists/resolvers.js';
import { MappingHelpResolver } from '../modules/mapping-help/mapping-help.resolver.js';
import { CustomerImportResolver } from '../modules/customer-import/customer-import.resolver.js';
import { PaidStatusResolver } from '../modules/paid-status/paid-status.resolver.js';
import { InvoiceWriteBackResolver } from '../psa/autotask/invoice-write-back.resolver.js';
import { PURCHASING_RESOLVERS } from '../modules/purchasing/purchasing.resolver.js';
import { EXPENSE_RESOLVERS } from '../modules/expenses/expenses.resolver.js';
import { INVENTORY_RESOLVERS } from '../modules/inventory/inventory.resolver.js';
import { authChecker } from './authorization.js';
import { applyPolicy } from './policy.js';
import { actorOf, type GraphQLContext } from './context.js';
import { validateArgument } from './input-validation.js';

export const RESOLVERS = [
  UserResolver, ApiTokenResolver, ApiCredentialResolver, ConnectorResolver, ConnectorActivityResolver, CompanyResolver,
  RegistrationResolver, MappingResolver, RouteResolver, AuditResolver, MappingEngineResolver,
  ...AUTOTASK_RESOLVERS, ...TIMESHEET_RESOLVERS, ...TRANSFER_RESOLVERS, ...QUICKBOOKS_LISTS_RESOLVERS, MappingHelpResolver,
  AutotaskConnectionResolver, CustomerImportResolver, InvoiceWriteBackResolver, PaidStatusResolver,
  ...PURCHASING_RESOLVERS,
  ...EXPENSE_RESOLVERS,
  ...PURCHASING_RESOLVERS, ...INVENTORY_RESOLVERS,
] as unknown as NonEmptyArray<Function>;

export const SCHEMA_FILE = path.join(PROJECT_ROOT, 'schema', 'schema.graphql');

const SCHEMA_HEADER = '# Generated from the resolvers by `npm run schema:emit`. Do not edit by hand.\n\n';

/**
 * Every change a resolver makes is attributed to the signed-in user in the audit log. Only root fields (queries,
 * mutations) change anything, so only they run in the actor's AsyncLocalStorage context. This wraps their
 * resolvers in the built schema rather than being a type-graphql global middleware: a global middleware runs on
 * every field of an answer, scalars included (its async dispatch was a handful of promises per field, each
 * tracked by async_hooks: half of the nested 200-connector query's CPU went to them and their garbage).
 */
function attributeChanges(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field) => {
      const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
      return { ...field, resolve: (source, args, context: GraphQLContext, info) => asActor(actorOf(context), () => resolve(source, args, context, info)) };
    },
  });
}

/** The schema with the authorization policy (policy.ts) applied to every field that returns a protected type. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    // Unauthenticated / under-privileged calls throw (UNAUTHENTICATED / FORBIDDEN) rather than return null.
    authMode: 'error',
    // class-validator's rules and errors, with a compiled check of valid arguments first (input-validation.ts).
    validateFn: validateArgument,
    // type-graphql's check runs the whole introspection query over the new schema (about 75 ms of every start) to
    // find an invalid one; Apollo asserts the schema valid when it starts (graphql-js's validateSchema) anyway.
    skipCheck: true,
  });
  return attributeChanges(applyPolicy(schema));
}

/** The committed form of the schema: sorted, with a header. */
export function printAppSchema(schema: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
