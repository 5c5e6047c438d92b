/**
 * How much a WebSocket client may hold of the server: the bounds of the subscription transport
 * (graphql-ws on `/graphql`), read from the environment. Every bound fails closed with a close
 * code from the README's table (`src/server/close-codes.ts`).
 * @see README "Subscriptions"
 */
import type { EnvReader } from './env-reader.js';

/** Bounds of the WebSocket transport. */
export interface WebSocketLimits {
  /** A socket that sends no `connection_init` within this many ms is closed (4408). @default 3000 */
  readonly initTimeoutMs: number;
  /** Largest message accepted; a bigger one closes the socket (1009, ws's `maxPayload`). @default 102400 */
  readonly maxPayloadBytes: number;
  /** Open sockets per process; one more is closed at once (4429). @default 10000 */
  readonly maxConnections: number;
  /** Operations running at once on one socket; one more closes it (4429). @default 100 */
  readonly maxSubscriptionsPerConnection: number;
}

/** The defaults of {@link WebSocketLimits}, for library users who build the transport themselves. */
export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = Object.freeze({
  initTimeoutMs: 3_000,
  maxPayloadBytes: 100 * 1024,
  maxConnections: 10_000,
  maxSubscriptionsPerConnection: 100,
});

/**
 * Reads `WS_INIT_TIMEOUT_MS`, `WS_MAX_PAYLOAD_BYTES`, `WS_MAX_CONNECTIONS` and
 * `WS_MAX_SUBSCRIPTIONS`; a bad value is reported (with its fix) by the reader like any other.
 *
 * @example
 * ```ts
 * const websocket = readWebSocketLimits(new EnvReader(process.env, problems));
 * ```
 */
export function readWebSocketLimits(reader: EnvReader): WebSocketLimits {
  const d = DEFAULT_WEBSOCKET_LIMITS;
  return {
    // Not 0: graphql-ws reads 0 as "wait forever", an unbounded hold on a socket.
    initTimeoutMs: reader.integer('WS_INIT_TIMEOUT_MS', d.initTimeoutMs, 100, 60_000),
    // A subscription document and its variables; 16 MiB at most, far above any sane operation.
    maxPayloadBytes: reader.integer('WS_MAX_PAYLOAD_BYTES', d.maxPayloadBytes, 1_024, 16 * 1024 * 1024),
    maxConnections: reader.integer('WS_MAX_CONNECTIONS', d.maxConnections, 1, 1_000_000),
    maxSubscriptionsPerConnection: reader.integer('WS_MAX_SUBSCRIPTIONS', d.maxSubscriptionsPerConnection, 1, 10_000),
  };
}
