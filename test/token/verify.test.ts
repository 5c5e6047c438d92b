import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { createTokenVerifier, type TokenVerifier } from '../../src/token/verify.js';
import { startTestIssuer, TEST_AUDIENCE, type MintOptions, type TestIssuer } from '../helpers/test-issuer.js';
import { claimsFor, handmadeJws, policyFor, refusal } from './fixtures.js';
import type { TokenPolicy } from '../../src/config/config.js';

/** Resolves to the error a promise rejects with (fails the test if it resolves). */

let issuer: TestIssuer;
let attacker: TestIssuer;
let verifier: TokenVerifier;
let strict: TokenVerifier;
const now = (): number => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  issuer = await startTestIssuer({ algorithms: ['RS256', 'ES256'] });
  attacker = await startTestIssuer();
  verifier = createTokenVerifier(policyFor([issuer]));
  strict = createTokenVerifier(policyFor([issuer], { requireAtJwt: true }));
  expect(await verifier.warmUp()).toBe(true);
  expect(await strict.warmUp()).toBe(true);
});
afterAll(async () => {
  verifier.close();
  strict.close();
  await issuer.close();
  await attacker.close();
});

type Make = () => Promise<string> | string;
const mint = (claims: Record<string, unknown> = {}, options: MintOptions = {}): Make => () => issuer.mint(claims, options);

describe('verify: accepted tokens', () => {
  it.each<[string, Make]>([
    ['defaults (typ at+jwt, RS256)', mint()],
    ['ES256 key', mint({}, { alg: 'ES256' })],
    ['typ JWT', mint({}, { header: { typ: 'JWT' } })],
    ['typ application/at+jwt', mint({}, { header: { typ: 'application/at+jwt' } })],
    ['typ AT+JWT (case-insensitive)', mint({}, { header: { typ: 'AT+JWT' } })],
    ['no typ', mint({}, { omit: ['typ'] })],
    ['aud array containing ours', mint({ aud: ['other', TEST_AUDIENCE] })],
    ['lifetime exactly the maximum', mint({ iat: now(), exp: now() + 86_400 })],
    ['exp just past, within tolerance', mint({ iat: now() - 100, exp: now() - 10 })],
    ['iat in the future within tolerance', mint({ iat: now() + 20 })],
    ['Keycloak payload typ Bearer', mint({ typ: 'Bearer' })],
    ['Cognito token_use access', mint({ token_use: 'access' })],
    ['no client_id, no jti (not strict)', mint({}, { omit: ['client_id', 'jti'] })],
    ['jku header pointing elsewhere is ignored, key from JWKS', mint({}, { header: { jku: 'http://127.0.0.1:1/jwks' } })],
    ['scope as array', mint({ scope: ['a', 'b'] })],
  ])('%s', async (_name, make) => {
    const principal = await verifier.verify(await make());
    expect(principal.subject).toBe('u1');
    expect(principal.issuer).toBe(issuer.issuer);
  });
});

