import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { dpopKey, type DpopKey } from '../helpers/dpop.js';
import { send, type TestResponse } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, TEST_INTROSPECTION_CLIENT, type TestIssuer } from '../helpers/test-issuer.js';

// DPoP through the reference server: RFC 9449 §7.1 answers and challenges on the wire.
const QUERY = JSON.stringify({ query: '{ me { id } }' });
const ALGS = 'algs="ES256 PS256 RS256 EdDSA"';
let issuer: TestIssuer;
let key: DpopKey;
let other: DpopKey;
const servers: GatepassServer[] = [];

async function start(env: Record<string, string>): Promise<{ url: string; metadata: string }> {
  const server = await createServer(
    loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent', ...env }),
    { schema: exampleServerSchema },
  );
  servers.push(server);
  const url = await server.listen();
  return { url, metadata: `resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource"` };
}

/** POSTs `{ me { id } }` with the given scheme, token and DPoP header values. */
function call(url: string, scheme: string | undefined, token: string | undefined, proofs: string[] = []): Promise<TestResponse> {
  return send(url, {
    headers: [
      ['content-type', 'application/json'],
      ...(scheme && token ? [['authorization', `${scheme} ${token}`] as const] : []),
      ...proofs.map((proof) => ['DPoP', proof] as const),
    ],
    body: QUERY,
  });
}

let allowed: { url: string; metadata: string };

beforeAll(async () => {
  issuer = await startTestIssuer({ introspection: true });
  key = await dpopKey('ES256');
  other = await dpopKey('ES256');
  allowed = await start({
    AUTH_DPOP: 'allowed',
    AUTH_INTROSPECTION_URI: issuer.introspectionUri!,
    AUTH_INTROSPECTION_CLIENT_ID: TEST_INTROSPECTION_CLIENT.clientId,
    AUTH_INTROSPECTION_CLIENT_SECRET: TEST_INTROSPECTION_CLIENT.clientSecret,
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await issuer?.close();
});

describe('AUTH_DPOP=allowed', () => {
  it('a DPoP-bound token reads the API with a fresh proof per request, and never with a used one', async () => {
    const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } });
    const proof = await key.proof('POST', allowed.url, token);
    const first = await call(allowed.url, 'DPoP', token, [proof]);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ data: { me: { id: 'u1' } } });
    expect((await call(allowed.url, 'DPoP', token, [await key.proof('POST', allowed.url, token)])).json).toEqual({ data: { me: { id: 'u1' } } });
    const replayed = await call(allowed.url, 'DPoP', token, [proof]);
    expect(replayed.status).toBe(401);
    expect(replayed.headers['www-authenticate']).toBe(
      `Bearer ${allowed.metadata}, DPoP error="invalid_dpop_proof", error_description="dpop proof was already used", ${ALGS}, ${allowed.metadata}`,
    );
    expect(replayed.json).toEqual({ errors: [{ message: 'dpop proof was already used', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('a plain bearer token still works beside DPoP', async () => {
    expect((await call(allowed.url, 'Bearer', await issuer.mint({ scope: 'read:user' }))).json).toEqual({ data: { me: { id: 'u1' } } });
  });

  it('an introspected token with cnf.jkt follows the same rules', async () => {
    const token = issuer.mintOpaque({ scope: 'read:user', cnf: { jkt: key.jkt } });
    expect((await call(allowed.url, 'DPoP', token, [await key.proof('POST', allowed.url, token)])).json).toEqual({ data: { me: { id: 'u1' } } });
    const asBearer = await call(allowed.url, 'Bearer', token);
    expect(asBearer.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token", error_description="sender-constrained token presented as bearer"/);
  });

  it.each<[string, () => Promise<{ scheme?: string; token?: string; proofs: string[] }>, string]>([
    ['DPoP-bound token presented as Bearer', async () => ({ scheme: 'Bearer', token: await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } }), proofs: [] }),
      'Bearer error="invalid_token", error_description="sender-constrained token presented as bearer", RM, DPoP ALGS, RM'],
    ['plain token presented as DPoP', async () => {
      const token = await issuer.mint({ scope: 'read:user' });
      return { scheme: 'DPoP', token, proofs: [await key.proof('POST', allowed.url, token)] };
    }, 'Bearer RM, DPoP error="invalid_token", error_description="token is not bound to a key", ALGS, RM'],
    ['proof with no token', async () => ({ proofs: [await key.proof('POST', allowed.url)] }),
      'Bearer RM, DPoP error="invalid_dpop_proof", error_description="dpop proof without an access token", ALGS, RM'],
    ['DPoP scheme without a proof', async () => ({ scheme: 'DPoP', token: await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } }), proofs: [] }),
      'Bearer RM, DPoP error="invalid_dpop_proof", error_description="dpop proof is missing", ALGS, RM'],
    ['token bound to another key (thumbprint mismatch)', async () => {
      const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: other.jkt } });
      return { scheme: 'DPoP', token, proofs: [await key.proof('POST', allowed.url, token)] };
    }, 'Bearer RM, DPoP error="invalid_token", error_description="token is not bound to the proof key", ALGS, RM'],
    ['two DPoP headers', async () => {
      const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } });
      return { scheme: 'DPoP', token, proofs: [await key.proof('POST', allowed.url, token), await key.proof('POST', allowed.url, token)] };
    }, 'Bearer RM, DPoP error="invalid_dpop_proof", error_description="more than one dpop proof", ALGS, RM'],
    ['proof for GET sent with POST', async () => {
      const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } });
      return { scheme: 'DPoP', token, proofs: [await key.proof('GET', allowed.url, token)] };
    }, 'Bearer RM, DPoP error="invalid_dpop_proof", error_description="dpop proof method does not match the request", ALGS, RM'],
  ])('%s → 401 with both challenges, the error on the scheme used', async (_name, make, challenge) => {
    const { scheme, token, proofs } = await make();
    const res = await call(allowed.url, scheme, token, proofs);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(challenge.replaceAll('RM', allowed.metadata).replace('ALGS', ALGS));
    expect(res.json.data).toBeUndefined();
  });
});

