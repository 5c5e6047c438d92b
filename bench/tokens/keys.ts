/**
 * Signing keys and tokens for the bench: one key pair per algorithm gatepass accepts by
 * default, a public key set, and RFC 9068-shaped access tokens signed with them (with jose, or
 * in bulk with node:crypto's one-shot `sign`).
 */
import { KeyObject, randomUUID, sign } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';

/** The algorithms compared: gatepass's defaults (`AUTH_ALGORITHMS`). */
export const BENCH_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

/** One of {@link BENCH_ALGORITHMS}. */
export type BenchAlgorithm = (typeof BENCH_ALGORITHMS)[number];

/** The issuer and audience every bench token carries. */
export const BENCH_ISSUER = 'http://127.0.0.1:9/bench-issuer';
/** @see BENCH_ISSUER */
export const BENCH_AUDIENCE = 'urn:gatepass:bench-api';

/** A signing key and its public JWK. */
export interface BenchKey {
  readonly alg: BenchAlgorithm;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Claims of a bench token beyond the registered ones. */
export interface BenchTokenClaims {
  readonly sub?: string;
  readonly scope?: string;
  readonly ttlSeconds?: number;
  /** Overrides the header `kid` (a flood uses random ones). */
  readonly kid?: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** RFC 7800 confirmation, e.g. `{ jkt }` for a DPoP-bound token. */
  readonly cnf?: Record<string, string>;
}

/**
 * Generates one key pair per algorithm (RSA keys are 2048-bit, jose's default).
 *
 * @example
 * ```ts
 * const keys = await generateBenchKeys(['RS256']);
 * const token = await signBenchToken(keys[0], { scope: 'read:user' });
 * ```
 */
export async function generateBenchKeys(algorithms: readonly BenchAlgorithm[] = BENCH_ALGORITHMS): Promise<BenchKey[]> {
  return Promise.all(
    algorithms.map(async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
      const kid = `bench-${alg.toLowerCase()}`;
      return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), alg, kid, use: 'sig' } };
    }),
  );
}

/** The public key set of `keys`. */
export function publicKeySet(keys: readonly BenchKey[]): JSONWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

/** Signs an access token (`typ: at+jwt`, iss, aud, sub, iat, exp, jti, client_id, scope). */
export async function signBenchToken(key: BenchKey, claims: BenchTokenClaims = {}): Promise<string> {
  return new SignJWT({ client_id: 'bench-client', scope: claims.scope ?? 'read:user read:email', ...(claims.cnf ? { cnf: claims.cnf } : {}) })
    .setProtectedHeader({ alg: key.alg, kid: claims.kid ?? key.kid, typ: 'at+jwt' })
    .setIssuer(claims.issuer ?? BENCH_ISSUER)
    .setAudience(claims.audience ?? BENCH_AUDIENCE)
    .setSubject(claims.sub ?? 'bench-user')
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds ?? 3600}s`)
    .sign(key.privateKey);
}

/**
 * A copy of `token` whose signature no longer matches: one character of the signature changed
 * (kept within the base64url alphabet, and not the last one, whose low bits may be ignored).
 */
export function tamperSignature(token: string, seed: number): string {
  const dot = token.lastIndexOf('.');
  const position = dot + 1 + (seed % Math.max(1, token.length - dot - 3));
  const original = token[position];
  const replacement = original === 'A' ? 'B' : 'A';
  return token.slice(0, position) + replacement + token.slice(position + 1);
}

/** Signs `claims` (plus registered ones) as an `at+jwt` EdDSA token. */
export type FastSigner = (claims: Readonly<Record<string, unknown>>) => string;

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Creates a synchronous signer for an Ed25519 private key: the memory scenario needs 200 000
 * distinct valid tokens, and node:crypto's one-shot `sign` is several times cheaper than an
 * async SignJWT per token. The tokens are ordinary compact JWS (RFC 7515 §7.1); `privateKey` is
 * a jose (WebCrypto) `CryptoKey`.
 *
 * @example
 * ```ts
 * const signToken = createFastSigner(key.privateKey, key.kid, { iss, aud });
 * const token = signToken({ sub: 'u1', scope: 'read:user' });
 * ```
 */
export function createFastSigner(privateKey: CryptoKey, kid: string, registered: { iss: string; aud: string }): FastSigner {
  const keyObject = KeyObject.from(privateKey as unknown as Parameters<typeof KeyObject.from>[0]);
  const header = base64url({ alg: 'EdDSA', kid, typ: 'at+jwt' });
  return (claims) => {
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url({ ...registered, iat: now, exp: now + 3_600, jti: randomUUID(), client_id: 'bench-client', ...claims });
    const input = `${header}.${payload}`;
    return `${input}.${sign(null, Buffer.from(input), keyObject).toString('base64url')}`;
  };
}
