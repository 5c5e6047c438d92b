import { decodeJwt, decodeProtectedHeader, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { InvalidTokenError } from '../errors.js';

/** A token after the shape step: which path it takes. */
export type TokenShape = { readonly kind: 'jws'; readonly header: JWTHeaderParameters } | { readonly kind: 'opaque' };

/**
 * Step: which kind of token is this? Only a compact JWS has three parts and a JSON header; a
 * five-part JWE is never taken for one (RFC 7516 §7.1) and is refused, as nothing here decrypts.
 */
export function classifyToken(token: string, maxLength: number): TokenShape {
  if (token.length === 0 || token.length > maxLength) throw new InvalidTokenError('malformed');
  const parts = token.split('.', 6).length;
  if (parts === 5) throw new InvalidTokenError('malformed');
  if (parts !== 3) return { kind: 'opaque' };
  try {
    const header = decodeProtectedHeader(token) as JWTHeaderParameters;
    if (typeof header === 'object' && header !== null && !Array.isArray(header)) return { kind: 'jws', header };
  } catch {
    // not a JOSE header: an opaque token that happens to hold two dots
  }
  return { kind: 'opaque' };
}

/** The unverified payload, read only to choose the issuer. */
export function decodeUnverifiedPayload(token: string): JWTPayload {
  try {
    return decodeJwt(token);
  } catch (cause) {
    throw new InvalidTokenError('malformed', { cause });
  }
}
