/**
 * The real graphql-ws client against a real server, for tests: connect with some
 * `connectionParams`, see how (and when) the socket closed, run operations and collect events.
 */
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';

type ExecutionResult = FormattedExecutionResult<Record<string, unknown>, unknown>;
import { WebSocket } from 'ws';

/** How a socket ended, as the client saw it. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
  /** ms since the client was created. */
  readonly afterMs: number;
}

/** A connected (or refused) test client. */
export interface TestWsClient {
  readonly client: Client;
  /** Resolves when the server acknowledged, rejects with the close when it refused. */
  readonly connected: Promise<void>;
  /** Resolves with the first close. */
  readonly closed: Promise<Closed>;
  /** Subscribes; events land in `events`, the end (or error) resolves `done`. */
  subscribe(query: string, variables?: Record<string, unknown>): TestSubscription;
  dispose(): Promise<void>;
}

/** One running operation. */
export interface TestSubscription {
  readonly events: ExecutionResult[];
  /** `complete`, or the error payload (GraphQL errors, or the close event). */
  readonly done: Promise<{ kind: 'complete' } | { kind: 'error'; error: unknown }>;
  /** Resolves once `events` has `count` entries (bounded by `timeoutMs`). */
  next(count: number, timeoutMs?: number): Promise<ExecutionResult[]>;
  unsubscribe(): void;
}

/** `http://h:p/graphql` → `ws://h:p/graphql` (https → wss). */
export function wsUrl(httpUrl: string): string {
  return httpUrl.replace(/^http/, 'ws');
}

/** Connects eagerly, never retries: each test sees exactly what the server did. */
export function connectWs(
  url: string,
  connectionParams?: Record<string, unknown> | (() => Record<string, unknown>),
  options: { tls?: { ca: string | Buffer; cert?: string | Buffer; key?: string | Buffer } } = {},
): TestWsClient {
  const started = performance.now();
  let resolveClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve));
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const connected = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  connected.catch(() => {});
  const Impl = options.tls ? class extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { ...options.tls });
    }
  } : WebSocket;
  const client = createClient({
    url: wsUrl(url),
    webSocketImpl: Impl,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: {
      connected: () => settle.resolve(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        const close = { code, reason: String(reason), afterMs: performance.now() - started };
        settle.reject(close);
        resolveClosed(close);
      },
    },
  });
  return {
    client,
    connected,
    closed,
    subscribe(query, variables) {
      const events: ExecutionResult[] = [];
      let unsubscribe = (): void => {};
      const done = new Promise<{ kind: 'complete' } | { kind: 'error'; error: unknown }>((resolve) => {
        unsubscribe = client.subscribe({ query, ...(variables ? { variables } : {}) }, {
          next: (value) => void events.push(value),
          error: (error) => resolve({ kind: 'error', error }),
          complete: () => resolve({ kind: 'complete' }),
        });
      });
      return {
        events,
        done,
        unsubscribe: () => unsubscribe(),
        async next(count, timeoutMs = 5_000) {
          const deadline = performance.now() + timeoutMs;
          while (events.length < count) {
            if (performance.now() > deadline) throw new Error(`expected ${count} events, got ${events.length}`);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          return events;
        },
      };
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
