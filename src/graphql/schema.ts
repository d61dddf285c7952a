/**
 * Builds the GraphQL schema from the resolvers. The SDL is committed at schema/schema.graphql
 * (`npm run schema:emit`); a test fails when it is stale.
 */
import 'reflect-metadata';
import path from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type MiddlewareFn, type NonEmptyArray } from 'type-graphql';
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
 * Every change a resolver makes is attributed to the signed-in user in the audit log. Only root fields
 * (queries, mutations) change anything, so only they run in the actor's AsyncLocalStorage context: wrapping
 * every nested and scalar field too cost a context switch per field of every answer (200 connectors × their
 * relations' fields) for nothing.
 */
const attributeChanges: MiddlewareFn<GraphQLContext> = ({ context, info }, next) => (info.path.prev === undefined ? asActor(actorOf(context), next) : next());

/** The schema with the authorization policy (policy.ts) applied to every field that returns a protected type. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    authChecker,
    // Unauthenticated / under-privileged calls throw (UNAUTHENTICATED / FORBIDDEN) rather than return null.
    authMode: 'error',
    validate: { forbidUnknownValues: false },
    globalMiddlewares: [attributeChanges],
  });
  return applyPolicy(schema);
}

/** The committed form of the schema: sorted, with a header. */
export function printAppSchema(schema: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
