/**
 * Child process entry of the "token verification" scenario: jose `jwtVerify` per algorithm
 * against a local and a warmed remote key set, and gatepass's verifier (cache hit, and with
 * its cache off) through its public API. Microseconds per operation, sequential awaits.
 */
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { loadConfig } from '../../src/config/load-config.js';
import { createTokenVerifier } from '../../src/token/verify.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { createAuthContextFunction } from '../../src/server/context.js';
import { runAsChild } from '../lib/child.js';
import { shuffled } from '../lib/stats.js';
import { calibrate, timeSample } from '../lib/timing.js';
import { startJwksServer } from './jwks-server.js';
import { dpopOps } from './dpop-ops.js';
import { BENCH_ALGORITHMS, BENCH_AUDIENCE, BENCH_ISSUER, generateBenchKeys, publicKeySet, signBenchToken } from './keys.js';

/** What the child sends back: operation id → µs per op, one value per round. */
export interface TokenResults {
  readonly samples: Readonly<Record<string, number[]>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly rounds: number;
}

/** The ratio denominator: jose RS256 against a local key set. */
export const TOKEN_BASELINE = 'jose-local-RS256';

async function main(): Promise<TokenResults> {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 3 : 15;
  const keys = await generateBenchKeys();
  const jwks = publicKeySet(keys);
  const jwksServer = await startJwksServer(jwks);
  const local = createLocalJWKSet(jwks);
  const remote = createRemoteJWKSet(new URL(jwksServer.url));
  await remote.reload(); // warmed: timing sees the cached key set, not the fetch
  const verifyOptions = { issuer: BENCH_ISSUER, audience: BENCH_AUDIENCE, algorithms: [...BENCH_ALGORITHMS] };

  const ops: Record<string, () => Promise<unknown>> = {};
  const labels: Record<string, string> = {};
  const tokens = new Map<string, string>();
  for (const key of keys) {
    const token = await signBenchToken(key);
    tokens.set(key.alg, token);
    for (const [where, keySet] of [['local', local], ['remote', remote]] as Array<[string, JWTVerifyGetKey]>) {
      ops[`jose-${where}-${key.alg}`] = () => jwtVerify(token, keySet, verifyOptions);
      labels[`jose-${where}-${key.alg}`] = `jose jwtVerify ${key.alg}, ${where === 'local' ? 'createLocalJWKSet' : 'createRemoteJWKSet (loopback, warmed)'}`;
    }
  }

  const policy = loadConfig({ AUTH_ISSUER: BENCH_ISSUER, AUTH_AUDIENCE: BENCH_AUDIENCE }).token;
  const cached = createTokenVerifier(policy, { keySet: local });
  const uncached = createTokenVerifier(policy, { keySet: local, cache: false });
  const rsToken = tokens.get('RS256')!;
  const esToken = tokens.get('ES256')!;
  await cached.verify(rsToken); // now a hit
  ops['gatepass-cache-hit'] = () => cached.verify(rsToken);
  labels['gatepass-cache-hit'] = 'gatepass verifier.verify, verified-token cache hit';
  // What the reference server does per request on a hit: extract, verify (hit + revocation), context.
  const withRevocation = createTokenVerifier(policy, { keySet: local, revocation: createMemoryRevocationStore() });
  const context = createAuthContextFunction({ verifier: withRevocation });
  const body = { query: '{ users { id name email } }' };
  const headers = { host: '127.0.0.1', 'content-type': 'application/json', authorization: `Bearer ${rsToken}` };
  const req = { rawHeaders: Object.entries(headers).flat(), url: '/graphql', headers, body };
  await context({ req });
  ops['gatepass-context-hit'] = () => context({ req });
  labels['gatepass-context-hit'] = 'gatepass per-request auth on a hit: extractBearerToken + verify (+ revocation) + context';
  ops['gatepass-uncached-RS256'] = () => uncached.verify(rsToken);
  labels['gatepass-uncached-RS256'] = 'gatepass verifier.verify RS256, cache off (jose + gatepass checks)';
  ops['gatepass-uncached-ES256'] = () => uncached.verify(esToken);
  labels['gatepass-uncached-ES256'] = 'gatepass verifier.verify ES256, cache off';

  // Proofs are single-use: enough for warm-up (≈200 ms) and every round of ≈25 ms, at ≥ 50 µs each.
  const dpop = await dpopOps(policy, local, keys.find((k) => k.alg === 'RS256')!, quick ? 3_000 : 12_000);
  Object.assign(ops, dpop.ops);
  Object.assign(labels, dpop.labels);

  const reps: Record<string, number> = {};
  for (const id of shuffled(Object.keys(ops))) reps[id] = await calibrate(ops[id]!, quick ? 40 : 200, quick ? 8 : 25);
  const samples: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const id of shuffled(Object.keys(ops))) (samples[id] ??= []).push(await timeSample(ops[id]!, reps[id]!));
  }
  cached.close();
  withRevocation.close();
  uncached.close();
  dpop.close();
  await jwksServer.close();
  return { samples, labels, rounds };
}

runAsChild(main);
