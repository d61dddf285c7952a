/**
 * A minimal GraphQL client for the CLI's own programs (`demo`, and the bench in bench/): returns `data`, turns
 * GraphQL errors into one readable CommandFailed naming the program (`label`).
 */
import { CommandFailed } from './command-failed.js';

export type GraphqlClient = <T = unknown>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(url: string, token: string, label: string): GraphqlClient {
  return async <T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
    if (body.errors?.length || !body.data) throw new CommandFailed(`${label}: GraphQL said: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`}`);
    return body.data;
  };
}
