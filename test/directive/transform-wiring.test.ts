/**
 * How the transformer is wired: one decision per (requirement, request), unguarded resolvers
 * untouched, a stateless transform, and a pluggable way of reading the context.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLObjectType, graphql, type GraphQLFieldResolver, type GraphQLTypeResolver } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/directive/request/check.js';
import { createAuthContext, type AuthContext } from '../../src/directive/request/auth-context.js';
import { describeRequirement, type Requirement } from '../../src/directive/schema/requirements.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import { outcome, principal } from './fixtures.js';
import { ANN, buildLibrarySchema, guardedLibrarySchema } from './library-schema.js';

const thousand = Array.from({ length: 1000 }, (_, i) => ({ ...ANN, id: `u${i}` }));

describe('decision memo', () => {
  it.each([
    ['allowed', principal({ scopes: ['read:user', 'read:email'] }), 'allow'],
    ['denied', principal({ scopes: ['read:user'] }), 'forbidden'],
  ] as const)('takes one decision per requirement for 1000 items (%s)', async (_name, who, emailDecision) => {
    const taken: Array<[Requirement, Decision]> = [];
    const { schema } = guardedLibrarySchema({ onDecision: (requirement, decision) => taken.push([requirement, decision]) }, thousand);
    const contextValue = createAuthContext(who);
    const result = await graphql({ schema, source: '{ users { id name email } again: users { email } }', contextValue });
    expect(result.data?.['users']).toHaveLength(1000);
    expect(taken.map(([requirement, decision]) => [describeRequirement(requirement), decision])).toEqual([
      [{ allOf: [{ scopes: [['read:user']] }] }, 'allow'],
      [{ allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] }, emailDecision],
    ]);
    expect(contextValue.decisions.size).toBe(2);
  });

  it('does not share decisions between requests', async () => {
    const taken: Decision[] = [];
    const { schema } = guardedLibrarySchema({ onDecision: (_r, decision) => taken.push(decision) });
    await graphql({ schema, source: '{ users { id } }', contextValue: createAuthContext(null) });
    await graphql({ schema, source: '{ users { id } }', contextValue: createAuthContext(principal({ scopes: ['read:user'] })) });
    expect(taken).toEqual(['unauthenticated', 'allow']);
  });
});

describe('wiring', () => {
  it.each([
    ['Query.hello', 'Query', 'hello'],
    ['Query.posts', 'Query', 'posts'],
    ['Post.title', 'Post', 'title'],
    ['User.name (guarded type, checked at entry)', 'User', 'name'],
  ])('keeps the identical resolver of unguarded %s', (_name, typeName, fieldName) => {
    const { schema, base } = guardedLibrarySchema();
    const before = (base.getType(typeName) as GraphQLObjectType).getFields()[fieldName]?.resolve;
    const after = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName]?.resolve;
    expect(before).toBeTypeOf('function');
    expect(after).toBe(before);
  });

  it.each([['Query', 'users'], ['Query', 'me'], ['User', 'email'], ['Post', 'author'], ['Post', 'auditTrail']])(
    'wraps guarded %s.%s', (typeName, fieldName) => {
      const { schema, base } = guardedLibrarySchema();
      const before = (base.getType(typeName) as GraphQLObjectType).getFields()[fieldName]?.resolve;
      const after = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName]?.resolve;
      expect(after).toBeTypeOf('function');
      expect(after).not.toBe(before);
    },
  );

  it('is stateless: the input schema is unchanged and one output serves every request', async () => {
    const { schema: base } = buildLibrarySchema();
    const guarded = authDirectiveTransformer(base);
    expect(outcome(await graphql({ schema: base, source: '{ users { email } }', contextValue: createAuthContext(null) })))
      .toEqual({ data: { users: [{ email: 'ann@x' }, { email: 'bob@x' }] } });
    const [a, b] = await Promise.all([
      graphql({ schema: guarded, source: '{ users { email } }', contextValue: createAuthContext(null) }),
      graphql({ schema: guarded, source: '{ users { email } }', contextValue: createAuthContext(principal({ scopes: ['read:user', 'read:email'] })) }),
    ]);
    expect(outcome(a)).toEqual({ data: { users: null }, errors: [{ path: ['users'], code: 'UNAUTHENTICATED' }] });
    expect(outcome(b)).toEqual({ data: { users: [{ email: 'ann@x' }, { email: 'bob@x' }] } });
  });

  it.each([
    ['no context at all', undefined],
    ['a context without principal', {}],
    ['a context with a principal but no decisions map', { principal: null }],
  ])('fails closed with %s', async (_name, contextValue) => {
    const { schema } = guardedLibrarySchema();
    expect(outcome(await graphql({ schema, source: '{ me { id } }', contextValue })))
      .toEqual({ data: { me: null }, errors: [{ path: ['me'], code: 'UNAUTHENTICATED' }] });
  });

  it('reads the auth state through getAuth when given', async () => {
    const auth: AuthContext = createAuthContext(principal({ scopes: ['read:user'] }));
    const { schema } = guardedLibrarySchema({ getAuth: (context) => (context as { auth: AuthContext }).auth });
    expect(outcome(await graphql({ schema, source: '{ me { id } }', contextValue: { auth } })))
      .toEqual({ data: { me: { id: 'u1' } } });
    expect(auth.decisions.size).toBe(1);
  });
});

describe('execution-level resolvers', () => {
  // Values that answer `get(name)`, read by an execution-level fieldResolver / typeResolver only.
  const record = (values: Record<string, unknown>) => ({ get: (name: string) => values[name] });
  const gem = record({ kind: 'Gem', name: 'g' });
  const rootValue = record({ gem, loot: [gem, record({ kind: 'Rock', name: 'r' })] });
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) =>
    (source as ReturnType<typeof record>).get(info.fieldName);
  const typeResolver: GraphQLTypeResolver<unknown, unknown> = (value) => (value as ReturnType<typeof record>).get('kind') as string;
  const base = makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, `
    type Gem @auth(scopes: [["read:gem"]]) { name: String }
    type Rock { name: String }
    union Loot = Gem | Rock
    type Query { gem: Gem loot: [Loot] }`] });
  const source = '{ gem { name } loot { __typename ... on Gem { name } } }';

  it.each([
    ['granted', principal({ scopes: ['read:gem'] }), {
      data: { gem: { name: 'g' }, loot: [{ __typename: 'Gem', name: 'g' }, { __typename: 'Rock' }] },
    }],
    ['denied', null, {
      data: { gem: null, loot: [null, { __typename: 'Rock' }] },
      errors: [{ path: ['gem'], code: 'UNAUTHENTICATED' }, { path: ['loot', 0], code: 'UNAUTHENTICATED' }],
    }],
  ] as const)('runs the fieldResolver / typeResolver it is told about behind the guards (%s)', async (_name, who, expected) => {
    const schema = authDirectiveTransformer(base, { fieldResolver, typeResolver });
    const result = await graphql({ schema, source, rootValue, fieldResolver, typeResolver, contextValue: createAuthContext(who) });
    expect(outcome(result)).toEqual(expected);
  });
});
