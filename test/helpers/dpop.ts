/**
 * A DPoP client for tests: a key pair, its RFC 7638 thumbprint, and proofs made with jose for
 * any request, with any claim or header overridden (hostile shapes included).
 */
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Overrides of one proof. `undefined` values drop the claim or header member. */
export interface ProofOptions {
  readonly claims?: Record<string, unknown>;
  readonly header?: Record<string, unknown>;
  /** Sign with this key instead of the client's (a proof whose key does not match). */
  readonly signWith?: DpopKey;
}

/** A client's DPoP key. */
export interface DpopKey {
  readonly alg: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
  /** RFC 7638 SHA-256 thumbprint: the `cnf.jkt` of tokens bound to it. */
  readonly jkt: string;
  /** A proof for `method` `url`, bound to `accessToken` (`ath`) when given. */
  proof(method: string, url: string, accessToken?: string, options?: ProofOptions): Promise<string>;
}

/** base64url SHA-256 of a token, computed apart from the code under test. */
export async function athOf(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Buffer.from(digest).toString('base64url');
}

/** Makes a DPoP key pair (extractable, so a test can leak its private part on purpose). */
export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const jkt = await calculateJwkThumbprint(publicJwk, 'sha256');
  const key: DpopKey = {
    alg,
    privateKey,
    publicJwk,
    privateJwk,
    jkt,
    async proof(method, url, accessToken, options = {}) {
      const signer = options.signWith ?? key;
      const claims: Record<string, unknown> = {
        jti: randomUUID(),
        htm: method,
        htu: url,
        iat: Math.floor(Date.now() / 1000),
        ...(accessToken === undefined ? {} : { ath: await athOf(accessToken) }),
        ...options.claims,
      };
      const header: Record<string, unknown> = { alg: signer.alg, typ: 'dpop+jwt', jwk: publicJwk, ...options.header };
      for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
      for (const [name, value] of Object.entries(header)) if (value === undefined) delete header[name];
      return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(signer.privateKey);
    },
  };
  return key;
}
