import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

// RFC 9470 step-up on the example API: changeEmail needs write:user and an mfa login of the
// last 300 s. Field mode answers null + INSUFFICIENT_USER_AUTHENTICATION; operation mode, 401.
const CHANGE = 'mutation { changeEmail(email: "new@example.com") { id email } }';
const SCOPES = 'read:user read:email write:user';
const now = () => Math.floor(Date.now() / 1000);
let issuer: TestIssuer;
const servers: GatepassServer[] = [];

async function start(env: Record<string, string> = {}): Promise<string> {
  const server = await createServer(loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent', ...env }), { schema: exampleServerSchema });
  servers.push(server);
  return server.listen();
}

beforeAll(async () => {
  issuer = await startTestIssuer();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await issuer?.close();
});

const STEP_UP_ERROR = {
  message: 'a stronger or more recent authentication is required',
  locations: [{ line: 1, column: 12 }],
  path: ['changeEmail'],
  extensions: { code: 'INSUFFICIENT_USER_AUTHENTICATION', acr_values: 'mfa', max_age: 300 },
};

describe('step-up in field mode', () => {
  let url: string;
  beforeAll(async () => {
    url = await start();
  });

  it.each<[string, Record<string, unknown>]>([
    ['a password login', { acr: 'pwd', auth_time: now() - 10 }],
    ['an mfa login 10 minutes ago', { acr: 'mfa', auth_time: now() - 600 }],
    ['a token without acr or auth_time', {}],
    ['an admin with a password login (the override does not waive step-up)', { acr: 'pwd', auth_time: now() - 10, roles: ['admin'] }],
  ])('%s → null with what to ask for', async (_name, claims) => {
    const res = await graphql(url, CHANGE, { token: await issuer.mint({ scope: SCOPES, ...claims }) });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { changeEmail: null }, errors: [STEP_UP_ERROR] });
  });

  it('an mfa login a minute ago changes the email', async () => {
    const res = await graphql(url, CHANGE, { token: await issuer.mint({ scope: SCOPES, acr: 'mfa', auth_time: now() - 60 }) });
    expect(res.json).toEqual({ data: { changeEmail: { id: 'u1', email: 'new@example.com' } } });
  });

  it('a missing scope is FORBIDDEN, not a step-up', async () => {
    const res = await graphql(url, CHANGE, { token: await issuer.mint({ scope: 'read:user', acr: 'pwd', auth_time: now() }) });
    expect(res.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});

describe('step-up in operation mode', () => {
  it('401 with the RFC 9470 challenge, nothing executed', async () => {
    const url = await start({ AUTH_ENFORCEMENT: 'operation' });
    const res = await graphql(url, CHANGE, { token: await issuer.mint({ scope: SCOPES, acr: 'pwd', auth_time: now() }) });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", error_description="a stronger or more recent authentication is required", ' +
        `acr_values="mfa", max_age="300", resource_metadata="${new URL(url).origin}/.well-known/oauth-protected-resource"`,
    );
    expect(res.json).toEqual({ errors: [STEP_UP_ERROR] });
  });

  it('AUTH_ADMIN_STEP_UP=true lets the admin override waive step-up', async () => {
    const url = await start({ AUTH_ADMIN_STEP_UP: 'true' });
    const res = await graphql(url, CHANGE, { token: await issuer.mint({ scope: 'read:user', roles: ['admin'], acr: 'pwd' }) });
    expect(res.json).toEqual({ data: { changeEmail: { id: 'u1', email: 'new@example.com' } } });
  });
});
