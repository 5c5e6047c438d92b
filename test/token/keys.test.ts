import { afterEach, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../src/token/verify.js';
import { createIssuerKeySet } from '../../src/token/keys.js';
import { metadataUrls } from '../../src/token/discovery.js';
import { startTestIssuer, type TestIssuer, type TestIssuerOptions } from '../helpers/test-issuer.js';
import { policyFor, refusal } from './fixtures.js';
import type { TokenPolicy } from '../../src/config/config.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Polls `check` every 20 ms, at most `limit` times. */
async function eventually(check: () => boolean, limit = 150): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (check()) return;
    await sleep(20);
  }
  throw new Error('condition not reached');
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function issuerWith(options?: TestIssuerOptions): Promise<TestIssuer> {
  const issuer = await startTestIssuer(options);
  cleanups.push(() => issuer.close());
  return issuer;
}
function verifierFor(issuers: TestIssuer[], overrides: Partial<TokenPolicy> = {}, remote: Partial<TokenPolicy['remote']> = {}): TokenVerifier {
  const base = policyFor(issuers, overrides);
  const verifier = createTokenVerifier(
    { ...base, remote: { ...base.remote, ...remote } },
    { retry: { initialMs: 30, maxMs: 120 }, cache: false },
  );
  cleanups.push(() => verifier.close());
  return verifier;
}

