/**
 * A real authorization server for end-to-end tests: panva's oidc-provider, configured as the
 * demo issuer of `npm run idp`, on 127.0.0.1 port 0. It issues RFC 9068 JWT access tokens (or
 * opaque ones, checked by RFC 7662 introspection) for the example API's resource indicator
 * (RFC 8707), and rotates its signing keys on the same issuer URL and port.
 *
 * Loopback only, ever. No mocks: the API and the OAuth client talk to it over real sockets.
 *
 * @example
 * ```ts
 * const as = await startAuthorizationServer({ accessTokenTtlSeconds: 2 });
 * // … discover as.issuer with openid-client, start the API with AUTH_ISSUER=as.issuer …
 * await as.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import type { Provider } from 'oidc-provider';
import { createIdpRequestListener } from '../../src/dev/idp-interactions.js';
import { DEMO_ACCOUNTS } from '../../src/dev/demo-accounts.js';
import { createIdpProvider, generateSigningKey } from '../../src/dev/idp-provider.js';

export { DEMO_ACCOUNTS, DEMO_API_SCOPES, DEMO_CLIENTS, DEMO_RESOURCE } from '../../src/dev/demo-accounts.js';
export { DEMO_SIGNING_ALG } from '../../src/dev/idp-provider.js';

/** Options of {@link startAuthorizationServer}. */
export interface AuthorizationServerOptions {
  /** `jwt` (RFC 9068) or `opaque` (RFC 7662 introspection). @default 'jwt' */
  readonly accessTokenFormat?: 'jwt' | 'opaque';
  /** Access token lifetime, seconds: short for expiry tests. @default 300 */
  readonly accessTokenTtlSeconds?: number;
  /** Origin of the browser client `gatepass-spa` (browser tests serve it on port 0). */
  readonly spaOrigin?: string;
  /**
   * Also listen over https, asking for client certificates that chain to `clientCa`, and serve
   * certificate-bound tokens (RFC 8705 §3) to `gatepass-mtls-service` at that listener's token
   * endpoint, published as `mtls_endpoint_aliases.token_endpoint` (§5). The issuer stays http.
   */
  readonly mtls?: { readonly cert: Buffer; readonly key: Buffer; readonly clientCa: Buffer };
}

/** A running authorization server. */
export interface AuthorizationServer {
  /** Issuer identifier, `http://127.0.0.1:<port>`; discovery at `/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** RFC 7662 endpoint, for the API's AUTH_INTROSPECTION_URI. */
  readonly introspectionEndpoint: string;
  /** `kid`s in the published key set, the signing key first. */
  kids(): string[];
  /**
   * Rotates the signing key: a new key signs from now on, the previous ones stay published so
   * tokens they signed keep verifying (oidc-provider's recommended key order). Resolves the new kid.
   */
  rotateKeys(): Promise<string>;
  /** Unpublishes every key but the current signing key: their tokens stop verifying. */
  dropRetiredKeys(): void;
  close(): Promise<void>;
}

/**
 * Starts the demo authorization server on 127.0.0.1, port 0.
 * @see RFC 8414 §3 / OpenID Connect Discovery 1.0 (the metadata the API and client discover)
 */
export async function startAuthorizationServer(options: AuthorizationServerOptions = {}): Promise<AuthorizationServer> {
  let provider: Provider | undefined;
  const listener = createIdpRequestListener(() => provider!, DEMO_ACCOUNTS);
  const { mtls, ...providerOptions } = options;
  // A connection without a certificate, or with another CA's, is still served: the provider
  // then issues no bound token (getCertificate reads only an authorized peer certificate).
  const servers: Server[] = [createServer(listener)];
  if (mtls) servers.push(createHttpsServer({ cert: mtls.cert, key: mtls.key, ca: mtls.clientCa, requestCert: true, rejectUnauthorized: false }, listener));
  // The issuer identifier holds the port, so listen first and build the provider after.
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
        }),
    ),
  );
  const issuer = `http://127.0.0.1:${ports[0]}`;
  const mtlsTokenEndpoint = mtls ? `https://127.0.0.1:${ports[1]}/token` : undefined;
  // Same cookie keys across swaps: a session begun before a rotation is still readable after it.
  const cookieKeys = [randomBytes(32).toString('base64url')];
  let keys: JWK[] = [await generateSigningKey()];
  // oidc-provider reads `jwks` once, at construction: rotating is building a provider with the
  // new key set on the same issuer and swapping it in, as a deployment reloads its processes.
  const swapIn = () => {
    provider = createIdpProvider({ issuer, keys, cookieKeys, ...providerOptions, ...(mtlsTokenEndpoint ? { mtlsTokenEndpoint } : {}) });
  };
  swapIn();

  return {
    issuer,
    introspectionEndpoint: `${issuer}/token/introspection`,
    kids: () => keys.map((key) => key.kid!),
    async rotateKeys() {
      keys = [await generateSigningKey(), ...keys];
      swapIn();
      return keys[0]!.kid!;
    },
    dropRetiredKeys() {
      keys = keys.slice(0, 1);
      swapIn();
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve, reject) => {
              server.close((error) => (error ? reject(error) : resolve()));
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
