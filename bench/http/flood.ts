/**
 * The "flood" scenario: tokens with bad signatures and random `kid`s against a production-mode
 * server whose JWKS is a loopback endpoint we run and count, while a valid client keeps asking.
 * Answers: do JWKS fetches stay at one per cooldown, does memory stay bounded, and do valid
 * requests keep succeeding?
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJwksServer } from '../tokens/jwks-server.js';
import { BENCH_AUDIENCE, BENCH_ISSUER, generateBenchKeys, publicKeySet, signBenchToken, tamperSignature } from '../tokens/keys.js';
import { probe, startLoadGenerator, startServer } from './fleet.js';
import type { LoadResult } from './load-child.js';
import { HTTP_QUERY } from './scenario.js';

/** What the flood measured. */
export interface FloodResults {
  readonly durationSeconds: number;
  readonly cooldownMs: number;
  readonly floodTokens: number;
  /** Key set fetches before the flood (startup + probes), and during the flood. */
  readonly fetchesAtStartup: number;
  readonly fetchesDuringFlood: number;
  /** Most fetches allowed: one per cooldown window the flood spans. */
  readonly fetchesAllowed: number;
  readonly flood: LoadResult;
  /** The valid client, alone first, then during the flood. */
  readonly validAlone: LoadResult;
  readonly validDuringFlood: LoadResult;
  /** Server memory, bytes: before the flood, highest during it, and at its end. */
  readonly memory: { readonly rssBefore: number; readonly rssPeak: number; readonly heapBefore: number; readonly heapPeak: number; readonly heapAfter: number };
}

/**
 * Runs the flood: half the tokens name a random `kid` (unknown key: a refetch is due, at most
 * once per cooldown), half carry a known `kid` with a tampered signature.
 */
export async function runFloodScenario(quick: boolean): Promise<FloodResults> {
  const durationSeconds = quick ? 1.5 : 10;
  const cooldownMs = 2_000; // short, so that a flood of seconds spans several cooldown windows
  const floodTokens = quick ? 1_000 : 6_000;
  const dir = await mkdtemp(join(tmpdir(), 'gatepass-flood-'));
  const [key] = await generateBenchKeys(['ES256']);
  const jwks = await startJwksServer(publicKeySet([key!]));
  const valid = await signBenchToken(key!, { scope: 'read:user read:email' });
  const bad: string[] = [];
  while (bad.length < floodTokens) {
    const batch = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0 ? signBenchToken(key!, { kid: randomUUID() }) : signBenchToken(key!).then((t) => tamperSignature(t, i))));
    bad.push(...batch);
  }
  const tokensFile = join(dir, 'flood.json');
  await writeFile(tokensFile, JSON.stringify(bad));

  const server = await startServer('gatepass-prod', {
    AUTH_ISSUER: BENCH_ISSUER,
    AUTH_AUDIENCE: BENCH_AUDIENCE,
    AUTH_JWKS_URI: jwks.url,
    AUTH_JWKS_COOLDOWN_MS: String(cooldownMs),
    AUTH_ALGORITHMS: 'ES256',
  });
  const load = await startLoadGenerator();
  try {
    const answer = await probe(server.url, HTTP_QUERY, valid);
    if (answer.status !== 200 || (answer.json as { errors?: unknown }).errors) {
      throw new Error(`production server refuses the valid token: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
    }
    const refused = await probe(server.url, HTTP_QUERY, bad[0]);
    if (refused.status !== 401) throw new Error(`production server answers a bad token with ${refused.status}, not 401`);
    const fetchesAtStartup = jwks.fetches();
    const validSpec = { url: server.url, connections: 2, durationSeconds, body: HTTP_QUERY, token: valid };
    const [validAlone] = await load.run([validSpec]);
    const latest = () => server.memory[server.memory.length - 1];
    const before = latest();
    const samplesBefore = server.memory.length;
    jwks.resetCount();
    const [flood, validDuringFlood] = await load.run([
      { url: server.url, connections: 20, durationSeconds, body: HTTP_QUERY, tokensFile, offset: 0 },
      validSpec,
    ]);
    const fetchesDuringFlood = jwks.fetches();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = server.memory.slice(samplesBefore);
    return {
      durationSeconds,
      cooldownMs,
      floodTokens,
      fetchesAtStartup,
      fetchesDuringFlood,
      fetchesAllowed: Math.floor((durationSeconds * 1000) / cooldownMs) + 1,
      flood: flood!,
      validAlone: validAlone!,
      validDuringFlood: validDuringFlood!,
      memory: {
        rssBefore: before?.rss ?? Number.NaN,
        rssPeak: Math.max(...during.map((m) => m.rss)),
        heapBefore: before?.heapUsed ?? Number.NaN,
        heapPeak: Math.max(...during.map((m) => m.heapUsed)),
        heapAfter: latest()?.heapUsed ?? Number.NaN,
      },
    };
  } finally {
    await load.stop();
    await server.child.stop();
    await jwks.close();
    await rm(dir, { recursive: true, force: true });
  }
}
