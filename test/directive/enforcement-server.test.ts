/**
 * The reference server wires the modes from AUTH_ENFORCEMENT, and Yoga with useGatepass answers
 * the same (one table, run on both): real servers on 127.0.0.1:0 in production mode, verifying
 * tokens against a real key set on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_KINDS, startExampleServer, type ExampleServer } from '../helpers/example-servers.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
const servers: ExampleServer[] = [];
const urls: Record<string, string> = {};

beforeAll(async () => {
  issuer = await startTestIssuer();
  for (const kind of SERVER_KINDS) {
    for (const mode of ['operation', 'dry-run']) {
      const server = await startExampleServer(kind, { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, AUTH_ENFORCEMENT: mode });
      servers.push(server);
      urls[`${kind} ${mode}`] = server.url;
    }
  }
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await issuer?.close();
});

const EMAIL = { allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] };

describe.each(SERVER_KINDS)('AUTH_ENFORCEMENT on %s', (kind) => {
  it('operation, anonymous: 401 with the resource metadata in the challenge', async () => {
    const url = urls[`${kind} operation`] as string;
    const res = await graphql(url, '{ posts { title } users { id } }');
    expect([res.status, res.headers['www-authenticate'], res.json.errors.map((e: any) => [e.path, e.extensions.code]), res.json.data]).toEqual([
      401, `Bearer resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource"`, [[['users'], 'UNAUTHENTICATED']], undefined,
    ]);
  });

  it('operation, lacking a scope: 403 insufficient_scope naming the scopes', async () => {
    const url = urls[`${kind} operation`] as string;
    const res = await graphql(url, '{ user(id: "u1") { name email } }', { token: await issuer.mint({ sub: 'u1', scope: 'read:user' }) });
    expect([res.status, res.headers['www-authenticate'], res.json]).toEqual([
      403, `Bearer error="insufficient_scope", scope="read:user read:email", resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource"`,
      { errors: [{ message: 'not authorized', locations: [{ line: 1, column: 25 }], path: ['user', 'email'], extensions: { code: 'FORBIDDEN', requirement: EMAIL } }] },
    ]);
  });

  it('dry-run: the data flows and the would-be denials are in extensions', async () => {
    const res = await graphql(urls[`${kind} dry-run`] as string, '{ user(id: "u1") { name email } }', { token: await issuer.mint({ sub: 'u1', scope: 'read:user' }) });
    expect([res.status, res.json]).toEqual([200, {
      data: { user: { name: 'alice', email: 'alice@example.com' } },
      extensions: { authDryRun: [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: EMAIL }] },
    }]);
  });
});
