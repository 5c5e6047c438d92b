import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import * as oauth from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENTS, DEMO_RESOURCE } from '../helpers/authorization-server.js';
import { makeTestCertificates, type TestCertificates } from '../helpers/certificates.js';
import { send } from '../helpers/http.js';
import { expectInvalidToken, startStack, type Stack } from './stack.js';

// End to end (RFC 8705 §3): oidc-provider binds a client credentials token to the certificate
// of the TLS connection openid-client asked for it on (its mTLS token endpoint alias, §5), and
// the API, serving TLS with TLS_CLIENT_CA, accepts that token only over a connection with the
// same certificate. Every certificate is made with openssl for this test.
const QUERY = JSON.stringify({ query: '{ viewer { subject } }' });
let certs: TestCertificates;
let stack: Stack;
let client: oauth.Configuration;

/** openid-client's fetch over node:https, presenting `name`'s certificate (none if undefined). */
const fetchWithCertificate =
  (name: string | undefined): oauth.CustomFetch =>
  async (url, options) => {
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    const res = await send(url, { method: options.method, headers: Object.entries(options.headers), ...(body === undefined ? {} : { body }), tls: certs.tls(name) });
    const headers = Object.entries(res.headers).flatMap(([key, value]) => (value === undefined ? [] : [value].flat().map((v) => [key, v] as [string, string])));
    return new Response(res.text, { status: res.status, headers });
  };

/** A client credentials grant (RFC 6749 §4.4) over a connection with `name`'s certificate. */
function tokenOver(name: string | undefined): Promise<oauth.TokenEndpointResponse> {
  client[oauth.customFetch] = fetchWithCertificate(name);
  return oauth.clientCredentialsGrant(client, { scope: 'read:user', resource: DEMO_RESOURCE });
}

beforeAll(async () => {
  certs = await makeTestCertificates(['a', 'b']);
  const server = { cert: readFileSync(certs.file('server.pem')), key: readFileSync(certs.file('server.key')) };
  stack = await startStack({
    mtls: { ...server, clientCa: readFileSync(certs.file('ca.pem')) },
    env: { TLS_CERT: certs.file('server.pem'), TLS_KEY: certs.file('server.key'), TLS_CLIENT_CA: certs.file('ca.pem') },
  });
  const { clientId, clientSecret } = DEMO_CLIENTS.mtlsService;
  client = await oauth.discovery(new URL(stack.as.issuer), clientId, { use_mtls_endpoint_aliases: true }, oauth.ClientSecretBasic(clientSecret), {
    execute: [oauth.allowInsecureRequests],
  });
});
afterAll(async () => {
  await stack?.close();
  await certs?.remove();
});

describe('a certificate-bound token from oidc-provider', () => {
  let token: string;
  const read = (name: string | undefined) =>
    send(stack.url, { headers: [['content-type', 'application/json'], ['authorization', `Bearer ${token}`]], body: QUERY, tls: certs.tls(name) });

  beforeAll(async () => {
    token = (await tokenOver('a')).access_token;
  });

  it("is bound to the certificate of the connection it was issued on (cnf[\"x5t#S256\"])", () => {
    expect(decodeJwt(token).cnf).toEqual({ 'x5t#S256': certs.thumbprint('a') });
    expect(certs.thumbprint('a')).not.toBe(certs.thumbprint('b'));
  });

  it('reads the API over a connection with that certificate', async () => {
    const res = await read('a');
    expect({ status: res.status, json: res.json }).toEqual({ status: 200, json: { data: { viewer: { subject: DEMO_CLIENTS.mtlsService.clientId } } } });
  });

  it.each<[string, string | undefined, string]>([
    ['without a client certificate', undefined, 'sender-constrained token presented as bearer'],
    ['with another certificate of the same CA', 'b', 'token is not bound to this client certificate'],
  ])('is refused %s', async (_name, name, description) => {
    expectInvalidToken(await read(name), description);
  });
});

describe('the authorization server', () => {
  // oidc-provider's description stays generic ("grant request is invalid"); the cause is that
  // getCertificate found no certificate chaining to the client CA on the connection.
  it.each<[string, string | undefined]>([
    ['without a certificate', undefined],
    ['with a certificate outside the client CA (self-signed)', 'server'],
  ])('issues this client no token over a connection %s', async (_name, name) => {
    await expect(tokenOver(name)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('publishes its mTLS token endpoint alias (RFC 8705 §5)', () => {
    expect(client.serverMetadata().mtls_endpoint_aliases?.token_endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/token$/);
  });
});
