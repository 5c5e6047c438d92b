import { Client, fetchExchange, mapExchange } from '@urql/core';

/**
 * urql 6 against gatepass. `preferGetMethod: false`: urql sends queries as GET by default, which
 * Apollo Server's CSRF prevention refuses without an `apollo-require-preflight` header.
 */
export function createUrqlClient(url: string, getToken: () => string | undefined, onTokenRefused: (challenge: string) => void) {
  return new Client({
    url,
    preferGetMethod: false,
    fetchOptions: () => {
      const token = getToken();
      return token ? { headers: { authorization: `Bearer ${token}` } } : {};
    },
    exchanges: [
      mapExchange({
        onError(error) {
          // 401: the token was refused before anything ran. A field-level UNAUTHENTICATED comes
          // with status 200 and a `path` in `error.graphQLErrors`.
          if (error.response?.status === 401) onTokenRefused(error.response.headers.get('www-authenticate') ?? '');
        },
      }),
      fetchExchange,
    ],
  });
}
