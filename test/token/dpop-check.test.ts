import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DpopOptions } from '../../src/config/dpop-config.js';
import { createDpopCheck, type DpopCheck } from '../../src/token/dpop-check.js';
import { createDpopNonces } from '../../src/token/dpop-nonce.js';
import { dpopKey, type DpopKey } from '../helpers/dpop.js';
import { refusal } from './fixtures.js';

// RFC 9449 §4.3, one row per check: proofs made with jose, checked as a request would be.
const BASE = 'http://127.0.0.1:4000';
const URL_ = `${BASE}/graphql`;
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
const OPTIONS: DpopOptions = { mode: 'allowed', issuerModes: {}, algorithms: ['ES256', 'PS256', 'RS256', 'EdDSA'], proofMaxAgeSeconds: 300, nonce: false, publicUrl: undefined };

let key: DpopKey;
let other: DpopKey;
let check: DpopCheck;
const now = (): number => Math.floor(Date.now() / 1000);
const request = (dpop: string | string[], extra: { method?: string; url?: string } = {}) => ({ dpop, method: extra.method ?? 'POST', url: extra.url ?? '/graphql' });

beforeAll(async () => {
  key = await dpopKey('ES256');
  other = await dpopKey('ES256');
  check = createDpopCheck(OPTIONS, { baseUrl: () => BASE })!;
});

describe('a valid proof', () => {
  it.each<[string, () => Promise<ReturnType<typeof request>>]>([
    ['the request as made', async () => request(await key.proof('POST', URL_, TOKEN))],
    ['htu with a query and a fragment (ignored, §4.3 check 9)', async () => request(await key.proof('POST', `${URL_}?a=1#f`, TOKEN))],
    ['htu with an upper-case host and the default port (RFC 3986 §6.2.2)', async () => request(await key.proof('POST', 'HTTP://127.0.0.1:4000/graphql', TOKEN))],
    ['request URL with a query', async () => request(await key.proof('GET', URL_, TOKEN), { method: 'GET', url: '/graphql?query=%7Bme%7D' })],
    ['iat 20 s in the future (within the tolerance)', async () => request(await key.proof('POST', URL_, TOKEN, { claims: { iat: now() + 20 } }))],
  ])('%s → the proof key thumbprint', async (_name, make) => {
    expect(await check.proofKey(await make(), TOKEN)).toBe(key.jkt);
  });
});

