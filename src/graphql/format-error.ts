/**
 * Turns every error into what clients see: AppErrors keep their message and get `extensions.code`
 * from the one table (errors/error-codes.ts) plus the stable `errorCode`; input validation failures
 * become BAD_USER_INPUT naming each field; a refused query (query-limits.ts) also names its `limit`;
 * anything else is logged and masked.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { ValidationError } from 'class-validator';
import type { Logger } from '../app/logger.js';
import { AppError, type FieldProblem } from '../errors/app-error.js';
import { QueryLimitError, tokenLimitError } from './query-limits.js';

export function createFormatError(logger: Logger, exposeStacks: boolean) {
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const error = toAppError(unwrapResolverError(raw)) ?? tokenLimitError(raw);
    if (error) {
      return {
        message: error.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        extensions: {
          code: error.graphqlCode,
          errorCode: error.code,
          ...(error.fields.length ? { fields: error.fields } : {}),
          ...(error.quickBooksCode ? { quickBooksCode: error.quickBooksCode } : {}),
          ...(error instanceof QueryLimitError ? { limit: error.limit } : {}),
        },
      };
    }
    // Errors GraphQL itself raised (syntax, unknown field, variable coercion) already carry a code.
    const code = formatted.extensions?.code;
    // Apollo's own refusals of the HTTP request (no query, batching, CSRF, GET for a mutation).
    if (code === 'BAD_REQUEST') return { ...formatted, extensions: { ...formatted.extensions, errorCode: 'MALFORMED_REQUEST' } };
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    const original = unwrapResolverError(raw);
    logger.error({ err: original, path: formatted.path }, 'unexpected error in GraphQL request');
    return {
      message: 'Internal error; it has been logged. Try again, and tell your administrator if it persists.',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        errorCode: 'INTERNAL',
        ...(exposeStacks && original instanceof Error ? { stack: original.stack } : {}),
      },
    };
  };
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  // Refusals raised by validation rules and plugins travel inside a GraphQLError (Apollo may wrap it again).
  if (error instanceof GraphQLError && error.originalError && error.originalError !== error) return toAppError(error.originalError);
  if (error instanceof ArgumentValidationError) return AppError.invalidInput(flatten(error.extensions.validationErrors));
  if (error instanceof UniqueConstraintViolationException) {
    // Services check uniqueness first; this catches the race between two concurrent requests.
    return new AppError('CONFLICT', 'Another change created the same record at the same time; reload and try again.');
  }
  return undefined;
}

/** class-validator nests errors per property; GraphQL clients want `input.name: must not be empty`. */
function flatten(errors: ReadonlyArray<ValidationError>, prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message: stripPropertyName(message, e.property) }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** class-validator's default messages start with the property name, which `field` already says. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
