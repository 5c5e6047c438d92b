import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';

/**
 * Apollo Client 4 against gatepass. A refused token is a request-level 401 whose body Apollo
 * Client turns into a `CombinedGraphQLErrors` like any other; the status and `WWW-Authenticate`
 * are only on the HTTP response, which HttpLink leaves in the operation's context.
 */
export function createApolloClient(url: string, getToken: () => string | undefined, onTokenRefused: (challenge: string) => void) {
  const refused = new ErrorLink(({ operation }) => {
    const { response } = operation.getContext() as { response?: Response };
    // 401: the token itself was refused (nothing ran): refresh it, or sign in again.
    // A field-level UNAUTHENTICATED (status 200, error with a `path`) is not this.
    if (response?.status === 401) onTokenRefused(response.headers.get('www-authenticate') ?? '');
  });
  const bearer = new SetContextLink(({ headers }) => {
    const token = getToken();
    return { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  // POST (HttpLink's default): Apollo Server refuses a GET query that lacks a preflight header.
  return new ApolloClient({ link: ApolloLink.from([refused, bearer, new HttpLink({ uri: url })]), cache: new InMemoryCache() });
}
