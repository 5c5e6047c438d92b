import * as oauth from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_RESOURCE } from '../helpers/authorization-server.js';
import { graphql } from '../helpers/http.js';
import { expectInvalidToken, serviceToken, signInUser, startStack, type Stack } from './stack.js';

// Opaque access tokens (oidc-provider's default format): the API cannot read them, so it asks the
// authorization server by RFC 7662 introspection, as its own confidential client. The
// introspection cache is off (AUTH_INTROSPECTION_CACHE_MAX_SECONDS=0) so that a revocation at
// the authorization server (RFC 7009) shows on the very next request; with the default (60 s) a
// revoked token stays usable for up to that long, which RFC 7662 §4 leaves to the API to choose.
const [alice] = DEMO_ACCOUNTS as [(typeof DEMO_ACCOUNTS)[number]];
const VIEWER = '{ viewer { subject scopes roles isAdmin clientId audience } }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    accessTokenFormat: 'opaque',
    env: (as) => ({
      AUTH_INTROSPECTION_URI: as.introspectionEndpoint,
      AUTH_INTROSPECTION_CLIENT_ID: DEMO_CLIENTS.api.clientId,
      AUTH_INTROSPECTION_CLIENT_SECRET: DEMO_CLIENTS.api.clientSecret,
      AUTH_INTROSPECTION_CACHE_MAX_SECONDS: '0',
    }),
  });
});
afterAll(async () => stack?.close());

describe('an opaque access token', () => {
  it('is introspected, and the API sees the same principal a JWT would give', async () => {
    const tokens = await signInUser(stack, alice, 'read:user read:email');
    expect(tokens.access_token.split('.')).toHaveLength(1);
    const res = await graphql(stack.url, VIEWER, { token: tokens.access_token });
    expect(res.json).toEqual({
      data: {
        viewer: { subject: 'u1', scopes: ['read:user', 'read:email'], roles: ['admin'], isAdmin: true, clientId: DEMO_CLIENTS.app.clientId, audience: [DEMO_RESOURCE] },
      },
    });
  });

  it('is refused once the client revoked it at the authorization server (RFC 7009)', async () => {
    const tokens = await signInUser(stack, alice, 'read:user');
    expect((await graphql(stack.url, VIEWER, { token: tokens.access_token })).status).toBe(200);
    await oauth.tokenRevocation(stack.app, tokens.access_token, { token_type_hint: 'access_token' });
    expectInvalidToken(await graphql(stack.url, VIEWER, { token: tokens.access_token }));
  });

  // oidc-provider's introspection answer for a client credentials token has no `sub` (RFC 7662
  // §2.2: OPTIONAL; there is no resource owner): the client is the subject (RFC 9068 §2.2).
  it('of the client credentials grant is accepted too', async () => {
    const tokens = await serviceToken(stack, 'read:user');
    const res = await graphql(stack.url, '{ viewer { subject clientId scopes } }', { token: tokens.access_token });
    expect(res.json).toEqual({ data: { viewer: { subject: DEMO_CLIENTS.service.clientId, clientId: DEMO_CLIENTS.service.clientId, scopes: ['read:user'] } } });
  });
});

describe('a refresh token', () => {
  it('is refused, though introspection calls it active', async () => {
    const tokens = await signInUser(stack, alice, 'read:user');
    const introspected = await oauth.tokenIntrospection(stack.app, tokens.refresh_token!);
    expect(introspected.active).toBe(true);
    expectInvalidToken(await graphql(stack.url, VIEWER, { token: tokens.refresh_token! }));
  });
});
