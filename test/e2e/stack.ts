/**
 * The whole stack of an end-to-end test: the demo authorization server, the reference API in
 * production mode pointed at it (discovery only, no AUTH_JWKS_URI), and the demo clients as a
 * real OAuth client library (openid-client) sees them.
 */
import * as oauth from 'openid-client';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import {
  DEMO_CLIENTS,
  DEMO_RESOURCE,
  DEMO_SIGNING_ALG,
  startAuthorizationServer,
  type AuthorizationServer,
  type AuthorizationServerOptions,
} from '../helpers/authorization-server.js';
import type { TestResponse } from '../helpers/http.js';
import { signInAndConsent, type Credentials } from './user-agent.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

/** A running authorization server + API + discovered clients. */
export interface Stack {
  readonly as: AuthorizationServer;
  /** The API's GraphQL URL. */
  readonly url: string;
  readonly api: GatepassServer;
  /** The public PKCE client (authorization code, refresh token). */
  readonly app: oauth.Configuration;
  /** The confidential client credentials client. */
  readonly service: oauth.Configuration;
  /** Starts one more API against the same authorization server (closed with the stack). */
  startApi(env?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** Options of {@link startStack}. */
export interface StackOptions extends AuthorizationServerOptions {
  /** Extra API environment on top of issuer, audience, port 0 and silent logs. */
  readonly env?: Record<string, string> | ((as: AuthorizationServer) => Record<string, string>);
}

// RFC 8414 §2 wants https; openid-client v6 refuses http unless told, loopback tests tell it.
const insecure = { execute: [oauth.allowInsecureRequests] };

/** Starts the demo authorization server, the API against it, and discovers both demo clients. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const as = await startAuthorizationServer(options);
  const apis: GatepassServer[] = [];
  const baseEnv = typeof options.env === 'function' ? options.env(as) : options.env;
  const startApi = async (env: Record<string, string> = {}) => {
    const api = await createServer(
      loadConfig({ AUTH_ISSUER: as.issuer, AUTH_AUDIENCE: DEMO_RESOURCE, PORT: '0', LOG_LEVEL: 'silent', ...baseEnv, ...env }),
      { schema: exampleServerSchema },
    );
    apis.push(api);
    return api.listen();
  };
  const close = async () => {
    await Promise.all(apis.map((api) => api.close()));
    await as.close();
  };
  try {
    const url = await startApi();
    const issuer = new URL(as.issuer);
    const app = await oauth.discovery(issuer, DEMO_CLIENTS.app.clientId, { id_token_signed_response_alg: DEMO_SIGNING_ALG }, oauth.None(), insecure);
    const service = await oauth.discovery(issuer, DEMO_CLIENTS.service.clientId, undefined, oauth.ClientSecretBasic(DEMO_CLIENTS.service.clientSecret), insecure);
    return { as, url, api: apis[0]!, app, service, startApi, close };
  } catch (error) {
    // A half-started stack must not keep the test process alive.
    await close();
    throw error;
  }
}

/** Tokens of one signed-in user, with what the client sent to get them. */
export type UserTokens = oauth.TokenEndpointResponse & oauth.TokenEndpointResponseHelpers;

/**
 * The authorization code flow with PKCE (RFC 7636, S256) as a native app runs it: build the
 * authorization URL, let the user sign in and consent, exchange the code. `offline_access` +
 * `prompt=consent` ask for a refresh token (OpenID Connect Core §11).
 */
export async function signInUser(stack: Stack, user: Credentials, scope: string, extra: Record<string, string> = {}): Promise<UserTokens> {
  const pkceCodeVerifier = oauth.randomPKCECodeVerifier();
  const expectedState = oauth.randomState();
  const expectedNonce = oauth.randomNonce();
  const authorizationUrl = oauth.buildAuthorizationUrl(stack.app, {
    redirect_uri: DEMO_CLIENTS.app.redirectUri,
    scope: `openid offline_access ${scope}`,
    resource: DEMO_RESOURCE,
    prompt: 'consent',
    code_challenge: await oauth.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
    ...extra,
  });
  const callback = await signInAndConsent(authorizationUrl, user, DEMO_CLIENTS.app.redirectUri);
  return oauth.authorizationCodeGrant(stack.app, callback, { pkceCodeVerifier, expectedState, expectedNonce, idTokenExpected: true });
}

/** Client credentials (RFC 6749 §4.4) for the example API's resource (RFC 8707 §2). */
export function serviceToken(stack: Stack, scope: string): Promise<UserTokens> {
  return oauth.clientCredentialsGrant(stack.service, { scope, resource: DEMO_RESOURCE });
}

/** Waits until the clock is past `exp` (seconds), bounded: expiry tests use TTLs of seconds. */
export async function waitUntilExpired(exp: number, maxWaitMs = 5_000): Promise<void> {
  const waitMs = exp * 1000 - Date.now() + 50;
  if (waitMs > maxWaitMs) throw new Error(`token expires in ${waitMs} ms, more than the ${maxWaitMs} ms a test may wait`);
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}

/** A request-level refusal (DESIGN.md error table): 401, an `invalid_token` challenge, nothing executed. */
export function expectInvalidToken(res: TestResponse, description?: string): void {
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
  if (description) expect(res.headers['www-authenticate']).toContain(`error_description="${description}"`);
  expect(res.json.data).toBeUndefined();
  expect(res.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
}
