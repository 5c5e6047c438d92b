import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { graphql, send } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

// The landing page holds a working dev token: never cached, and in dev mode served only to the
// Host the server bound (a DNS-rebound name gets 403). Its offline fallback is on the same page.
const page = (url: string, host?: string) =>
  send(url, { method: 'GET', headers: [['accept', 'text/html,application/xhtml+xml'], ...(host ? [['host', host] as const] : [])] });

let keyDir: string;
let issuer: TestIssuer;
const servers: GatepassServer[] = [];
let dev: string;
let port: string;
let production: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'gatepass-landing-guard-'));
  issuer = await startTestIssuer();
  const start = async (env: Record<string, string>) => {
    const server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: keyDir, ...env }), { schema: exampleServerSchema });
    servers.push(server);
    return server.listen();
  };
  dev = await start({});
  port = new URL(dev).port;
  production = await start({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, LANDING_PAGE: 'true' });
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await issuer?.close();
  await rm(keyDir, { recursive: true, force: true });
});

describe('dev mode', () => {
  it.each<[string, () => string]>([
    ['the bound address and port', () => `127.0.0.1:${port}`],
    ['localhost on the bound port', () => `localhost:${port}`],
    ['upper case', () => `LOCALHOST:${port}`],
  ])('Host %s: 200, no-store', async (_name, host) => {
    const res = await page(dev, host());
    expect({ status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({ status: 200, cacheControl: 'no-store' });
    expect(res.text).toMatch(/Bearer ey/);
  });

  it.each<[string, () => string]>([
    ['a rebound DNS name on the bound port', () => `attacker.example:${port}`],
    ['a rebound DNS name without port', () => 'attacker.example'],
    ['another loopback port', () => `127.0.0.1:${Number(port) === 65535 ? 1 : Number(port) + 1}`],
    ['another loopback address', () => `127.0.0.2:${port}`],
    ['a *.localhost name', () => `evil.localhost:${port}`],
    ['garbage', () => 'a b'],
  ])('Host %s: 403 without the page', async (_name, host) => {
    const res = await page(dev, host());
    expect(res.status).toBe(403);
    expect(res.text).not.toMatch(/Bearer/);
  });

  it('does not touch GraphQL requests whatever their Host', async () => {
    const res = await graphql(dev, '{ __typename }', { headers: [['host', `attacker.example:${port}`]] });
    expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: { data: { __typename: 'Query' } } });
  });

  it('carries an offline fallback: a ready curl and a query form posting to the bound URL with the dev token', async () => {
    const res = await page(dev);
    const token = /"Authorization":"Bearer ([\w-]+\.[\w-]+\.[\w-]+)"/.exec(res.text)?.[1];
    expect(token).toBeDefined();
    expect(res.text).toContain(`curl -s ${dev} -H &#39;content-type: application/json&#39; -H &#34;authorization: Bearer ${token}&#34;`);
    expect(res.text).toContain(`fetch(${JSON.stringify(dev)}, { method: 'POST'`);
    expect(res.text).toContain(`"authorization":"Bearer ${token}"`);
    // Apollo's CSP admits only its nonced scripts: the fallback's script carries the nonce.
    const nonce = /'nonce-([^']+)'/.exec(res.text)?.[1];
    expect(res.text).toContain(`<script nonce="${nonce}">\n  (function () {`);
  });
});

describe('production mode with LANDING_PAGE=true', () => {
  it('no-store, any Host (no token on the page), a fallback without a token', async () => {
    const res = await page(production, 'api.example.com');
    expect({ status: res.status, cacheControl: res.headers['cache-control'] }).toEqual({ status: 200, cacheControl: 'no-store' });
    expect(res.text).toContain('id="gatepass-offline"');
    expect(res.text).not.toMatch(/Bearer|authorization/i);
  });
});
