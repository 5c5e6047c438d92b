import { describe, expect, it } from 'vitest';
import { extractBearerToken, type Credentials as CredentialRequest } from '../../src/token/extract.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2ln';
/** Raw header pairs (name, value, …) as Node keeps them, reduced to what a transport passes on. */
const req = (headers: string[] = [], more: Partial<CredentialRequest> = {}): CredentialRequest => ({
  authorization: headers.filter((_, i) => i % 2 === 1 && headers[i - 1]!.toLowerCase() === 'authorization'),
  url: '/graphql',
  ...more,
});
const auth = (value: string): CredentialRequest => req(['Authorization', value]);

describe('extractBearerToken', () => {
  it.each<[string, CredentialRequest, string | null]>([
    ['no Authorization: anonymous', req(['Host', 'x']), null],
    ['Bearer + token', auth(`Bearer ${TOKEN}`), TOKEN],
    ['scheme case-insensitive', auth(`bEaReR ${TOKEN}`), TOKEN],
    ['several spaces after the scheme', auth(`Bearer    ${TOKEN}`), TOKEN],
    ['lower-case header name', req(['authorization', `Bearer ${TOKEN}`]), TOKEN],
    ['b64token padding and symbols', auth('Bearer a-._~+/b=='), 'a-._~+/b=='],
    ['an unrelated query parameter', req(['Authorization', `Bearer ${TOKEN}`], { url: '/graphql?query=%7Bme%7D' }), TOKEN],
    ['JSON body without access_token', req(['Authorization', `Bearer ${TOKEN}`], { contentType: 'application/json', body: { query: '{me}' } }), TOKEN],
    ['inherited access_token on the body prototype', req([], { contentType: 'application/json', body: Object.create({ access_token: 'x' }) }), null],
    ['GET with a token', req(['Authorization', `Bearer ${TOKEN}`], { url: '/graphql?query={__typename}' }), TOKEN],
  ])('accepts: %s', (_name, request, expected) => {
    expect(extractBearerToken(request)).toBe(expected);
  });

  it.each<[string, CredentialRequest, string]>([
    ['Bearer with no token', auth('Bearer'), 'ERR_INVALID_REQUEST'],
    ['Bearer with spaces only', auth('Bearer    '), 'ERR_INVALID_REQUEST'],
    ['extra parts', auth(`Bearer ${TOKEN} extra`), 'ERR_INVALID_REQUEST'],
    ['quote in token', auth('Bearer ab"c'), 'ERR_INVALID_REQUEST'],
    ['comma in token', auth('Bearer abc,def'), 'ERR_INVALID_REQUEST'],
    ['padding in the middle', auth('Bearer ab=c'), 'ERR_INVALID_REQUEST'],
    ['only padding', auth('Bearer ==='), 'ERR_INVALID_REQUEST'],
    ['tab instead of space', auth(`Bearer\t${TOKEN}`), 'ERR_INVALID_REQUEST'],
    ['non-ASCII token', auth('Bearer tökén'), 'ERR_INVALID_REQUEST'],
    ['empty header', auth(''), 'ERR_INVALID_REQUEST'],
    ['two Authorization headers', req(['Authorization', `Bearer ${TOKEN}`, 'authorization', `Bearer ${TOKEN}`]), 'ERR_INVALID_REQUEST'],
    ['two headers, one Basic', req(['Authorization', `Bearer ${TOKEN}`, 'AUTHORIZATION', 'Basic eDp5']), 'ERR_INVALID_REQUEST'],
    ['access_token in query', req([], { url: `/graphql?access_token=${TOKEN}` }), 'ERR_INVALID_REQUEST'],
    ['empty access_token in query', req([], { url: '/graphql?a=1&access_token=' }), 'ERR_INVALID_REQUEST'],
    ['bare access_token in query', req(['Authorization', `Bearer ${TOKEN}`], { url: '/graphql?access_token' }), 'ERR_INVALID_REQUEST'],
    ['form body access_token (string)', req([], { contentType: 'application/x-www-form-urlencoded; charset=utf-8', body: `access_token=${TOKEN}` }), 'ERR_INVALID_REQUEST'],
    ['form body access_token (URLSearchParams)', req([], { body: new URLSearchParams({ access_token: TOKEN }) }), 'ERR_INVALID_REQUEST'],
    ['form body access_token (parsed object)', req([], { contentType: 'application/x-www-form-urlencoded', body: { access_token: TOKEN } }), 'ERR_INVALID_REQUEST'],
    ['JSON body access_token', req([], { contentType: 'application/json', body: { query: '{me}', access_token: TOKEN } }), 'ERR_INVALID_REQUEST'],
    ['JSON body access_token null', req([], { contentType: 'application/json', body: { access_token: null } }), 'ERR_INVALID_REQUEST'],
    ['JSON body __proto__ own member', req([], { contentType: 'application/json', body: JSON.parse('{"access_token":"x","__proto__":{}}') }), 'ERR_INVALID_REQUEST'],
    ['batched JSON body with access_token', req([], { contentType: 'application/json', body: [{ query: '{a}' }, { query: '{b}', access_token: TOKEN }] }), 'ERR_INVALID_REQUEST'],
    ['huge token', auth(`Bearer ${'a'.repeat(16 * 1024 + 1)}`), 'ERR_INVALID_REQUEST'],
    ['megabyte header', auth(`Bearer ${'a'.repeat(1024 * 1024)}`), 'ERR_INVALID_REQUEST'],
    ['access_token after a fragment mark', req([], { url: '/graphql?query=%7Bme%7D#&access_token=abc' }), 'ERR_INVALID_REQUEST'],
    ['any fragment in the request target', req([], { url: '/graphql#frag' }), 'ERR_INVALID_REQUEST'],
    // Once made the trim regex backtrack quadratically (~0.9 s per request): now one linear pass.
    ['spaces padding inside the limit', auth(`Bearer a${' '.repeat(16_000)}b`), 'ERR_INVALID_REQUEST'],
    ['spaces padding past the limit', auth(`Bearer a${' '.repeat(100_000)}b`), 'ERR_INVALID_REQUEST'],
    ['Basic', auth('Basic dXNlcjpwYXNz'), 'ERR_UNSUPPORTED_SCHEME'],
    ['DPoP', auth(`DPoP ${TOKEN}`), 'ERR_UNSUPPORTED_SCHEME'],
    ['Bearer glued to the token', auth(`Bearer${TOKEN}`), 'ERR_UNSUPPORTED_SCHEME'],
    ['scheme only', auth('Negotiate'), 'ERR_UNSUPPORTED_SCHEME'],
  ])('refuses: %s', (_name, request, code) => {
    let caught: unknown;
    try {
      extractBearerToken(request);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code });
    const message = (caught as Error).message;
    // RFC 6750 §3: error_description characters only; never the token.
    expect(message).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
    expect(message).not.toContain(TOKEN);
  });

  it('honours a smaller maxTokenLength', () => {
    expect(() => extractBearerToken(auth('Bearer abcdef'), { maxTokenLength: 5 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_REQUEST' }));
    expect(extractBearerToken(auth('Bearer abcde'), { maxTokenLength: 5 })).toBe('abcde');
  });
});