describe('discovery', () => {
  it.each<[string, string, string[]]>([
    ['no path', 'https://as.example', ['https://as.example/.well-known/oauth-authorization-server', 'https://as.example/.well-known/openid-configuration']],
    ['trailing slash', 'https://as.example/', ['https://as.example/.well-known/oauth-authorization-server', 'https://as.example/.well-known/openid-configuration']],
    ['with a path (RFC 8414 §3.1 insertion)', 'https://as.example/tenant/a', ['https://as.example/.well-known/oauth-authorization-server/tenant/a', 'https://as.example/tenant/a/.well-known/openid-configuration']],
  ])('metadata URLs: %s', (_name, issuer, expected) => {
    expect(metadataUrls(issuer).map(String)).toEqual(expected);
  });

  it.each<[string, TestIssuerOptions]>([
    ['RFC 8414 metadata', { metadata: 'oauth' }],
    ['RFC 8414 metadata, issuer with a path', { metadata: 'oauth', path: '/tenant-a' }],
    ['OpenID metadata only', { metadata: 'oidc' }],
    ['OpenID metadata, issuer with a path', { metadata: 'oidc', path: '/realms/demo' }],
  ])('finds the JWKS from %s', async (_name, options) => {
    const issuer = await issuerWith(options);
    const verifier = verifierFor([issuer]);
    expect(await verifier.warmUp()).toBe(true);
    await expect(verifier.verify(await issuer.mint())).resolves.toMatchObject({ subject: 'u1' });
    expect(verifier.readiness()).toEqual([{ issuer: issuer.issuer, ready: true }]);
  });

  it('uses an explicit jwksUri without any metadata', async () => {
    const issuer = await issuerWith({ metadata: 'none' });
    const verifier = verifierFor([issuer], { jwksUri: new URL(issuer.jwksUri) });
    await expect(verifier.verify(await issuer.mint())).resolves.toMatchObject({ subject: 'u1' });
    expect(issuer.metadataRequests()).toBe(0);
  });

  it.each<[string, (issuer: TestIssuer) => Record<string, unknown> | string, RegExp]>([
    ['metadata issuer differs (RFC 8414 §3.3)', (i) => ({ issuer: 'https://evil.example', jwks_uri: i.jwksUri }), /issuer differs/],
    ['metadata issuer with trailing slash', (i) => ({ issuer: `${i.issuer}/`, jwks_uri: i.jwksUri }), /issuer differs/],
    ['metadata not JSON', () => '<html>login</html>', /not JSON/],
    ['metadata a JSON array', () => '[]', /not a JSON object/],
    ['no jwks_uri', (i) => ({ issuer: i.issuer }), /no jwks_uri/],
    ['jwks_uri not a string', (i) => ({ issuer: i.issuer, jwks_uri: 5 }), /no jwks_uri/],
    ['jwks_uri plain http off loopback', (i) => ({ issuer: i.issuer, jwks_uri: 'http://example.com/jwks' }), /https/],
  ])('does not use metadata: %s → not ready, 503', async (_name, body, error) => {
    const issuer = await issuerWith();
    issuer.setMetadata(body(issuer));
    const verifier = verifierFor([issuer]);
    expect(await verifier.warmUp()).toBe(false);
    const [readiness] = verifier.readiness();
    expect(readiness).toMatchObject({ issuer: issuer.issuer, ready: false });
    expect(readiness!.lastError).toMatch(error);
    expect(await refusal(verifier.verify(await issuer.mint()))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    expect(issuer.jwksRequests()).toBe(0);
  });
});

describe('unreachable at startup is not misconfigured', () => {
  it.each<['status' | 'close']>([['status'], ['close']])('keeps retrying with backoff, then serves (%s)', async (how) => {
    const issuer = await issuerWith();
    issuer.setAvailable(false, how);
    const verifier = verifierFor([issuer]);
    expect(await verifier.warmUp()).toBe(false);
    expect(verifier.readiness()[0]).toMatchObject({ ready: false, lastError: expect.any(String) });
    expect(await refusal(verifier.verify(await issuer.mint()))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    await eventually(() => issuer.metadataRequests() >= 3); // retried in the background
    issuer.setAvailable(true);
    await eventually(() => verifier.readiness()[0]!.ready);
    await expect(verifier.verify(await issuer.mint())).resolves.toMatchObject({ subject: 'u1' });
  });

  it('a closed port is 503, not 401', async () => {
    const issuer = await startTestIssuer();
    const token = await issuer.mint();
    await issuer.close();
    const verifier = verifierFor([issuer]);
    expect(await refusal(verifier.verify(token))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
  });

  it('stops retrying after close()', async () => {
    const issuer = await issuerWith();
    issuer.setAvailable(false);
    const keys = createIssuerKeySet(issuer.issuer, policyFor([issuer]), { retry: { initialMs: 20, maxMs: 20 } });
    await keys.warmUp();
    keys.close();
    const seen = issuer.metadataRequests();
    await sleep(120);
    expect(issuer.metadataRequests()).toBeLessThanOrEqual(seen + 2);
  });
});

describe('key rotation and the key set cache', () => {
  it('rotation without restart: a new kid is fetched once the cooldown has passed', async () => {
    const issuer = await issuerWith();
    const verifier = verifierFor([issuer], {}, { cooldownMs: 150 });
    await expect(verifier.verify(await issuer.mint())).resolves.toBeDefined();
    const old = issuer.currentKey();
    await issuer.rotate();
    await sleep(200);
    await expect(verifier.verify(await issuer.mint())).resolves.toBeDefined();
    // old key still published: still accepted
    await expect(verifier.verify(await issuer.mint({}, { kid: old.kid }))).resolves.toBeDefined();
    // A removed key stays trusted until the set is fetched again (cacheMaxAge, or an unknown kid
    // after the cooldown): jose's remote set replaces the whole set on each fetch.
    issuer.removeKey(old.kid);
    await expect(verifier.verify(await issuer.mint({ jti: 'x' }, { kid: old.kid }))).resolves.toBeDefined();
    await sleep(200);
    expect(await refusal(verifier.verify(await issuer.mint({}, { kid: 'trigger-refetch' })))).toMatchObject({ reason: 'unknown_key' });
    expect(await refusal(verifier.verify(await issuer.mint({ jti: 'y' }, { kid: old.kid })))).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason: 'unknown_key' });
  });

  it('unknown-kid flood: at most one JWKS fetch per cooldown', async () => {
    const issuer = await issuerWith();
    const verifier = verifierFor([issuer], {}, { cooldownMs: 400 });
    expect(await verifier.warmUp()).toBe(true);
    await sleep(450);
    const before = issuer.jwksRequests();
    const tokens = await Promise.all(Array.from({ length: 60 }, (_, i) => issuer.mint({}, { kid: `forged-${i}` })));
    const results = await Promise.all(tokens.map((t) => refusal(verifier.verify(t))));
    for (let i = 0; i < 40; i++) results.push(await refusal(verifier.verify(tokens[i]!)));
    expect(results.every((e) => e.code === 'ERR_INVALID_TOKEN' && e.reason === 'unknown_key')).toBe(true);
    expect(issuer.jwksRequests() - before).toBe(1);
  });

  it('JWKS down after warm-up: cached keys keep working; unknown kid in cooldown is 401, after it 503', async () => {
    const issuer = await issuerWith();
    const verifier = verifierFor([issuer], {}, { cooldownMs: 200 });
    await expect(verifier.verify(await issuer.mint())).resolves.toBeDefined();
    issuer.setAvailable(false);
    await expect(verifier.verify(await issuer.mint({ jti: 'second' }))).resolves.toBeDefined();
    expect(await refusal(verifier.verify(await issuer.mint({}, { kid: 'unknown-1' })))).toMatchObject({ reason: 'unknown_key' });
    await sleep(250);
    expect(await refusal(verifier.verify(await issuer.mint({}, { kid: 'unknown-2' })))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    // known kid: still served from the cached set while it is fresh
    await expect(verifier.verify(await issuer.mint({ jti: 'third' }))).resolves.toBeDefined();
    expect(verifier.readiness()[0]).toMatchObject({ ready: true, lastError: expect.any(String) });
    issuer.setAvailable(true);
    await eventually(() => verifier.readiness()[0]!.lastError === undefined);
  });

  it('the cached set is trusted only for cacheMaxAge (jose): beyond it, down is 503', async () => {
    const issuer = await issuerWith();
    const verifier = verifierFor([issuer], {}, { cooldownMs: 100, cacheMaxAgeMs: 300 });
    await expect(verifier.verify(await issuer.mint())).resolves.toBeDefined();
    issuer.setAvailable(false);
    await expect(verifier.verify(await issuer.mint({ jti: 'b' }))).resolves.toBeDefined();
    await sleep(350);
    expect(await refusal(verifier.verify(await issuer.mint({ jti: 'c' })))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
    expect(verifier.readiness()[0]!.ready).toBe(false);
  });
});

describe('issuer confusion across two issuers', () => {
  it.each<[string, (a: TestIssuer, b: TestIssuer, c: TestIssuer) => Promise<string>, string]>([
    ['A key, iss B', (a, b) => a.mint({ iss: b.issuer }), 'unknown_key'],
    ['A key under B kid, iss B', (a, b) => a.mint({ iss: b.issuer }, { kid: b.currentKey().kid }), 'signature'],
    ['B key under A kid, iss A', (a, b) => b.mint({ iss: a.issuer }, { kid: a.currentKey().kid }), 'signature'],
    ['unconfigured issuer C', (_a, _b, c) => c.mint(), 'issuer'],
    ['C key, iss A, jku to C', (a, _b, c) => c.mint({ iss: a.issuer }, { header: { jku: c.jwksUri } }), 'unknown_key'],
  ])('%s', async (_name, make, reason) => {
    const [a, b, c] = [await issuerWith(), await issuerWith(), await issuerWith()];
    const verifier = verifierFor([a, b]);
    await expect(verifier.verify(await a.mint())).resolves.toMatchObject({ issuer: a.issuer });
    await expect(verifier.verify(await b.mint())).resolves.toMatchObject({ issuer: b.issuer });
    expect(await refusal(verifier.verify(await make(a, b, c)))).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason });
    expect(c.jwksRequests() + c.metadataRequests()).toBe(0);
    expect(verifier.readiness().map((r) => r.issuer)).toEqual([a.issuer, b.issuer]);
  });
});

describe('a key set too large to be real', () => {
  it('is not read past its bound: the issuer counts as unavailable (503), not as refusing', async () => {
    const { createServer } = await import('node:http');
    const issuer = await startTestIssuer();
    cleanups.push(() => issuer.close());
    const key = issuer.jwks().keys[0]!;
    // A valid key set padded with 1 MiB of unused keys' worth of text.
    const body = JSON.stringify({ keys: [key], padding: 'x'.repeat(1024 * 1024) });
    const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { port } = server.address() as { port: number };
    const policy: TokenPolicy = { ...policyFor([issuer]), jwksUri: new URL(`http://127.0.0.1:${port}/jwks.json`) };
    const verifier = createTokenVerifier(policy, { retry: { initialMs: 50, maxMs: 50 } });
    cleanups.push(() => verifier.close());
    expect(await verifier.warmUp()).toBe(false);
    expect(await refusal(verifier.verify(await issuer.mint()))).toMatchObject({ code: 'ERR_TOKEN_SERVICE_UNAVAILABLE' });
  });
});
