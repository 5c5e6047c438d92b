import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import type { TokenPolicy } from '../config/config.js';

/** The dev issuer's identifier (`iss`): a URN, since no network issuer stands behind it. */
export const DEV_ISSUER = 'urn:gatepass:dev-issuer';
/** The audience dev tokens are minted for, and the dev server expects. */
export const DEV_AUDIENCE = 'urn:gatepass:dev-api';
const DEV_ALGORITHM = 'ES256';
const KEY_FILE = 'dev-signing-key.json';

/** The token policy in dev mode: the configured rules, with the dev issuer and audience. */
export function devTokenPolicy(policy: TokenPolicy): TokenPolicy {
  return { ...policy, issuers: [DEV_ISSUER], audiences: [DEV_AUDIENCE] };
}

/** What a dev token says about its holder. */
export interface DevTokenClaims {
  /** @default 'u1' */
  readonly sub?: string;
  /** Space-separated scopes. @default '' */
  readonly scope?: string;
  /** @default [] */
  readonly roles?: readonly string[];
  /** Lifetime in seconds. @default 300 */
  readonly ttlSeconds?: number;
  /** @default 'gatepass-dev-cli' */
  readonly clientId?: string;
}

/** The embedded development issuer: a signing key on disk, its public key set, a minting function. */
export interface DevIssuer {
  readonly issuer: string;
  readonly audience: string;
  /** The public key set, served by the API at `/.well-known/jwks.json`. */
  readonly jwks: JSONWebKeySet;
  /** Key lookup for verification, in process. */
  readonly keySet: JWTVerifyGetKey;
  /** Signs an RFC 9068 access token (header `typ: at+jwt`). */
  mint(claims?: DevTokenClaims): Promise<string>;
}

/**
 * Opens the dev issuer whose key lives in `keyDir` (git-ignored), creating the key with jose on
 * first use so that `npm run token` and `npm start` share it.
 *
 * @example
 * ```ts
 * const dev = await openDevIssuer('.gatepass');
 * const token = await dev.mint({ sub: 'u1', scope: 'read:user' });
 * ```
 */
export async function openDevIssuer(keyDir: string): Promise<DevIssuer> {
  const privateJwk = await loadOrCreateKey(keyDir);
  const { d: _private, ...publicJwk } = privateJwk;
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const signingKey = await importJWK(privateJwk, DEV_ALGORITHM);
  return {
    issuer: DEV_ISSUER,
    audience: DEV_AUDIENCE,
    jwks,
    keySet: createLocalJWKSet(jwks),
    async mint(claims = {}) {
      const roles = claims.roles ?? [];
      return new SignJWT({
        client_id: claims.clientId ?? 'gatepass-dev-cli',
        scope: claims.scope ?? '',
        ...(roles.length > 0 ? { roles: [...roles] } : {}),
      })
        .setProtectedHeader({ alg: DEV_ALGORITHM, kid: publicJwk.kid!, typ: 'at+jwt' })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(claims.sub ?? 'u1')
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(`${claims.ttlSeconds ?? 300}s`)
        .sign(signingKey);
    },
  };
}

async function loadOrCreateKey(keyDir: string): Promise<JWK> {
  const file = join(keyDir, KEY_FILE);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const key: JWK = { ...jwk, alg: DEV_ALGORITHM, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  // 'wx': two processes starting at once must not overwrite each other's key.
  try {
    await writeFile(file, JSON.stringify(key), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return JSON.parse(await readFile(file, 'utf8')) as JWK;
    throw error;
  }
  return key;
}
