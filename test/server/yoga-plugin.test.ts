/**
 * useGatepass where no Node request is at hand (Yoga's `fetch`, as on Deno, Bun or a worker):
 * the joined `Authorization` value still fails closed, and a context the door never saw is
 * refused. Over HTTP on Node, the shared tables in example-api.test.ts and
 * request-failures.test.ts cover the rest.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../src/logger.js';
import { useGatepass } from '../../src/server/yoga-plugin.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/token/verify.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
let verifier: TokenVerifier;
let yoga: ReturnType<typeof createYoga>;

beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createTokenVerifier(loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE }).token);
  const schema = authDirectiveTransformer(createSchema({
    typeDefs: [AUTH_DIRECTIVE_SDL, 'type Query { hello: String secret: String @auth(scopes: [["read:secret"]]) }'],
    resolvers: { Query: { hello: () => 'world', secret: () => 'swordfish' } },
  }), { logger: silentLogger() });
  yoga = createYoga({ schema, logging: false, plugins: [useGatepass({ verifier, resourceMetadata: 'https://api.test/.well-known/oauth-protected-resource' })] });
});
afterAll(async () => {
  verifier?.close();
  await issuer?.close();
});

/** A POST through Yoga's Fetch handler: no server context, so no Node `rawHeaders`. */
async function post(headers: Record<string, string>, search = '', body: object = { query: '{ hello secret }' }) {
  const response = await yoga.fetch(`http://127.0.0.1/graphql${search}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, challenge: response.headers.get('www-authenticate'), json: (await response.json()) as unknown };
}

const METADATA = 'resource_metadata="https://api.test/.well-known/oauth-protected-resource"';

describe('useGatepass without a Node request', () => {
  it.each<[string, Record<string, string>, string, object | undefined, number, string]>([
    ['two bearer credentials, joined by Fetch', { authorization: 'Bearer abc, Bearer def' }, '', undefined, 400, `Bearer error="invalid_request", error_description="malformed authorization header", ${METADATA}`],
    ['another scheme joined with a bearer credential', { authorization: 'Basic dXNlcjpwYXNz, Bearer abc' }, '', undefined, 401, `Bearer ${METADATA}`],
    ['a token in the URL', {}, '?access_token=abc', undefined, 400, `Bearer error="invalid_request", error_description="access token must not be sent in the URL", ${METADATA}`],
    ['a token in the JSON body', {}, '', { query: '{ hello }', access_token: 'abc' }, 400, `Bearer error="invalid_request", error_description="access token must not be sent in the body", ${METADATA}`],
  ])('%s: refused, nothing runs', async (_name, headers, search, body, status, challenge) => {
    const res = await post(headers, search, body);
    expect([res.status, res.challenge]).toEqual([status, challenge]);
    expect(res.json).not.toHaveProperty('data');
  });

  it('serves a valid token and an anonymous caller as the Apollo path does', async () => {
    const token = await issuer.mint({ scope: 'read:secret' });
    expect((await post({ authorization: `Bearer ${token}` })).json).toEqual({ data: { hello: 'world', secret: 'swordfish' } });
    expect((await post({})).json).toEqual({
      data: { hello: 'world', secret: null },
      errors: [{ message: 'authentication required', locations: [{ line: 1, column: 9 }], path: ['secret'], extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('refuses a context built for a request the door never saw (500, never anonymous)', async () => {
    const { contextFactory } = yoga.getEnveloped({ request: new Request('http://127.0.0.1/graphql') } as never);
    await expect(Promise.resolve().then(() => contextFactory())).rejects.toMatchObject({ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } } });
  });

  it('warns when its mode and the transformer\'s disagree about dry-run', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) });
    const schema = authDirectiveTransformer(createSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, 'type Query { a: String @auth }'] }), { logger: silentLogger() });
    createYoga({ schema, logging: false, plugins: [useGatepass({ verifier, logger, mode: 'dry-run' })] });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([
      { plugin: 'dry-run', transformer: 'field', msg: 'useGatepass and authDirectiveTransformer disagree about dry-run: pass the same mode to both' },
    ]);
  });
});
