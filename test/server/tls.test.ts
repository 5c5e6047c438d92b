import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { connectWs } from '../helpers/ws-client.js';

// TLS_CERT/TLS_KEY: the server speaks https itself when no proxy terminates TLS. The key and
// certificate are made for this test in a temporary folder, never committed.
let dir: string;
let issuer: TestIssuer;
let server: GatepassServer;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gatepass-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  issuer = await startTestIssuer();
  const config = loadConfig({
    AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent',
    TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem'),
  });
  server = await createServer(config, { schema: exampleServerSchema });
  url = await server.listen();
});
afterAll(async () => {
  await server?.close();
  await issuer?.close();
  await rm(dir, { recursive: true, force: true });
});

it('serves GraphQL over https with a verified token', async () => {
  expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
  const ca = await readFile(join(dir, 'cert.pem'));
  const token = await issuer.mint({ scope: 'read:user' });
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ users { name } }' }));
  });
  expect(JSON.parse(body)).toEqual({ data: { users: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol' }] } });
});

it('refuses a certificate without its key at startup', () => {
  expect(() => loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, TLS_CERT: join(dir, 'cert.pem') })).toThrow(/TLS_KEY: TLS needs both/);
});

it('serves graphql-ws over wss on the same port and path', async () => {
  const ca = (await readFile(join(dir, 'cert.pem'))).toString();
  const ws = connectWs(url, { Authorization: `Bearer ${await issuer.mint({ sub: 'u1', scope: 'read:user' })}` }, { tls: { ca } });
  const query = ws.subscribe('{ viewer { subject } }');
  await query.done;
  expect(query.events).toEqual([{ data: { viewer: { subject: 'u1' } } }]);
  await ws.dispose();
});