describe('refused proofs (RFC 9449 §4.3)', () => {
  it.each<[string, () => Promise<string | string[]>, string, string]>([
    ['no DPoP header', async () => [], 'ERR_INVALID_DPOP_PROOF', 'missing'],
    ['two proofs (check 1)', async () => [await key.proof('POST', URL_, TOKEN), await key.proof('POST', URL_, TOKEN)], 'ERR_INVALID_DPOP_PROOF', 'multiple'],
    ['two proofs joined in one value (check 1)', async () => `${await key.proof('POST', URL_, TOKEN)}, ${await key.proof('POST', URL_, TOKEN)}`, 'ERR_INVALID_DPOP_PROOF', 'multiple'],
    ['not a JWT (check 2)', async () => 'not-a-jwt', 'ERR_INVALID_DPOP_PROOF', 'malformed'],
    ['typ JWT (check 4)', () => key.proof('POST', URL_, TOKEN, { header: { typ: 'JWT' } }), 'ERR_INVALID_DPOP_PROOF', 'type'],
    ['typ at+jwt, an access token as a proof (check 4)', () => key.proof('POST', URL_, TOKEN, { header: { typ: 'at+jwt' } }), 'ERR_INVALID_DPOP_PROOF', 'type'],
    ['no typ (check 4)', () => key.proof('POST', URL_, TOKEN, { header: { typ: undefined } }), 'ERR_INVALID_DPOP_PROOF', 'type'],
    ['HMAC proof (check 5)', hmacProof, 'ERR_INVALID_DPOP_PROOF', 'algorithm'],
    ['alg none (check 5)', async () => unsignedProof(), 'ERR_INVALID_DPOP_PROOF', 'algorithm'],
    ['private key in the header (check 7)', () => key.proof('POST', URL_, TOKEN, { header: { jwk: key.privateJwk } }), 'ERR_INVALID_DPOP_PROOF', 'key'],
    ['no jwk in the header (check 7)', () => key.proof('POST', URL_, TOKEN, { header: { jwk: undefined } }), 'ERR_INVALID_DPOP_PROOF', 'key'],
    ['signed by another key than the jwk (check 6)', () => key.proof('POST', URL_, TOKEN, { signWith: other }), 'ERR_INVALID_DPOP_PROOF', 'signature'],
    ['no jti (check 3)', () => key.proof('POST', URL_, TOKEN, { claims: { jti: undefined } }), 'ERR_INVALID_DPOP_PROOF', 'claims'],
    ['no htm (check 3)', () => key.proof('POST', URL_, TOKEN, { claims: { htm: undefined } }), 'ERR_INVALID_DPOP_PROOF', 'claims'],
    ['wrong htm (check 8)', () => key.proof('GET', URL_, TOKEN), 'ERR_INVALID_DPOP_PROOF', 'method'],
    ['htm in lower case (check 8)', () => key.proof('post', URL_, TOKEN), 'ERR_INVALID_DPOP_PROOF', 'method'],
    ['wrong htu path (check 9)', () => key.proof('POST', `${BASE}/other`, TOKEN), 'ERR_INVALID_DPOP_PROOF', 'url'],
    ['wrong htu host (check 9)', () => key.proof('POST', 'http://127.0.0.2:4000/graphql', TOKEN), 'ERR_INVALID_DPOP_PROOF', 'url'],
    ['wrong htu scheme (check 9)', () => key.proof('POST', 'https://127.0.0.1:4000/graphql', TOKEN), 'ERR_INVALID_DPOP_PROOF', 'url'],
    ['htu not a URL (check 9)', () => key.proof('POST', 'graphql', TOKEN), 'ERR_INVALID_DPOP_PROOF', 'url'],
    ['stale iat (check 11)', () => key.proof('POST', URL_, TOKEN, { claims: { iat: now() - 400 } }), 'ERR_INVALID_DPOP_PROOF', 'stale'],
    ['iat far in the future (check 11)', () => key.proof('POST', URL_, TOKEN, { claims: { iat: now() + 120 } }), 'ERR_INVALID_DPOP_PROOF', 'stale'],
    ['missing ath (check 12)', () => key.proof('POST', URL_), 'ERR_INVALID_DPOP_PROOF', 'token_hash'],
    ['ath of another token (check 12)', () => key.proof('POST', URL_, `${TOKEN}x`), 'ERR_INVALID_DPOP_PROOF', 'token_hash'],
  ])('%s', async (_name, make, code, reason) => {
    expect(await refusal(check.proofKey(request(await make()), TOKEN))).toMatchObject({ code, reason });
  });

  it('a transport that does not say its method cannot have htm matched (check 8): refused', async () => {
    const { method: _method, ...withoutMethod } = request(await key.proof('POST', URL_, TOKEN));
    expect(await refusal(check.proofKey(withoutMethod, TOKEN))).toMatchObject({ code: 'ERR_INVALID_DPOP_PROOF', reason: 'method' });
  });

  it('a replayed jti is refused on the same instance (check 11)', async () => {
    const proof = await key.proof('POST', URL_, TOKEN);
    expect(await check.proofKey(request(proof), TOKEN)).toBe(key.jkt);
    expect(await refusal(check.proofKey(request(proof), TOKEN))).toMatchObject({ code: 'ERR_INVALID_DPOP_PROOF', reason: 'replayed' });
  });

  it('AUTH_PUBLIC_URL: htu is the public URL, path prefix included, not the bind address', async () => {
    const proxied = createDpopCheck({ ...OPTIONS, publicUrl: new URL('https://api.example.com/v1/') }, { baseUrl: () => BASE })!;
    expect(await proxied.proofKey(request(await key.proof('POST', 'https://api.example.com/v1/graphql', TOKEN)), TOKEN)).toBe(key.jkt);
    expect(await refusal(proxied.proofKey(request(await key.proof('POST', URL_, TOKEN)), TOKEN))).toMatchObject({ reason: 'url' });
  });
});

describe('server nonces (RFC 9449 §8)', () => {
  it('asks for the nonce, accepts it, and after two rotations asks again', async () => {
    let clock = Date.now();
    const nonces = createDpopNonces({ rotateSeconds: 60, now: () => clock });
    const withNonces = createDpopCheck({ ...OPTIONS, nonce: true }, { baseUrl: () => BASE, nonces })!;
    const first = await refusal(withNonces.proofKey(request(await key.proof('POST', URL_, TOKEN)), TOKEN));
    expect(first).toMatchObject({ code: 'ERR_USE_DPOP_NONCE' });
    const nonce = (first as unknown as { nonce: string }).nonce;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await withNonces.proofKey(request(await key.proof('POST', URL_, TOKEN, { claims: { nonce } })), TOKEN)).toBe(key.jkt);
    clock += 60_000; // rotated once: the previous nonce still passes
    expect(await withNonces.proofKey(request(await key.proof('POST', URL_, TOKEN, { claims: { nonce } })), TOKEN)).toBe(key.jkt);
    clock += 60_000; // rotated twice: refused, with a new nonce
    const again = await refusal(withNonces.proofKey(request(await key.proof('POST', URL_, TOKEN, { claims: { nonce } })), TOKEN));
    expect(again).toMatchObject({ code: 'ERR_USE_DPOP_NONCE' });
    expect((again as unknown as { nonce: string }).nonce).not.toBe(nonce);
  });
});

/** An HS256 proof: a MAC is never proof of possession of a public key. */
async function hmacProof(): Promise<string> {
  return new SignJWT({ jti: 'h1', htm: 'POST', htu: URL_, iat: now() })
    .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: key.publicJwk })
    .sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
}

function unsignedProof(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })}.${part({ jti: 'n1', htm: 'POST', htu: URL_, iat: now() })}.`;
}

