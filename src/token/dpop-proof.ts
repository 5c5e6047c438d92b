/**
 * Is this DPoP proof a valid proof for this request and this access token? The checks of
 * RFC 9449 §4.3, each a small named step; jose does the cryptography (the signature with the
 * embedded key, the RFC 7638 thumbprint). Replay and nonces are the caller's (dpop-check.ts).
 * @see RFC 9449 §4.2 (the proof), §4.3 (checking it), §7.1 (with an access token)
 */
import { hash } from 'node:crypto';
import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, errors, jwtVerify, type JWK, type ProtectedHeaderParameters } from 'jose';
import { ASYMMETRIC_ALGORITHMS } from '../config/config.js';
import { InvalidDpopProofError } from '../errors.js';

/** What a proof is checked against. */
export interface DpopProofRequest {
  /** The `DPoP` header value. */
  readonly proof: string;
  /** The request's HTTP method (`htm`). */
  readonly method: string;
  /** The request's URL as the client addressed it; query and fragment are ignored (`htu`). */
  readonly url: URL;
  /** The access token presented with the proof (`ath`). */
  readonly accessToken: string;
}

/** Options of {@link verifyDpopProof}. */
export interface DpopProofOptions {
  /** Accepted proof algorithms; only asymmetric ones are ever used. */
  readonly algorithms: readonly string[];
  /** Oldest accepted `iat`, seconds. @default 300 */
  readonly maxAgeSeconds: number;
  /** Skew allowed for `iat` in the future, seconds. @default 30 */
  readonly clockToleranceSeconds: number;
  /** Clock, ms since the epoch. @default Date.now */
  readonly now?: () => number;
}

/** A proof that passed every check of RFC 9449 §4.3 but replay and nonce. */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof key: compared with the token's `cnf.jkt`. */
  readonly jkt: string;
  readonly jti: string;
  readonly iat: number;
  /** The proof's `nonce` claim, when it has one (RFC 9449 §4.2). */
  readonly nonce: string | undefined;
}

/** Private members of RSA, EC and OKP keys, and a symmetric key's `k` (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
/** Longest `jti` stored; a proof is attacker input. */
const MAX_JTI_LENGTH = 256;

/**
 * Verifies one DPoP proof (RFC 9449 §4.3 checks 2–12 but the nonce; check 1, "exactly one",
 * is the caller's since it needs the header list).
 *
 * @example
 * ```ts
 * const { jkt, jti } = await verifyDpopProof({ proof, method: 'POST', url, accessToken }, options);
 * ```
 * @throws {InvalidDpopProofError} with the reason of the first failed check
 * @see RFC 9449 §4.3
 */
export async function verifyDpopProof(request: DpopProofRequest, options: DpopProofOptions): Promise<VerifiedDpopProof> {
  const header = readHeader(request.proof);
  // §4.3 check 4: `typ` is `dpop+jwt` (RFC 7515 §4.1.9: case-insensitive, `application/` optional).
  if (typeof header.typ !== 'string' || header.typ.toLowerCase().replace(/^application\//, '') !== 'dpop+jwt') throw new InvalidDpopProofError('type');
  // §4.3 check 5: an asymmetric algorithm we accept; never MAC, never `none`.
  const algorithms = options.algorithms.filter((alg) => (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (typeof header.alg !== 'string' || !algorithms.includes(header.alg)) throw new InvalidDpopProofError('algorithm');
  // §4.3 check 7: the `jwk` is a public key; a private one means the client leaked its key.
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) {
    throw new InvalidDpopProofError('key');
  }
  const now = options.now ?? Date.now;
  let payload: Record<string, unknown>;
  try {
    // §4.3 checks 2, 3, 6, 11: well-formed, required claims, signature with the embedded key, iat window.
    ({ payload } = await jwtVerify(request.proof, EmbeddedJWK, {
      algorithms,
      typ: 'dpop+jwt',
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
      maxTokenAge: options.maxAgeSeconds,
      clockTolerance: options.clockToleranceSeconds,
      currentDate: new Date(now()),
    }));
  } catch (error) {
    throw proofError(error);
  }
  const { jti, htm, htu, ath, nonce } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH || typeof htm !== 'string' || typeof htu !== 'string') {
    throw new InvalidDpopProofError('claims');
  }
  if (nonce !== undefined && typeof nonce !== 'string') throw new InvalidDpopProofError('claims');
  // §4.3 check 8: the method of this request (RFC 9110 §9.1: method names are case-sensitive).
  if (htm !== request.method) throw new InvalidDpopProofError('method');
  // §4.3 check 9: scheme, host and path of this request, query and fragment ignored.
  if (!sameRequestTarget(htu, request.url)) throw new InvalidDpopProofError('url');
  // §4.3 check 12 (first half): `ath` is base64url(SHA-256(ASCII(access token))).
  if (ath !== accessTokenHash(request.accessToken)) throw new InvalidDpopProofError('token_hash');
  return { jkt: await calculateJwkThumbprint(jwk as JWK, 'sha256'), jti, iat: payload.iat as number, nonce };
}

/** `ath` of an access token (RFC 9449 §4.2). */
export function accessTokenHash(accessToken: string): string {
  return hash('sha256', accessToken, 'base64url');
}

function readHeader(proof: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(proof);
  } catch (cause) {
    throw new InvalidDpopProofError('malformed', { cause });
  }
}

/**
 * RFC 9449 §4.3 check 9 with RFC 3986 §6.2.2/§6.2.3 normalisation (the WHATWG URL parser lowers
 * scheme and host, drops default ports, resolves dot segments): scheme, host, port and path.
 */
export function sameRequestTarget(htu: unknown, url: URL): boolean {
  let claimed: URL;
  try {
    claimed = new URL(String(htu));
  } catch {
    return false;
  }
  return claimed.protocol === url.protocol && claimed.host === url.host && claimed.pathname === url.pathname;
}

/** A jose failure as a proof refusal reason (fail closed: anything unknown is `malformed`). */
function proofError(error: unknown): InvalidDpopProofError {
  const cause = { cause: error };
  if (error instanceof errors.JWTExpired) return new InvalidDpopProofError('stale', cause);
  if (error instanceof errors.JWTClaimValidationFailed) {
    return new InvalidDpopProofError(error.claim === 'iat' && error.reason === 'check_failed' ? 'stale' : 'claims', cause);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new InvalidDpopProofError('signature', cause);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof TypeError) return new InvalidDpopProofError('algorithm', cause);
  // EmbeddedJWK refuses a `jwk` that does not import as a public key.
  if (error instanceof errors.JWSInvalid && /jwk/i.test(error.message)) return new InvalidDpopProofError('key', cause);
  return new InvalidDpopProofError('malformed', cause);
}