describe('AUTH_DPOP=required', () => {
  it('refuses a bearer token and offers only the DPoP challenge', async () => {
    const required = await start({ AUTH_DPOP: 'required' });
    const res = await call(required.url, 'Bearer', await issuer.mint({ scope: 'read:user' }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`DPoP error="invalid_token", error_description="token must be presented with a dpop proof", ${ALGS}, ${required.metadata}`);
    const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } });
    expect((await call(required.url, 'DPoP', token, [await key.proof('POST', required.url, token)])).json).toEqual({ data: { me: { id: 'u1' } } });
  });

  it('AUTH_DPOP=off (the default) keeps today\'s answer to the DPoP scheme: a bare Bearer challenge', async () => {
    const off = await start({});
    const res = await call(off.url, 'DPoP', await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer ${off.metadata}`);
  });
});

describe('AUTH_DPOP_NONCE=true (RFC 9449 §8, §9)', () => {
  it('answers use_dpop_nonce with a DPoP-Nonce header, then accepts a proof carrying it', async () => {
    const withNonce = await start({ AUTH_DPOP: 'allowed', AUTH_DPOP_NONCE: 'true' });
    const token = await issuer.mint({ scope: 'read:user', cnf: { jkt: key.jkt } });
    const first = await call(withNonce.url, 'DPoP', token, [await key.proof('POST', withNonce.url, token)]);
    expect(first.status).toBe(401);
    expect(first.headers['www-authenticate']).toBe(
      `Bearer ${withNonce.metadata}, DPoP error="use_dpop_nonce", error_description="dpop proof must carry the server nonce", ${ALGS}, ${withNonce.metadata}`,
    );
    const nonce = first.headers['dpop-nonce'] as string;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await call(withNonce.url, 'DPoP', token, [await key.proof('POST', withNonce.url, token, { claims: { nonce } })]);
    expect(second.json).toEqual({ data: { me: { id: 'u1' } } });
  });
});

describe('protected resource metadata (RFC 9728 §2)', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ['off', {}, { dpop_bound_access_tokens_required: false, tls_client_certificate_bound_access_tokens: false }],
    ['allowed', { AUTH_DPOP: 'allowed' }, { dpop_bound_access_tokens_required: false, dpop_signing_alg_values_supported: ['ES256', 'PS256', 'RS256', 'EdDSA'] }],
    ['required, ES256 only', { AUTH_DPOP: 'required', AUTH_DPOP_ALGORITHMS: 'ES256' }, { dpop_bound_access_tokens_required: true, dpop_signing_alg_values_supported: ['ES256'] }],
  ])('AUTH_DPOP %s', async (_name, env, fields) => {
    const { url } = await start(env);
    const metadata = await send(`${new URL(url).origin}/.well-known/oauth-protected-resource`, { method: 'GET' });
    expect(metadata.json).toMatchObject(fields);
    if (!env.AUTH_DPOP) expect(metadata.json).not.toHaveProperty('dpop_signing_alg_values_supported');
  });
});
