import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../helpers/http.js';
import { expectInvalidToken, serviceToken, startStack, type Stack } from './stack.js';

// The authorization server rotates its signing key while the API keeps running. The API's key
// set is refetched on an unknown kid (cooldown 0 here, 30 s by default) and trusted for at most
// AUTH_JWKS_CACHE_MAX_AGE_MS (1 s here, 10 min by default): that bounds how long a withdrawn key
// keeps verifying.
const QUERY = '{ viewer { subject } }';
const accepted = { data: { viewer: { subject: 'gatepass-service' } } };
const token = async (stack: Stack) => (await serviceToken(stack, 'read:user')).access_token;
const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { AUTH_JWKS_COOLDOWN_MS: '0', AUTH_JWKS_CACHE_MAX_AGE_MS: '1000' } });
});
afterAll(async () => stack?.close());

describe('signing key rotation at the authorization server', () => {
  let oldKid: string;
  let oldSeen: string;
  let oldUnseen: string;
  let oldLate: string;
  let newKid: string;

  it('before: tokens of the first key are accepted', async () => {
    [oldKid] = stack.as.kids() as [string];
    oldSeen = await token(stack);
    expect(kidOf(oldSeen)).toBe(oldKid);
    expect((await graphql(stack.url, QUERY, { token: oldSeen })).json).toEqual(accepted);
    // Issued now, first shown to the API only after the rotation.
    oldUnseen = await token(stack);
    oldLate = await token(stack);
  });

  it('after: tokens of the new key are accepted without restarting the API, old ones still are', async () => {
    newKid = await stack.as.rotateKeys();
    expect(stack.as.kids()).toEqual([newKid, oldKid]);
    const fresh = await token(stack);
    expect(kidOf(fresh)).toBe(newKid);
    expect((await graphql(stack.url, QUERY, { token: fresh })).json).toEqual(accepted);
    expect((await graphql(stack.url, QUERY, { token: oldUnseen })).json).toEqual(accepted);
  });

  it('once the old key leaves the set, its tokens are refused; the new key goes on', async () => {
    stack.as.dropRetiredKeys();
    expect(stack.as.kids()).toEqual([newKid]);
    // Past the API's key-set max age, so the next verification refetches the set.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expectInvalidToken(await graphql(stack.url, QUERY, { token: oldLate }));
    // Verified and cached before the drop: the verified-token cache trusts no longer than the key set.
    expectInvalidToken(await graphql(stack.url, QUERY, { token: oldSeen }));
    const fresh = await token(stack);
    expect(kidOf(fresh)).toBe(newKid);
    expect((await graphql(stack.url, QUERY, { token: fresh })).json).toEqual(accepted);
  });
});
