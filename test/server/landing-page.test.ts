import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql, send } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';

// The browser landing page: in dev mode Apollo Sandbox opens with a working dev token in its
// Authorization header; in production it is off unless asked for, and never carries a token.
const page = (url: string) => send(url, { method: 'GET', headers: [['accept', 'text/html']] });

describe('dev mode', () => {
  let keyDir: string;
  let server: GatepassServer;
  let url: string;
  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'gatepass-landing-'));
    server = await createServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GATEPASS_DEV_KEY_DIR: keyDir }), { schema: exampleServerSchema });
    url = await server.listen();
  });
  afterAll(async () => {
    await server?.close();
    await rm(keyDir, { recursive: true, force: true });
  });

  it('serves Sandbox with an Authorization header holding a dev token that works', async () => {
    const res = await page(url);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const token = /"Authorization":"Bearer ([\w-]+\.[\w-]+\.[\w-]+)"/.exec(res.text)?.[1];
    expect(token, 'the page carries an Authorization header').toBeDefined();
    expect(res.text).toContain('query Tour');
    const viewer = await graphql(url, '{ viewer { subject } users { name } }', { token: token! });
    expect(viewer.json).toEqual({ data: { viewer: { subject: 'u1' }, users: [{ name: 'alice' }, { name: 'bob' }, { name: 'carol' }] } });
  });
});

describe('production mode', () => {
  let issuer: TestIssuer;
  const servers: GatepassServer[] = [];
  beforeAll(async () => {
    issuer = await startTestIssuer();
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await issuer?.close();
  });
  const start = async (extra: Record<string, string>) => {
    const server = await createServer(loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent', ...extra }), { schema: exampleServerSchema });
    servers.push(server);
    return server.listen();
  };

  it('serves no landing page by default', async () => {
    const res = await page(await start({}));
    expect(res.headers['content-type']).not.toMatch(/text\/html/);
    expect(res.text).not.toMatch(/Bearer/);
  });

  it('serves Sandbox without any token when LANDING_PAGE=true', async () => {
    const res = await page(await start({ LANDING_PAGE: 'true' }));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).not.toMatch(/Bearer|Authorization/);
  });
});
