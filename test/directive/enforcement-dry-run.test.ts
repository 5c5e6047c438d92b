/**
 * `dry-run` enforcement: nothing is denied; each would-be denial is logged (path, decision,
 * subject, requirement) and reported in `extensions.authDryRun`, not in `errors`, so clients
 * keep working. A report explains a denial as its error would; each operation of a batch
 * reports its own.
 */
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import { MAX_DRY_RUN_DENIALS, readDryRunDenials } from '../../src/directive/request/dry-run-denials.js';
import { authDirectiveTransformer, type AuthDirectiveOptions } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { send } from '../helpers/http.js';
import { as, startHarness, type Harness } from './apollo-harness.js';
import { outcome, principal, recordingLogger } from './fixtures.js';
import { ANN, buildLibrarySchema } from './library-schema.js';

const reader = principal({ scopes: ['read:user'], subject: 'ann' });
const USER = { allOf: [{ scopes: [['read:user']] }] };
const USER_EMAIL = { allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] };

describe("mode: 'dry-run' under plain graphql()", () => {
  it.each([
    ['a denied field resolves', '{ user(id: "u1") { name email } }', reader,
      { data: { user: { name: 'Ann', email: 'ann@x' } } },
      [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: USER_EMAIL }]],
    ['a denied list resolves, one record per path (no requirement for anonymous callers)', '{ users { name } }', null,
      { data: { users: [{ name: 'Ann' }, { name: 'Bob' }] } },
      [{ path: ['users'], code: 'UNAUTHENTICATED' }]],
    ['an item of a guarded member type resolves (recorded at the field)', '{ search { ... on User { name } } }', null,
      { data: { search: [{ name: 'Ann' }, {}] } },
      [{ path: ['search'], code: 'UNAUTHENTICATED' }]],
    ['a mutation runs', 'mutation { createPost(title: "x") { title } }', reader,
      { data: { createPost: { title: 'x' } } },
      [{ path: ['createPost'], code: 'FORBIDDEN', requirement: { allOf: [{ scopes: [['write:post']] }] } }]],
    ['allowed requests record nothing', '{ user(id: "u1") { email } }', principal({ scopes: ['read:user', 'read:email'] }),
      { data: { user: { email: 'ann@x' } } }, []],
  ] as Array<[string, string, Principal | null, unknown, unknown[]]>)('%s', async (_name, source, who, expected, denials) => {
    const { logger, lines } = recordingLogger();
    const schema = authDirectiveTransformer(buildLibrarySchema().schema, { mode: 'dry-run', logger });
    const contextValue = createAuthContext(who);
    expect(outcome(await graphql({ schema, source, contextValue }))).toEqual(expected);
    expect(readDryRunDenials(contextValue)).toEqual({ denials, omitted: 0 });
    const logged = lines.filter((line) => line['msg'] === 'dry-run: would deny');
    expect(logged.map((line) => [line['subject'], line['path'], line['decision']])).toEqual(
      (denials as Array<{ path: unknown; code: string }>).map((d) => [who?.subject ?? null, d.path, d.code === 'FORBIDDEN' ? 'forbidden' : 'unauthenticated']),
    );
  });

  it.each<[string, AuthDirectiveOptions, Principal | null, unknown[], unknown[]]>([
    ['explainDenials: false reports no requirement', { explainDenials: false }, reader,
      [{ path: ['me', 'email'], code: 'FORBIDDEN' }], [USER_EMAIL]],
    ['explainPresented: true reports what was presented', { explainPresented: true }, reader,
      [{ path: ['me', 'email'], code: 'FORBIDDEN', requirement: USER_EMAIL, presented: { scopes: ['read:user'], roles: [] } }], [USER_EMAIL]],
    ['anonymous: the code only', { explainPresented: true }, null,
      [{ path: ['me'], code: 'UNAUTHENTICATED' }, { path: ['me', 'email'], code: 'UNAUTHENTICATED' }], [USER, USER_EMAIL]],
  ])('reports as errors explain: %s; logs the requirement in full', async (_name, options, who, reported, logged) => {
    const { logger, lines } = recordingLogger();
    const schema = authDirectiveTransformer(buildLibrarySchema().schema, { ...options, mode: 'dry-run', logger });
    const contextValue = createAuthContext(who);
    await graphql({ schema, source: '{ me { email } }', contextValue });
    expect(readDryRunDenials(contextValue).denials).toEqual(reported);
    expect(lines.filter((line) => line['msg'] === 'dry-run: would deny').map((line) => line['requirement'])).toEqual(logged);
  });

  it(`keeps at most ${MAX_DRY_RUN_DENIALS} records per request and counts the rest`, async () => {
    const users = Array.from({ length: 1000 }, (_, i) => ({ ...ANN, id: `u${i}` }));
    const schema = authDirectiveTransformer(buildLibrarySchema(users).schema, { mode: 'dry-run' });
    const contextValue = createAuthContext(reader);
    await graphql({ schema, source: '{ users { email } }', contextValue });
    const report = readDryRunDenials(contextValue);
    expect([report.denials.length, report.omitted, report.denials[99]?.path]).toEqual([100, 900, ['users', 99, 'email']]);
  });
});

