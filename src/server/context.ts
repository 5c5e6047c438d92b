/**
 * The Apollo adapter over {@link authenticate}: Node's request in, an {@link AuthContext} out, or
 * the request ended with its RFC 6750 answer. It gathers credentials and maps a failure; the
 * door decides.
 *
 * @see RFC 6750 §2 (credentials), §3 (the challenge); DESIGN.md's error table
 */
import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createAuthContext, type AuthContext } from '../directive/request/auth-context.js';
import { type AuthError } from '../errors.js';
import { toHttpFailure, type ChallengeOptions } from '../http-failure.js';
import { authenticate, type AuthenticateOptions } from '../token/authenticate.js';
import { credentialsOf } from './node-credentials.js';
import type { ClientCertificateOptions } from '../config/client-certificate-config.js';

/** Options of {@link createAuthContextFunction}. */
export interface AuthContextOptions extends AuthenticateOptions, Omit<ChallengeOptions, 'dpop'> {
  /** Where client certificates come from, for certificate-bound tokens (RFC 8705). @default none */
  readonly clientCertificates?: ClientCertificateOptions | undefined;
}

/** What an Apollo integration hands the context function: Node's request, maybe a parsed body. */
export interface ContextRequest {
  readonly req: Pick<IncomingMessage, 'rawHeaders' | 'url' | 'headers'> & { readonly body?: unknown; readonly method?: string | undefined; readonly socket?: IncomingMessage['socket'] };
}

/**
 * Builds the Apollo context function: credentials from the request, verified once, into an
 * {@link AuthContext}. No credentials → an anonymous context; a present-but-invalid token ends
 * the request here (401 + `WWW-Authenticate`, nothing executes); a malformed request is a 400; a
 * token service that cannot be reached is a 503 with `Retry-After`.
 *
 * @example
 * ```ts
 * const context = createAuthContextFunction({ verifier: createTokenVerifier(policy) });
 * await startStandaloneServer(server, { context });
 * ```
 * @see RFC 6750 §2 (credentials), §3 (the challenge); DESIGN.md's error table
 */
export function createAuthContextFunction(options: AuthContextOptions): (input: ContextRequest) => Promise<AuthContext> {
  return async ({ req }) => {
    const result = await authenticate(credentialsOf(req, options.clientCertificates), options);
    if (result.kind === 'failure') throw toGraphQLError(result.error, options);
    return createAuthContext(result.kind === 'principal' ? result.principal : null);
  };
}

/**
 * A request-level {@link AuthError} as the `GraphQLError` Apollo Server turns into the HTTP
 * response (`extensions.http`: status and `WWW-Authenticate`), for any Apollo integration.
 * @see RFC 6750 §3
 */
export function toGraphQLError(error: AuthError, options: ChallengeOptions = {}): GraphQLError {
  const failure = toHttpFailure(error, options);
  const headers = new HeaderMap(Object.entries(failure.headers));
  // Apollo reads `http.headers` as a HeaderMap; graphql-yoga's augmentation of
  // GraphQLErrorExtensions (in the program with the Yoga plugin) types it as a record.
  const extensions: Record<string, unknown> = { code: failure.graphqlCode, http: { status: failure.status, headers } };
  return new GraphQLError(failure.message, { extensions });
}
