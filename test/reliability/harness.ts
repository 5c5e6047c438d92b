/**
 * The reliability suite's moving parts: real API processes (`node --import tsx
 * src/server/main.ts`, PORT=0, production mode) against a real issuer and a real redis-server,
 * a plain HTTP client without connection reuse, and a bounded load loop that checks every answer.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

const MAIN = new URL('../../src/server/main.ts', import.meta.url).pathname;
/** One connection per request: a draining server closes kept-alive sockets under a client's feet. */
const NO_REUSE = new Agent({ keepAlive: false, maxSockets: Infinity });

/** A running API process. */
export interface Instance {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  readonly graphql: string;
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  signal(signal: NodeJS.Signals): void;
}

/** A spawned process before it listens (for startup failures). */
export interface Spawned {
  readonly pid: number;
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  signal(signal: NodeJS.Signals): void;
}

/** The environment of a fleet member against `issuer`, with `REDIS_URL`. */
export function fleetEnv(issuer: TestIssuer, redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: '0',
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    // An unknown kid may refetch the key set every half second (the default 30 s would hide the outage).
    AUTH_JWKS_COOLDOWN_MS: '500',
    AUTH_HTTP_TIMEOUT_MS: '1000',
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/** Spawns `npm start`'s entry point with exactly `env` (plus PATH). */
export function spawnServer(env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    pid: child.pid ?? -1,
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    stdout: () => out,
    stderr: () => err,
    signal: (signal) => {
      if (child.exitCode === null) child.kill(signal);
    },
  };
}

/** Spawns a server and waits for its "gatepass listening" line. */
export async function startInstance(name: string, env: Record<string, string>, timeoutMs = 20_000): Promise<Instance> {
  const spawned = spawnServer(env);
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void spawned.exit.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/graphql"[^\n]*"gatepass listening"/.exec(spawned.stdout());
    if (match) return { ...spawned, name, base: match[1]!, graphql: `${match[1]}/graphql` };
    await sleep(50);
  }
  spawned.signal('SIGKILL');
  throw new Error(`${name} did not start:\n${spawned.stderr()}`);
}

/** Stops instances (SIGTERM), waiting for each exit. */
export async function stopAll(instances: readonly Instance[]): Promise<void> {
  await Promise.all(instances.map(async (instance) => {
    instance.signal('SIGTERM');
    await instance.exit;
  }));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A response as the suite reads it; `error` when the connection failed. */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly json: any;
  readonly error?: string;
}

/** One HTTP request, no connection reuse; a failed connection is a reply with `error`. */
export function call(url: string, options: { method?: string; headers?: ReadonlyArray<readonly [string, string]>; body?: string } = {}): Promise<Reply> {
  const target = new URL(url);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of options.headers ?? []) {
    const key = name.toLowerCase();
    const previous = headers[key];
    headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return new Promise((resolve) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'POST', headers, agent: NO_REUSE }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
      res.on('error', (error) => resolve({ status: 0, headers: {}, json: undefined, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    });
    req.on('error', (error) => resolve({ status: 0, headers: {}, json: undefined, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end(options.body);
  });
}

/** POSTs a GraphQL operation with an optional bearer token. */
export function query(instance: Instance, text: string, token?: string, variables?: Record<string, unknown>): Promise<Reply> {
  return call(instance.graphql, {
    headers: [['content-type', 'application/json'], ...(token === undefined ? [] : [['authorization', `Bearer ${token}`] as const])],
    body: JSON.stringify({ query: text, ...(variables ? { variables } : {}) }),
  });
}

/** The outcome class of a reply, as the suite counts them. */
export type Outcome = 'admitted' | 'forbidden' | '400' | '401' | '503' | 'other';

/** Classifies a reply to `{ users { name } }`. */
export function classify(reply: Reply): Outcome {
  if (reply.status === 200 && Array.isArray(reply.json?.data?.users)) return 'admitted';
  if (reply.status === 200 && reply.json?.errors?.[0]?.extensions?.code === 'FORBIDDEN') return 'forbidden';
  if (reply.status === 400 && String(reply.headers['www-authenticate']).includes('invalid_request')) return '400';
  if (reply.status === 401 && String(reply.headers['www-authenticate']).startsWith('Bearer')) return '401';
  if (reply.status === 503 && reply.headers['retry-after'] !== undefined) return '503';
  return 'other';
}

/** One kind of request in the load mix. */
export interface LoadCase {
  readonly name: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The outcomes that are right for it (503 only where an outage is expected). */
  readonly allowed: readonly Outcome[];
}

/** What a load run saw. */
export interface LoadResult {
  readonly sent: number;
  readonly ms: number;
  readonly counts: Record<Outcome, number>;
  readonly perCase: Record<string, Partial<Record<Outcome, number>>>;
  /** Replies whose outcome was not allowed for their case (should be empty). */
  readonly wrong: Array<{ case: string; instance: string; outcome: Outcome; status: number; atMs: number; error?: string }>;
}

/**
 * Sends the mix round-robin over `instances`, `concurrency` at a time, until `count` requests
 * or `maxMs` have passed, whichever first (bounded both ways).
 */
export async function runLoad(instances: readonly Instance[], cases: readonly LoadCase[], options: { count: number; maxMs: number; concurrency: number; casesAt?: (elapsedMs: number) => readonly LoadCase[] }): Promise<LoadResult> {
  const counts: Record<Outcome, number> = { admitted: 0, forbidden: 0, '400': 0, '401': 0, '503': 0, other: 0 };
  const perCase: LoadResult['perCase'] = {};
  const wrong: LoadResult['wrong'] = [];
  const started = performance.now();
  let next = 0;
  const body = JSON.stringify({ query: '{ users { name } }' });
  const worker = async (): Promise<void> => {
    while (next < options.count && performance.now() - started < options.maxMs) {
      const i = next++;
      const mix = options.casesAt?.(performance.now() - started) ?? cases;
      const item = mix[i % mix.length]!;
      const instance = instances[Math.floor(i / mix.length) % instances.length]!;
      const reply = await call(instance.graphql, { headers: [['content-type', 'application/json'], ...item.headers], body });
      const outcome = classify(reply);
      counts[outcome]++;
      const c = (perCase[item.name] ??= {});
      c[outcome] = (c[outcome] ?? 0) + 1;
      if (!item.allowed.includes(outcome)) {
        wrong.push({ case: item.name, instance: instance.name, outcome, status: reply.status, atMs: Math.round(performance.now() - started), ...(reply.error ? { error: reply.error } : {}) });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { sent: Math.min(next, options.count), ms: Math.round(performance.now() - started), counts, perCase, wrong };
}

/** Figures the suite prints at the end (README "Running several instances" quotes them). */
export function report(title: string, figures: Record<string, unknown>): void {
  process.stdout.write(`\nRELIABILITY ${title}: ${JSON.stringify(figures)}\n`);
}
