import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../src/token/verify.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { introspectionFor, policyFor, refusal } from './fixtures.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';

let issuer: TestIssuer;
let clock = Date.now();
const now = (): number => clock;
const seconds = (): number => Math.floor(clock / 1000);
let verifier: TokenVerifier;

beforeAll(async () => {
  issuer = await startTestIssuer({ introspection: true });
  verifier = createTokenVerifier(policyFor([issuer], { introspection: introspectionFor(issuer, 60) }), { now });
});
afterAll(async () => {
  verifier.close();
  await issuer.close();
});

describe('introspection (RFC 7662) of opaque tokens', () => {
  it('maps an active response to a principal, POSTing the token in a form body', async () => {
    const token = issuer.mintOpaque({ scope: 'read:users admin', client_id: 'svc', jti: 'op-1' });
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({ subject: 'u1', clientId: 'svc', issuer: issuer.issuer, audience: ['https://api.test'], tokenId: 'op-1', isAdmin: true });
    expect([...principal.scopes]).toEqual(['read:users', 'admin']);
    const request = issuer.lastIntrospectionRequest()!;
    expect(request.url).toBe('/introspect');
    expect(request.url).not.toContain(token);
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ token, token_type_hint: 'access_token' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['refresh token', { token_type: 'refresh_token' }, 'token_type'],
    ['token_type not a string', { token_type: 1 }, 'token_type'],
    ['foreign issuer', { iss: 'https://evil.example' }, 'issuer'],
    ['wrong audience', { aud: 'https://other' }, 'audience'],
    ['no audience', { aud: undefined }, 'audience'],
    ['audience substring', { aud: 'https://api.test.evil' }, 'audience'],
    ['neither sub nor client_id', { sub: undefined, client_id: undefined }, 'claims'],
    ['sub not a string', { sub: 5 }, 'claims'],
    ['no exp', { exp: undefined }, 'claims'],
    ['scope not a string', { scope: ['a'] }, 'claims'],
    ['expired exp', { exp: Math.floor(Date.now() / 1000) - 120 }, 'expired'],
    ['lifetime too long', { iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 90_000 }, 'lifetime'],
    ['DPoP-bound', { cnf: { jkt: 'x' } }, 'sender_constrained'],
    // The same access-token rules as a JWT's claims (found missing by review):
    ['nbf in the future', { nbf: Math.floor(Date.now() / 1000) + 3_000 }, 'not_yet_valid'],
    ['iat in the future', { iat: Math.floor(Date.now() / 1000) + 3_600, exp: Math.floor(Date.now() / 1000) + 3_900 }, 'issued_in_future'],
    ['Keycloak refresh token', { typ: 'Refresh' }, 'token_type'],
    ['ID token (nonce)', { typ: 'ID', nonce: 'n' }, 'token_type'],
    ['Cognito id token_use', { token_use: 'id' }, 'token_type'],
    ['jti not a string', { jti: 7 }, 'claims'],
    ['client_id not a string', { client_id: 7 }, 'claims'],
    ['active as a string', { active: 'true' }, 'inactive'],
  ])('refuses: %s', async (_name, claims, reason) => {
    const token = issuer.mintOpaque(claims);
    expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason });
  });

  it('accepts an answer without iat (RFC 7662 §2.2: optional)', async () => {
    await expect(verifier.verify(issuer.mintOpaque({ iat: undefined }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('asks once for concurrent requests with the same token', async () => {
    const token = issuer.mintOpaque({});
    const before = issuer.introspectionRequests();
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(issuer.introspectionRequests() - before).toBe(1);
  });

  it('takes the client as the subject when sub is absent (client credentials, RFC 9068 §2.2)', async () => {
    await expect(verifier.verify(issuer.mintOpaque({ sub: undefined, client_id: 'svc' }))).resolves.toMatchObject({ subject: 'svc', clientId: 'svc' });
  });

  it.each<[string, string]>([
    ['Bearer', 'Bearer'],
    ['bearer', 'bearer'],
    ['access_token', 'access_token'],
  ])('accepts token_type %s', async (_name, tokenType) => {
    await expect(verifier.verify(issuer.mintOpaque({ token_type: tokenType }))).resolves.toMatchObject({ subject: 'u1' });
  });

  it('unknown token → inactive, remembered for seconds only', async () => {
    const before = issuer.introspectionRequests();
    const token = 'never-issued-opaque-token';
    expect(await refusal(verifier.verify(token))).toMatchObject({ reason: 'inactive' });
    expect(await refusal(verifier.verify(token))).toMatchObject({ reason: 'inactive' });
    expect(issuer.introspectionRequests() - before).toBe(1);
    clock += 5_001;
    expect(await refusal(verifier.verify(token))).toMatchObject({ reason: 'inactive' });
    expect(issuer.introspectionRequests() - before).toBe(2);
  });

  it('active results are cached, never beyond cacheMaxSeconds (revocation at the AS takes effect)', async () => {
    const token = issuer.mintOpaque({ exp: seconds() + 3_600 });
    const before = issuer.introspectionRequests();
    await verifier.verify(token);
    issuer.revokeOpaque(token);
    clock += 59_000;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u1' });
    expect(issuer.introspectionRequests() - before).toBe(1);
    clock += 2_000;
    expect(await refusal(verifier.verify(token))).toMatchObject({ reason: 'inactive' });
    expect(issuer.introspectionRequests() - before).toBe(2);
  });

  it('active results are cached, never beyond exp', async () => {
    const token = issuer.mintOpaque({ exp: seconds() + 10 });
    const before = issuer.introspectionRequests();
    await verifier.verify(token);
    clock += 9_000;
    await verifier.verify(token);
    expect(issuer.introspectionRequests() - before).toBe(1);
    clock += 2_000;
    // re-asked; the AS still says active, but exp is past (beyond the 30 s tolerance later)
    clock += 30_000;
    expect(await refusal(verifier.verify(token))).toMatchObject({ reason: 'expired' });
    expect(issuer.introspectionRequests() - before).toBe(2);
  });

  it('the cache holds no token: keys are SHA-256 (a different token is not a hit)', async () => {
    const token = issuer.mintOpaque();
    await verifier.verify(token);
    expect(await refusal(verifier.verify(`${token}x`))).toMatchObject({ reason: 'inactive' });
  });

  it('revocation in gatepass applies to introspected principals too', async () => {
    const revocation = createMemoryRevocationStore({ now });
    const v = createTokenVerifier(policyFor([issuer], { introspection: introspectionFor(issuer) }), { now, revocation });
    const token = issuer.mintOpaque({ jti: 'op-revoke' });
    const principal = await v.verify(token);
    revocation.revokeToken('op-revoke', principal.expiresAt);
    expect(await refusal(v.verify(token))).toMatchObject({ reason: 'revoked' });
    v.close();
  });

  it.each<[string, { status: number; body: string } | 'down' | 'bad-secret']>([
    ['HTTP 500', { status: 500, body: '{}' }],
    ['HTTP 503', { status: 503, body: 'down' }],
    ['not JSON', { status: 200, body: '<html>' }],
    ['JSON array', { status: 200, body: '[]' }],
    ['our client refused (401)', 'bad-secret'],
    ['unreachable', 'down'],
  ])('endpoint failure → 503: %s', async (_name, failure) => {
    const down = await startTestIssuer({ introspection: true });
    let policy = policyFor([down], { introspection: introspectionFor(down) });
    if (failure === 'bad-secret') policy = { ...policy, introspection: { ...policy.introspection!, clientSecret: 'wrong' } };
    else if (failure === 'down') await down.close();
    else down.setIntrospectionFailure(failure);
    const v = createTokenVerifier(policy, { cache: false });
    const token = down.mintOpaque();
    expect(await refusal(v.verify(token))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    // "cannot check" is never cached: the next call asks again
    if (typeof failure === 'object') {
      down.setIntrospectionFailure(undefined);
      await expect(v.verify(token)).resolves.toMatchObject({ subject: 'u1' });
    }
    v.close();
    if (failure !== 'down') await down.close();
  });

  it('JWTs still go to JWT verification when introspection is configured', async () => {
    await expect(verifier.verify(await issuer.mint({}, {}))).resolves.toBeDefined();
  });
});