describe('verify: refused tokens', () => {
  it.each<[string, Make, string]>([
    // hostile shapes
    ['alg none (hand-made)', () => handmadeJws({ alg: 'none' }, claimsFor(issuer.issuer)), 'algorithm'],
    ['alg NONE with typ', () => handmadeJws({ alg: 'NONE', typ: 'JWT' }, claimsFor(issuer.issuer)), 'algorithm'],
    ['alg none with a signature', () => handmadeJws({ alg: 'none' }, claimsFor(issuer.issuer), 'c2ln'), 'algorithm'],
    [
      'HS256 signed with the public key bytes',
      () => {
        const key = issuer.currentKey();
        const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid })).toString('base64url');
        const body = Buffer.from(JSON.stringify(claimsFor(issuer.issuer))).toString('base64url');
        const sig = createHmac('sha256', key.publicKeyPem).update(`${head}.${body}`).digest('base64url');
        return `${head}.${body}.${sig}`;
      },
      'algorithm',
    ],
    ['PS384 (not configured)', mint({}, { alg: 'PS384' }), 'algorithm'],
    ['no alg', () => handmadeJws({ typ: 'JWT' }, claimsFor(issuer.issuer), 'c2ln'), 'algorithm'],
    ['alg as number', () => handmadeJws({ alg: 256 }, claimsFor(issuer.issuer), 'c2ln'), 'algorithm'],
    [
      'attacker key + jku to attacker JWKS',
      () => attacker.mint({ iss: issuer.issuer }, { header: { jku: attacker.jwksUri } }),
      'unknown_key',
    ],
    [
      'attacker key + x5u to attacker',
      () => attacker.mint({ iss: issuer.issuer }, { header: { x5u: `${attacker.issuer}/cert.pem` } }),
      'unknown_key',
    ],
    [
      'attacker key embedded as jwk header, no kid',
      async () => attacker.mint({ iss: issuer.issuer }, { omit: ['kid'], header: { jwk: attacker.currentKey().publicJwk } }),
      'signature',
    ],
    [
      'attacker key signing under our kid',
      async () => attacker.mint({ iss: issuer.issuer }, { kid: issuer.currentKey().kid, header: { x5c: ['MIIB'] } }),
      'signature',
    ],
    ['huge token', () => `${'a'.repeat(20_000)}.${'b'.repeat(20_000)}.c`, 'malformed'],
    ['5-part JWE', () => 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d', 'malformed'],
    ['opaque string (no introspection)', () => 'opaque-token-value', 'malformed'],
    ['three garbage parts', () => 'a.b.c', 'malformed'],
    ['two parts', () => 'eyJhbGciOiJSUzI1NiJ9.e30', 'malformed'],
    ['four parts', () => 'a.b.c.d', 'malformed'],
    ['empty', () => '', 'malformed'],
    ['header is an array', () => handmadeJws([1], claimsFor(issuer.issuer), 'c2ln'), 'malformed'],
    ['payload not JSON', () => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.bm90IGpzb24.c2ln`, 'malformed'],
    ['signature tampered', async () => (await issuer.mint()).replace(/.{4}$/, 'AAAA'), 'signature'],
    [
      'payload tampered',
      async () => {
        const [h, , s] = (await issuer.mint()).split('.');
        return `${h}.${Buffer.from(JSON.stringify(claimsFor(issuer.issuer, { scope: 'admin' }))).toString('base64url')}.${s}`;
      },
      'signature',
    ],
    ['unknown kid', mint({}, { kid: 'nope' }), 'unknown_key'],
    ['ES256 alg under an RSA kid', async () => issuer.mint({}, { alg: 'ES256', kid: [...issuer.jwks().keys].find((k) => k.kty === 'RSA')!.kid! }), 'unknown_key'],
    // registered claims
    ['expired', mint({ iat: now() - 600, exp: now() - 60 }), 'expired'],
    ['nbf in the future', mint({ nbf: now() + 120 }), 'not_yet_valid'],
    ['unknown issuer', mint({ iss: 'https://evil.example' }), 'issuer'],
    ['no iss', mint({}, { omit: ['iss'] }), 'issuer'],
    ['iss as array', () => issuer.mint({ iss: [issuer.issuer] }), 'issuer'],
    ['iss with trailing slash', () => issuer.mint({ iss: `${issuer.issuer}/` }), 'issuer'],
    ['wrong audience', mint({ aud: 'https://other.api' }), 'audience'],
    ['no audience', mint({}, { omit: ['aud'] }), 'audience'],
    ['audience substring', mint({ aud: 'https://api.test.evil' }), 'audience'],
    ['no sub', mint({}, { omit: ['sub'] }), 'claims'],
    ['sub as number', mint({ sub: 42 }), 'claims'],
    ['sub empty', mint({ sub: '' }), 'claims'],
    ['client_id as number', mint({ client_id: 7 }), 'claims'],
    ['jti as object', mint({ jti: { a: 1 } }), 'claims'],
    ['scope as number', mint({ scope: 5 }), 'claims'],
    ['no exp', mint({}, { omit: ['exp'] }), 'claims'],
    ['exp as string', mint({ exp: String(now() + 100) }), 'claims'],
    ['no iat', mint({}, { omit: ['iat'] }), 'claims'],
    ['iat as string', mint({ iat: String(now()) }), 'claims'],
    ['lifetime above the maximum by one', mint({ iat: now(), exp: now() + 86_401 }), 'lifetime'],
    ['lifetime not stretched by the tolerance', mint({ iat: now() - 20, exp: now() + 86_400 - 20 + 25 }), 'lifetime'],
    ['iat in the future beyond tolerance', mint({ iat: now() + 120, exp: now() + 300 }), 'issued_in_future'],
    // telling access tokens from other JWTs
    ['typ id_token+jwt', mint({}, { header: { typ: 'id_token+jwt' } }), 'token_type'],
    ['typ logout+jwt', mint({}, { header: { typ: 'logout+jwt' } }), 'token_type'],
    ['typ secevent+jwt', mint({}, { header: { typ: 'application/secevent+jwt' } }), 'token_type'],
    ['typ dpop+jwt', mint({}, { header: { typ: 'dpop+jwt' } }), 'token_type'],
    ['typ as number', mint({}, { header: { typ: 1 } }), 'token_type'],
    ['typ empty', mint({}, { header: { typ: '' } }), 'token_type'],
    ['Keycloak ID token', mint({ typ: 'ID' }), 'token_type'],
    ['Keycloak refresh token', mint({ typ: 'Refresh' }), 'token_type'],
    ['Keycloak offline token', mint({ typ: 'Offline' }), 'token_type'],
    ['Keycloak logout token', mint({ typ: 'Logout' }), 'token_type'],
    ['Cognito ID token', mint({ token_use: 'id' }), 'token_type'],
    ['ID token nonce', mint({ nonce: 'n' }), 'token_type'],
    ['ID token at_hash', mint({ at_hash: 'h' }), 'token_type'],
    ['ID token c_hash', mint({ c_hash: 'h' }), 'token_type'],
    ['logout token events', mint({ events: { 'http://schemas.openid.net/event/backchannel-logout': {} } }), 'token_type'],
    ['DPoP-bound (cnf.jkt)', mint({ cnf: { jkt: 'abc' } }), 'sender_constrained'],
    ['mTLS-bound (cnf.x5t#S256)', mint({ cnf: { 'x5t#S256': 'abc' } }), 'sender_constrained'],
    // header extensions
    ['unknown crit', mint({}, { header: { crit: ['exp'], exp: 1 } }), 'header'],
    ['b64 false', () => handmadeJws({ alg: 'RS256', b64: false, crit: ['b64'] }, 'raw', 'c2ln'), 'header'],
  ])('%s', async (_name, make, reason) => {
    const error = await refusal(verifier.verify(await make()));
    expect(error.code).toBe('ERR_INVALID_TOKEN');
    expect(error.reason).toBe(reason);
  });

  it('never fetched the attacker key set', () => {
    expect(attacker.jwksRequests()).toBe(0);
    expect(attacker.metadataRequests()).toBe(0);
  });

  it('HMAC is refused even when configured', async () => {
    const hmac = createTokenVerifier(policyFor([issuer], { algorithms: ['RS256', 'HS256'] as unknown as TokenPolicy['algorithms'] }));
    const secret = issuer.currentKey().publicKeyPem;
    const token = await new SignJWT(claimsFor(issuer.issuer)).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
    expect(await refusal(hmac.verify(token))).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason: 'algorithm' });
    hmac.close();
  });
});

describe('verify: requireAtJwt (RFC 9068 strict)', () => {
  it.each<[string, Make, string | null]>([
    ['at+jwt with client_id and jti', mint(), null],
    ['application/at+jwt', mint({}, { header: { typ: 'application/at+jwt' } }), null],
    ['typ JWT', mint({}, { header: { typ: 'JWT' } }), 'token_type'],
    ['no typ', mint({}, { omit: ['typ'] }), 'token_type'],
    ['no client_id', mint({}, { omit: ['client_id'] }), 'claims'],
    ['no jti', mint({}, { omit: ['jti'] }), 'claims'],
    ['alg none', () => handmadeJws({ alg: 'none', typ: 'at+jwt' }, claimsFor(issuer.issuer)), 'algorithm'],
  ])('%s', async (_name, make, reason) => {
    const result = strict.verify(await make());
    if (reason === null) await expect(result).resolves.toMatchObject({ subject: 'u1' });
    else expect(await refusal(result)).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason });
  });
});

describe('verify: audience in another claim (Cognito client_id)', () => {
  it.each<[string, Record<string, unknown>, string[], string | null]>([
    ['client_id matches', { client_id: 'app1', token_use: 'access' }, ['aud'], null],
    ['client_id differs', { client_id: 'app2' }, ['aud'], 'audience'],
    ['client_id missing', {}, ['aud', 'client_id'], 'audience'],
    ['client_id as array of one', { client_id: ['app1'] }, ['aud'], 'claims'],
    ['aud matching is not enough', { aud: 'app1', client_id: 'x' }, [], 'audience'],
    ['client_id matches but aud names another API', { client_id: 'app1', aud: 'https://other.test' }, [], 'audience'],
  ])('%s', async (_name, claims, omit, reason) => {
    const cognito = createTokenVerifier(policyFor([issuer], { audienceClaim: 'client_id', audiences: ['app1'] }));
    const result = cognito.verify(await issuer.mint(claims, { omit }));
    if (reason === null) await expect(result).resolves.toMatchObject({ clientId: 'app1' });
    else expect(await refusal(result)).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason });
    cognito.close();
  });
});

describe('verify: keys supplied directly (dev issuer)', () => {
  it('uses deps.keySet and reports ready', async () => {
    const { createLocalJWKSet } = await import('jose');
    const local = createLocalJWKSet(issuer.jwks());
    const before = issuer.jwksRequests();
    const dev = createTokenVerifier(policyFor([issuer]), { keySet: local });
    await expect(dev.verify(await issuer.mint())).resolves.toMatchObject({ subject: 'u1' });
    expect(dev.readiness()).toEqual([{ issuer: issuer.issuer, ready: true }]);
    expect(issuer.jwksRequests()).toBe(before);
    dev.close();
  });

  it('answers 503, not 401, when a supplied remote key set cannot be reached', async () => {
    const { createRemoteJWKSet } = await import('jose');
    const unreachable = createRemoteJWKSet(new URL('http://127.0.0.1:9/jwks.json'), { timeoutDuration: 500 });
    const verifier = createTokenVerifier(policyFor([issuer]), { keySet: unreachable, cache: false });
    expect(await refusal(verifier.verify(await issuer.mint()))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    verifier.close();
  });

  it('refuses one supplied key set for several issuers (issuer A would sign for B)', async () => {
    const { createLocalJWKSet } = await import('jose');
    const other = await startTestIssuer();
    try {
      expect(() => createTokenVerifier(policyFor([issuer, other]), { keySet: createLocalJWKSet(issuer.jwks()) })).toThrow(/single issuer/);
    } finally {
      await other.close();
    }
  });

  it('refuses a key of the wrong type for the alg', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: issuer.currentKey().kid, alg: 'RS256' };
    const { createLocalJWKSet } = await import('jose');
    const dev = createTokenVerifier(policyFor([issuer]), { keySet: createLocalJWKSet({ keys: [jwk] }) });
    const error = await refusal(dev.verify(await issuer.mint()));
    expect(error.code).toBe('ERR_INVALID_TOKEN');
    expect(['unknown_key', 'algorithm']).toContain(error.reason);
    dev.close();
  });
});
