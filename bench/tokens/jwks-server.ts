/**
 * A loopback JWKS endpoint that counts how often it is fetched: the stand-in for an issuer's
 * `jwks_uri` in the token and flood scenarios.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JSONWebKeySet } from 'jose';

/** A running JWKS server. */
export interface JwksServer {
  /** `http://127.0.0.1:<port>/jwks.json` */
  readonly url: string;
  /** Fetches of the key set since start (or since {@link JwksServer.resetCount}). */
  fetches(): number;
  /** Timestamps (ms) of every fetch. */
  fetchTimes(): readonly number[];
  resetCount(): void;
  close(): Promise<void>;
}

/**
 * Serves `jwks` at `/jwks.json` on 127.0.0.1, port 0 (loopback only, per DESIGN.md "Tests").
 *
 * @example
 * ```ts
 * const jwks = await startJwksServer(publicKeySet(keys));
 * const remote = createRemoteJWKSet(new URL(jwks.url));
 * ```
 */
export async function startJwksServer(jwks: JSONWebKeySet): Promise<JwksServer> {
  let times: number[] = [];
  const body = JSON.stringify(jwks);
  const server: Server = createServer((req, res) => {
    if (req.url !== '/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    times.push(Date.now());
    res.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    fetches: () => times.length,
    fetchTimes: () => times,
    resetCount: () => {
      times = [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
