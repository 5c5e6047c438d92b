/**
 * `operation` enforcement through Apollo Server (real HTTP on loopback): a denied selection
 * anywhere refuses the whole operation before any resolver runs, with RFC 6750 status and
 * challenge, one error per denied path, and each operation of a batch judged on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import { send } from '../helpers/http.js';
import { as, startHarness, type Harness } from './apollo-harness.js';
import { buildLibrarySchema } from './library-schema.js';

const { schema: base, calls } = buildLibrarySchema();
const schema = authDirectiveTransformer(base, { mode: 'operation' });
const METADATA = 'https://api.test/.well-known/oauth-protected-resource';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness(schema, { mode: 'operation', challenge: { resourceMetadata: METADATA } });
});
afterAll(async () => harness?.close());

const post = (body: unknown, headers: Array<[string, string]> = []) =>
  send(harness.url, { headers: [['content-type', 'application/json'], ...headers], body: JSON.stringify(body) });

const READ_USER_EMAIL = { allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] };

describe("mode: 'operation'", () => {
  it.each([
    ['anonymous: 401, bare challenge, nothing runs', '{ hello users { id } }', as(), 401,
      `Bearer resource_metadata="${METADATA}"`,
      { errors: [{ message: 'authentication required', locations: [{ line: 1, column: 9 }], path: ['users'], extensions: { code: 'UNAUTHENTICATED' } }] }],
    ['lacking scopes: 403 insufficient_scope naming what the operation needs', '{ user(id: "u1") { name email } hello }', as('read:user'), 403,
      `Bearer error="insufficient_scope", scope="read:user read:email", resource_metadata="${METADATA}"`,
      { errors: [{ message: 'not authorized', locations: [{ line: 1, column: 25 }], path: ['user', 'email'], extensions: { code: 'FORBIDDEN', requirement: READ_USER_EMAIL } }] }],
    ['every denied path is listed, aliases included', '{ a: user(id: "u1") { mail: email } b: users { phone } }', as('read:user'), 403,
      `Bearer error="insufficient_scope", scope="read:user read:email read:phone", resource_metadata="${METADATA}"`,
      { errors: [
        { message: 'not authorized', locations: [{ line: 1, column: 23 }], path: ['a', 'mail'], extensions: { code: 'FORBIDDEN', requirement: READ_USER_EMAIL } },
        { message: 'not authorized', locations: [{ line: 1, column: 48 }], path: ['b', 'phone'], extensions: { code: 'FORBIDDEN', requirement: { allOf: [{ scopes: [['read:email', 'read:phone']] }, { scopes: [['read:user']] }] } } },
      ] }],
    ['a partly allowed mutation has no side effect', 'mutation { createPost(title: "x") { title } deletePost(id: "p1") }', as('write:post'), 403,
      `Bearer error="insufficient_scope", scope="write:post", resource_metadata="${METADATA}"`,
      { errors: [{ message: 'not authorized', locations: [{ line: 1, column: 45 }], path: ['deletePost'], extensions: { code: 'FORBIDDEN', requirement: { allOf: [{ scopes: [['write:post']], roles: [['moderator']] }] } } }] }],
  ])('%s', async (_name, query, headers, status, challenge, body) => {
    calls.length = 0;
    const res = await post({ query }, headers);
    expect([res.status, res.headers['www-authenticate'], res.json]).toEqual([status, challenge, body]);
    expect(calls).toEqual([]);
  });

  it('executes an allowed operation as usual', async () => {
    calls.length = 0;
    const res = await post({ query: '{ user(id: "u1") { name email } }' }, as('read:user read:email'));
    expect([res.status, res.headers['www-authenticate'], res.json]).toEqual([200, undefined, { data: { user: { name: 'Ann', email: 'ann@x' } } }]);
    expect(calls).toEqual(['user']);
  });

  it.each([
    ['@include(if: false): not selected, allowed', false, 200],
    ['@include(if: true): selected, refused', true, 403],
  ])('%s', async (_name, show, status) => {
    const res = await post({ query: 'query Q($show: Boolean!) { users { id email @include(if: $show) } }', variables: { show } }, as('read:user'));
    expect(res.status).toBe(status);
  });

  it('judges each operation of a batch on its own, refusing in the body only (the status is the batch\'s)', async () => {
    calls.length = 0;
    const res = await post([{ query: '{ hello }' }, { query: '{ me { id } }' }, { query: '{ users { id } }' }]);
    expect([res.status, res.headers['www-authenticate']]).toEqual([200, undefined]);
    expect(res.json).toEqual([
      { data: { hello: 'world' } },
      { errors: [{ message: 'authentication required', locations: [{ line: 1, column: 3 }], path: ['me'], extensions: { code: 'UNAUTHENTICATED' } }] },
      { errors: [{ message: 'authentication required', locations: [{ line: 1, column: 3 }], path: ['users'], extensions: { code: 'UNAUTHENTICATED' } }] },
    ]);
    expect(calls).toEqual(['hello']);
  });

  it('sets no status or challenge for a batch even when every operation is refused', async () => {
    const res = await post([{ query: '{ user(id: "u1") { email } }' }, { query: 'mutation { deletePost(id: "p1") }' }], as('read:user'));
    expect([res.status, res.headers['www-authenticate'], (res.json as Array<{ errors: Array<{ path: string[] }> }>).map((r) => r.errors.map((e) => e.path))])
      .toEqual([200, undefined, [[['user', 'email']], [['deletePost']]]]);
  });
});
