/**
 * Abstract types however they resolve: `__resolveType` (sync or async) or `isTypeOf`. The
 * concrete type is checked for each item before any of its fields, `__typename` included.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { principal, run, type Outcome } from './fixtures.js';

const SDL = /* GraphQL */ `
  interface Thing { id: ID! }
  type Gem implements Thing @auth(scopes: [["read:gem"]]) { id: ID! carats: Int }
  type Rock implements Thing { id: ID! }
  union Loot = Gem | Rock
  type Query { things: [Thing] loot: [[Loot]] }
`;
const gem = { kind: 'gem', id: 'g1', carats: 3 };
const rock = { kind: 'rock', id: 'r1' };
const data = { things: () => [rock, gem], loot: () => [[gem], [rock, gem]] };
const byKind = (value: { kind: string }) => (value.kind === 'gem' ? 'Gem' : 'Rock');

const variants = {
  'sync __resolveType': { Query: data, Thing: { __resolveType: byKind }, Loot: { __resolveType: byKind } },
  'async __resolveType': {
    Query: data,
    Thing: { __resolveType: async (v: { kind: string }) => byKind(v) },
    Loot: { __resolveType: async (v: { kind: string }) => byKind(v) },
  },
  isTypeOf: {
    Query: data,
    Gem: { __isTypeOf: (v: { kind: string }) => v.kind === 'gem' },
    Rock: { __isTypeOf: (v: { kind: string }) => v.kind === 'rock' },
  },
};

const rows: Array<[string, string, Principal | null, Outcome]> = [
  ['interface list, anonymous', '{ things { __typename id } }', null, {
    data: { things: [{ __typename: 'Rock', id: 'r1' }, null] }, errors: [{ path: ['things', 1], code: 'UNAUTHENTICATED' }],
  }],
  ['interface list, granted', '{ things { id ... on Gem { carats } } }', principal({ scopes: ['read:gem'] }), {
    data: { things: [{ id: 'r1' }, { id: 'g1', carats: 3 }] },
  }],
  ['nested union list, lacking scope', '{ loot { __typename } }', principal(), {
    data: { loot: [[null], [{ __typename: 'Rock' }, null]] },
    errors: [{ path: ['loot', 0, 0], code: 'FORBIDDEN' }, { path: ['loot', 1, 1], code: 'FORBIDDEN' }],
  }],
];

describe.each(Object.entries(variants))('abstract types resolved by %s', (_variant, resolvers) => {
  const schema = authDirectiveTransformer(makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, SDL], resolvers }));
  it.each(rows)('%s', async (_name, query, who, expected) => {
    expect(await run(schema, query, who)).toEqual(expected);
  });
});
