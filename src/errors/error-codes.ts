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
  PLUGIN_INVALID: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
  DATA_DIR_LOCKED: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
  DATABASE_UNAVAILABLE: { graphql: 'SERVICE_UNAVAILABLE', http: 503 },
  INTERNAL: { graphql: 'INTERNAL_SERVER_ERROR', http: 500 },
} as const satisfies Record<string, { graphql: string; http: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;
