/**
 * The "HTTP" scenario: the reference server (dev mode) under autocannon with real tokens, next
 * to the same server and schema with no authentication, a plain-jose server and gatepass with
 * its cache off; and GraphQL Yoga with useGatepass beside Yoga with no authentication. Every server in its own process, the load generator in another.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDevIssuer } from '../../src/dev/dev-issuer.js';
import { shuffled } from '../lib/stats.js';
import { probe, startLoadGenerator, startServer, type ServerHandle } from './fleet.js';
import type { LoadResult, LoadSpec } from './load-child.js';
import type { ServerKind } from './server-child.js';

/** The query every HTTP variant sends: a guarded list with a guarded field. */
export const HTTP_QUERY = JSON.stringify({ query: '{ users { id name email } }' });

/** One HTTP variant: a server kind and the credentials its clients send. */
interface HttpVariant {
  readonly id: string;
  readonly label: string;
  readonly server: ServerKind;
  readonly credentials: 'none' | 'same-token' | 'rotating';
}

const VARIANTS: readonly HttpVariant[] = [
  { id: 'noauth', label: 'Apollo + same listener + example schema, no transformer, no token check (baseline)', server: 'noauth', credentials: 'none' },
  { id: 'gatepass-hit', label: 'gatepass, same token every request (cache hits)', server: 'gatepass', credentials: 'same-token' },
  { id: 'gatepass-miss', label: 'gatepass, rotating distinct tokens (cache misses)', server: 'gatepass', credentials: 'rotating' },
  { id: 'jose-plain', label: 'plain jose jwtVerify on every request (rotating tokens)', server: 'jose-plain', credentials: 'rotating' },
  { id: 'gatepass-nocache', label: 'gatepass verifier with cache: false (rotating tokens)', server: 'gatepass-nocache', credentials: 'rotating' },
  { id: 'yoga-noauth', label: 'Yoga + example schema, no transformer, no token check (Yoga baseline)', server: 'yoga-noauth', credentials: 'none' },
  { id: 'yoga-gatepass-hit', label: 'Yoga + useGatepass, same token every request (cache hits)', server: 'yoga-gatepass', credentials: 'same-token' },
];

/** What the scenario returns: per variant, one {@link LoadResult} per round. */
export interface HttpResults {
  readonly samples: Readonly<Record<string, LoadResult[]>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly rotatingTokens: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
}

/**
 * Runs the scenario. `rotatingTokens` (20 000) exceeds the verifier's cache bound (10 000), and
 * the rotation continues across runs, so no rotated token is still cached when it comes back;
 * `--quick` sends fewer requests than its 5 000 tokens, so none comes back at all.
 */
export async function runHttpScenario(quick: boolean): Promise<HttpResults> {
  const rounds = quick ? 2 : 5;
  const durationSeconds = quick ? 0.75 : 2.5;
  const connections = 10;
  const rotatingTokens = quick ? 5_000 : 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'gatepass-bench-'));
  const env = { GATEPASS_DEV_KEY_DIR: join(dir, 'keys') };
  const dev = await openDevIssuer(env.GATEPASS_DEV_KEY_DIR); // creates the key before any server reads it
  const mint = () => dev.mint({ sub: 'u1', scope: 'read:user read:email', ttlSeconds: 3_600 });
  const token = await mint();
  const tokens: string[] = [];
  const tokensFile = join(dir, 'tokens.json');
  const minted = (async () => {
    while (tokens.length < rotatingTokens) tokens.push(...(await Promise.all(Array.from({ length: 200 }, mint))));
    await writeFile(tokensFile, JSON.stringify(tokens));
  })();

  const servers = new Map<string, ServerHandle>();
  const load = await startLoadGenerator();
  try {
    // Servers boot while the tokens are minted: both are set-up, nothing is timed yet.
    const [started] = await Promise.all([Promise.all(VARIANTS.map((variant) => startServer(variant.server, env))), minted]);
    VARIANTS.forEach((variant, i) => servers.set(variant.id, started[i]!));
    for (const variant of VARIANTS) {
      const server = servers.get(variant.id)!;
      const answer = await probe(server.url, HTTP_QUERY, variant.credentials === 'none' ? undefined : (variant.credentials === 'same-token' ? token : tokens[0]));
      const users = (answer.json as { data?: { users?: Array<{ email?: string }> }; errors?: unknown }).data?.users;
      if (answer.status !== 200 || !users?.[0]?.email || (answer.json as { errors?: unknown }).errors) {
        throw new Error(`HTTP variant ${variant.id} answers wrongly: ${answer.status} ${JSON.stringify(answer.json).slice(0, 200)}`);
      }
    }
    const offsets = new Map<string, number>();
    const specOf = (variant: HttpVariant, seconds: number): LoadSpec => ({
      url: servers.get(variant.id)!.url,
      connections,
      durationSeconds: seconds,
      body: HTTP_QUERY,
      ...(variant.credentials === 'same-token' ? { token } : {}),
      ...(variant.credentials === 'rotating' ? { tokensFile, offset: offsets.get(variant.id) ?? 1 } : {}),
    });
    const runOne = async (variant: HttpVariant, seconds: number): Promise<LoadResult> => {
      const [result] = await load.run([specOf(variant, seconds)]);
      offsets.set(variant.id, (offsets.get(variant.id) ?? 1) + result!.completed + connections);
      return result!;
    };
    for (const variant of shuffled(VARIANTS)) await runOne(variant, quick ? 0.5 : 2.5); // warm-up: Apollo + JIT need a few thousand requests
    const samples: Record<string, LoadResult[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const variant of shuffled(VARIANTS)) (samples[variant.id] ??= []).push(await runOne(variant, durationSeconds));
    }
    return { samples, labels: Object.fromEntries(VARIANTS.map((v) => [v.id, v.label])), rotatingTokens, connections, durationSeconds, rounds };
  } finally {
    await load.stop();
    for (const server of servers.values()) await server.child.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
