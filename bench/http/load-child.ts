/**
 * Child process entry: the load generator (autocannon's programmatic API), in its own process
 * so that it never shares a CPU queue with the server it measures. Stays up between runs; the
 * parent sends `load` messages and gets `load-result` back.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { sendToParent } from '../lib/child.js';

/** One bounded load: loopback URL, connections, duration, and which credentials to send. */
export interface LoadSpec {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly body: string;
  /** One token on every request, or none (anonymous). */
  readonly token?: string;
  /** A JSON file holding a token array, rotated one per request from `offset`. */
  readonly tokensFile?: string;
  readonly offset?: number;
}

/** What one load measured. */
export interface LoadResult {
  readonly rps: number;
  /** Latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly completed: number;
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

const tokenFiles = new Map<string, readonly string[]>();

function tokensOf(file: string): readonly string[] {
  let tokens = tokenFiles.get(file);
  if (!tokens) tokenFiles.set(file, (tokens = JSON.parse(readFileSync(file, 'utf8')) as string[]));
  return tokens;
}

/**
 * Runs one load. Rotation happens in `setupRequest`, so every request carries the next token
 * of the list: with more tokens than the verifier's cache holds, each is a miss.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const baseHeaders: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.token) baseHeaders.authorization = `Bearer ${spec.token}`;
  const tokens = spec.tokensFile ? tokensOf(spec.tokensFile) : undefined;
  let next = spec.offset ?? 0;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        body: spec.body,
        headers: baseHeaders,
        ...(tokens
          ? {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...baseHeaders, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
              }),
            }
          : {}),
      },
    ],
  });
  const completed = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    rps: completed / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.on('message', (raw) => {
  const message = raw as { type: string; id: number; specs: LoadSpec[] };
  if (message.type !== 'load') return;
  // Several specs run at once (the flood and the valid client side by side).
  Promise.all(message.specs.map(runLoad)).then(
    (results) => sendToParent({ type: 'load-result', id: message.id, results }),
    (error: unknown) => sendToParent({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
sendToParent({ type: 'ready' });
