/**
 * A JWT without `kid` against a key set holding several keys of its type: jose reports every
 * matching key (`JWKSMultipleMatchingKeys`) and leaves the choice to us. Issuers rotating keys
 * produce exactly this, so each candidate is tried, a bounded number of them.
 * @see RFC 7515 §4.1.4 (`kid` is optional), RFC 7517 §4.5, jose `JWKSMultipleMatchingKeys`
 */
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { InvalidTokenError } from '../errors.js';

/** Candidates tried at most: a key set is a handful of keys, never a brute-force list. */
export const MAX_KEY_CANDIDATES = 8;

/**
 * `jwtVerify` against a key set; when the token names no `kid` and several keys of its type
 * match, each is tried in the key set's order: the first whose signature holds decides (its
 * claim errors are the answer), and none holding is a `signature` failure.
 *
 * @example
 * ```ts
 * const payload = await verifyWithKeySet(token, keys.getKey, { issuer, audience, algorithms });
 * ```
 * @throws jose's errors as `jwtVerify` does; {@link InvalidTokenError} `signature` when no
 *   candidate verified, `unknown_key` beyond {@link MAX_KEY_CANDIDATES} candidates
 */
export async function verifyWithKeySet(token: string, getKey: JWTVerifyGetKey, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, getKey, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    return verifyWithCandidates(token, error, options);
  }
}

async function verifyWithCandidates(token: string, candidates: errors.JWKSMultipleMatchingKeys, options: JWTVerifyOptions): Promise<JWTPayload> {
  let tried = 0;
  for await (const key of candidates) {
    if (++tried > MAX_KEY_CANDIDATES) throw new InvalidTokenError('unknown_key', { cause: candidates });
    try {
      return (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      // Only a signature that does not hold moves on; anything else is this key's verdict.
      if (!(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
    }
  }
  throw new InvalidTokenError('signature', { cause: candidates });
}
