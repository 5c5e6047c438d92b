/**
 * `defaultPolicy: 'deny'`: a field with no requirement needs a principal unless it, or its
 * object type, is `@public`. A type without any `@public` is then guarded as a type, so it is
 * checked at its entry (one error for a list). Introspection stays open.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer, type AuthDirectiveOptions } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { principal, run, type Outcome } from './fixtures.js';

const SDL = /* GraphQL */ `
  type Post { title: String }
  type OpenPost @public { title: String }
  type Mixed { open: String @public closed: String }
  type User @auth(scopes: [["read:user"]]) { name: String }
  type Query {
    hello: String @public
    secret: String
    posts: [Post] @public
    openPosts: [OpenPost] @public
    mixed: Mixed @public
    user: User @public
  }
`;
const build = (options: AuthDirectiveOptions) => authDirectiveTransformer(makeExecutableSchema({
  typeDefs: [AUTH_DIRECTIVE_SDL, SDL],
  resolvers: {
    Query: {
      hello: () => 'world', secret: () => 's', posts: () => [{ title: 't' }], openPosts: () => [{ title: 'o' }],
      mixed: () => ({ open: 'a', closed: 'b' }), user: () => ({ name: 'Ann' }),
    },
  },
}), options);

const U = 'UNAUTHENTICATED';

describe("defaultPolicy: 'deny'", () => {
  it.each([
    ['@public field', '{ hello }', null, { data: { hello: 'world' } }],
    ['field without requirement or @public', '{ secret }', null, { data: { secret: null }, errors: [{ path: ['secret'], code: U }] }],
    ['@public field returning a type that is not @public: one error', '{ posts { title } }', null, { data: { posts: null }, errors: [{ path: ['posts'], code: U }] }],
    ['@public field returning a @public type', '{ openPosts { title } }', null, { data: { openPosts: [{ title: 'o' }] } }],
    ['type with some @public fields: the others need a principal', '{ mixed { open closed } }', null, {
      data: { mixed: { open: 'a', closed: null } }, errors: [{ path: ['mixed', 'closed'], code: U }],
    }],
    ['@public does not waive an explicit @auth of the returned type', '{ user { name } }', principal(), {
      data: { user: null }, errors: [{ path: ['user'], code: 'FORBIDDEN' }],
    }],
    ['any principal passes the default', '{ secret posts { title } mixed { closed } }', principal(), {
      data: { secret: 's', posts: [{ title: 't' }], mixed: { closed: 'b' } },
    }],
    ['introspection stays open', '{ __typename __schema { queryType { name } } }', null, {
      data: { __typename: 'Query', __schema: { queryType: { name: 'Query' } } },
    }],
  ] as Array<[string, string, Principal | null, Outcome]>)('%s', async (_name, query, who, expected) => {
    expect(await run(build({ defaultPolicy: 'deny' }), query, who)).toEqual(expected);
  });

  it.each([
    ['{ secret }', { data: { secret: 's' } }],
    ['{ posts { title } mixed { closed } }', { data: { posts: [{ title: 't' }], mixed: { closed: 'b' } } }],
  ] as Array<[string, Outcome]>)("'allow' (the default) leaves %s open", async (query, expected) => {
    expect(await run(build({}), query, null)).toEqual(expected);
  });
});
