/**
 * DPoP's per-request cost for the token bench: the reference server's per-request auth (extract,
 * proof check, replay store, token cache hit, binding, context) with a fresh proof each time, and
 * the proof check alone. Proofs are signed before timing (the client's cost, not the server's),
 * one per operation, so the replay store sees a new `jti` every time, as in production.
 */
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWTVerifyGetKey } from 'jose';
import { randomUUID } from 'node:crypto';
import type { TokenPolicy } from '../../src/config/config.js';
import { createAuthContextFunction } from '../../src/server/context.js';
import { createDpopCheck } from '../../src/token/dpop-check.js';
import { accessTokenHash } from '../../src/token/dpop-proof.js';
import { createTokenVerifier } from '../../src/token/verify.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { signBenchToken, type BenchKey } from './keys.js';

const BASE = 'http://127.0.0.1:4000';

/** The operations, their labels, and a close. */
export interface DpopOps {
  readonly ops: Record<string, () => Promise<unknown>>;
  readonly labels: Record<string, string>;
  close(): void;
}

/**
 * Builds the DPoP operations over a key set holding `issuerKey`; `proofsPerOp` proofs are signed
 * up front for each (more than calibration and rounds use).
 */
export async function dpopOps(policy: TokenPolicy, keySet: JWTVerifyGetKey, issuerKey: BenchKey, proofsPerOp: number): Promise<DpopOps> {
  const client = await generateKeyPair('ES256');
  const jwk = await exportJWK(client.publicKey);
  const token = await signBenchToken(issuerKey, { cnf: { jkt: await calculateJwkThumbprint(jwk) } });
  const ath = accessTokenHash(token);
  const sign = () =>
    new SignJWT({ jti: randomUUID(), htm: 'POST', htu: `${BASE}/graphql`, iat: Math.floor(Date.now() / 1000), ath })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
      .sign(client.privateKey);
  const pool = async () => Promise.all(Array.from({ length: proofsPerOp }, sign));
  const options = { mode: 'allowed', issuerModes: {}, algorithms: ['ES256'], proofMaxAgeSeconds: 3_600, nonce: false, publicUrl: undefined } as const;
  const dpopPolicy = { ...policy, dpop: { ...options, algorithms: [...options.algorithms] } } as TokenPolicy;
  const verifier = createTokenVerifier(dpopPolicy, { keySet, revocation: createMemoryRevocationStore() });
  const dpop = createDpopCheck(dpopPolicy.dpop, { baseUrl: () => BASE })!;
  const context = createAuthContextFunction({ verifier, dpop });
  const body = { query: '{ users { id name email } }' };
  const headers = { host: '127.0.0.1', 'content-type': 'application/json', authorization: `DPoP ${token}` };
  const contextProofs = await pool();
  const checkProofs = await pool();
  const request = (proof: string) => ({ rawHeaders: [...Object.entries(headers).flat(), 'DPoP', proof], url: '/graphql', method: 'POST', headers, body });
  await context({ req: request(contextProofs.pop()!) }); // the token is now a cache hit
  return {
    ops: {
      'gatepass-context-dpop': () => context({ req: request(next(contextProofs)) }),
      'gatepass-dpop-proof': () => dpop.proofKey({ dpop: next(checkProofs), method: 'POST', url: '/graphql' }, token),
    },
    labels: {
      'gatepass-context-dpop': 'gatepass per-request auth, DPoP: extract + proof (ES256) + replay store + verify (hit) + binding + context',
      'gatepass-dpop-proof': 'gatepass DPoP proof check alone (ES256 proof, jti into the memory replay store)',
    },
    close: () => verifier.close(),
  };
}

function next(pool: string[]): string {
  const proof = pool.pop();
  if (proof === undefined) throw new Error('bench: DPoP proof pool exhausted; raise proofsPerOp');
  return proof;
}
