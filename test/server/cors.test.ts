import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { send, type TestResponse } from '../helpers/http.js';

// CORS over real HTTP: preflights answered before CSRF prevention and authentication for the
// configured origins; a refused origin's request gets exactly what it would get with CORS off.
const APP = 'http://127.0.0.1:4500';
const OTHER = 'http://127.0.0.1:4501';
const QUERY = JSON.stringify({ query: '{ viewer { subject } }' });

let keyDir: string;
const servers: GatepassServer[] = [];
let withOrigins: string;
let withoutCors: string;
let wildcard: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'gatepass-cors-'));
  const start = async (env: Record<string, string>) => {
    const server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: keyDir, ...env }), { schema: exampleServerSchema });
    servers.push(server);
    return server.listen();
  };
  withOrigins = await start({ CORS_ORIGINS: `${APP},https://app.example.com` });
  withoutCors = await start({});
  wildcard = await start({ CORS_ORIGINS: '*' });
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await rm(keyDir, { recursive: true, force: true });
});

const preflight = (url: string, origin: string, requestHeaders: string) =>
  send(url, { method: 'OPTIONS', headers: [['origin', origin], ['access-control-request-method', 'POST'], ['access-control-request-headers', requestHeaders]] });

/** Every `access-control-*` header of a response. */
const corsHeaders = (res: TestResponse) => Object.fromEntries(Object.entries(res.headers).filter(([name]) => name.startsWith('access-control-')));

const ALLOWED_HEADERS = 'Authorization,Content-Type,DPoP,apollo-require-preflight,x-apollo-operation-name,apollographql-client-name,apollographql-client-version';

describe('preflight', () => {
  it.each<[string, string]>([
    ['fetch with a bearer token and JSON', 'authorization,content-type'],
    ['Apollo Client (CSRF header)', 'apollo-require-preflight,authorization,content-type'],
    ['Apollo Client (operation name)', 'authorization,content-type,x-apollo-operation-name'],
    ['urql / graphql-request', 'content-type'],
    ['a DPoP proof', 'authorization,content-type,dpop'],
  ])('an allowed origin: %s → 204 with the CORS answer, no token needed', async (_name, requested) => {
    const res = await preflight(withOrigins, APP, requested);
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET,POST,OPTIONS',
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-expose-headers': 'WWW-Authenticate,DPoP-Nonce,Retry-After',
      'access-control-max-age': '600',
    });
    expect(res.headers.vary).toBe('Origin');
    expect(res.text).toBe('');
  });

  it.each<[string, 'listed' | 'off', string]>([
    ['an origin not listed', 'listed', OTHER],
    ['a listed host on another port', 'listed', 'http://127.0.0.1:4502'],
    ['a listed origin with another scheme', 'listed', 'https://127.0.0.1:4500'],
    ['a suffix of a listed origin', 'listed', 'https://app.example.com.evil.test'],
    ['the string "null" (sandboxed frames, file:)', 'listed', 'null'],
    ['any origin while CORS_ORIGINS is unset', 'off', APP],
  ])('refused: %s → no CORS header, the same answer as with CORS off', async (_name, server, origin) => {
    const url = server === 'listed' ? withOrigins : withoutCors;
    const res = await preflight(url, origin, 'authorization,content-type');
    expect(corsHeaders(res)).toEqual({});
    const off = await preflight(withoutCors, origin, 'authorization,content-type');
    expect({ status: res.status, body: res.json }).toEqual({ status: off.status, body: off.json });
  });

  it('"*" (development): any origin, no credentials mode', async () => {
    const res = await preflight(wildcard, OTHER, 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('actual requests', () => {
  const post = (url: string, origin: string | undefined, authorization?: string) =>
    send(url, {
      headers: [
        ...(origin ? [['origin', origin] as const] : []),
        ['content-type', 'application/json'],
        ...(authorization ? [['authorization', authorization] as const] : []),
      ],
      body: QUERY,
    });

  it('an allowed origin reads the answer and, on a refused token, why (WWW-Authenticate exposed)', async () => {
    const res = await post(withOrigins, APP, 'Bearer not.a.jwt');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(corsHeaders(res)).toEqual({ 'access-control-allow-origin': APP, 'access-control-expose-headers': 'WWW-Authenticate,DPoP-Nonce,Retry-After' });
    expect(res.headers.vary).toBe('Origin');
  });

  it.each<[string, string | undefined]>([
    ['a refused origin', OTHER],
    ['no Origin (same-origin or not a browser)', undefined],
  ])('%s: no CORS header, same status and body as with CORS off', async (_name, origin) => {
    const res = await post(withOrigins, origin);
    const off = await post(withoutCors, origin);
    expect(corsHeaders(res)).toEqual({});
    expect(res.headers.vary).toBe('Origin');
    expect({ status: res.status, body: res.json }).toEqual({ status: off.status, body: off.json });
    expect(res.json).toEqual({
      data: { viewer: null },
      errors: [{ message: 'authentication required', locations: [{ line: 1, column: 3 }], path: ['viewer'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('the plain routes answer allowed origins too', async () => {
    const res = await send(withOrigins.replace('/graphql', '/.well-known/oauth-protected-resource'), { method: 'GET', headers: [['origin', APP]] });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });
});