describe("mode: 'dry-run' through Apollo Server", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(authDirectiveTransformer(buildLibrarySchema().schema, { mode: 'dry-run' }), {});
  });
  afterAll(async () => harness?.close());

  it.each([
    ['reports would-be denials in extensions, not errors', '{ user(id: "u1") { name email } }', as('read:user'), {
      data: { user: { name: 'Ann', email: 'ann@x' } },
      extensions: { authDryRun: [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: USER_EMAIL }] },
    }],
    ['anonymous', '{ me { id } }', as(), {
      data: { me: { id: 'u1' } },
      extensions: { authDryRun: [{ path: ['me'], code: 'UNAUTHENTICATED' }] },
    }],
    ['adds nothing when nothing would be denied', '{ hello }', as(), { data: { hello: 'world' } }],
  ])('%s', async (_name, query, headers, body) => {
    const res = await send(harness.url, { headers: [['content-type', 'application/json'], ...headers], body: JSON.stringify({ query }) });
    expect([res.status, res.json]).toEqual([200, body]);
  });

  it('reports each operation of a batch its own denials', async () => {
    const batch = [{ query: '{ user(id: "u1") { email } }' }, { query: '{ hello }' }, { query: '{ me { id } }' }, { query: '{ me { email } }' }];
    const res = await send(harness.url, { headers: [['content-type', 'application/json'], ...as('read:user')], body: JSON.stringify(batch) });
    expect([res.status, res.json]).toEqual([200, [
      { data: { user: { email: 'ann@x' } }, extensions: { authDryRun: [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: USER_EMAIL }] } },
      { data: { hello: 'world' } },
      { data: { me: { id: 'u1' } } },
      { data: { me: { email: 'ann@x' } }, extensions: { authDryRun: [{ path: ['me', 'email'], code: 'FORBIDDEN', requirement: USER_EMAIL }] } },
    ]]);
  });

  it(`keeps at most ${MAX_DRY_RUN_DENIALS} records per operation of a batch`, async () => {
    const users = Array.from({ length: 1000 }, (_, i) => ({ ...ANN, id: `u${i}` }));
    const many = await startHarness(authDirectiveTransformer(buildLibrarySchema(users).schema, { mode: 'dry-run' }), {});
    try {
      const batch = [{ query: '{ users { email } }' }, { query: '{ again: users { email } }' }];
      const res = await send(many.url, { headers: [['content-type', 'application/json'], ...as('read:user')], body: JSON.stringify(batch) });
      const reports = (res.json as Array<{ extensions: { authDryRun: Array<{ path: unknown[] }>; authDryRunOmitted: number } }>)
        .map(({ extensions }) => [extensions.authDryRun.length, extensions.authDryRunOmitted, extensions.authDryRun[0]?.path]);
      expect(reports).toEqual([[100, 900, ['users', 0, 'email']], [100, 900, ['again', 0, 'email']]]);
    } finally {
      await many.close();
    }
  });
});
