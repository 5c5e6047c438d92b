/**
 * Apollo Router's @authenticated / @requiresScopes / @policy, read natively: schemas shaped like
 * the Router's documentation examples, built as subgraphs (`@link` imports), audited and queried
 * through gatepass, with the decision for each field.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import { auditSchema } from '../../src/directive/schema/audit.js';
import { formatRequirement } from '../../src/directive/schema/format-requirement.js';
import { AuthSchemaError, checkAuthSchema } from '../../src/directive/schema/schema-checks.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { principal, run, type Outcome } from './fixtures.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])';
const LINK_POLICY = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@authenticated", "@requiresScopes", "@policy"])';

const users = [{ id: 'u1', username: 'alice', email: 'a@x', profileImage: 'a.png' }];
const post = { id: '1234', title: 'Securing supergraphs', content: '…', views: 7, author: users[0] };

/** A subgraph as the Router's users write it, `@auth` SDL beside it, then guarded by gatepass. */
function subgraph(sdl: string, resolvers: IResolvers = {}): GraphQLSchema {
  return authDirectiveTransformer(buildSubgraphSchema({ typeDefs: parse(`${AUTH_DIRECTIVE_SDL}\n${sdl}`), resolvers: resolvers as never }));
}

// "Example @requiresScopes use case" of the Router's authorization page.
const requiresScopesDoc = subgraph(`${LINK}
  type Query {
    user(id: ID!): User @requiresScopes(scopes: [["read:others"]])
    users: [User!]! @requiresScopes(scopes: [["read:others"]])
    post(id: ID!): Post
  }
  type User { id: ID! username: String email: String @requiresScopes(scopes: [["read:email"]]) profileImage: String posts: [Post!]! }
  type Post { id: ID! author: User! title: String! content: String! }`,
{ Query: { users: () => users, user: () => users[0], post: () => post } });

// "Example @authenticated use case".
const authenticatedDoc = subgraph(`${LINK}
  type Query { me: User @authenticated  post(id: ID!): Post }
  type User { id: ID! username: String email: String @requiresScopes(scopes: [["read:email"]]) posts: [Post!]! }
  type Post { id: ID! author: User! title: String! content: String! views: Int @authenticated }`,
{ Query: { me: () => users[0], post: () => post } });

// AND/OR: (scope1 AND scope2) OR scope3; a type's and a field's directives together; scalar and enum.
const logic = subgraph(`${LINK}
  type Query {
    either: String @requiresScopes(scopes: [["scope1", "scope2"], ["scope3"]])
    account: Account
    contact: Email
    tier: Tier
  }
  type Account @requiresScopes(scopes: [["read:account"]]) { id: ID! iban: String @requiresScopes(scopes: [["read:iban"]]) }
  scalar Email @requiresScopes(scopes: [["read:email"]])
  enum Tier @authenticated { FREE PAID }`,
{ Query: { either: () => 'yes', account: () => ({ id: 'a1', iban: 'DE00' }), contact: () => 'a@x', tier: () => 'PAID' } });

// "Authorization and interfaces": PrivateBlog implements Post @authenticated.
const interfacesDoc = subgraph(`${LINK}
  type Query { posts: [Post!]!  feed: [Post]! }
  type User { id: ID! username: String }
  interface Post { id: ID! title: String! }
  type PublicBlog implements Post { id: ID! title: String! }
  type PrivateBlog implements Post @authenticated { id: ID! title: String! allowedViewers: [User!]! }`,
{
  Query: {
    posts: () => [{ __typename: 'PublicBlog', id: 'b1', title: 'open' }, { __typename: 'PrivateBlog', id: 'b2', title: 'closed', allowedViewers: [] }],
    feed: () => [{ __typename: 'PublicBlog', id: 'b1', title: 'open' }, { __typename: 'PrivateBlog', id: 'b2', title: 'closed', allowedViewers: [] }],
  },
});

// "Authorization and @key fields".
const keyFieldsDoc = subgraph(`${LINK}
  type Query { product: Product }
  type Product @key(fields: "id") { id: ID! @authenticated name: String! price: Int @authenticated }`,
{ Query: { product: () => ({ id: 'p1', name: 'Lamp', price: 20 }) } });

