/**
 * Who and what the demo authorization server (`npm run idp`) knows: the example API's resource,
 * its scopes, the demo users and the demo clients. Development only, never used in production.
 * @see RFC 8707 (resource indicators), RFC 6749 §2 (client types)
 */

/** The example API's resource indicator (RFC 8707 §2), also the `aud` of its access tokens. */
export const DEMO_RESOURCE = 'https://api.gatepass.test';
/** Every scope the example schema's `@auth` directives name. */
export const DEMO_API_SCOPES = ['read:user', 'read:email', 'read:phone', 'read:handle', 'write:post', 'write:user', 'admin'] as const;

/**
 * The demo second factor: a sign-in that also gives this one-time code is a multi-factor login
 * (`acr` `mfa`), any other a password login (`acr` `pwd`). Demo only, like the passwords.
 * @see RFC 9470 §4 (`acr`, `auth_time` in access tokens)
 */
export const DEMO_OTP = '123456';

/** A demo end-user: `sub` matches the example store's user ids, so `me` finds them. */
export interface DemoAccount {
  readonly username: string;
  readonly password: string;
  readonly sub: string;
  readonly roles: readonly string[];
}

/** alice is an admin, bob a moderator, carol has no role. Demo passwords, never real ones. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'alice', password: 'alice-pass', sub: 'u1', roles: ['admin'] },
  { username: 'bob', password: 'bob-pass', sub: 'u2', roles: ['moderator'] },
  { username: 'carol', password: 'carol-pass', sub: 'u3', roles: [] },
];

/** The demo clients: a public native and a public browser PKCE client, a confidential service, and the API itself. */
export const DEMO_CLIENTS = {
  /** Public native client: authorization code + PKCE (RFC 8252 §7.3: any loopback port). */
  app: { clientId: 'gatepass-app', redirectUri: 'http://127.0.0.1/callback' },
  /**
   * Public browser client (`npm run spa`): authorization code + PKCE, redirect URI on the SPA's
   * origin (its page itself), which is also the one origin allowed to call the token endpoint.
   */
  spa: { clientId: 'gatepass-spa', origin: 'http://127.0.0.1:4500' },
  /** Confidential client for the client credentials grant (RFC 6749 §4.4). */
  service: { clientId: 'gatepass-service', clientSecret: 'gatepass-service-secret' },
  /** Confidential client whose tokens are bound to its TLS client certificate (RFC 8705 §3). */
  mtlsService: { clientId: 'gatepass-mtls-service', clientSecret: 'gatepass-mtls-service-secret' },
  /** The API's own client, allowed to introspect tokens (RFC 7662 §2.1) and nothing else. */
  api: { clientId: 'gatepass-api', clientSecret: 'gatepass-api-secret' },
} as const;
