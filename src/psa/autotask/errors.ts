/**
 * Errors from talking to Autotask. They are AppErrors (their message is shown to API clients) with the
 * reason and HTTP status kept for callers that react to them (e.g. the connection check names the field).
 *
 * The error-code table (src/errors/error-codes.ts) has no Autotask-specific codes; these use INTERNAL
 * (Autotask-side or configuration failures, shown with their message) and VALIDATION_FAILED (wrong credentials
 * while setting the connection).
 */
import { AppError, type FieldProblem } from '../../errors/app-error.js';
import type { ErrorCode } from '../../errors/error-codes.js';

export type AutotaskFailure =
  /** 401: user name, secret or tracking identifier refused. */
  | 'auth'
  /** 403: the API user's security level does not allow the call. */
  | 'forbidden'
  /** 404 where a record or route was expected. */
  | 'not-found'
  /** Autotask answered with `{errors}` (a definite refusal; not retried). */
  | 'rejected'
  /** 429, thread or request threshold, 5xx or network: still failing after the bounded retries. */
  | 'unavailable'
  /** The answer was not the JSON shape the docs describe. */
  | 'bad-response'
  /** The caller aborted (service shutting down). */
  | 'aborted';

export interface AutotaskApiErrorDetails {
  readonly failure: AutotaskFailure;
  readonly status?: number;
  /** `METHOD entity/path` of the request, e.g. `POST Invoices/query`. */
  readonly request?: string;
  /** Autotask's own messages (`{errors: [...]}`). */
  readonly autotaskErrors?: readonly string[];
  readonly fields?: ReadonlyArray<FieldProblem>;
  readonly cause?: unknown;
  readonly code?: ErrorCode;
}

export class AutotaskApiError extends AppError {
  readonly failure: AutotaskFailure;
  readonly status: number | undefined;
  readonly request: string | undefined;
  readonly autotaskErrors: readonly string[];

  constructor(message: string, details: AutotaskApiErrorDetails) {
    super(details.code ?? 'INTERNAL', message, { fields: details.fields, cause: details.cause });
    this.name = 'AutotaskApiError';
    this.failure = details.failure;
    this.status = details.status;
    this.request = details.request;
    this.autotaskErrors = details.autotaskErrors ?? [];
  }
}

/** Raised before any credential is stored or used when AUTOTASK_CREDENTIALS_KEY is not set. */
export function missingCredentialsKey(action: string): AppError {
  return new AppError(
    'INTERNAL',
    `Cannot ${action}: the Autotask secret is stored encrypted and no key is configured. Set the environment variable ` +
      'AUTOTASK_CREDENTIALS_KEY to 32 random bytes in base64 (for example the output of `openssl rand -base64 32`) and restart the service.',
  );
}

export function notConfigured(): AppError {
  return new AppError('NOT_FOUND', 'No Autotask connection is set up yet; an admin sets one with setAutotaskConnection.');
}
