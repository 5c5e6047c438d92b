/**
 * The inspect checklist's line about a token's `cnf` claim: plain bearer, DPoP-bound or
 * certificate-bound, and what the API will ask of a request that presents it.
 * @see RFC 7800 §3.1; RFC 9449 §6.1; RFC 8705 §3.1
 */
import type { JWTPayload } from 'jose';
import type { InspectionCheck } from './inspect-token.js';

/**
 * Explains `cnf`; `ok` is `undefined` for a bound token, since only a request (its proof or its
 * TLS connection) can prove the binding.
 * @example
 * ```ts
 * checks.push(explainBinding(claims));
 * ```
 */
export function explainBinding(claims: JWTPayload): InspectionCheck {
  const name = 'sender constraint';
  const cnf = claims.cnf as Record<string, unknown> | undefined;
  if (cnf === undefined) return { name, ok: true, detail: 'no cnf: a bearer token, presented as Authorization: Bearer' };
  if (typeof cnf !== 'object' || cnf === null) return { name, ok: false, detail: 'cnf is not an object: refused' };
  const parts: string[] = [];
  if (typeof cnf.jkt === 'string') parts.push(`DPoP-bound (cnf.jkt ${cnf.jkt}): needs Authorization: DPoP and, per request, a fresh DPoP proof signed by that key`);
  if (typeof cnf['x5t#S256'] === 'string') parts.push(`certificate-bound (cnf.x5t#S256 ${cnf['x5t#S256']}): needs that client certificate on the TLS connection`);
  if (parts.length === 0) return { name, ok: false, detail: `cnf without jkt or x5t#S256 (${Object.keys(cnf).join(', ')}): refused, gatepass cannot confirm it` };
  return { name, ok: undefined, detail: parts.join('; ') };
}