// @policy (unsupported: never granted), and @auth mixed with the Router's directives.
const mixed = subgraph(`${LINK_POLICY}
  type Query {
    me: User @authenticated @policy(policies: [["read_profile"]])
    staff: User @auth(roles: [["staff"]]) @requiresScopes(scopes: [["read:user"]])
    admin: String @auth(scopes: [["read:admin"]])
    scoped: String @requiresScopes(scopes: [["read:admin"]])
  }
  type User { id: ID! username: String }`,
{ Query: { me: () => users[0], staff: () => users[0], admin: () => 'a', scoped: () => 's' } });

const anonymous = null;
const who = (scopes: string[], roles: string[] = [], isAdmin = false) => principal({ scopes, roles, isAdmin });
const denied = (path: Array<string | number>, code: string) => ({ path, code });

describe('schemas shaped like the Router documentation, queried through gatepass', () => {
  it.each<[string, GraphQLSchema, string, ReturnType<typeof who> | null, Outcome]>([
    ['@requiresScopes: read:others only, email denied per user', requiresScopesDoc, '{ users { username profileImage email } }', who(['read:others']),
      { data: { users: [{ username: 'alice', profileImage: 'a.png', email: null }] }, errors: [denied(['users', 0, 'email'], 'FORBIDDEN')] }],
    ['@requiresScopes: read:others and read:email, everything', requiresScopesDoc, '{ users { username email } }', who(['read:others', 'read:email']),
      { data: { users: [{ username: 'alice', email: 'a@x' }] } }],
    ['@requiresScopes: no read:others, non-null users nulls data', requiresScopesDoc, '{ users { username } }', who(['read:email']),
      { data: null, errors: [denied(['users'], 'FORBIDDEN')] }],
    ['@requiresScopes: anonymous, nullable user', requiresScopesDoc, '{ user(id: "u1") { username } post(id: "1234") { title } }', anonymous,
      { data: { user: null, post: { title: 'Securing supergraphs' } }, errors: [denied(['user'], 'UNAUTHENTICATED')] }],
    ['@authenticated: anonymous, as the Router answers (codes differ)', authenticatedDoc, '{ me { username } post(id: "1234") { title views } }', anonymous,
      { data: { me: null, post: { title: 'Securing supergraphs', views: null } }, errors: [denied(['me'], 'UNAUTHENTICATED'), denied(['post', 'views'], 'UNAUTHENTICATED')] }],
    ['@authenticated: any principal', authenticatedDoc, '{ me { username } post(id: "1234") { views } }', who([]),
      { data: { me: { username: 'alice' }, post: { views: 7 } } }],
    ['OR of ANDs: scope1 alone', logic, '{ either }', who(['scope1']), { data: { either: null }, errors: [denied(['either'], 'FORBIDDEN')] }],
    ['OR of ANDs: scope1 AND scope2', logic, '{ either }', who(['scope1', 'scope2']), { data: { either: 'yes' } }],
    ['OR of ANDs: scope3', logic, '{ either }', who(['scope3']), { data: { either: 'yes' } }],
    ['type AND field: type scope only', logic, '{ account { id iban } }', who(['read:account']),
      { data: { account: { id: 'a1', iban: null } }, errors: [denied(['account', 'iban'], 'FORBIDDEN')] }],
    ['type AND field: field scope only', logic, '{ account { iban } }', who(['read:iban']), { data: { account: null }, errors: [denied(['account'], 'FORBIDDEN')] }],
    ['type AND field: both', logic, '{ account { iban } }', who(['read:account', 'read:iban']), { data: { account: { iban: 'DE00' } } }],
    ['guarded scalar and enum', logic, '{ contact tier }', anonymous,
      { data: { contact: null, tier: null }, errors: [denied(['contact'], 'UNAUTHENTICATED'), denied(['tier'], 'UNAUTHENTICATED')] }],
    ['guarded scalar and enum, allowed', logic, '{ contact tier }', who(['read:email']), { data: { contact: 'a@x', tier: 'PAID' } }],
    ['interfaces: a PrivateBlog item is denied whole (the Router only drops its fragment)', interfacesDoc,
      '{ feed { id title ... on PrivateBlog { allowedViewers { id } } } }', anonymous,
      { data: { feed: [{ id: 'b1', title: 'open' }, null] }, errors: [denied(['feed', 1], 'UNAUTHENTICATED')] }],
    ['interfaces: [Post!]! propagates the denied item by the GraphQL rules', interfacesDoc, '{ posts { id } }', anonymous,
      { data: null, errors: [denied(['posts', 1], 'UNAUTHENTICATED')] }],
    ['@key fields: anonymous reads the public fields', keyFieldsDoc, '{ product { name } }', anonymous, { data: { product: { name: 'Lamp' } } }],
    ['@key fields: a guarded non-null id nulls the product', keyFieldsDoc, '{ product { id name } }', anonymous,
      { data: { product: null }, errors: [denied(['product', 'id'], 'UNAUTHENTICATED')] }],
    ['@policy is never granted: anonymous', mixed, '{ me { id } }', anonymous, { data: { me: null }, errors: [denied(['me'], 'UNAUTHENTICATED')] }],
    ['@policy is never granted: any principal, admin too', mixed, '{ me { id } }', who(['read_profile'], ['read_profile', 'admin'], true),
      { data: { me: null }, errors: [denied(['me'], 'FORBIDDEN')] }],
    ['@auth AND @requiresScopes on one field: scope only', mixed, '{ staff { id } }', who(['read:user']), { data: { staff: null }, errors: [denied(['staff'], 'FORBIDDEN')] }],
    ['@auth AND @requiresScopes on one field: both', mixed, '{ staff { id } }', who(['read:user'], ['staff']), { data: { staff: { id: 'u1' } } }],
    ['admin passes @auth but not @requiresScopes (the Router has no admin)', mixed, '{ admin scoped }', who([], ['admin'], true),
      { data: { admin: 'a', scoped: null }, errors: [denied(['scoped'], 'FORBIDDEN')] }],
  ])('%s', async (_name, schema, query, principalOrNull, expected) => {
    expect(await run(schema, query, principalOrNull)).toEqual(expected);
  });
});

