/**
 * Federation's `_entities` and `_service` under the transformer, in process: which
 * representations reach `__resolveReference`, with which result, in each enforcement mode and
 * default policy.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import { readDryRunDenials } from '../../src/directive/request/dry-run-denials.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer, type AuthDirectiveOptions } from '../../src/directive/transform.js';
import { send } from '../helpers/http.js';
import { as, startHarness } from './apollo-harness.js';
import { principal, run } from './fixtures.js';

const SDL = `${AUTH_DIRECTIVE_SDL}
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])
  type Query { open: Open }
  "Guarded as a type."
  type Secret @key(fields: "id") @auth(scopes: [["s"]]) { id: ID! v: String }
  "No type requirement, one public field."
  type Open @key(fields: "id") { id: ID! v: String @requiresScopes(scopes: [["v"]]) }
  "No type requirement, but every field guarded: a caller who may read none reads nothing."
  type Fields @key(fields: "id") { id: ID! @requiresScopes(scopes: [["f1"]]) v: String @requiresScopes(scopes: [["f2"]]) }`;

function subgraph(options: AuthDirectiveOptions = {}) {
  const resolved: string[] = [];
  const reference = (typename: string) => ({
    __resolveReference: vi.fn(({ id }: { id: string }) => {
      resolved.push(`${typename}:${id}`);
      return { id, v: `${typename} ${id}` };
    }),
  });
  const schema = authDirectiveTransformer(buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: { Secret: reference('Secret'), Open: reference('Open'), Fields: reference('Fields') } as never,
  }), options);
  return { schema, resolved };
}

const ENTITIES = 'query($r:[_Any!]!){_entities(representations:$r){...on Secret{v}...on Open{id v}...on Fields{v}}}';
const reps = [{ __typename: 'Secret', id: '1' }, { __typename: 'Open', id: '2' }, { __typename: 'Fields', id: '3' }];

describe('_entities representations', () => {
  it.each([
    ['anonymous', null, ['Open:2'],
      { data: { _entities: [null, { id: '2', v: null }, null] }, errors: [
        { path: ['_entities', 0], code: 'UNAUTHENTICATED' }, { path: ['_entities', 2], code: 'UNAUTHENTICATED' }, { path: ['_entities', 1, 'v'], code: 'UNAUTHENTICATED' }] }],
    ['no scope', principal(), ['Open:2'],
      { data: { _entities: [null, { id: '2', v: null }, null] }, errors: [
        { path: ['_entities', 0], code: 'FORBIDDEN' }, { path: ['_entities', 2], code: 'FORBIDDEN' }, { path: ['_entities', 1, 'v'], code: 'FORBIDDEN' }] }],
    ['s and f1: Secret, and Fields for its id only', principal({ scopes: ['s', 'f1'] }), ['Secret:1', 'Open:2', 'Fields:3'],
      { data: { _entities: [{ v: 'Secret 1' }, { id: '2', v: null }, { v: null }] }, errors: [
        { path: ['_entities', 1, 'v'], code: 'FORBIDDEN' }, { path: ['_entities', 2, 'v'], code: 'FORBIDDEN' }] }],
    ['every scope', principal({ scopes: ['s', 'v', 'f2'] }), ['Secret:1', 'Open:2', 'Fields:3'],
      { data: { _entities: [{ v: 'Secret 1' }, { id: '2', v: 'Open 2' }, { v: 'Fields 3' }] } }],
  ])('%s', async (_name, who, resolvedExpected, expected) => {
    const { schema, resolved } = subgraph();
    expect(await run(schema, ENTITIES, who, { r: reps })).toEqual(expected);
    expect(resolved).toEqual(resolvedExpected);
  });

  it('dry-run: every representation resolves, each would-be denial is reported', async () => {
    const { schema, resolved } = subgraph({ mode: 'dry-run' });
    const contextValue = createAuthContext(null);
    await graphql({ schema, source: ENTITIES, variableValues: { r: reps }, contextValue });
    expect(resolved).toEqual(['Secret:1', 'Open:2', 'Fields:3']);
    expect(readDryRunDenials(contextValue)?.denials.map((d) => [d.path, d.code])).toEqual([
      [['_entities', 0], 'UNAUTHENTICATED'], [['_entities', 2], 'UNAUTHENTICATED'],
      // The _Entity union's own per-item check reports at the field's path, as for any union.
      [['_entities'], 'UNAUTHENTICATED'],
      [['_entities', 1, 'v'], 'UNAUTHENTICATED'], [['_entities', 2, 'v'], 'UNAUTHENTICATED'],
    ]);
  });

  it('deny by default: entities need a principal, _service stays open', async () => {
    const { schema, resolved } = subgraph({ defaultPolicy: 'deny' });
    const result = await run(schema, '{ _service { sdl } }', null);
    expect(result.errors).toBeUndefined();
    expect((result.data as { _service: { sdl: string } })._service.sdl).toContain('@requiresScopes(scopes: [["f1"]])');
    // Every entity type now needs a principal, so `_entities` is denied up front (rule 4).
    expect(await run(schema, ENTITIES, null, { r: [{ __typename: 'Open', id: '2' }] })).toEqual({
      data: null, errors: [{ path: ['_entities'], code: 'UNAUTHENTICATED' }],
    });
    expect(resolved).toEqual([]);
  });
});

describe("_entities in 'operation' mode (Apollo Server, loopback)", () => {
  it.each([
    ['a selected type the principal may not read refuses the fetch: nothing resolves', undefined, 401, 0],
    ['a principal who may read every selected type gets the fetch', 's', 200, 1],
  ])('%s', async (_name, scopes, status, resolvedCount) => {
    const { schema, resolved } = subgraph({ mode: 'operation' });
    const harness = await startHarness(schema, { mode: 'operation' });
    try {
      const res = await send(harness.url, {
        headers: [['content-type', 'application/json'], ...as(scopes)],
        body: JSON.stringify({ query: 'query($r:[_Any!]!){_entities(representations:$r){...on Secret{v}}}', variables: { r: [reps[0]] } }),
      });
      expect(res.status).toBe(status);
      expect(resolved).toHaveLength(resolvedCount);
    } finally {
      await harness.close();
    }
  });
});

describe('entity interfaces (@key on an interface)', () => {
  const schema = authDirectiveTransformer(buildSubgraphSchema({
    typeDefs: parse(`${AUTH_DIRECTIVE_SDL}
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
      type Query { media: [Media] }
      interface Media @key(fields: "id") { id: ID! title: String }
      type Book implements Media @key(fields: "id") @auth(scopes: [["books"]]) { id: ID! title: String }
      type Film implements Media @key(fields: "id") { id: ID! title: String }`),
    resolvers: {
      Media: { __resolveReference: ({ id }: { id: string }) => ({ __typename: id.startsWith('b') ? 'Book' : 'Film', id, title: `t ${id}` }) },
    } as never,
  }));
  const query = 'query($r:[_Any!]!){_entities(representations:$r){...on Media{title}}}';
  const r = [{ __typename: 'Media', id: 'b1' }, { __typename: 'Media', id: 'f1' }];

  it.each([
    ['without the book scope, the book item is denied once its concrete type is known', principal(),
      { data: { _entities: [null, { title: 't f1' }] }, errors: [{ path: ['_entities', 0], code: 'FORBIDDEN' }] }],
    ['with it, both', principal({ scopes: ['books'] }), { data: { _entities: [{ title: 't b1' }, { title: 't f1' }] } }],
  ])('%s', async (_name, who, expected) => {
    expect(await run(schema, query, who, { r })).toEqual(expected);
  });
});
