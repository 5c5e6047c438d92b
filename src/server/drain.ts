/**
 * A graceful stop of a Node HTTP(S) server that costs nothing per request while it runs: no
 * listener per request or per connection, only a check of `listening` in the request path.
 * (Apollo's drain plugin counts every request of every socket to do the same.)
 * @see RFC 9112 §9.6 (tearing down a connection with `Connection: close`)
 */
import type { Server, ServerResponse } from 'node:http';

/** Longest wait for in-flight requests before the rest of the connections are cut. */
export const DRAIN_GRACE_MS = 10_000;

/** How often idle keep-alive connections are swept while draining. */
const SWEEP_EVERY_MS = 50;

/**
 * Marks a response as the last of its connection once `server` has stopped listening, so a
 * keep-alive client that sends another request during the drain is answered and then let go.
 * Call it first in the request listener.
 */
export function closeAfterResponseWhenDraining(server: Pick<Server, 'listening'>, res: ServerResponse): void {
  if (!server.listening && !res.headersSent) res.setHeader('connection', 'close');
}

/**
 * Stops accepting connections, closes idle keep-alive connections (again every 50 ms, as
 * in-flight requests finish and leave theirs idle), and resolves once every connection has
 * ended; connections still open after `graceMs` are cut.
 *
 * @example
 * ```ts
 * httpServer.on('request', (req, res) => { closeAfterResponseWhenDraining(httpServer, res); listener(req, res); });
 * await drainHttpServer(httpServer); // on SIGTERM
 * ```
 */
export function drainHttpServer(server: Server, graceMs: number = DRAIN_GRACE_MS): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), SWEEP_EVERY_MS);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cut);
      resolve();
    });
  });
}