describe('the audit shows @auth and the Router directives together', () => {
  const rows = (schema: GraphQLSchema) => Object.fromEntries(auditSchema(schema).fields.map((row) => [row.coordinate, formatRequirement(row.description)]));

  it('names each Router clause and marks @policy unsupported', () => {
    const audit = rows(mixed);
    expect({ me: audit['Query.me'], staff: audit['Query.staff'], admin: audit['Query.admin'], scoped: audit['Query.scoped'] }).toEqual({
      me: 'policy read_profile (@policy: unsupported, never granted)',
      staff: 'read:user (@requiresScopes) AND role staff',
      admin: 'read:admin',
      scoped: 'read:admin (@requiresScopes)',
    });
  });

  it('propagates type, field, scalar and enum requirements', () => {
    const audit = rows(logic);
    expect([audit['Query.either'], audit['Query.account'], audit['Account.iban'], audit['Query.contact'], audit['Query.tier']]).toEqual([
      'scope3 OR (scope1 AND scope2) (@requiresScopes)',
      'read:account (@requiresScopes)',
      'read:account (@requiresScopes) AND read:iban (@requiresScopes)',
      'read:email (@requiresScopes)',
      'authenticated',
    ]);
    expect(auditSchema(logic).fields.find((row) => row.coordinate === 'Query.either')?.description)
      .toEqual({ allOf: [{ scopes: [['scope3'], ['scope1', 'scope2']], adminOverride: false, directive: 'requiresScopes' }] });
  });
});

