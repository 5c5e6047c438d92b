/**
 * authenticate(): the one door. Credentials in, principal | anonymous | failure out; a refusal
 * is logged once with a fingerprint (never the token) and counted; an unexpected error fails
 * closed as ERR_UNEXPECTED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHttpFailure } from '../../src/http-failure.js';
import { authenticate } from '../../src/token/authenticate.js';
import type { Credentials } from '../../src/token/extract.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/token/verify.js';
import { recordingLogger } from '../directive/fixtures.js';
import { startTestIssuer, type TestIssuer } from '../helpers/test-issuer.js';
import { policyFor } from './fixtures.js';

let issuer: TestIssuer;
let verifier: TokenVerifier;
let token: string;
beforeAll(async () => {
  issuer = await startTestIssuer();
  verifier = createTokenVerifier(policyFor([issuer]));
  token = await issuer.mint({ scope: 'read:user' });
});
afterAll(async () => {
  verifier.close();
  await issuer.close();
});

describe('authenticate', () => {
  it.each<[string, () => Credentials, string, string | undefined, number | undefined]>([
    ['no Authorization', () => ({}), 'anonymous', undefined, undefined],
    ['an empty list of values', () => ({ authorization: [] }), 'anonymous', undefined, undefined],
    ['a valid bearer token (one string)', () => ({ authorization: `Bearer ${token}` }), 'principal', undefined, undefined],
    ['a valid bearer token (one value in a list)', () => ({ authorization: [`Bearer ${token}`], url: '/graphql' }), 'principal', undefined, undefined],
    ['two Authorization values', () => ({ authorization: [`Bearer ${token}`, `Bearer ${token}`] }), 'failure', 'ERR_INVALID_REQUEST', 400],
    ['a token in the URL', () => ({ url: `/graphql?access_token=${token}` }), 'failure', 'ERR_INVALID_REQUEST', 400],
    ['a token in a JSON body', () => ({ contentType: 'application/json', body: { access_token: token } }), 'failure', 'ERR_INVALID_REQUEST', 400],
    ['another scheme', () => ({ authorization: 'Basic dXNlcjpwYXNz' }), 'failure', 'ERR_UNSUPPORTED_SCHEME', 401],
    ['a tampered token', () => ({ authorization: `Bearer ${token.slice(0, -4)}AAAA` }), 'failure', 'ERR_INVALID_TOKEN', 401],
  ])('%s → %s', async (_name, credentials, kind, code, status) => {
    const result = await authenticate(credentials(), { verifier });
    expect(result.kind).toBe(kind);
    if (result.kind === 'failure') {
      expect(result.error.code).toBe(code);
      expect(toHttpFailure(result.error).status).toBe(status);
    }
    if (result.kind === 'principal') expect(result.principal.scopes).toEqual(new Set(['read:user']));
  });

  it('logs and counts a refusal once, with a fingerprint and never the token', async () => {
    const { logger, lines } = recordingLogger();
    const counted: string[] = [];
    const bad = `${token.slice(0, -4)}AAAA`;
    await authenticate({ authorization: `Bearer ${bad}` }, { verifier, logger, failures: { increment: (reason) => counted.push(reason) } });
    expect(counted).toEqual(['signature']);
    const refused = lines.filter((line) => line['msg'] === 'request refused');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'ERR_INVALID_TOKEN', reason: 'signature', fingerprint: expect.stringMatching(/^[A-Za-z0-9_-]{12}$/) });
    expect(JSON.stringify(lines)).not.toContain(bad.split('.')[1]);
  });

  it('fails closed on an unexpected error, telling the client nothing', async () => {
    const { logger, lines } = recordingLogger();
    const broken = { verify: async () => { throw new Error('database at 10.0.0.1 is down'); } };
    const result = await authenticate({ authorization: `Bearer ${token}` }, { verifier: broken, logger });
    expect(result).toMatchObject({ kind: 'failure', error: { code: 'ERR_UNEXPECTED', message: 'internal server error' } });
    if (result.kind === 'failure') expect(toHttpFailure(result.error)).toEqual({ status: 500, graphqlCode: 'INTERNAL_SERVER_ERROR', headers: {}, message: 'internal server error' });
    expect(lines.some((line) => line['msg'] === 'authentication failed unexpectedly')).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(token);
  });
});
