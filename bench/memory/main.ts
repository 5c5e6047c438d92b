/**
 * Child process entry of the memory scenario (run with `--expose-gc`): many distinct valid
 * tokens through one verifier, heap measured after GC at checkpoints, compared with the cache
 * bound (max entries × an entry's approximate size, measured independently).
 */
import { createLocalJWKSet, decodeJwt } from 'jose';
import { loadConfig } from '../../src/config/load-config.js';
import { DEFAULT_CACHE_MAX_ENTRIES, tokenCacheKey } from '../../src/token/cache.js';
import { toPrincipal } from '../../src/token/principal.js';
import { createTokenVerifier } from '../../src/token/verify.js';
import { runAsChild } from '../lib/child.js';
import { collectGarbage } from '../lib/timing.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, createFastSigner, generateBenchKeys, publicKeySet, type FastSigner } from '../tokens/keys.js';

/** What the child sends back. */
export interface MemoryResults {
  readonly tokens: number;
  readonly maxEntries: number;
  /** Approximate bytes per cache entry: key + entry + principal, plus lru-cache bookkeeping. */
  readonly entryBytes: number;
  /** maxEntries × entryBytes. */
  readonly boundBytes: number;
  /** Heap growth after GC, bytes, at each checkpoint (tokens verified → growth). */
  readonly growth: ReadonlyArray<{ readonly tokens: number; readonly bytes: number }>;
  readonly seconds: number;
}

/** lru-cache 11 per slot: key + value slots, next/prev indexes, ttl + start, Map entry. */
const LRU_BOOKKEEPING_BYTES = 8 + 8 + 4 + 4 + 8 + 8 + 40;

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Bytes per entry, measured on 2 000 entries shaped like the cache's, held in an array. */
function measureEntryBytes(signToken: FastSigner, policy: Parameters<typeof toPrincipal>[1]): number {
  const count = 2_000;
  const tokens = Array.from({ length: count }, (_, i) => signToken({ sub: `user-${i}`, scope: 'read:user read:email' }));
  const claims = tokens.map((t) => decodeJwt(t));
  const before = heapAfterGc();
  const held = claims.map((c, i) => ({ key: tokenCacheKey(tokens[i]!), entry: { value: { ok: true, principal: toPrincipal(c, policy) }, expiresAtMs: 0 } }));
  const after = heapAfterGc();
  if (held.length !== count) throw new Error('unreachable');
  return Math.round((after - before) / count) + LRU_BOOKKEEPING_BYTES;
}

async function main(): Promise<MemoryResults> {
  const quick = process.argv.includes('--quick');
  const total = quick ? 11_000 : 200_000;
  const checkpoints = quick ? [10_000, 11_000] : [10_000, 50_000, 100_000, 200_000];
  const [key] = await generateBenchKeys(['EdDSA']);
  const signToken = createFastSigner(key!.privateKey, key!.kid, { iss: BENCH_ISSUER, aud: BENCH_AUDIENCE });
  const policy = loadConfig({ AUTH_ISSUER: BENCH_ISSUER, AUTH_AUDIENCE: BENCH_AUDIENCE }).token;
  const entryBytes = measureEntryBytes(signToken, policy);
  const verifier = createTokenVerifier(policy, { keySet: createLocalJWKSet(publicKeySet([key!])) });
  await verifier.verify(signToken({ sub: 'warm-up' })); // code paths loaded before the baseline
  const start = performance.now();
  const base = heapAfterGc();
  const growth: Array<{ tokens: number; bytes: number }> = [];
  const batch = 64;
  for (let done = 0; done < total; done += batch) {
    await Promise.all(Array.from({ length: batch }, (_, i) => verifier.verify(signToken({ sub: `user-${done + i}`, scope: 'read:user read:email' }))));
    if (checkpoints.some((c) => c > done && c <= done + batch)) {
      growth.push({ tokens: done + batch, bytes: heapAfterGc() - base });
    }
  }
  verifier.close();
  return {
    tokens: total,
    maxEntries: DEFAULT_CACHE_MAX_ENTRIES,
    entryBytes,
    boundBytes: DEFAULT_CACHE_MAX_ENTRIES * entryBytes,
    growth,
    seconds: (performance.now() - start) / 1000,
  };
}

runAsChild(main);
