/**
 * The static server of the single-page example (`npm run spa`): the files of `examples/spa/`,
 * oauth4webapi's browser build from node_modules, and a generated `/config.js` telling the page
 * where the authorization server and the API are. Development only, loopback only.
 * @see OAuth 2.0 for Browser-Based Apps (IETF draft), §6.3 "Browser-based OAuth 2.0 client"
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DEMO_CLIENTS } from './demo-accounts.js';

/** What the page is told at `/config.js`. */
export interface SpaConfig {
  /** The authorization server's issuer identifier, e.g. `http://127.0.0.1:4400`. */
  readonly issuer: string;
  /** The API's GraphQL URL, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly api: string;
  /** @default 'gatepass-spa' */
  readonly clientId?: string;
}

/** A running SPA server. */
export interface SpaServer {
  /** The page's origin, e.g. `http://127.0.0.1:4500`: its redirect URI is `${origin}/`. */
  readonly origin: string;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
const EXAMPLE_DIR = new URL('../../examples/spa/', import.meta.url);
const FILES: Readonly<Record<string, { readonly file: () => string | URL; readonly type: string }>> = {
  '/': { file: () => new URL('index.html', EXAMPLE_DIR), type: 'text/html; charset=utf-8' },
  '/app.js': { file: () => new URL('app.js', EXAMPLE_DIR), type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: () => new URL('style.css', EXAMPLE_DIR), type: 'text/css; charset=utf-8' },
  // The package's own ESM build runs in browsers as it is (no bundler).
  '/vendor/oauth4webapi.js': { file: () => require.resolve('oauth4webapi'), type: 'text/javascript; charset=utf-8' },
};

/**
 * Serves the single-page example on `host:port` (port 0 picks one), reading `config` per request
 * so a test can start the page before the servers it points at.
 *
 * @example
 * ```ts
 * const spa = await startSpaServer({ port: 4500, config: () => ({ issuer: 'http://127.0.0.1:4400', api: 'http://127.0.0.1:4000/graphql' }) });
 * ```
 */
export async function startSpaServer(options: { readonly port: number; readonly host?: string; readonly config: () => SpaConfig }): Promise<SpaServer> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://spa').pathname;
    const headers = (config: SpaConfig, type: string) => ({
      'content-type': type,
      'cache-control': 'no-store',
      // The callback URL holds the authorization code: never send it on as a Referer.
      'referrer-policy': 'no-referrer',
      // Scripts from this origin only (no inline script can read the tokens in memory); fetch
      // only to the authorization server and the API.
      'content-security-policy': `default-src 'self'; connect-src 'self' ${new URL(config.issuer).origin} ${new URL(config.api).origin}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
      'x-content-type-options': 'nosniff',
    });
    const config = options.config();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/config.js') {
      const body = `export const config = ${JSON.stringify({ clientId: DEMO_CLIENTS.spa.clientId, ...config })};\n`;
      res.writeHead(200, headers(config, 'text/javascript; charset=utf-8')).end(body);
      return;
    }
    const entry = FILES[path];
    if (!entry) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(entry.file()).then(
      (body) => res.writeHead(200, headers(config, entry.type)).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('cannot read file'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
