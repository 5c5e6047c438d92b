import { createHash } from 'node:crypto';
import { createLocalJWKSet } from 'jose';
import { loadConfig } from '../../src/config/load-config.js';
import { createTokenVerifier } from '../../src/token/verify.js';
import { createVerificationCache, tokenCacheKey } from '../../src/token/cache.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, generateBenchKeys, publicKeySet, signBenchToken } from '../tokens/keys.js';
const keys = await generateBenchKeys(['RS256']);
const token = await signBenchToken(keys[0]!);
console.log('token length', token.length);
const policy = loadConfig({ AUTH_ISSUER: BENCH_ISSUER, AUTH_AUDIENCE: BENCH_AUDIENCE }).token;
const v = createTokenVerifier(policy, { keySet: createLocalJWKSet(publicKeySet(keys)) });
await v.verify(token);
const cache = createVerificationCache();
const p = await v.verify(token);
cache.setPrincipal(token, p);
async function time(name: string, f: () => unknown, n = 200_000) {
  for (let r = 0; r < 3; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) { const x = f(); if (x instanceof Promise) await x; }
    if (r === 2) console.log(name, (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(3), 'us');
  }
}
await time('sha256 base64url', () => createHash('sha256').update(token).digest('base64url'));
await time('tokenCacheKey', () => tokenCacheKey(token));
await time('cache.get', () => cache.get(token));
await time('verifier.verify hit', () => v.verify(token));
await time('async noop', async () => p);
const { hash } = await import('node:crypto') as unknown as { hash: (a: string, d: string, e: string) => string };
await time('crypto.hash one-shot', () => hash('sha256', token, 'base64url'));
const m = new Map([[tokenCacheKey(token), 1]]);
await time('Map.get by key (no hash)', () => m.get(tokenCacheKey(token)));
