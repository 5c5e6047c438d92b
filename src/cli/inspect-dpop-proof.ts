/**
 * `npm run token -- inspect <token> --dpop-proof <proof>`: the checks of RFC 9449 §4.3, one line
 * each, so a client developer sees which one a proof fails; then the proof key's thumbprint,
 * which the verdict uses as the request's DPoP presentation. Replay and nonces depend on a
 * server's state and are not checked here.
 * @see RFC 9449 §4.3
 */
import { calculateJwkThumbprint, compactVerify, decodeJwt, decodeProtectedHeader, EmbeddedJWK, type JWK } from 'jose';
import type { DpopOptions } from '../config/dpop-config.js';
import { accessTokenHash, sameRequestTarget, verifyDpopProof } from '../token/dpop-proof.js';
import type { InspectionCheck } from './inspect-token.js';

/** What the proof is checked against; `method` and `url` only when given. */
export interface DpopProofInspectionOptions {
  readonly token: string;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly dpop: { readonly algorithms: readonly string[]; readonly proofMaxAgeSeconds: DpopOptions['proofMaxAgeSeconds'] };
  readonly clockToleranceSeconds: number;
  readonly nowMs?: number;
}

/** The checklist, and the proof key's thumbprint when the whole proof verifies. */
export interface DpopProofInspection {
  readonly checks: readonly InspectionCheck[];
  readonly proofKey: string | undefined;
}

/**
 * Checks a DPoP proof line by line (•: not checked here), then once more as the server does.
 * @example
 * ```ts
 * const { checks, proofKey } = await inspectDpopProof(proof, { token, method: 'POST', url, dpop, clockToleranceSeconds: 30 });
 * ```
 */
export async function inspectDpopProof(proof: string, options: DpopProofInspectionOptions): Promise<DpopProofInspection> {
  const checks: InspectionCheck[] = [];
  const line = (name: string, ok: boolean | undefined, detail: string) => checks.push({ name: `dpop ${name}`, ok, detail });
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(proof) as Record<string, unknown>;
    claims = decodeJwt(proof) as Record<string, unknown>;
  } catch {
    line('format', false, 'not a compact JWS with a JSON payload');
    return { checks, proofKey: undefined };
  }
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const jwk = header.jwk as Record<string, unknown> | undefined;
  line('format', true, 'compact JWS (three parts)');
  line('type', String(header.typ).toLowerCase() === 'dpop+jwt', `typ ${JSON.stringify(header.typ ?? null)} (must be dpop+jwt)`);
  line('algorithm', options.dpop.algorithms.includes(String(header.alg)), `${String(header.alg)} (accepted: ${options.dpop.algorithms.join(', ')})`);
  const privateMembers = jwk && typeof jwk === 'object' ? ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].filter((m) => Object.hasOwn(jwk, m)) : [];
  line('key', jwk !== undefined && typeof jwk === 'object' && privateMembers.length === 0, jwk ? (privateMembers.length ? `jwk has private members ${privateMembers.join(', ')}` : `public ${String(jwk.kty)} key in the header`) : 'no jwk in the header');
  const failure = await compactVerify(proof, EmbeddedJWK, { algorithms: [...options.dpop.algorithms] }).then(() => undefined, (e: unknown) => (e instanceof Error ? e.message : String(e)));
  line('signature', failure === undefined, failure ?? 'verified with the header jwk');
  const missing = ['jti', 'htm', 'htu', 'iat'].filter((claim) => claims[claim] === undefined);
  line('claims', missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : 'jti, htm, htu, iat present');
  line('method', options.method === undefined ? undefined : claims.htm === options.method, options.method === undefined ? `htm ${JSON.stringify(claims.htm ?? null)} (give --method to compare)` : `htm ${JSON.stringify(claims.htm ?? null)}, request ${options.method}`);
  line('url', options.url === undefined ? undefined : sameRequestTarget(claims.htu, new URL(options.url)), options.url === undefined ? `htu ${JSON.stringify(claims.htu ?? null)} (give --url to compare)` : `htu ${JSON.stringify(claims.htu ?? null)}, request ${options.url}`);
  const age = typeof claims.iat === 'number' ? nowSeconds - claims.iat : undefined;
  line('age', age !== undefined && age <= options.dpop.proofMaxAgeSeconds + options.clockToleranceSeconds && age >= -options.clockToleranceSeconds, age === undefined ? 'iat missing' : `issued ${age}s ago (window ${options.dpop.proofMaxAgeSeconds}s)`);
  line('token hash', claims.ath === accessTokenHash(options.token), claims.ath === undefined ? 'no ath' : claims.ath === accessTokenHash(options.token) ? 'ath matches the token' : 'ath is the hash of another token');
  const thumbprint = jwk && privateMembers.length === 0 ? await calculateJwkThumbprint(jwk as JWK, 'sha256').catch(() => undefined) : undefined;
  const bound = (decodeJwtSafe(options.token)?.cnf as { jkt?: unknown } | undefined)?.jkt;
  line('binding', bound === undefined ? undefined : bound === thumbprint, `proof key thumbprint ${thumbprint ?? '(none)'}; token cnf.jkt ${JSON.stringify(bound ?? null)}`);
  line('replay, nonce', undefined, 'not checked: they depend on the server (a proof is accepted once)');
  if (options.method === undefined || options.url === undefined) return { checks, proofKey: undefined };
  const verified = await verifyDpopProof(
    { proof, method: options.method, url: new URL(options.url), accessToken: options.token },
    { algorithms: options.dpop.algorithms, maxAgeSeconds: options.dpop.proofMaxAgeSeconds, clockToleranceSeconds: options.clockToleranceSeconds, now: () => options.nowMs ?? Date.now() },
  ).catch(() => undefined);
  return { checks, proofKey: verified?.jkt };
}

function decodeJwtSafe(token: string): Record<string, unknown> | undefined {
  try {
    return decodeJwt(token) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
