import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet } from 'jose';
import { createTokenVerifier } from '../../src/token/verify.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { toPrincipal } from '../../src/token/principal.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { policyFor, refusal } from '../token/fixtures.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

const principal = (claims: Record<string, unknown>) =>
  toPrincipal({ iss: 'i', sub: 'u1', iat: 1_000, exp: 2_000, ...claims }, policyFor(['i']));

describe('memory revocation store', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['revoked jti', { jti: 'j1' }, true],
    ['other jti', { jti: 'j2' }, false],
    ['no jti', {}, false],
    ['subject: issued before notBefore', { sub: 's1', iat: 1_400 }, true],
    ['subject: issued after notBefore', { sub: 's1', iat: 1_600 }, false],
    ['subject: no iat', { sub: 's1', iat: undefined }, true],
    ['other subject', { sub: 's2', iat: 1_400 }, false],
    ['__proto__ subject', { sub: '__proto__', iat: 1_400 }, false],
  ])('%s', (_name, claims, revoked) => {
    const store = createMemoryRevocationStore({ now: () => 1_500_000 });
    store.revokeToken('j1', new Date(2_000_000));
    store.revokeSubject('s1', new Date(1_500_000), new Date(1_500_000 + 86_400_000));
    expect(store.isRevoked(principal(claims))).toBe(revoked);
  });

  it('forgets an entry once the tokens it covers have expired', () => {
    let clock = 1_500_000;
    const store = createMemoryRevocationStore({ now: () => clock });
    store.revokeToken('j1', new Date(2_000_000));
    store.revokeSubject('s1', new Date(1_500_000), new Date(1_600_000));
    clock = 2_000_000;
    expect(store.isRevoked(principal({ jti: 'j1' }))).toBe(false);
    expect(store.isRevoked(principal({ sub: 's1', iat: 1_400 }))).toBe(false);
    store.revokeToken('old', new Date(1_000_000)); // already expired: nothing stored
    expect(store.isRevoked(principal({ jti: 'old' }))).toBe(false);
  });

  it('is bounded and fails closed: a full store refuses a new revocation, never forgets one in force', () => {
    let clock = 0;
    const store = createMemoryRevocationStore({ maxTokens: 10, maxSubjects: 2, now: () => clock });
    for (let i = 0; i < 10; i++) store.revokeToken(`j${i}`, new Date(10_000 + i));
    expect(() => store.revokeToken('j10', new Date(20_000))).toThrow(expect.objectContaining({ code: 'ERR_REVOCATION_CAPACITY' }));
    // Every earlier revocation is still in force; the refused one was not recorded.
    for (let i = 0; i < 10; i++) expect(store.isRevoked(principal({ jti: `j${i}` }))).toBe(true);
    expect(store.isRevoked(principal({ jti: 'j10' }))).toBe(false);
    // Re-revoking an id already held needs no new room.
    expect(() => store.revokeToken('j3', new Date(30_000))).not.toThrow();
    store.revokeSubject('s1', new Date(0), new Date(10_000));
    store.revokeSubject('s2', new Date(0), new Date(10_000));
    expect(() => store.revokeSubject('s3', new Date(0), new Date(10_000))).toThrow(expect.objectContaining({ code: 'ERR_REVOCATION_CAPACITY' }));
  });

  it('makes room by purging entries whose tokens have expired', () => {
    let clock = 0;
    const store = createMemoryRevocationStore({ maxTokens: 3, now: () => clock });
    store.revokeToken('short', new Date(1_000));
    store.revokeToken('long1', new Date(100_000));
    store.revokeToken('long2', new Date(100_000));
    clock = 1_000;
    store.revokeToken('new', new Date(100_000));
    expect(store.isRevoked(principal({ jti: 'new' }))).toBe(true);
    expect(store.isRevoked(principal({ jti: 'long1' }))).toBe(true);
    expect(() => store.revokeToken('more', new Date(100_000))).toThrow(expect.objectContaining({ code: 'ERR_REVOCATION_CAPACITY' }));
  });

  it('a flood of revocations past the bound refuses each one quickly', () => {
    const store = createMemoryRevocationStore({ maxTokens: 1_000, now: () => 0 });
    for (let i = 0; i < 1_000; i++) store.revokeToken(`j${i}`, new Date(10_000));
    let refused = 0;
    for (let i = 1_000; i < 11_000; i++) {
      try {
        store.revokeToken(`j${i}`, new Date(10_000));
      } catch {
        refused++;
      }
    }
    expect(refused).toBe(10_000);
    expect(store.isRevoked(principal({ jti: 'j0' }))).toBe(true);
  });

  it('a later subject revocation widens, never narrows', () => {
    const store = createMemoryRevocationStore({ now: () => 0 });
    store.revokeSubject('s1', new Date(2_000_000), new Date(10_000_000));
    store.revokeSubject('s1', new Date(1_000_000), new Date(5_000_000));
    expect(store.isRevoked(principal({ sub: 's1', iat: 1_500 }))).toBe(true);
  });
});

describe('revocation in the verifier', () => {
  it('refuses a revoked jti even when the principal is cached', async () => {
    const revocation = createMemoryRevocationStore();
    const verifier = createTokenVerifier(policyFor([issuer]), { keySet: createLocalJWKSet(issuer.jwks()), revocation });
    const token = await issuer.mint({ jti: 'to-revoke' });
    const p = await verifier.verify(token);
    await revocation.revokeToken(p.tokenId!, p.expiresAt);
    expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason: 'revoked' });
    await expect(verifier.verify(await issuer.mint({ jti: 'other' }))).resolves.toBeDefined();
  });

  it('refuses every earlier token of a revoked subject, accepts later ones', async () => {
    let clock = Date.now();
    const revocation = createMemoryRevocationStore({ now: () => clock });
    const verifier = createTokenVerifier(policyFor([issuer]), { keySet: createLocalJWKSet(issuer.jwks()), revocation, now: () => clock });
    const iat = Math.floor(clock / 1000);
    const before = await issuer.mint({ sub: 'mallory', iat: iat - 10 });
    await verifier.verify(before);
    await revocation.revokeSubject('mallory', new Date(clock), new Date(clock + 86_400_000));
    expect(await refusal(verifier.verify(before))).toMatchObject({ reason: 'revoked' });
    clock += 2_000;
    const after = await issuer.mint({ sub: 'mallory', iat: iat + 1 });
    await expect(verifier.verify(after)).resolves.toMatchObject({ subject: 'mallory' });
  });

  it('accepts an async store', async () => {
    const verifier = createTokenVerifier(policyFor([issuer]), {
      keySet: createLocalJWKSet(issuer.jwks()),
      revocation: { revokeToken: async () => {}, revokeSubject: async () => {}, isRevoked: async (p) => p.subject === 'blocked' },
    });
    expect(await refusal(verifier.verify(await issuer.mint({ sub: 'blocked' })))).toMatchObject({ reason: 'revoked' });
  });
});
