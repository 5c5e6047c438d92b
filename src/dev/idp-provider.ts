/**
 * The demo authorization server: panva's oidc-provider configured as the issuer of gatepass's
 * example API. Shared by `npm run idp` and the end-to-end tests, so what a developer tries by
 * hand is exactly what the tests drive.
 * @see RFC 8707 (resource indicators), RFC 9068 (JWT access tokens), RFC 7662, RFC 7009, RFC 7636
 */
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { Provider, errors, type ClientMetadata, type Configuration } from 'oidc-provider';
import { DEMO_ACCOUNTS, DEMO_API_SCOPES, DEMO_CLIENTS, DEMO_RESOURCE } from './demo-accounts.js';
import { interactionUrl } from './idp-interactions.js';
import { idpMtlsConfiguration } from './idp-mtls.js';

/** The signing algorithm of ID tokens and JWT access tokens. */
export const DEMO_SIGNING_ALG = 'ES256';

/** Options of {@link createIdpProvider}. */
export interface IdpProviderOptions {
  /** Issuer identifier, e.g. `http://127.0.0.1:4400` (no trailing slash). */
  readonly issuer: string;
  /** Private signing JWKs; the first signs, the rest stay published for verification. */
  readonly keys: readonly JWK[];
  /** `jwt` (RFC 9068) or `opaque` (checked by introspection). @default 'jwt' */
  readonly accessTokenFormat?: 'jwt' | 'opaque';
  /** @default 300 */
  readonly accessTokenTtlSeconds?: number;
  /** Origin of the browser client's page (its redirect URI is that origin's `/`). @default 'http://127.0.0.1:4500' */
  readonly spaOrigin?: string;
  /** Cookie signing keys; keep them across provider swaps so sessions survive. @default random */
  readonly cookieKeys?: readonly string[];
  /**
   * Token endpoint of an https listener that asks for client certificates: turns on
   * certificate-bound tokens (RFC 8705 §3) for `gatepass-mtls-service`. @default undefined (off)
   */
  readonly mtlsTokenEndpoint?: string;
}

/** Generates a private ES256 signing JWK with an RFC 7638 thumbprint as its `kid`. */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(DEMO_SIGNING_ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: DEMO_SIGNING_ALG, use: 'sig' };
}

/**
 * Builds the demo authorization server for one key set. Swapping in a provider built from a
 * new key set on the same issuer is how key rotation is done: oidc-provider reads `jwks` once.
 *
 * @example
 * ```ts
 * const provider = createIdpProvider({ issuer: 'http://127.0.0.1:4400', keys: [await generateSigningKey()] });
 * ```
 */
export function createIdpProvider(options: IdpProviderOptions): Provider {
  const ttl = options.accessTokenTtlSeconds ?? 300;
  const format = options.accessTokenFormat ?? 'jwt';
  const clients: ClientMetadata[] = [
    {
      client_id: DEMO_CLIENTS.app.clientId,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: [DEMO_CLIENTS.app.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    {
      // OAuth 2.0 for Browser-Based Apps §6.3: a public client, tokens only through PKCE.
      client_id: DEMO_CLIENTS.spa.clientId,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${options.spaOrigin ?? DEMO_CLIENTS.spa.origin}/`],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
    {
      client_id: DEMO_CLIENTS.service.clientId,
      client_secret: DEMO_CLIENTS.service.clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
    },
    // Resource-server-only client: no grants, only introspection (oidc-provider FAQ).
    { client_id: DEMO_CLIENTS.api.clientId, client_secret: DEMO_CLIENTS.api.clientSecret, grant_types: [], response_types: [], redirect_uris: [] },
  ];

  const mtls = options.mtlsTokenEndpoint === undefined ? undefined : idpMtlsConfiguration(options.mtlsTokenEndpoint);
  if (mtls) clients.push(mtls.client);

  const configuration: Configuration = {
    clients,
    ...(mtls ? { discovery: mtls.discovery } : {}),
    jwks: { keys: options.keys as never },
    clientDefaults: { id_token_signed_response_alg: DEMO_SIGNING_ALG },
    cookies: { keys: [...(options.cookieKeys ?? [randomBytes(32).toString('base64url')])] },
    findAccount: (_ctx, sub) => {
      const account = DEMO_ACCOUNTS.find((a) => a.sub === sub);
      return account && { accountId: sub, claims: () => ({ sub, name: account.username }) };
    },
    // Roles are not scopes: the account has them whatever the client asked for, and the API
    // reads them from the `roles` claim (AUTH_ROLE_CLAIMS default).
    // RFC 9470 §4: the login's `acr` and `auth_time` go into the access token, from the code
    // (or refresh token) the token is issued for, so the API can ask for a stronger login.
    extraTokenClaims: (ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const account = DEMO_ACCOUNTS.find((a) => a.sub === accountId);
      if (!account) return undefined;
      const login = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
      return { roles: [...account.roles], ...(login?.acr ? { acr: login.acr } : {}), ...(login?.authTime ? { auth_time: login.authTime } : {}) };
    },
    // A browser client calls the token and revocation endpoints from its page's origin: allow
    // exactly the origins of a public client's redirect URIs, nothing for confidential clients.
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === 'none' && (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    acrValues: ['pwd', 'mfa'],
    // RFC 9700 §2.1.1: PKCE for every client, confidential ones included; code flow only.
    pkce: { required: () => true },
    responseTypes: ['code'],
    interactions: { url: (_ctx, interaction) => interactionUrl(interaction.uid) },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? ttl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Grant: 86_400,
      Session: 86_400,
      RefreshToken: 86_400,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      ...(mtls ? { mTLS: mtls.mTLS } : {}),
      // RFC 7662 §4: only the API (and a token's own client) may learn about a token.
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => client.clientId === DEMO_CLIENTS.api.clientId || client.clientId === token.clientId },
      // RFC 7009 §2.1: a client revokes its own tokens only.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => client.clientId === token.clientId },
      resourceIndicators: {
        enabled: true,
        // A client that names no resource gets a token for the example API.
        defaultResource: () => DEMO_RESOURCE,
        // RFC 8707 §2.2: the token endpoint may omit `resource` when the grant has one.
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== DEMO_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: DEMO_API_SCOPES.join(' '),
            audience: DEMO_RESOURCE,
            accessTokenTTL: ttl,
            accessTokenFormat: format,
            jwt: { sign: { alg: DEMO_SIGNING_ALG } },
          };
        },
      },
    },
  };
  return new Provider(options.issuer, configuration);
}
