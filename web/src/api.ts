/**
 * The console's one GraphQL client (urql) and the helpers every screen uses: queries that refetch and poll,
 * and errors turned into what the API said (message, stable code, fields).
 *
 * The token travels as `Authorization: Bearer`, like any script's: the console has no private endpoint and no
 * cookie, so the server's authorization policy decides everything it shows.
 */
import { useCallback, useEffect } from 'react';
import { Client, CombinedError, cacheExchange, fetchExchange, useQuery, type AnyVariables, type TypedDocumentNode, type UseQueryResponse } from 'urql';

export function createApiClient(token: string): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    // Screens show what the server has now; the document cache only keeps a screen from flashing empty.
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization: `Bearer ${token}` } }),
    preferGetMethod: false,
  });
}

/** One problem as the API reported it. */
export interface ApiProblem {
  readonly message: string;
  /** Apollo's class (FORBIDDEN, BAD_USER_INPUT, ...). */
  readonly code?: string;
  /** The project's stable code (src/errors/error-codes.ts). */
  readonly errorCode?: string;
  readonly quickBooksCode?: string;
  readonly fields: ReadonlyArray<{ field: string; message: string }>;
}

export function problemsOf(error: CombinedError | undefined): ApiProblem[] {
  if (!error) return [];
  if (error.graphQLErrors.length === 0) {
    return [{ message: error.networkError ? `The service could not be reached: ${error.networkError.message}` : error.message, fields: [] }];
  }
  return error.graphQLErrors.map((e) => {
    const ext = e.extensions as Record<string, unknown>;
    const fields = Array.isArray(ext.fields) ? (ext.fields as Array<{ field: string; message: string }>) : [];
    return {
      message: e.message,
      code: typeof ext.code === 'string' ? ext.code : undefined,
      errorCode: typeof ext.errorCode === 'string' ? ext.errorCode : undefined,
      quickBooksCode: ext.quickBooksCode === undefined ? undefined : String(ext.quickBooksCode),
      fields,
    };
  });
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return problemsOf(error).some((p) => p.code === 'UNAUTHENTICATED');
}

/**
 * useQuery plus `refresh()` (always from the server) and optional polling while the screen is open: live
 * status and the ledger poll; everything else refreshes after the mutations that change it.
 */
export function useApi<Data, Variables extends AnyVariables>(
  query: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  options: { pause?: boolean; pollMs?: number } = {},
): [UseQueryResponse<Data, Variables>[0], () => void] {
  const [result, execute] = useQuery<Data, Variables>({ query, variables, pause: options.pause });
  const refresh = useCallback(() => execute({ requestPolicy: 'network-only' }), [execute]);
  useEffect(() => {
    if (!options.pollMs || options.pause) return undefined;
    const timer = setInterval(refresh, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, options.pause, refresh]);
  return [result, refresh];
}
