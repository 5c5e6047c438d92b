import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logger.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql, send } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

// What the operator sees: one structured line per refused request, with its reason code and a
// fingerprint, never a token, anywhere in the log; counters per reason at /metrics.
let issuer: TestIssuer;
let server: GatepassServer;
let url: string;
const lines: string[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  const destination = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  const config = loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0' });
  server = await createServer(config, { schema: exampleServerSchema, logger: createLogger({ level: 'debug', destination }) });
  url = await server.listen();
});
afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

it('logs each refusal once at info, never a token, and counts it per reason', async () => {
  const good = await issuer.mint({ scope: 'read:user' });
  const expired = await issuer.mint({ iat: Math.floor(Date.now() / 1000) - 600, exp: Math.floor(Date.now() / 1000) - 120 });
  const wrongAudience = await issuer.mint({ aud: 'https://other.test' });
  await graphql(url, '{ users { id } }', { token: good });
  await graphql(url, '{ posts { id } }', { token: expired });
  await graphql(url, '{ posts { id } }', { token: wrongAudience });
  await graphql(url, '{ posts { id } }', { token: wrongAudience }); // a cached refusal is logged too
  await send(`${url}?access_token=${good}`, { headers: [['content-type', 'application/json']], body: '{"query":"{ posts { id } }"}' });

  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const refused = entries.filter((entry) => entry.msg === 'request refused' && entry.level === 30);
  expect(refused.map((entry) => entry.reason)).toEqual(['expired', 'audience', 'audience', 'ERR_INVALID_REQUEST']);
  for (const entry of refused.slice(0, 3)) expect(entry.fingerprint).toMatch(/^[\w-]{12}$/);
  const log = lines.join('');
  for (const token of [good, expired, wrongAudience]) {
    for (const part of token.split('.')) expect(log).not.toContain(part);
  }

  const metrics = await send(url.replace(/\/graphql$/, '/metrics'), { method: 'GET' });
  expect(metrics.text).toContain('gatepass_auth_failures_total{reason="expired"} 1');
  expect(metrics.text).toContain('gatepass_auth_failures_total{reason="audience"} 2');
  expect(metrics.text).toContain('gatepass_auth_failures_total{reason="ERR_INVALID_REQUEST"} 1');
});
