/**
 * A synchronous EdDSA signer for bulk token generation: the memory scenario needs 200 000
 * distinct valid tokens, and signing them through node:crypto's one-shot `sign` is several
 * times cheaper than an async SignJWT per token. The tokens are ordinary compact JWS (RFC 7515
 * §7.1) that jose verifies like any other.
 */
import { KeyObject, randomUUID, sign } from 'node:crypto';
import type { CryptoKey } from 'jose';

/** Signs `claims` (plus registered ones) as an `at+jwt` EdDSA token. */
export type FastSigner = (claims: Readonly<Record<string, unknown>>) => string;

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Creates a signer for an Ed25519 private key (a jose/WebCrypto `CryptoKey`).
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
