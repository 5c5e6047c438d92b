import * as oauth from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_RESOURCE } from '../helpers/authorization-server.js';
import { send } from '../helpers/http.js';
import { startStack, type Stack } from './stack.js';

// End to end: oidc-provider issues a DPoP-bound token (RFC 9449 §5) to a client that openid-client
// drives with its own DPoP key; the API accepts it only with a fresh proof on every request.
const QUERY = JSON.stringify({ query: '{ viewer { subject } }' });
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: { AUTH_DPOP: 'allowed' } });
});
afterAll(async () => stack?.close());

describe('a DPoP-bound token from oidc-provider', () => {
  it('reads the API with fresh proofs, never as Bearer, never with a replayed proof', async () => {
    const proofs: string[] = [];
    // Records the DPoP header openid-client sends, to replay it below.
    stack.service[oauth.customFetch] = (url, options) => {
      const proof = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]).get('dpop');
      if (proof && url.startsWith(new URL(stack.url).origin)) proofs.push(proof);
      return fetch(url, options as RequestInit);
    };
    const dpop = oauth.getDPoPHandle(stack.service, await oauth.randomDPoPKeyPair('ES256'));
    const tokens = await oauth.clientCredentialsGrant(stack.service, { scope: 'read:user', resource: DEMO_RESOURCE }, { DPoP: dpop });
    expect(tokens.token_type.toLowerCase()).toBe('dpop');

    const read = async () => {
      const res = await oauth.fetchProtectedResource(stack.service, tokens.access_token, new URL(stack.url), 'POST', QUERY, new Headers({ 'content-type': 'application/json' }), { DPoP: dpop });
      return { status: res.status, json: (await res.json()) as unknown };
    };
    const expected = { status: 200, json: { data: { viewer: { subject: 'gatepass-service' } } } };
    expect(await read()).toEqual(expected);
    expect(await read()).toEqual(expected);
    // One fresh proof per request.
    expect(proofs).toHaveLength(2);
    expect(new Set(proofs).size).toBe(2);

    const asBearer = await send(stack.url, { headers: [['content-type', 'application/json'], ['authorization', `Bearer ${tokens.access_token}`]], body: QUERY });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers['www-authenticate']).toContain('error_description="sender-constrained token presented as bearer"');

    const replayed = await send(stack.url, { headers: [['content-type', 'application/json'], ['authorization', `DPoP ${tokens.access_token}`], ['dpop', proofs[0]!]], body: QUERY });
    expect(replayed.status).toBe(401);
    expect(replayed.headers['www-authenticate']).toContain('DPoP error="invalid_dpop_proof", error_description="dpop proof was already used"');
  });
});
