/**
 * The one table of stable error codes. Each maps to the GraphQL `extensions.code` clients see
 * (Apollo's vocabulary) and to an HTTP status for the plain-HTTP routes. Adding a code forces a mapping.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: { graphql: 'UNAUTHENTICATED', http: 401 },
  FORBIDDEN: { graphql: 'FORBIDDEN', http: 403 },
  VALIDATION_FAILED: { graphql: 'BAD_USER_INPUT', http: 400 },
  NOT_FOUND: { graphql: 'NOT_FOUND', http: 404 },
  CONFLICT: { graphql: 'CONFLICT', http: 409 },
  DEFAULT_CONNECTOR_CHANGE_UNCONFIRMED: { graphql: 'BAD_USER_INPUT', http: 400 },
  DEFAULT_CONNECTOR_REQUIRED: { graphql: 'CONFLICT', http: 409 },
  CONNECTOR_HAS_TRANSFERS: { graphql: 'CONFLICT', http: 409 },
  TRANSFER_STATE_CONFLICT: { graphql: 'CONFLICT', http: 409 },
  /** Creating an organization (an Autotask company) without an Autotask connection set up. */
  AUTOTASK_CONNECTION_REQUIRED: { graphql: 'CONFLICT', http: 409 },
  /** A QuickBooks customer or an organization is already linked otherwise in that connector. */
  CUSTOMER_LINK_CONFLICT: { graphql: 'CONFLICT', http: 409 },
  // ---- Timesheets (issue 14) ----
  /** Approving a timesheet period while one of its day-rows is on its way to QuickBooks (SENT / NEEDS_RECONCILE). */
  TIMESHEET_IN_FLIGHT: { graphql: 'CONFLICT', http: 409 },
  PLUGIN_INVALID: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
  DATA_DIR_LOCKED: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
  DATABASE_UNAVAILABLE: { graphql: 'SERVICE_UNAVAILABLE', http: 503 },
  /** The database was migrated by a newer version (src/db/schema-version.ts): this one refuses to run on it. */
  SCHEMA_NEWER_THAN_CODE: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
  /** Backups (src/db/backup.ts): a file that is not a whole backup, one made by a newer version, a target that has data. */
  BACKUP_INVALID: { graphql: 'BAD_USER_INPUT', http: 400 },
  BACKUP_FROM_NEWER_VERSION: { graphql: 'BAD_USER_INPUT', http: 400 },
  RESTORE_TARGET_NOT_EMPTY: { graphql: 'CONFLICT', http: 409 },
  /** GraphQL query limits (src/graphql/query-limits.ts): refused before execution; each names its limit and value. */
  QUERY_TOO_DEEP: { graphql: 'BAD_USER_INPUT', http: 400 },
  TOO_MANY_ALIASES: { graphql: 'BAD_USER_INPUT', http: 400 },
  TOO_MANY_TOKENS: { graphql: 'BAD_USER_INPUT', http: 400 },
  QUERY_TOO_COMPLEX: { graphql: 'BAD_USER_INPUT', http: 400 },
  /** Schema introspection by a caller without a token while GRAPHQL_INTROSPECTION is signed-in. */
  INTROSPECTION_DISABLED: { graphql: 'FORBIDDEN', http: 403 },
  /** A request the HTTP layer could not read (src/app/http-errors.ts): bad JSON, bad percent-escape, no query... */
  MALFORMED_REQUEST: { graphql: 'BAD_REQUEST', http: 400 },
  REQUEST_TOO_LARGE: { graphql: 'BAD_REQUEST', http: 413 },
  UNSUPPORTED_MEDIA_TYPE: { graphql: 'BAD_REQUEST', http: 415 },
  ROUTE_NOT_FOUND: { graphql: 'NOT_FOUND', http: 404 },
  METHOD_NOT_ALLOWED: { graphql: 'BAD_REQUEST', http: 405 },
  INTERNAL: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
} as const satisfies Record<string, { graphql: string; http: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;
