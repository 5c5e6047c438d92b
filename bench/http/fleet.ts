/**
 * The processes of an HTTP measurement: server children by kind, one load-generator child,
 * and the IPC calls between them. Every process is loopback-only and stopped by its own pid.
 */
import { startChild, type BenchChild } from '../lib/child.js';
import type { LoadResult, LoadSpec } from './load-child.js';
import type { ListeningMessage, MemoryMessage, ServerKind } from './server-child.js';

/** A server child and its URL; `memory` holds its latest samples. */
export interface ServerHandle {
  readonly kind: ServerKind;
  readonly url: string;
  readonly child: BenchChild;
  readonly memory: MemoryMessage[];
}

/**
 * Starts a server of `kind` in its own process and waits until it listens.
 *
 * @example
 * ```ts
 * const server = await startServer('gatepass', { GATEPASS_DEV_KEY_DIR: dir });
 * ```
 */
export async function startServer(kind: ServerKind, env: Readonly<Record<string, string>>): Promise<ServerHandle> {
  const memory: MemoryMessage[] = [];
  const child = startChild('http/server-child.ts', [kind], {
    env,
    onMessage: (message) => {
      if (message.type === 'memory') {
        memory.push(message as unknown as MemoryMessage);
        if (memory.length > 2_000) memory.splice(0, 1_000);
      }
    },
  });
  const failed = child.next<{ type: 'error'; message: string }>('error').then((m) => {
    throw new Error(`server ${kind} failed to start: ${m.message}`);
  });
  failed.catch(() => undefined);
  const { url } = await Promise.race([child.next<ListeningMessage & { [k: string]: unknown }>('listening'), failed]);
  return { kind, url, child, memory };
}

/** The load generator child. */
export interface LoadGenerator {
  /** Runs the specs at the same time; one result per spec. */
  run(specs: readonly LoadSpec[]): Promise<LoadResult[]>;
  stop(): Promise<void>;
}

/** Starts the load generator in its own process. */
export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = startChild('http/load-child.ts');
  await child.next('ready');
  let id = 0;
  return {
    async run(specs) {
      const request = ++id;
      child.send({ type: 'load', id: request, specs: [...specs] });
      const reply = await child.next<{ type: 'load-result'; id: number; results: LoadResult[] }>('load-result');
      if (reply.id !== request) throw new Error('load generator answered out of order');
      return reply.results;
    },
    stop: () => child.stop(),
  };
}

/**
 * Sends one GraphQL request and returns status and JSON body: the correctness probe run before
 * any load, so that a fast 200 full of errors is never taken for a fast answer.
 */
export async function probe(url: string, body: string, token?: string): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // kept as text
  }
  return { status: response.status, json };
}
