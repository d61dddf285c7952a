/**
 * What one GraphQL request may ask for, checked before anything executes. The schema has cycles
 * (Connector.registrations ↔ Registration.connector) and list fields, so one small document can ask for
 * exponentially many objects; these checks look only at the document (and its variables), never at data:
 *
 * - tokens: graphql-js's own parser stops at GRAPHQL_MAX_TOKENS (`parseOptions.maxTokens`), before any
 *   AST is built for an oversized document;
 * - depth and aliases: graphql-armor's validation rules (they count each fragment once, so a chain of
 *   fragments cannot make the count itself exponential);
 * - cost: graphql-query-complexity after validation, because the page size often comes in a variable
 *   (`connectors(first: $n)`) and only then are variables known (operation-cost.ts: bulk input is not coerced for it). 1 per field; a field with a `first`
 *   argument multiplies what it selects by that page size (the schema's default when left out), other list
 *   fields by GRAPHQL_LIST_SIZE_ESTIMATE. Its node budget bounds the estimate's own work.
 * - introspection: `__schema`/`__type` only for signed-in callers unless GRAPHQL_INTROSPECTION=everyone
 *   (graphql-js's NoSchemaIntrospectionCustomRule decides what counts as introspection).
 *
 * Every refusal is an AppError (QueryLimitError names the limit, its variable and what was found), so
 * format-error.ts shapes it like any other error.
 */
import {
  GraphQLError,
  GraphQLObjectType,
  NoSchemaIntrospectionCustomRule,
  getNullableType,
  isListType,
  validate,
  type ValidationRule,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import type { GraphQLLimitsConfig } from '../app/config.js';
import { AppError } from '../errors/app-error.js';
import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.js';
import type { GraphQLContext } from './context.js';
import { operationCost } from './operation-cost.js';

type LimitCode = Extract<ErrorCode, 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_TOKENS' | 'QUERY_TOO_COMPLEX'>;

/** The limit a refused query ran into, as clients see it in `extensions.limit`. */
export interface QueryLimit {
  /** The configuration variable that sets it. */
  readonly variable: string;
  readonly max: number;
  /** What the query has; absent when counting stopped at the limit. */
  readonly found?: number;
}

export class QueryLimitError extends AppError {
  constructor(
    code: LimitCode,
    message: string,
    readonly limit: QueryLimit,
  ) {
    super(code, message);
  }
}

/**
 * A refusal as Apollo needs it from a validation rule or a plugin: a GraphQLError carrying the AppError
 * (format-error.ts finds it there) and its HTTP status (Apollo's default for plugin errors is 500).
 */
function refusal(error: AppError): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { http: { status: ERROR_CODES[error.code].http } } });
}

/** graphql-armor reports "limit of N exceeded, found M"; the count is all we take from its message. */
function foundIn(message: string): number | undefined {
  const match = /found (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** The validation rules (Apollo `validationRules`): depth and aliases. */
export function queryLimitRules(limits: GraphQLLimitsConfig): ValidationRule[] {
  const report = (build: (found: number | undefined) => QueryLimitError) => [
    (context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => context?.reportError(refusal(build(foundIn(error.message)))),
  ];
  return [
    maxDepthRule({
      n: limits.maxDepth,
      propagateOnRejection: false,
      onReject: report(
        (found) =>
          new QueryLimitError(
            'QUERY_TOO_DEEP',
            `The query nests ${found ?? 'more'} levels deep; at most ${limits.maxDepth} are allowed (GRAPHQL_MAX_DEPTH). Ask for fewer nested levels and follow up with separate queries.`,
            { variable: 'GRAPHQL_MAX_DEPTH', max: limits.maxDepth, found },
          ),
      ),
    }),
    maxAliasesRule({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: report(
        (found) =>
          new QueryLimitError(
            'TOO_MANY_ALIASES',
            `The query uses ${found ?? 'more'} aliases; at most ${limits.maxAliases} are allowed (GRAPHQL_MAX_ALIASES). Send fewer aliased fields per request.`,
            { variable: 'GRAPHQL_MAX_ALIASES', max: limits.maxAliases, found },
          ),
      ),
    }),
  ];
}

/** Apollo's `parseOptions`: graphql-js stops lexing past the token limit. */
export function parseLimits(limits: GraphQLLimitsConfig): { maxTokens: number } {
  return { maxTokens: limits.maxTokens };
}

/**
 * The parse error graphql-js raises at the token limit ("Document contains more than N tokens"), as a
 * QueryLimitError; undefined for every other error.
 */
export function tokenLimitError(error: unknown): QueryLimitError | undefined {
  const message = error instanceof GraphQLError ? error.message : '';
  const match = /Document contains more tha[nt] (\d+) tokens/.exec(message);
  if (!match) return undefined;
  const max = Number(match[1]);
  return new QueryLimitError(
    'TOO_MANY_TOKENS',
    `The query document is longer than ${max} tokens (GRAPHQL_MAX_TOKENS). Pass bulk input in variables, which do not count.`,
    { variable: 'GRAPHQL_MAX_TOKENS', max },
  );
}

/** The cost model: see the file header. */
function costEstimator(listSizeEstimate: number): ComplexityEstimator {
  return ({ field, type, args, childComplexity }) => {
    // __typename is free; __schema/__type are governed by the introspection rule, not by cost.
    if (field.name.startsWith('__')) return 0;
    const pageSize = typeof args.first === 'number' ? args.first : undefined;
    // A connection's `nodes` is already multiplied by the page size of the field that returned the connection.
    const inConnection = type instanceof GraphQLObjectType && 'pageInfo' in type.getFields();
    const isList = isListType(getNullableType(field.type));
    const multiplier = pageSize ?? (isList && !inConnection ? listSizeEstimate : 1);
    return 1 + multiplier * childComplexity;
  };
}

/** Past this many selections the estimate stops (graphql-query-complexity's own budget for its work). */
const MAX_COST_NODES = 10_000;

/** The cost and introspection checks, run once the operation and its variables are known. */
export function queryLimitsPlugin(limits: GraphQLLimitsConfig): ApolloServerPlugin<GraphQLContext> {
  const estimators = [costEstimator(limits.listSizeEstimate)];
  const tooComplex = (found: number | undefined) =>
    new QueryLimitError(
      'QUERY_TOO_COMPLEX',
      `The query could return too much: its estimated cost is ${found ?? `over ${MAX_COST_NODES} selections`}, at most ${limits.maxCost} is allowed (GRAPHQL_MAX_COST). ` +
        'Ask for smaller pages (first), fewer nested lists, or fewer fields.',
      { variable: 'GRAPHQL_MAX_COST', max: limits.maxCost, found },
    );
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operationName, request, contextValue }) {
          if (limits.introspection === 'signed-in' && !contextValue.user && validate(schema, document, [NoSchemaIntrospectionCustomRule]).length) {
            throw refusal(
              new AppError('INTROSPECTION_DISABLED', 'Schema introspection needs a token: send "Authorization: Bearer <token>". The schema is also in schema/schema.graphql.'),
            );
          }
          let cost: number;
          try {
            cost = operationCost({ schema, query: document, operationName: operationName ?? undefined, variables: request.variables ?? {}, estimators, maxQueryNodes: MAX_COST_NODES });
          } catch (error) {
            // Bad variables are reported by execution itself, which then runs nothing; only the node budget is ours.
            if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) throw refusal(tooComplex(undefined));
            return;
          }
          if (cost > limits.maxCost) throw refusal(tooComplex(cost));
        },
      };
    },
  };
}
