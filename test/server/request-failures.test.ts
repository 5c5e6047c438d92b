import { createPublicKey } from 'node:crypto';
import { SignJWT, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SERVER_KINDS, startExampleServer, type ExampleServer } from '../helpers/example-servers.js';
import { graphql, send } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

// Request-level failures end the request before anything executes: RFC 6750 status and
// challenge, no `data` — the same answers on the reference (Apollo) server and on GraphQL Yoga
// with useGatepass (one table, run on both).
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer();
});

afterAll(async () => {
  await issuer?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const QUERY = '{ posts { id } }';

/** An HS256 token whose secret is the issuer's public key: the classic algorithm confusion. */
async function hmacWithPublicKey(): Promise<string> {
  const jwks = (await (await fetch(issuer.jwksUri)).json()) as { keys: Array<Record<string, unknown>> };
  const pem = createPublicKey({ key: jwks.keys[0]! as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  return new SignJWT({ sub: 'u1', scope: 'admin' })
    .setProtectedHeader({ alg: 'HS256', kid: String(jwks.keys[0]!.kid) })
    .setIssuer(issuer.issuer)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(String(pem)));
}

function unsigned(): string {
  const encode = (value: object) => base64url.encode(JSON.stringify(value));
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: issuer.issuer, aud: TEST_AUDIENCE, sub: 'u1', scope: 'admin', iat: now(), exp: now() + 300 })}.`;
}

function tamper(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const middle = Math.floor(signature.length / 2);
  const flipped = signature[middle] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
}

describe.each(SERVER_KINDS)('on %s', (kind) => {
  let server: ExampleServer;
  let url: string;
  beforeAll(async () => {
    server = await startExampleServer(kind, { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE });
    url = server.url;
  });
  afterAll(async () => {
    await server?.close();
  });

  describe('a present but invalid token', () => {
    it.each<[string, () => Promise<string> | string, string]>([
      ['expired beyond the tolerance', () => issuer.mint({ iat: now() - 600, exp: now() - 60 }), 'token expired'],
      ['not yet valid', () => issuer.mint({ nbf: now() + 600 }), 'token is not yet valid'],
      ['of another issuer', () => issuer.mint({ iss: 'http://127.0.0.1:9/other' }), 'issuer is not accepted'],
      ['for another audience', () => issuer.mint({ aud: 'https://other.test' }), 'audience is not accepted'],
      ['with a bad signature', async () => tamper(await issuer.mint()), 'signature is invalid'],
      ['unsigned (alg: none)', unsigned, 'algorithm is not allowed'],
      ['HS256 signed with the public key', hmacWithPublicKey, 'algorithm is not allowed'],
      ['not a JWT at all', () => 'abc.def', 'token is malformed'],
    ])('%s → 401 invalid_token, nothing executes', async (_name, makeToken, description) => {
      const res = await graphql(url, QUERY, { token: await makeToken() });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(new RegExp(`^Bearer error="invalid_token", error_description="${description}"`));
      expect(res.json).toEqual({ errors: [{ message: description, extensions: { code: 'UNAUTHENTICATED' } }] });
    });

    it('never echoes the token, nor the expected issuer or audience', async () => {
      const bad = await issuer.mint({ aud: 'https://other.test' });
      const res = await graphql(url, QUERY, { token: bad });
      expect(res.text + JSON.stringify(res.headers)).not.toContain(bad);
      expect(res.text + JSON.stringify(res.headers)).not.toContain(TEST_AUDIENCE);
    });
  });

  describe('credentials in the wrong place or shape', () => {
    it.each<[string, string, ReadonlyArray<readonly [string, string]>]>([
      ['access_token in the URL', '?access_token=abc', []],
      ['an empty access_token in the URL', '?access_token=', []],
      ['two Authorization headers', '', [['authorization', 'Bearer abc'], ['authorization', 'Bearer def']]],
      ['Bearer with no token', '', [['authorization', 'Bearer']]],
      ['Bearer with two parts', '', [['authorization', 'Bearer abc def']]],
      ['Bearer with bad characters', '', [['authorization', 'Bearer a"b']]],
    ])('%s → 400 invalid_request', async (_name, search, headers) => {
      const res = await send(`${url}${search}`, { headers: [['content-type', 'application/json'], ...headers], body: JSON.stringify({ query: QUERY }) });
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_request"/);
      expect(res.json.data).toBeUndefined();
    });

    it('refuses a token as a top-level member of the JSON body', async () => {
      const res = await send(url, { headers: [['content-type', 'application/json']], body: JSON.stringify({ query: QUERY, access_token: 'abc' }) });
      expect(res.status).toBe(400);
    });

    it.each(['Basic dXNlcjpwYXNz', 'DPoP abc'])('another scheme (%s) → 401 with a bare Bearer challenge', async (authorization) => {
      const res = await send(url, { headers: [['content-type', 'application/json'], ['authorization', authorization]], body: JSON.stringify({ query: QUERY }) });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer(, resource_metadata="[^"]+")?$|^Bearer resource_metadata="[^"]+"$/);
    });

    it.each(['bearer', 'BEARER', 'Bearer  '])('accepts the scheme written "%s"', async (scheme) => {
      const res = await send(url, {
        headers: [['content-type', 'application/json'], ['authorization', `${scheme} ${await issuer.mint({ scope: 'read:user' })}`]],
        body: JSON.stringify({ query: '{ users { id } }' }),
      });
      expect(res.status).toBe(200);
      expect(res.json.data.users).toHaveLength(3);
    });

    it('checks GET queries the same way', async () => {
      const search = `?query=${encodeURIComponent('{ users { id } }')}`;
      const res = await send(`${url}${search}`, { method: 'GET', headers: [['apollo-require-preflight', 'true'], ['authorization', `Bearer ${tamper(await issuer.mint())}`]] });
      expect(res.status).toBe(401);
    });
  });
});

// The reference server's own routes (a Yoga user mounts whatever routes they want).
describe('operational routes of the reference server', () => {
  it('serves health, readiness and protected-resource metadata', async () => {
    const server = await startExampleServer('apollo', { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE });
    onTestFinished(() => server.close());
    const base = server.url.replace(/\/graphql$/, '');
    // As a server that has served a token: its key set fetched (a fresh one is not ready yet).
    expect((await graphql(server.url, '{ me { id } }', { token: await issuer.mint({ scope: 'read:user' }) })).status).toBe(200);
    expect((await send(`${base}/healthz`, { method: 'GET' })).status).toBe(200);
    const ready = await send(`${base}/readyz`, { method: 'GET' });
    expect(ready.status).toBe(200);
    const metadata = await send(`${base}/.well-known/oauth-protected-resource`, { method: 'GET' });
    expect(metadata.json).toMatchObject({ resource: TEST_AUDIENCE, authorization_servers: [issuer.issuer], bearer_methods_supported: ['header'] });
  });
});
