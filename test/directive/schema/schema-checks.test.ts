/**
 * Schema-time validation of @auth / @public: errors collected and thrown at once (naming type
 * and field), flat scope lists warned about. Schemas built with `assumeValidSDL` or code-first
 * stand for "built by other means", where SDL validation did not run.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLEnumType, GraphQLObjectType, GraphQLSchema, GraphQLString, buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AuthSchemaError, checkAuthSchema } from '../../../src/directive/schema/schema-checks.js';
import { AUTH_DIRECTIVE_SDL } from '../../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../../src/directive/transform.js';
import { recordingLogger } from '../fixtures.js';

const unchecked = (sdl: string): GraphQLSchema => buildSchema(`${AUTH_DIRECTIVE_SDL}\n${sdl}`, { assumeValidSDL: true });
const problemsOf = (schema: GraphQLSchema): Array<{ coordinate: string; message: string }> => {
  try {
    checkAuthSchema(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthSchemaError);
    expect((error as AuthSchemaError).code).toBe('ERR_AUTH_SCHEMA');
    return (error as AuthSchemaError).problems.map(({ coordinate, message }) => ({ coordinate, message }));
  }
  return [];
};

describe('checkAuthSchema errors', () => {
  it.each([
    ['@auth on an input type', 'input I @auth { a: String } type Query { f(i: I): String }', 'I', '@auth is not allowed on an input type (guard the fields that take it)'],
    ['@auth on an input field', 'input I { a: String @auth } type Query { f(i: I): String }', 'I.a', '@auth is not allowed on an input field (guard the fields that take its type)'],
    ['@auth on an argument', 'type Query { f(a: String @auth): String }', 'Query.f(a:)', '@auth is not allowed on an argument (guard Query.f instead)'],
    ['@auth on an enum', 'enum E @auth { A } type Query { f: E }', 'E', '@auth is not allowed on an enum (guard the fields that return it)'],
    ['@auth on an enum value', 'enum E { A @auth(scopes: [["x"]]) } type Query { f: E }', 'E.A', '@auth is not allowed on an enum value (guard the fields that return the enum)'],
    ['@auth on a union', 'type A { a: String } union U @auth = A type Query { f: U }', 'U', '@auth is not allowed on a union (guard its member types)'],
    ['@auth on a scalar', 'scalar S @auth type Query { f: S }', 'S', '@auth is not allowed on a scalar (guard the fields that return it)'],
    ['@public on an argument', 'type Query { f(a: String @public): String }', 'Query.f(a:)', '@public is not allowed on an argument (guard Query.f instead)'],
    ['empty alternatives', 'type Query { f: String @auth(scopes: []) }', 'Query.f', '@auth scopes: an empty list of alternatives [] can never be satisfied'],
    ['empty AND group', 'type Query { f: String @auth(roles: [[]]) }', 'Query.f', '@auth roles: an empty AND group [] is always satisfied'],
    ['empty name', 'type Query { f: String @auth(scopes: [[""]]) }', 'Query.f', '@auth scopes: an empty name "" is never granted'],
    ['blank name', 'type User @auth(scopes: ["  "]) { a: String } type Query { u: User }', 'User', '@auth scopes: an empty name "  " is never granted'],
    ['unknown argument', 'type Query { f: String @auth(requires: ADMIN) }', 'Query.f', '@auth unknown argument "requires"'],
    ['explicit null scopes (not "authenticated only")', 'type Query { f: String @auth(scopes: null) }', 'Query.f',
      '@auth scopes: null is not allowed (leave scopes out to require authentication only)'],
    ['explicit null roles', 'type User @auth(roles: null) { a: String } type Query { u: User }', 'User',
      '@auth roles: null is not allowed (leave roles out to require authentication only)'],
    ['explicit null adminOverride (not "admin may pass")', 'type Query { f: String @auth(roles: [["r"]], adminOverride: null) }', 'Query.f',
      '@auth adminOverride: null is not allowed (write true or false, or leave it out)'],
    ['a scope with a space', 'type Query { f: String @auth(scopes: [["read user"]]) }', 'Query.f',
      '@auth scopes: "read user" contains whitespace and is never granted (scopes are split on spaces)'],
    ['a scope with a tab, in a flat list', 'type Query { f: String @auth(scopes: ["a", "read\\tuser"]) }', 'Query.f',
      '@auth scopes: "read\tuser" contains whitespace and is never granted (scopes are split on spaces)'],
    ['@auth on the schema (SDL)', 'schema @auth { query: Query } type Query { f: String }', 'schema',
      '@auth is not allowed on the schema (put it on the root types)'],
    ['@public on a guarded type', 'type User @auth @public { a: String } type Query { u: User }', 'User', '@public on a type guarded by @auth (remove one of them)'],
    ['@public on a type guarded through its interface', 'interface N @auth { a: String } type User implements N @public { a: String } type Query { u: User }', 'User', '@public on a type guarded by @auth (remove one of them)'],
    ['@public inside a guarded type', 'type User @auth { a: String @public } type Query { u: User }', 'User.a', '@public inside User, which is guarded by @auth'],
    ['@public with @auth on the field', 'type Query { f: String @auth @public }', 'Query.f', '@public on a field guarded by @auth'],
    ['@public under an interface field @auth', 'interface N { a: String @auth } type T implements N { a: String @public } type Query { t: T }', 'T.a', '@public on a field guarded by @auth'],
    ['@public on an interface field', 'interface N { a: String @public } type T implements N { a: String } type Query { t: T }', 'N.a', '@public is not allowed on an interface field (mark the object fields)'],
  ])('%s', (_name, sdl, coordinate, message) => {
    expect(problemsOf(unchecked(sdl))).toEqual([{ coordinate, message }]);
  });

  it('reports code-first misuse from extensions.directives', () => {
    const query = new GraphQLObjectType({
      name: 'Query',
      fields: {
        e: { type: new GraphQLEnumType({ name: 'E', values: { A: { extensions: { directives: { auth: [{}] } } } } }) },
        f: { type: GraphQLString, extensions: { directives: { auth: [{ scopes: [[42]] }] } } },
      },
    });
    expect(problemsOf(new GraphQLSchema({ query }))).toEqual([
      { coordinate: 'Query.f', message: '@auth scopes: 42 is not a string' },
      { coordinate: 'E.A', message: '@auth is not allowed on an enum value (guard the fields that return the enum)' },
    ]);
  });

  it('reports code-first @auth on the schema object itself', () => {
    const query = new GraphQLObjectType({ name: 'Query', fields: { f: { type: GraphQLString } } });
    expect(problemsOf(new GraphQLSchema({ query, extensions: { directives: { auth: [{ scopes: [['x']] }] } } }))).toEqual([
      { coordinate: 'schema', message: '@auth is not allowed on the schema (put it on the root types)' },
    ]);
  });

  it('lists every problem in one error, each naming its type and field', () => {
    const build = () => authDirectiveTransformer(unchecked(`
      type User @auth(scopes: []) { name: String @auth(roles: [[]]) }
      input I @auth { a: String }
      type Query { u(i: I): User }`));
    expect(build).toThrow(AuthSchemaError);
    expect(build).toThrow(
      'invalid @auth usage in the schema:\n' +
      '  - User: @auth scopes: an empty list of alternatives [] can never be satisfied\n' +
      '  - User.name: @auth roles: an empty AND group [] is always satisfied\n' +
      '  - I: @auth is not allowed on an input type',
    );
  });
});

describe('checkAuthSchema warnings', () => {
  it.each([
    ['flat list of two scopes', 'type User @auth { email: String @auth(scopes: ["a", "b"]) } type Query { u: User }', [{
      coordinate: 'User.email',
      message: '@auth(scopes: ["a","b"]) means a OR b; write [["a","b"]] for a AND b (or [["a"],["b"]] to keep a OR b without this warning)',
    }]],
    ['flat list of roles', 'type Query { f: String @auth(roles: ["x", "y", "z"]) }', [{
      coordinate: 'Query.f',
      message: '@auth(roles: ["x","y","z"]) means x OR y OR z; write [["x","y","z"]] for x AND y AND z (or [["x"],["y"],["z"]] to keep x OR y OR z without this warning)',
    }]],
    ['nested AND group', 'type Query { f: String @auth(scopes: [["a", "b"]]) }', []],
    ['flat list of one', 'type Query { f: String @auth(scopes: ["a"]) }', []],
    ['explicit alternatives', 'type Query { f: String @auth(scopes: [["a"], ["b"]]) }', []],
  ])('%s', (_name, sdl, expected) => {
    const { logger, lines } = recordingLogger();
    const schema = makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, sdl] });
    const warnings = checkAuthSchema(schema, { logger });
    expect(warnings.map(({ severity, coordinate, message }) => ({ severity, coordinate, message }))).toEqual(
      expected.map((warning) => ({ severity: 'warning', ...warning })),
    );
    expect(lines.map((line) => [line['level'], line['coordinate'], line['msg']])).toEqual(
      expected.map((warning) => [40, warning.coordinate, warning.message]),
    );
  });

  it('warns about untyped flat lists in extensions.directives too', () => {
    const query = new GraphQLObjectType({
      name: 'Query', fields: { f: { type: GraphQLString, extensions: { directives: { auth: { scopes: ['a', 'b'] } } } } },
    });
    expect(checkAuthSchema(new GraphQLSchema({ query })).map((w) => w.coordinate)).toEqual(['Query.f']);
  });
});
