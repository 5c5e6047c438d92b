/**
 * The one door every transport goes through: a request's credentials in, a verified principal,
 * an anonymous caller or a refusal out. HTTP (Apollo, Yoga) and WebSocket adapters gather what
 * their request has, call {@link authenticate}, and map a failure through `toHttpFailure`; none
 * of them extracts, verifies, checks revocation or logs a refusal itself.
 *
 * @see RFC 6750 §2 (credentials), §3 (errors); DESIGN.md "The way a request travels"
 */
import { AuthError, InvalidDpopProofError, InvalidTokenError, UnexpectedAuthError, UnsupportedSchemeError } from '../errors.js';
import { fingerprint, type Logger } from '../logger.js';
import type { DpopCheck } from './dpop-check.js';
import { extractAccessToken, type Credentials, type PresentedToken } from './extract.js';
import type { Principal } from './principal.js';
import type { TokenVerifier } from './verify.js';

/** The outcome of {@link authenticate}. */
export type Authentication =
  /** A token was presented and verified (signature, claims, revocation). */
  | { readonly kind: 'principal'; readonly principal: Principal }
  /** No credentials at all: guarded fields answer `UNAUTHENTICATED`. */
  | { readonly kind: 'anonymous' }
  /** Credentials were presented and refused, or could not be checked: nothing may execute. */
  | AuthFailure;

/** A refused request: map `error` with `toHttpFailure` (HTTP) or to a close code (WebSocket). */
export interface AuthFailure {
  readonly kind: 'failure';
  readonly error: AuthError;
}

/** Counts refusals per reason (the server's `/metrics`). */
export interface RefusalCounter {
  increment(reason: string): void;
}

/** What {@link authenticate} needs besides the credentials. */
export interface AuthenticateOptions {
  /** The verifier of the configured issuers (`createTokenVerifier`). */
  readonly verifier: Pick<TokenVerifier, 'verify'>;
  /** Receives one line per refused request (reason code and token fingerprint, never the token). */
  readonly logger?: Logger | undefined;
  readonly failures?: RefusalCounter | undefined;
  /** DPoP (RFC 9449), when some issuer accepts it (`createDpopCheck`). @default undefined: Bearer only */
  readonly dpop?: DpopCheck | undefined;
}

/**
 * Authenticates one request: extraction (RFC 6750 §2: the `Authorization` header only), then
 * verification, revocation and the principal through the verifier. Never throws: an unexpected
 * error is logged and refused as {@link UnexpectedAuthError} (fail closed, HTTP 500).
 *
 * @example
 * ```ts
 * const result = await authenticate({ authorization: req.headers.authorization }, { verifier });
 * if (result.kind === 'failure') return toHttpFailure(result.error);
 * const context = createAuthContext(result.kind === 'principal' ? result.principal : null);
 * ```
 * @see RFC 6750 §2, §3.1; RFC 9068 §4
 */
export async function authenticate(credentials: Credentials, options: AuthenticateOptions): Promise<Authentication> {
  let presented: PresentedToken | null = null;
  try {
    presented = extractAccessToken(credentials, { dpop: options.dpop !== undefined });
    if (presented === null) {
      // RFC 9449 §7.1: a proof proves possession for a token; with none, it is not a credential.
      if (options.dpop && hasValue(credentials.dpop)) throw new InvalidDpopProofError('no_token');
      return ANONYMOUS;
    }
    return { kind: 'principal', principal: await verifyPresented(presented, credentials, options) };
  } catch (error) {
    const scheme = presented?.scheme;
    // The challenge carries the error on the scheme the client used (RFC 9449 §7.1).
    const onScheme = scheme === 'DPoP' && error instanceof InvalidTokenError && error.scheme !== 'DPoP' ? new InvalidTokenError(error.reason, { cause: error.cause, scheme }) : error;
    return { kind: 'failure', error: refusal(onScheme, presented?.token ?? null, options) };
  }
}

/**
 * Steps of a presented token: the DPoP proof first (it names the key), then the token with what
 * the request proves of its binding, then the issuer's DPoP mode.
 */
async function verifyPresented(presented: PresentedToken, credentials: Credentials, options: AuthenticateOptions): Promise<Principal> {
  const { scheme, token } = presented;
  const proofKey = scheme === 'DPoP' ? await options.dpop!.proofKey(credentials, token) : undefined;
  const principal = await options.verifier.verify(token, { scheme, proofKey, certificateThumbprint: credentials.certificateThumbprint });
  const mode = options.dpop?.modeFor(principal.issuer) ?? 'off';
  if (scheme === 'DPoP' && mode === 'off') throw new UnsupportedSchemeError();
  // RFC 9449 §7.2: a resource that requires DPoP refuses a bearer token, bound or not.
  if (scheme === 'Bearer' && mode === 'required') throw new InvalidTokenError('dpop_required', { scheme: 'DPoP' });
  return principal;
}

function hasValue(value: string | readonly string[] | undefined): boolean {
  return typeof value === 'string' ? value.length > 0 : (value?.length ?? 0) > 0;
}

const ANONYMOUS: Authentication = Object.freeze({ kind: 'anonymous' });

/** Logs and counts a refusal once, here, whatever the transport. */
function refusal(error: unknown, token: string | null, options: AuthenticateOptions): AuthError {
  const tokenFields = token === null ? {} : { fingerprint: fingerprint(token) };
  if (!(error instanceof AuthError)) {
    // Fail closed, and tell the client nothing: the message may name internals.
    options.logger?.error({ err: error, ...tokenFields }, 'authentication failed unexpectedly');
    return new UnexpectedAuthError({ cause: error });
  }
  const reason = error instanceof InvalidTokenError || error instanceof InvalidDpopProofError ? error.reason : error.code;
  options.failures?.increment(reason);
  // One line per refused request: reason code and a SHA-256 fingerprint, never the token.
  options.logger?.info({ code: error.code, reason, ...tokenFields }, 'request refused');
  return error;
}
