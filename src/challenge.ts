/**
 * `WWW-Authenticate` values: the `Bearer` challenge of RFC 6750 and, where DPoP is accepted, the
 * `DPoP` challenge of RFC 9449 beside it. Only `toHttpFailure` (http-failure.ts) calls these; adapters
 * never format a challenge.
 * @see RFC 6750 §3; RFC 9449 §7.1; RFC 9110 §11.6.1 (several challenges in one field)
 */

/** The scheme a client used, whose challenge carries the error attributes. */
export type ChallengeScheme = 'Bearer' | 'DPoP';

/** Why a DPoP proof was refused; fixed phrases (RFC 6750 §3 characters only). */
export const DPOP_PROOF_REASONS = {
  missing: 'dpop proof is missing',
  multiple: 'more than one dpop proof',
  malformed: 'dpop proof is malformed',
  type: 'dpop proof type is not accepted',
  algorithm: 'dpop proof algorithm is not allowed',
  key: 'dpop proof key is not an acceptable public key',
  signature: 'dpop proof signature is invalid',
  claims: 'dpop proof claims are missing or invalid',
  method: 'dpop proof method does not match the request',
  url: 'dpop proof url does not match the request',
  stale: 'dpop proof is too old or issued in the future',
  token_hash: 'dpop proof does not match the access token',
  replayed: 'dpop proof was already used',
  no_token: 'dpop proof without an access token',
} as const;

/** A reason code of `InvalidDpopProofError`. */
export type DpopProofReason = keyof typeof DPOP_PROOF_REASONS;

/** Where DPoP is accepted, what the challenges offer. */
export interface DpopChallengeOptions {
  /** `algs` of the DPoP challenge (RFC 9449 §7.1), space-separated on the wire. */
  readonly algorithms: readonly string[];
  /** Whether `Bearer` is still accepted (false when every issuer requires DPoP). */
  readonly bearer: boolean;
}

/**
 * Builds a `WWW-Authenticate: Bearer …` value. Values must already be RFC 6750 §3 characters
 * (%x20-21 / %x23-5B / %x5D-7E): they come from fixed phrases, never from a request.
 */
export function bearerChallenge(params: Readonly<Record<string, string>>): string {
  return schemeChallenge('Bearer', params);
}

/**
 * The whole `WWW-Authenticate` value: without DPoP, the Bearer challenge; with DPoP, one
 * challenge per accepted scheme, the error attributes on the scheme the client used (or on
 * DPoP when Bearer is not accepted), `algs` on DPoP, `extra` (e.g. `resource_metadata`) on each.
 */
export function wwwAuthenticate(
  scheme: ChallengeScheme,
  params: Readonly<Record<string, string>>,
  extra: Readonly<Record<string, string>>,
  dpop: DpopChallengeOptions | undefined,
): string {
  if (!dpop) return bearerChallenge({ ...params, ...extra });
  const errorOn: ChallengeScheme = scheme === 'DPoP' || !dpop.bearer ? 'DPoP' : 'Bearer';
  const challenges: string[] = [];
  if (dpop.bearer) challenges.push(schemeChallenge('Bearer', { ...(errorOn === 'Bearer' ? params : {}), ...extra }));
  challenges.push(schemeChallenge('DPoP', { ...(errorOn === 'DPoP' ? params : {}), algs: dpop.algorithms.join(' '), ...extra }));
  return challenges.join(', ');
}

function schemeChallenge(scheme: ChallengeScheme, params: Readonly<Record<string, string>>): string {
  const parts = Object.entries(params).map(([name, value]) => `${name}="${value}"`);
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}
