/**
 * Domain errors. Every error the service raises on purpose is an `AppError` with a stable `code`
 * (listed in error-codes.ts), a message a person can act on, optional field-level problems, and the
 * QuickBooks status code or HRESULT when QuickBooks is the source.
 */
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** One problem with one input field, e.g. `{ field: 'input.runEveryMinutes', message: 'must be at least 1' }`. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface AppErrorOptions {
  readonly fields?: ReadonlyArray<FieldProblem>;
  /** QuickBooks' own statusCode (e.g. 3100) or HRESULT (e.g. 0x80040400), when QuickBooks reported it. */
  readonly quickBooksCode?: string;
  readonly cause?: unknown;
}

export class AppError extends Error {
  readonly fields: ReadonlyArray<FieldProblem>;
  readonly quickBooksCode: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.fields = options.fields ?? [];
    this.quickBooksCode = options.quickBooksCode;
  }

  /** The GraphQL `extensions.code` this error maps to (one table: error-codes.ts). */
  get graphqlCode(): string {
    return ERROR_CODES[this.code].graphql;
  }

  static notFound(what: string, id: string): AppError {
    return new AppError('NOT_FOUND', `${what} ${JSON.stringify(id)} does not exist.`);
  }

  static invalidInput(fields: ReadonlyArray<FieldProblem>): AppError {
    const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    return new AppError('VALIDATION_FAILED', `Invalid input. ${summary}`, { fields });
  }

  static unauthenticated(): AppError {
    return new AppError(
      'UNAUTHENTICATED',
      'Sign in first: send "Authorization: Bearer <token>" (create a token with `npx qbd-bridge user create`).',
    );
  }

  static forbidden(needed: string, actual: string): AppError {
    return new AppError('FORBIDDEN', `This needs the ${needed} role; your token belongs to a ${actual}.`);
  }
}

/** True for errors raised on purpose (safe to show); everything else is masked. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