describe('names, as @link gives them', () => {
  const query = '{ a b c }';
  const resolvers = { Query: { a: () => 'a', b: () => 'b', c: () => 'c' } };
  it.each([
    ['renamed on import', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: [{ name: "@requiresScopes", as: "@scopes" }, { name: "@authenticated", as: "@loggedIn" }])
      type Query { a: String @scopes(scopes: [["x"]]) b: String @loggedIn c: String }`],
    ['each spec linked on its own', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
        @link(url: "https://specs.apollo.dev/authenticated/v0.1") @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", import: ["@requiresScopes"])
      type Query { a: String @requiresScopes(scopes: [["x"]]) b: String @authenticated c: String }`],
    ['federation namespaced with as:', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", as: "fed", import: ["@key"])
      type Query { a: String @fed__requiresScopes(scopes: [["x"]]) b: String @fed__authenticated c: String }`],
    ['not imported: federation__ namespace', `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
      type Query { a: String @federation__requiresScopes(scopes: [["x"]]) b: String @federation__authenticated c: String }`],
  ])('%s', async (_name, sdl) => {
    const schema = subgraph(sdl, resolvers);
    expect(await run(schema, query, anonymous)).toEqual({
      data: { a: null, b: null, c: 'c' }, errors: [denied(['a'], 'UNAUTHENTICATED'), denied(['b'], 'UNAUTHENTICATED')],
    });
    expect(await run(schema, query, who(['x']))).toEqual({ data: { a: 'a', b: 'b', c: 'c' } });
  });

  it('plain names in a schema that declares the directives itself (no federation)', async () => {
    const schema = authDirectiveTransformer(makeExecutableSchema({
      typeDefs: `scalar Scope
        directive @authenticated on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM
        directive @requiresScopes(scopes: [[Scope!]!]!) on OBJECT | FIELD_DEFINITION | INTERFACE | SCALAR | ENUM
        type Query { a: String @requiresScopes(scopes: [["x"]]) b: String @authenticated c: String }`,
      resolvers,
    }));
    expect(await run(schema, query, who([]))).toEqual({ data: { a: null, b: 'b', c: 'c' }, errors: [denied(['a'], 'FORBIDDEN')] });
  });
});

describe('mistakes fail at build, as for @auth', () => {
  it.each([
    ['an empty list of alternatives', 'a: String @requiresScopes(scopes: [])', 'Query.a: @requiresScopes scopes: an empty list of alternatives [] can never be satisfied'],
    ['an empty AND group', 'a: String @requiresScopes(scopes: [[]])', 'Query.a: @requiresScopes scopes: an empty AND group [] is always satisfied'],
    ['a scope with whitespace', 'a: String @requiresScopes(scopes: [["read user"]])', 'Query.a: @requiresScopes scopes: "read user" contains whitespace and is never granted (scopes are split on spaces)'],
  ])('%s', (_name, field, problem) => {
    let error: unknown;
    try {
      subgraph(`${LINK}\n type Query { ${field} }`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthSchemaError);
    expect((error as AuthSchemaError).problems.map((p) => `${p.coordinate}: ${p.message}`)).toEqual([problem]);
  });
});

describe('a flat list of scopes means OR, for the Router as for @auth', () => {
  it('is warned about, with the nested form for AND', () => {
    const schema = buildSubgraphSchema({ typeDefs: parse(`${AUTH_DIRECTIVE_SDL}\n${LINK}\n type Query { a: String @requiresScopes(scopes: ["a", "b"]) }`) });
    expect(checkAuthSchema(schema).map((w) => `${w.coordinate}: ${w.message}`)).toEqual([
      'Query.a: @requiresScopes(scopes: ["a","b"]) means a OR b; write [["a","b"]] for a AND b (or [["a"],["b"]] to keep a OR b without this warning)',
    ]);
  });
});

describe("a schema's own directive that happens to share a Router name", () => {
  it('is left alone when its arguments differ from the Router directive', async () => {
    const schema = authDirectiveTransformer(makeExecutableSchema({
      typeDefs: `directive @policy(name: String!) on FIELD_DEFINITION
        type Query { a: String @policy(name: "cache-1h") }`,
      resolvers: { Query: { a: () => 'a' } },
    }));
    expect(await run(schema, '{ a }', null)).toEqual({ data: { a: 'a' } });
  });
});
