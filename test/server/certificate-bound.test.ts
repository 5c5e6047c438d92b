import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { exampleServerSchema } from '../../src/example/build-example-schema.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { makeTestCertificates, type TestCertificates } from '../helpers/certificates.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';
import { connectWs } from '../helpers/ws-client.js';

// RFC 8705 §3: a token whose cnf["x5t#S256"] names a client certificate is accepted only on a
// connection authenticated with that certificate (or, behind a proxy, from the proxy's header).
// Every certificate is made with openssl for this test, in a temporary folder.
let certs: TestCertificates;
let issuer: TestIssuer;
const servers: GatepassServer[] = [];
let tlsUrl: string;
let proxiedUrl: string;
let thumbprintA: string;
const file = (name: string) => certs.file(name);

beforeAll(async () => {
  certs = await makeTestCertificates(['a', 'b']);
  thumbprintA = certs.thumbprint('a');
  issuer = await startTestIssuer();
  const base = { AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent' };
  for (const env of [
    { ...base, TLS_CERT: file('server.pem'), TLS_KEY: file('server.key'), TLS_CLIENT_CA: file('ca.pem') },
    { ...base, TLS_CLIENT_CERT_HEADER: 'X-Client-Cert', TLS_CLIENT_CERT_PROXIES: '127.0.0.2' },
  ]) {
    const server = await createServer(loadConfig(env), { schema: exampleServerSchema });
    servers.push(server);
  }
  tlsUrl = await servers[0]!.listen();
  proxiedUrl = await servers[1]!.listen();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await issuer?.close();
  await certs?.remove();
});

interface Answer { status: number; challenge: string | undefined; json: any }

async function overTls(token: string, client?: 'a' | 'b'): Promise<Answer> {
  return post(httpsRequest, tlsUrl, token, {}, certs.tls(client));
}

function post(request: typeof httpRequest, url: string, token: string, headers: Record<string, string>, extra: object = {}): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, ...extra },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'] as string | undefined, json: JSON.parse(body) }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ query: '{ me { id } }' }));
  });
}

const ME = { data: { me: { id: 'u1' } } };
const bound = () => issuer.mint({ scope: 'read:user', cnf: { 'x5t#S256': thumbprintA } });

describe('TLS_CLIENT_CA: certificate-bound tokens over mTLS', () => {
  it('the bound token reads the API over a connection with its certificate', async () => {
    expect((await overTls(await bound(), 'a')).json).toEqual(ME);
  });

  it.each<[string, 'a' | 'b' | undefined, string]>([
    ['without a client certificate', undefined, 'sender-constrained token presented as bearer'],
    ['with another certificate of the same CA', 'b', 'token is not bound to this client certificate'],
  ])('refuses it %s', async (_name, client, description) => {
    const res = await overTls(await bound(), client);
    expect(res.status).toBe(401);
    expect(res.challenge).toMatch(new RegExp(`^Bearer error="invalid_token", error_description="${description}"`));
  });

  it('a plain bearer token still works with or without a certificate', async () => {
    const token = await issuer.mint({ scope: 'read:user' });
    expect([(await overTls(token, 'a')).json, (await overTls(token)).json]).toEqual([ME, ME]);
  });

  it('metadata says certificate-bound tokens are accepted', async () => {
    const res = await new Promise<any>((resolve, reject) => {
      httpsRequest(`${new URL(tlsUrl).origin}/.well-known/oauth-protected-resource`, certs.tls(), (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => resolve(JSON.parse(body)));
      }).on('error', reject).end();
    });
    expect(res).toMatchObject({ tls_client_certificate_bound_access_tokens: true });
  });
});

describe('TLS_CLIENT_CA over WebSocket (wss)', () => {
  const viewerOver = async (client?: 'a' | 'b') => {
    const ws = connectWs(tlsUrl, { Authorization: `Bearer ${await bound()}` }, { tls: certs.tls(client) });
    try {
      await ws.connected;
      const query = ws.subscribe('{ viewer { subject } }');
      await query.done;
      return { events: query.events };
    } catch (closed) {
      return { closed };
    } finally {
      await ws.dispose();
    }
  };

  it('a bound token connects over the connection with its certificate', async () => {
    expect(await viewerOver('a')).toEqual({ events: [{ data: { viewer: { subject: 'u1' } } }] });
  });

  it.each<[string, 'b' | undefined, string]>([
    ['without a client certificate', undefined, 'sender-constrained token presented as bearer'],
    ['with another certificate', 'b', 'token is not bound to this client certificate'],
  ])('refuses it %s (4401)', async (_name, client, reason) => {
    expect(await viewerOver(client)).toMatchObject({ closed: { code: 4401, reason } });
  });
});

describe('TLS_CLIENT_CERT_HEADER behind a proxy', () => {
  const header = async (name: 'a' | 'b') => ({ 'x-client-cert': encodeURIComponent(await readFile(file(`${name}.pem`), 'utf8')) });

  it('reads the certificate from a configured proxy address', async () => {
    expect((await post(httpRequest, proxiedUrl, await bound(), await header('a'), { localAddress: '127.0.0.2' })).json).toEqual(ME);
    const other = await post(httpRequest, proxiedUrl, await bound(), await header('b'), { localAddress: '127.0.0.2' });
    expect(other.challenge).toMatch(/error_description="token is not bound to this client certificate"/);
  });

  it('ignores the header from any other address', async () => {
    const res = await post(httpRequest, proxiedUrl, await bound(), await header('a'), { localAddress: '127.0.0.1' });
    expect(res.status).toBe(401);
    expect(res.challenge).toMatch(/error_description="sender-constrained token presented as bearer"/);
  });
});
