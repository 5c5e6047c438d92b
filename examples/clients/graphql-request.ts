import type { GraphQLFormattedError } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';

/**
 * graphql-request 7 against gatepass. `errorPolicy: 'all'` returns data with field-level errors
 * (a denied field is `null` + an error with a `path`); a refused token still throws, as a
 * `ClientError` whose response carries the 401 and its `WWW-Authenticate` challenge.
 */
export async function queryWithGraphqlRequest(
  url: string,
  token: string | undefined,
  query: string,
  onTokenRefused: (challenge: string) => void,
): Promise<{ data?: Record<string, unknown>; errors?: readonly GraphQLFormattedError[] }> {
  const client = new GraphQLClient(url, { errorPolicy: 'all', headers: token ? { authorization: `Bearer ${token}` } : {} });
  try {
    const { data, errors } = await client.rawRequest<Record<string, unknown>>(query);
    return { data, errors };
  } catch (error) {
    if (error instanceof ClientError && error.response.status === 401) onTokenRefused(String(error.response.headers?.get('www-authenticate') ?? ''));
    throw error;
  }
}
