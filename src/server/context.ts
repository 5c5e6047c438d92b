import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { createAuthContext, type AuthContext } from '../directive/request/auth-context.js';
import { AuthError, InvalidTokenError, toHttpFailure, type ChallengeOptions } from '../errors.js';
import { fingerprint, silentLogger, type Logger } from '../logger.js';
import { extractBearerToken } from '../token/extract.js';
import type { TokenVerifier } from '../token/verify.js';
import type { AuthFailureCounter } from './metrics.js';

/** Options of {@link createAuthContextFunction}. */
export interface AuthContextOptions extends ChallengeOptions {
  readonly verifier: Pick<TokenVerifier, 'verify'>;
  /** @default a silent logger */
  readonly logger?: Logger;
  /** Counts refusals per reason, for metrics. */
  readonly failures?: AuthFailureCounter;
}

/** What an Apollo integration hands the context function: Node's request, maybe a parsed body. */
export interface ContextRequest {
  readonly req: Pick<IncomingMessage, 'rawHeaders' | 'url' | 'headers'> & { readonly body?: unknown };
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
  const logger = options.logger ?? silentLogger();
  return async ({ req }) => {
    let token: string | null = null;
    try {
      token = extractBearerToken({
        rawHeaders: req.rawHeaders,
        url: req.url ?? '/',
        contentType: req.headers['content-type'],
        body: req.body,
      });
      return createAuthContext(token === null ? null : await options.verifier.verify(token));
    } catch (error) {
      if (!(error instanceof AuthError)) {
        // Fail closed, and say nothing of it to the client: the message may name internals.
        logger.error({ err: error, ...(token ? { fingerprint: fingerprint(token) } : {}) }, 'authentication failed unexpectedly');
        throw new GraphQLError('internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } } });
      }
      const reason = error instanceof InvalidTokenError ? error.reason : error.code;
      options.failures?.increment(reason);
      // One line per refused request: reason code and a SHA-256 fingerprint, never the token.
      logger.info({ code: error.code, reason, ...(token ? { fingerprint: fingerprint(token) } : {}) }, 'request refused');
      throw toGraphQLError(error, options);
    }
  };
}

/** A request-level AuthError as the GraphQLError Apollo turns into the HTTP response. */
export function toGraphQLError(error: AuthError, options: ChallengeOptions): GraphQLError {
  const failure = toHttpFailure(error, options);
  const headers = new HeaderMap(Object.entries(failure.headers));
  return new GraphQLError(failure.message, {
    extensions: { code: failure.graphqlCode, http: { status: failure.status, headers } },
  });
}
