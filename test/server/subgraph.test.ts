/**
 * The example Federation subgraph over real HTTP, sent what Apollo Router sends it: the query
 * planner's `_entities` fetches (operation and variables as the router writes them) and the
 * `_service { sdl }` composition reads — by a real server on 127.0.0.1:0 in production mode,
 * verifying tokens against a real key set on loopback.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { buildExampleSubgraphSchema } from '../../src/example/build-subgraph-schema.js';
import { ExampleStore } from '../../src/example/store.js';
import { createServer, type GatepassServer } from '../../src/server/app.js';
import { graphql } from '../helpers/http.js';
import { startTestIssuer, TEST_AUDIENCE, type TestIssuer } from '../helpers/test-issuer.js';

let issuer: TestIssuer;
let server: GatepassServer;
let url: string;
const store = new ExampleStore();
store.record('createPost p1', 'u1');
// Every User `__resolveReference` reads the store's user map: a spy there counts them.
const userLookups = vi.spyOn(store.users, 'get');

beforeAll(async () => {
  issuer = await startTestIssuer();
  server = await createServer(
    loadConfig({ AUTH_ISSUER: issuer.issuer, AUTH_AUDIENCE: TEST_AUDIENCE, PORT: '0', LOG_LEVEL: 'silent' }),
    { schema: ({ config, logger }) => buildExampleSubgraphSchema({ logger, enforcement: config.enforcement, store }) },
  );
  url = await server.listen();
});

afterAll(async () => {
  await server?.close();
  await issuer?.close();
});

// As the router's query planner writes an entity fetch to this subgraph.
const ENTITIES = 'query Query__accounts__1($representations:[_Any!]!){_entities(representations:$representations){' +
  '...on User{name email}...on Post{title draft}...on AuditEntry{action}}}';
const user = (id: string) => ({ __typename: 'User', id });
const post = (id: string) => ({ __typename: 'Post', id });
const audit = (id: string) => ({ __typename: 'AuditEntry', id });
const token = (scope: string, roles: string[] = []) => issuer.mint({ sub: 'u1', scope, ...(roles.length ? { roles } : {}) });
const reduce = (json: any) => ({
  data: json.data,
  errors: (json.errors ?? []).map((e: any) => [e.path, e.extensions.code]).sort((a: any, b: any) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
});

describe('_entities, guarded as the types are on every other path', () => {
  it.each<[string, () => Promise<string | undefined>, object[], object, number]>([
    ['anonymous: users denied before __resolveReference, public post read', async () => undefined,
      [user('u1'), post('p1'), user('u2')],
      { data: { _entities: [null, null, null] }, errors: [[['_entities', 0], 'UNAUTHENTICATED'], [['_entities', 1, 'draft'], 'UNAUTHENTICATED'], [['_entities', 2], 'UNAUTHENTICATED']] },
      0],
    ['read:user: users resolved, email FORBIDDEN, audit entry denied', () => token('read:user'),
      [user('u1'), audit('a1'), post('p1'), user('u9')],
      { data: { _entities: [{ name: 'alice', email: null }, null, { title: 'Hello', draft: false }, null] }, errors: [[['_entities', 0, 'email'], 'FORBIDDEN'], [['_entities', 1], 'FORBIDDEN']] },
      2],
    ['read:user read:email: everything of users', () => token('read:user read:email'),
      [user('u2'), user('u1')],
      { data: { _entities: [{ name: 'bob', email: 'bob@example.com' }, { name: 'alice', email: 'alice@example.com' }] }, errors: [] },
      2],
    ['admin role: @auth audit entry passes, @requiresScopes user does not (no admin override)', () => token('', ['admin']),
      [audit('a1'), user('u1')],
      { data: { _entities: [{ action: 'createPost p1' }, null] }, errors: [[['_entities', 1], 'FORBIDDEN']] },
      0],
  ])('%s', async (_name, tokenFor, representations, expected, lookups) => {
    userLookups.mockClear();
    const bearer = await tokenFor();
    const res = await graphql(url, ENTITIES, { variables: { representations }, ...(bearer ? { token: bearer } : {}) });
    expect(res.status).toBe(200);
    expect(reduce(res.json)).toEqual(expected);
    expect(userLookups).toHaveBeenCalledTimes(lookups);
  });

  it('answers an entity as the root field answers the same type', async () => {
    const bearer = await token('read:user');
    const root = await graphql(url, '{ me { name email } }', { token: bearer });
    const entity = await graphql(url, ENTITIES, { token: bearer, variables: { representations: [user('u1')] } });
    expect([root.json.data.me, root.json.errors.map((e: any) => e.extensions)])
      .toEqual([entity.json.data._entities[0], entity.json.errors.map((e: any) => e.extensions)]);
  });
});

describe('_service { sdl }', () => {
  it('is open, keeps the Router directives and @key, and leaves @auth out', async () => {
    const res = await graphql(url, 'query SubgraphIntrospectQuery { _service { sdl } }');
    expect(res.status).toBe(200);
    const sdl: string = res.json.data._service.sdl;
    expect(sdl).toContain('type User @key(fields: "id") @requiresScopes(scopes: [["read:user"]]) {');
    expect(sdl).toContain('email: String @requiresScopes(scopes: [["read:email"]])');
    expect(sdl).toContain('draft: Boolean! @authenticated');
    expect(sdl).toContain('import: ["@key", "@authenticated", "@requiresScopes"]');
    expect(sdl).not.toMatch(/@auth\b|@public\b|admin|read:phone/);
    // What a router composes from it is a valid subgraph, with AuditEntry still an entity.
    const composed = buildSubgraphSchema(parse(sdl));
    expect(Object.keys((composed.getType('_Entity') as any).getTypes().reduce((all: any, t: any) => ({ ...all, [t.name]: 1 }), {})).sort())
      .toEqual(['AuditEntry', 'Post', 'User']);
  });
});
