/**
 * The schema most transformer tests run against: every @auth rule appears in it once.
 * Resolver calls are counted so tests can prove a denied resolver never ran.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer, type AuthDirectiveOptions } from '../../src/directive/transform.js';

export const LIBRARY_SDL = /* GraphQL */ `
  interface Node { id: ID! }
  interface Secret @auth(roles: ["agent"]) { codename: String }
  interface Audited { auditTrail: String @auth(scopes: ["read:audit"]) }

  type User implements Node @auth(scopes: ["read:user"]) {
    id: ID!
    name: String
    email: String @auth(scopes: [["read:email"]])
    phone: String @auth(scopes: [["read:email", "read:phone"]])
    handle: String @auth(scopes: [["read:email"], ["read:handle"]])
    salary: String @auth(scopes: [["read:pay"]], roles: [["hr"]])
    posts: [Post!]!
  }
  type Post implements Node & Audited { id: ID! title: String auditTrail: String author: User }
  type Agent implements Node & Secret { id: ID! codename: String }
  type Vault @auth(roles: [["banker"]], adminOverride: false) { gold: Int ledger: String @auth(scopes: [["read:ledger"]]) }
  union SearchResult = User | Post

  type Query {
    hello: String
    posts: [Post!]!
    user(id: ID!): User
    users: [User!]
    userGrid: [[User]]
    me: User @auth
    node(id: ID!): Node
    search: [SearchResult]!
    strictSearch: [SearchResult!]!
    secret: Secret
    agents: [Agent]
    vault: Vault
  }
  type Mutation {
    createPost(title: String!): Post @auth(scopes: [["write:post"]])
    deletePost(id: ID!): Boolean @auth(scopes: [["write:post"]], roles: [["moderator"]])
  }
  type Subscription { postCreated: Post @auth(scopes: [["read:post"]]) }
`;

type Row = Record<string, unknown>;
export const ANN: Row = { id: 'u1', name: 'Ann', email: 'ann@x', phone: '555', handle: '@ann', salary: '1', posts: [] };
export const BOB: Row = { id: 'u2', name: 'Bob', email: 'bob@x', phone: '556', handle: '@bob', salary: '2', posts: [] };
export const HELLO: Row = { id: 'p1', title: 'Hello', auditTrail: 'created', author: ANN };
export const AGENT: Row = { id: 'a1', codename: 'Nightjar' };

const kindOf = (value: Row): string => ('codename' in value ? 'Agent' : 'title' in value ? 'Post' : 'User');

/** Builds the untransformed schema and a record of resolver calls. */
export function buildLibrarySchema(users: Row[] = [ANN, BOB]): { schema: GraphQLSchema; calls: string[] } {
  const calls: string[] = [];
  const called = <T>(name: string, value: T): T => { calls.push(name); return value; };
  const byId = (id: string): Row | undefined => [...users, HELLO, AGENT].find((row) => row['id'] === id);
  const schema = makeExecutableSchema({
    typeDefs: [AUTH_DIRECTIVE_SDL, LIBRARY_SDL],
    resolvers: {
      Query: {
        hello: () => called('hello', 'world'),
        posts: () => called('posts', [HELLO]),
        user: (_: unknown, { id }: { id: string }) => called('user', byId(id)),
        users: () => called('users', users),
        userGrid: () => called('userGrid', [users, [null, ANN]]),
        me: () => called('me', ANN),
        node: (_: unknown, { id }: { id: string }) => called('node', byId(id)),
        search: () => called('search', [ANN, HELLO]),
        strictSearch: () => called('strictSearch', [ANN, HELLO]),
        secret: () => called('secret', AGENT),
        agents: () => called('agents', [AGENT]),
        vault: () => called('vault', { gold: 7, ledger: 'ok' }),
      },
      Mutation: {
        createPost: (_: unknown, { title }: { title: string }) => called('createPost', { ...HELLO, id: 'p2', title }),
        deletePost: () => called('deletePost', true),
      },
      Post: { title: (post: Row) => post['title'] },
      User: { name: (user: Row) => user['name'] },
      Node: { __resolveType: kindOf },
      Secret: { __resolveType: kindOf },
      SearchResult: { __resolveType: kindOf },
    },
  });
  return { schema, calls };
}

/** The library schema with @auth enforced. */
export function guardedLibrarySchema(options?: AuthDirectiveOptions, users?: Row[]): { schema: GraphQLSchema; calls: string[]; base: GraphQLSchema } {
  const { schema: base, calls } = buildLibrarySchema(users);
  return { schema: authDirectiveTransformer(base, options), calls, base };
}
