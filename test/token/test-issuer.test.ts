import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestIssuer, TEST_AUDIENCE, TEST_INTROSPECTION_CLIENT, type TestIssuer } from '../helpers/test-issuer.js';

describe('test issuer (helper)', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await startTestIssuer({ algorithms: ['RS256', 'ES256'], introspection: true, path: '/tenant' });
  });
  afterAll(() => issuer.close());

  it('serves RFC 8414 metadata with path insertion and a JWKS that verifies minted tokens', async () => {
    const url = new URL(issuer.issuer);
    const res = await fetch(`${url.origin}/.well-known/oauth-authorization-server${url.pathname}`);
    const metadata = (await res.json()) as Record<string, string>;
    expect(metadata.issuer).toBe(issuer.issuer);
    const token = await issuer.mint({ scope: 'a b' });
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(metadata.jwks_uri!)), {
      issuer: issuer.issuer,
      audience: TEST_AUDIENCE,
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload).toMatchObject({ sub: 'u1', client_id: 'test-client', scope: 'a b' });
    expect(issuer.jwksRequests()).toBe(1);
  });

  it('rotates, removes keys, omits claims, and goes down', async () => {
    const old = issuer.currentKey();
    const next = await issuer.rotate();
    expect(decodeProtectedHeader(await issuer.mint()).kid).toBe(next.kid);
    issuer.removeKey(old.kid);
    expect(issuer.jwks().keys.map((k) => k.kid)).not.toContain(old.kid);
    expect(decodeProtectedHeader(await issuer.mint({}, { kid: old.kid })).kid).toBe(old.kid);
    const noIat = await issuer.mint({}, { omit: ['iat', 'typ'] });
    expect(decodeProtectedHeader(noIat).typ).toBeUndefined();
    issuer.setAvailable(false);
    expect((await fetch(issuer.jwksUri)).status).toBe(503);
    issuer.setAvailable(false, 'close');
    await expect(fetch(issuer.jwksUri)).rejects.toThrow();
    issuer.setAvailable(true);
    expect((await fetch(issuer.jwksUri)).status).toBe(200);
  });

  it('introspects opaque tokens with client_secret_basic', async () => {
    const token = issuer.mintOpaque({ scope: 'x' });
    const auth = 'Basic ' + Buffer.from(`${encodeURIComponent(TEST_INTROSPECTION_CLIENT.clientId)}:${encodeURIComponent(TEST_INTROSPECTION_CLIENT.clientSecret)}`).toString('base64');
    const ask = async (authorization: string) =>
      fetch(issuer.introspectionUri!, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) });
    expect((await ask('Basic eDp5')).status).toBe(401);
    expect(await (await ask(auth)).json()).toMatchObject({ active: true, scope: 'x', sub: 'u1' });
    issuer.revokeOpaque(token);
    expect(await (await ask(auth)).json()).toEqual({ active: false });
  });
});
