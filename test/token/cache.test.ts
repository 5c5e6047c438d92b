import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { createTokenVerifier } from '../../src/token/verify.js';
import { createVerificationCache, tokenCacheKey } from '../../src/token/cache.js';
import { InvalidTokenError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { toPrincipal } from '../../src/token/principal.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { handmadeJws, policyFor, refusal } from './fixtures.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(() => issuer.close());

/** A key resolver that counts calls: a cache hit never resolves a key. */
function countingKeys(): { getKey: JWTVerifyGetKey; calls: () => number } {
  const local = createLocalJWKSet(issuer.jwks());
  let calls = 0;
  return { getKey: (h, t) => (calls++, local(h, t)), calls: () => calls };
}

describe('verified-token cache', () => {
  it('verifies a token once while cached, and never past exp (controlled clock)', async () => {
    let clock = Date.now();
    const keys = countingKeys();
    const verifier = createTokenVerifier(policyFor([issuer]), { keySet: keys.getKey, now: () => clock });
    const token = await issuer.mint({}, { ttlSeconds: 60 });
    const first = await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(first);
    expect(keys.calls()).toBe(1);
    clock += 61_000; // past exp, within the 30 s tolerance: re-verified, not served from cache
    await verifier.verify(token);
    expect(keys.calls()).toBe(2);
    clock += 30_000;
    expect(await refusal(verifier.verify(token))).toMatchObject({ reason: 'expired' });
  });

  it("trusts a verified token no longer than the key set's max age, whatever its exp", async () => {
    let clock = Date.now();
    const keys = countingKeys();
    const policy = { ...policyFor([issuer]), remote: { timeoutMs: 5_000, cooldownMs: 30_000, cacheMaxAgeMs: 10_000 } };
    const verifier = createTokenVerifier(policy, { keySet: keys.getKey, now: () => clock });
    const token = await issuer.mint({}, { ttlSeconds: 3_600 });
    await verifier.verify(token);
    clock += 9_000;
    await verifier.verify(token);
    expect(keys.calls()).toBe(1);
    clock += 1_001; // past the key set's trust: the signature is checked against the keys again
    await verifier.verify(token);
    expect(keys.calls()).toBe(2);
  });

  it('remembers a refusal for 5 s at most', async () => {
    let clock = Date.now();
    const keys = countingKeys();
    const verifier = createTokenVerifier(policyFor([issuer]), { keySet: keys.getKey, now: () => clock });
    const bad = (await issuer.mint()).replace(/.{4}$/, 'AAAA');
    expect(await refusal(verifier.verify(bad))).toMatchObject({ reason: 'signature' });
    expect(await refusal(verifier.verify(bad))).toMatchObject({ reason: 'signature' });
    expect(keys.calls()).toBe(1);
    clock += 5_001;
    expect(await refusal(verifier.verify(bad))).toMatchObject({ reason: 'signature' });
    expect(keys.calls()).toBe(2);
  });

  it('never remembers "cannot check" (503)', async () => {
    let fail = true;
    const local = createLocalJWKSet(issuer.jwks());
    const flaky: JWTVerifyGetKey = (h, t) => (fail ? Promise.reject(new errors.JWKSTimeout()) : local(h, t));
    const verifier = createTokenVerifier(policyFor([issuer]), { keySet: flaky });
    const token = await issuer.mint();
    expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    fail = false;
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u1' });
  });

  it('is bounded: the least recently used entry goes', () => {
    const cache = createVerificationCache({ maxEntries: 3 });
    const principal = toPrincipal({ iss: 'i', sub: 's', exp: Math.floor(Date.now() / 1000) + 60 }, policyFor(['i']));
    for (const t of ['a', 'b', 'c', 'd']) cache.setPrincipal(tokenCacheKey(t), principal);
    expect(cache.size).toBe(3);
    expect(cache.get(tokenCacheKey('a'))).toBeUndefined();
    expect(cache.get(tokenCacheKey('d'))).toEqual({ ok: true, principal });
  });

  it('keeps refusals apart: a flood of bad tokens never pushes a principal out', () => {
    const cache = createVerificationCache({ maxEntries: 3, maxFailures: 2 });
    const principal = toPrincipal({ iss: 'i', sub: 's', exp: Math.floor(Date.now() / 1000) + 60 }, policyFor(['i']));
    cache.setPrincipal(tokenCacheKey('good'), principal);
    for (let i = 0; i < 100; i++) cache.setFailure(tokenCacheKey(`bad-${i}`), new InvalidTokenError('signature'));
    expect(cache.get(tokenCacheKey('good'))).toEqual({ ok: true, principal });
    expect(cache.size).toBe(3);
  });

  it.each<[string, number]>([
    ['already expired', -1],
    ['expiring now', 0],
  ])('does not store a principal %s', (_name, offsetSeconds) => {
    const cache = createVerificationCache();
    const principal = toPrincipal({ iss: 'i', sub: 's', exp: Math.floor(Date.now() / 1000) + offsetSeconds }, policyFor(['i']));
    cache.setPrincipal(tokenCacheKey('t'), principal);
    expect(cache.size).toBe(0);
  });

  it('keys by SHA-256, never the token', () => {
    const cache = createVerificationCache();
    cache.setFailure(tokenCacheKey('secret-token'), new InvalidTokenError('malformed'));
    expect(tokenCacheKey('secret-token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenCacheKey('secret-token')).toBe(createHash('sha256').update('secret-token').digest('base64url'));
    expect(cache.get(tokenCacheKey('secret-token'))).toMatchObject({ ok: false });
  });
});

describe('logging', () => {
  it('logs each refusal (at debug) with reason and fingerprint, never the token', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger({ level: 'debug', destination });
    const verifier = createTokenVerifier(policyFor([issuer]), { logger, keySet: createLocalJWKSet(issuer.jwks()) });
    const tokens = [
      await issuer.mint({ aud: 'x' }),
      handmadeJws({ alg: 'none' }, { iss: issuer.issuer }),
      'opaque-secret-value',
      (await issuer.mint()).slice(0, -3) + 'AAA',
    ];
    for (const token of tokens) await refusal(verifier.verify(token));
    expect(lines).toHaveLength(tokens.length);
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries.map((e) => e.reason)).toEqual(['audience', 'algorithm', 'malformed', 'signature']);
    for (const [i, token] of tokens.entries()) {
      expect(entries[i]!.fingerprint).toMatch(/^[A-Za-z0-9_-]{12}$/);
      for (const part of token.split('.').filter((p) => p.length > 8)) expect(lines.join('\n')).not.toContain(part);
    }
  });
});
