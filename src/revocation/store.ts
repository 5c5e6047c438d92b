/**
 * Has this token been revoked? The one interface of every revocation store (memory, Redis).
 * @see RFC 7009 (token revocation at the authorization server), RFC 9068 §2.2 (`jti`)
 */

/**
 * What a revocation check reads of a verified token; a `Principal` is one. Declared here so that
 * the revocation stores depend on nothing on the token's path.
 */
export interface RevocationTarget {
  /** `sub`. */
  readonly subject: string;
  /** `jti`, when present. */
  readonly tokenId: string | undefined;
  /** `iat`, when present: a subject revocation refuses tokens issued before its `notBefore`. */
  readonly issuedAt: Date | undefined;
}

/** Where revocations are kept; in memory here, shared (Redis) for a fleet. */
export interface RevocationStore {
  /**
   * Revokes one token by its `jti`, remembered until `expiresAt`: the last moment the token could
   * still be accepted, which is its `exp` plus the clock tolerance.
   */
  revokeToken(jti: string, expiresAt: Date): Promise<void> | void;
  /**
   * Revokes every token of `sub` issued before `notBefore`, remembered until `until` (at least
   * `notBefore` + the longest accepted token lifetime + twice the clock tolerance, after which no
   * such token can pass).
   */
  revokeSubject(sub: string, notBefore: Date, until: Date): Promise<void> | void;
  /** True when the token described by `target` is revoked. */
  isRevoked(target: RevocationTarget): Promise<boolean> | boolean;
  /**
   * Calls `listener` each time a revocation takes effect here (made on this instance, or learnt
   * from the fleet); returns the function that stops it. The listener re-asks `isRevoked` for
   * what it holds (open WebSocket connections), so matching stays in the store. Optional: a store
   * without it leaves open connections to their expiry.
   */
  onRevocation?(listener: () => void): () => void;
}

