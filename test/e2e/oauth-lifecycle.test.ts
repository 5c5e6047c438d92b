import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oauth from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_CLIENTS, DEMO_RESOURCE } from '../helpers/authorization-server.js';
import { graphql } from '../helpers/http.js';
import { expectInvalidToken, serviceToken, signInUser, startStack, waitUntilExpired, type Stack, type UserTokens } from './stack.js';

// The whole OAuth life of a token: a real authorization server (oidc-provider) issues it to a
// real OAuth client (openid-client), and the API, in production mode, finds the issuer's keys by
// discovery alone. Nothing here builds a token request or a token by hand.
const [alice, bob] = DEMO_ACCOUNTS as [(typeof DEMO_ACCOUNTS)[number], (typeof DEMO_ACCOUNTS)[number]];
const codes = (body: any) => (body.errors ?? []).map((e: any) => [e.path, e.extensions.code]).sort((a: any, b: any) => String(a[0]).localeCompare(String(b[0])));

describe('tokens of a real authorization server', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  it('client credentials: an at+jwt the API accepts, and viewer shows the client', async () => {
    const tokens = await serviceToken(stack, 'read:user write:post');
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe('at+jwt');
    const res = await graphql(stack.url, '{ viewer { subject scopes roles isAdmin clientId issuer audience } users { id } }', { token: tokens.access_token });
    expect(res.json).toEqual({
      data: {
        viewer: {
          subject: DEMO_CLIENTS.service.clientId,
          scopes: ['read:user', 'write:post'],
          roles: [],
          isAdmin: false,
          clientId: DEMO_CLIENTS.service.clientId,
          issuer: stack.as.issuer,
          audience: [DEMO_RESOURCE],
        },
        users: [{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }],
      },
    });
  });

  describe('authorization code with PKCE, for signed-in users', () => {
    let aliceTokens: UserTokens;
    let bobTokens: UserTokens;
    beforeAll(async () => {
      aliceTokens = await signInUser(stack, alice, 'read:user');
      bobTokens = await signInUser(stack, bob, 'read:user');
    });

    it('alice (role admin) reads the audit log and her email', async () => {
      const res = await graphql(stack.url, '{ me { name email } auditLog { id } viewer { subject scopes roles isAdmin clientId } }', { token: aliceTokens.access_token });
      expect(res.json.errors).toBeUndefined();
      expect(res.json.data).toEqual({
        me: { name: 'alice', email: 'alice@example.com' },
        auditLog: expect.any(Array),
        viewer: { subject: 'u1', scopes: ['read:user'], roles: ['admin'], isAdmin: true, clientId: DEMO_CLIENTS.app.clientId },
      });
    });

    it('bob (role moderator, no read:email) gets FORBIDDEN on email and auditLog', async () => {
      const res = await graphql(stack.url, '{ me { name email } auditLog { id } }', { token: bobTokens.access_token });
      expect(res.status).toBe(200);
      expect(res.json.data).toEqual({ me: { name: 'bob', email: null }, auditLog: null });
      expect(codes(res.json)).toEqual([[['auditLog'], 'FORBIDDEN'], [['me', 'email'], 'FORBIDDEN']]);
    });

    it('the refresh token grant gives a new access token that works; the refresh token itself is refused', async () => {
      const refreshed = await oauth.refreshTokenGrant(stack.app, aliceTokens.refresh_token!);
      expect(refreshed.access_token).not.toBe(aliceTokens.access_token);
      const res = await graphql(stack.url, '{ viewer { subject roles } }', { token: refreshed.access_token });
      expect(res.json).toEqual({ data: { viewer: { subject: 'u1', roles: ['admin'] } } });
      // The provider rotates a public client's refresh token (RFC 9700 §4.14.2): try the live one.
      expect(refreshed.refresh_token).toEqual(expect.any(String));
      expectInvalidToken(await graphql(stack.url, '{ viewer { subject } }', { token: refreshed.refresh_token! }));
    });

    it('the ID token of the same flow is refused, even by an API whose audience names the client', async () => {
      const idToken = bobTokens.id_token!;
      expect(decodeJwt(idToken)).toMatchObject({ sub: 'u2', aud: DEMO_CLIENTS.app.clientId, iss: stack.as.issuer });
      expectInvalidToken(await graphql(stack.url, '{ viewer { subject } }', { token: idToken }));
      // ID tokens often share the API's audience: then only their shape (nonce, no at+jwt) tells.
      const lenient = await stack.startApi({ AUTH_AUDIENCE: `${DEMO_RESOURCE},${DEMO_CLIENTS.app.clientId}` });
      expectInvalidToken(await graphql(lenient, '{ viewer { subject } }', { token: idToken }));
      expect((await graphql(lenient, '{ viewer { subject } }', { token: bobTokens.access_token })).json).toEqual({ data: { viewer: { subject: 'u2' } } });
    });
  });
});

describe('an access token past its expiry', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Two-second tokens, no clock tolerance at the API: expiry within a test's patience.
    stack = await startStack({ accessTokenTtlSeconds: 2, env: { AUTH_CLOCK_TOLERANCE: '0' } });
  });
  afterAll(async () => stack?.close());

  it('is refused with "token expired"; the client refreshes and the retried request succeeds', async () => {
    const query = '{ me { name } }';
    const tokens = await signInUser(stack, bob, 'read:user');
    expect((await graphql(stack.url, query, { token: tokens.access_token })).json).toEqual({ data: { me: { name: 'bob' } } });

    await waitUntilExpired(decodeJwt(tokens.access_token).exp!);
    expectInvalidToken(await graphql(stack.url, query, { token: tokens.access_token }), 'token expired');

    const refreshed = await oauth.refreshTokenGrant(stack.app, tokens.refresh_token!);
    expect((await graphql(stack.url, query, { token: refreshed.access_token })).json).toEqual({ data: { me: { name: 'bob' } } });
  });
});
