/**
 * Is this token presented by its holder? A token with a `cnf` claim is bound to a key: a DPoP
 * key (`jkt`, proven by the request's DPoP proof) or a client certificate (`x5t#S256`, proven by
 * the TLS connection). Checked on every request, cache hit or not, after revocation.
 * @see RFC 7800 §3.1 (`cnf`); RFC 9449 §6.1, §7.1; RFC 8705 §3, §3.1
 */
import { InvalidTokenError } from '../errors.js';
import type { Principal } from './principal.js';

/** How a token was presented on this request. */
export interface Presentation {
  /** The `Authorization` scheme. */
  readonly scheme: 'Bearer' | 'DPoP';
  /** RFC 7638 thumbprint of the verified DPoP proof's key (scheme `DPoP` only). */
  readonly proofKey?: string | undefined;
  /** `x5t#S256` of the client certificate authenticated on this connection. */
  readonly certificateThumbprint?: string | undefined;
}

/** A plain bearer request with no client certificate: what a caller that says nothing means. */
export const BEARER_PRESENTATION: Presentation = Object.freeze({ scheme: 'Bearer' });

/**
 * Refuses a token whose binding this request does not prove, and a plain token presented as
 * DPoP. A `cnf` with a confirmation method gatepass does not know is refused (fail closed).
 *
 * @example
 * ```ts
 * confirmBinding(principal, { scheme: 'DPoP', proofKey: jkt }); // throws InvalidTokenError
 * ```
 * @throws {InvalidTokenError} `sender_constrained`, `not_bound`, `key_binding`, `certificate_binding`
 * @see RFC 9449 §7.1, RFC 8705 §3
 */
export function confirmBinding(principal: Principal, presentation: Presentation = BEARER_PRESENTATION): void {
  const cnf = Object.hasOwn(principal.claims, 'cnf') ? principal.claims.cnf : undefined;
  const scheme = presentation.scheme;
  if (cnf === undefined) {
    // RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens; a plain one proves nothing here.
    if (scheme === 'DPoP') throw new InvalidTokenError('not_bound', { scheme });
    return;
  }
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) throw new InvalidTokenError('sender_constrained', { scheme });
  const jkt = Object.hasOwn(cnf, 'jkt') ? (cnf as Record<string, unknown>).jkt : undefined;
  const x5t = Object.hasOwn(cnf, 'x5t#S256') ? (cnf as Record<string, unknown>)['x5t#S256'] : undefined;
  // Neither method we verify: we cannot confirm it, so we do not accept it.
  if (jkt === undefined && x5t === undefined) throw new InvalidTokenError('sender_constrained', { scheme });
  if (jkt !== undefined) {
    // RFC 9449 §7.1: a DPoP-bound token presented as Bearer is refused.
    if (scheme !== 'DPoP') throw new InvalidTokenError('sender_constrained', { scheme });
    // §4.3 check 12: the proof key is the key the token is bound to.
    if (typeof jkt !== 'string' || jkt !== presentation.proofKey) throw new InvalidTokenError('key_binding', { scheme });
  } else if (scheme === 'DPoP') {
    throw new InvalidTokenError('not_bound', { scheme });
  }
  if (x5t !== undefined) {
    // RFC 8705 §3: without a client certificate on this connection, the token is a stolen bearer.
    if (presentation.certificateThumbprint === undefined) throw new InvalidTokenError('sender_constrained', { scheme });
    if (typeof x5t !== 'string' || x5t !== presentation.certificateThumbprint) throw new InvalidTokenError('certificate_binding', { scheme });
  }
}
