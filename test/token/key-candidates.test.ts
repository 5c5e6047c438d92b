/**
 * A token without `kid` against a key set holding several keys of its type (an issuer rotating
 * keys): each candidate is tried, over the network key set and an injected one alike.
 */
import { createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../src/token/verify.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { policyFor, refusal } from './fixtures.js';

let issuer: TestIssuer;
let other: TestIssuer;
let remote: TokenVerifier;
let first: string;

beforeAll(async () => {
  issuer = await startTestIssuer({ algorithms: ['ES256'] });
  other = await startTestIssuer({ algorithms: ['ES256'] });
  first = issuer.currentKey().kid;
  await issuer.rotate();
  await issuer.rotate(); // three ES256 keys served, the last one signs
  remote = createTokenVerifier(policyFor([issuer]), { cache: false });
  expect(await remote.warmUp()).toBe(true);
});
afterAll(async () => {
  remote.close();
  await issuer.close();
  await other.close();
});

describe('tokens without kid, several keys of their type', () => {
  const verifiers = (): Array<[string, TokenVerifier]> => [
    ['remote key set', remote],
    ['injected key set', createTokenVerifier(policyFor([issuer]), { keySet: createLocalJWKSet(issuer.jwks()), cache: false })],
  ];

  it.each(['remote key set', 'injected key set'])('%s: the newest key verifies', async (name) => {
    const verifier = verifiers().find(([n]) => n === name)![1];
    const token = await issuer.mint({ scope: 'read:user' }, { omit: ['kid'] });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u1' });
  });

  it.each(['remote key set', 'injected key set'])('%s: the oldest key verifies', async (name) => {
    const verifier = verifiers().find(([n]) => n === name)![1];
    const token = await issuer.mint({}, { kid: first, omit: ['kid'] });
    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'u1' });
  });

  it.each([
    ['no key of the set signed it', async () => other.mint({ iss: issuer.issuer }, { omit: ['kid'] }), 'signature'],
    ['the key verifies but the token expired', async () => issuer.mint({ exp: Math.floor(Date.now() / 1000) - 120 }, { omit: ['kid'] }), 'expired'],
  ])('refuses: %s', async (_name, make, reason) => {
    expect(await refusal(remote.verify(await make()))).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason });
  });
});
