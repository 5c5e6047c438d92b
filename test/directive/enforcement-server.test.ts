/**
 * The reference server wires the modes from AUTH_ENFORCEMENT: a real server on 127.0.0.1:0 in
 * production mode, verifying tokens against a real key set on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

let issuer: TestIssuer;
const servers: GatepassServer[] = [];
const urls: Record<string, string> = {};

beforeAll(async () => {
  issuer = await startTestIssuer();
  for (const mode of ['operation', 'dry-run']) {
    const server = await createServer(loadConfig({
      AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent', AUTH_ENFORCEMENT: mode,
    }), { schema: exampleServerSchema });
    servers.push(server);
    urls[mode] = await server.listen();
  }
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await issuer?.close();
});

const EMAIL = { allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] };

describe('AUTH_ENFORCEMENT', () => {
  it('operation, anonymous: 401 with the resource metadata in the challenge', async () => {
    const url = urls['operation'] as string;
    const res = await graphql(url, '{ posts { title } users { id } }');
    expect([res.status, res.headers['www-authenticate'], res.json.errors.map((e: any) => [e.path, e.extensions.code]), res.json.data]).toEqual([
      401, `Bearer resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource"`, [[['users'], 'UNAUTHENTICATED']], undefined,
    ]);
  });

  it('operation, lacking a scope: 403 insufficient_scope naming the scopes', async () => {
    const url = urls['operation'] as string;
    const res = await graphql(url, '{ user(id: "u1") { name email } }', { token: await issuer.mint({ sub: 'u1', scope: 'read:user' }) });
    expect([res.status, res.headers['www-authenticate'], res.json]).toEqual([
      403, `Bearer error="insufficient_scope", scope="read:user read:email", resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource"`,
      { errors: [{ message: 'not authorized', locations: [{ line: 1, column: 25 }], path: ['user', 'email'], extensions: { code: 'FORBIDDEN', requirement: EMAIL } }] },
    ]);
  });

  it('dry-run: the data flows and the would-be denials are in extensions', async () => {
    const res = await graphql(urls['dry-run'] as string, '{ user(id: "u1") { name email } }', { token: await issuer.mint({ sub: 'u1', scope: 'read:user' }) });
    expect([res.status, res.json]).toEqual([200, {
      data: { user: { name: 'alice', email: 'alice@example.com' } },
      extensions: { authDryRun: [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: EMAIL }] },
    }]);
  });
});
