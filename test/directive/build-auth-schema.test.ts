/**
 * buildAuthSchema: SDL + resolvers to a guarded schema; a misplaced @auth fails the build naming
 * the type or field and the fix, where graphql-js alone names only a line.
 */
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildAuthSchema } from '../../src/directive/build-auth-schema.js';
import { AuthSchemaError } from '../../src/directive/schema/schema-checks.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import { principal } from './fixtures.js';

describe('buildAuthSchema', () => {
  it.each([
    ['@auth on an input type', 'input I @auth { a: String } type Query { f(i: I): String }',
      [{ coordinate: 'I', message: '@auth is not allowed on an input type (guard the fields that take it)' }]],
    ['@auth on an argument', 'type Query { f(a: String @auth(scopes: [["x"]])): String }',
      [{ coordinate: 'Query.f(a:)', message: '@auth is not allowed on an argument (guard Query.f instead)' }]],
    ['@public on an input field, with the SDL declared', `${AUTH_DIRECTIVE_SDL} input I { a: String @public } type Query { f(i: I): String }`,
      [{ coordinate: 'I.a', message: '@public is not allowed on an input field (guard the fields that take its type)' }]],
  ])('%s: names where and the fix', (_name, typeDefs, problems) => {
    let caught: unknown;
    try {
      buildAuthSchema({ typeDefs });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuthSchemaError);
    expect((caught as AuthSchemaError).code).toBe('ERR_AUTH_SCHEMA');
    expect((caught as AuthSchemaError).problems.map(({ coordinate, message }) => ({ coordinate, message }))).toEqual(problems);
  });

  it('keeps graphql-js errors that are not about @auth', () => {
    expect(() => buildAuthSchema({ typeDefs: 'type Query { f: Missing }' })).toThrow(/Unknown type "Missing"/);
  });

  it('adds the directive SDL when missing and guards the result', async () => {
    const schema = buildAuthSchema({
      typeDefs: 'type Query { hello: String secret: String @auth(scopes: [["read:secret"]]) }',
      resolvers: { Query: { hello: () => 'world', secret: () => 'swordfish' } },
    });
    const run = async (scopes: string[]) => {
      const result = await graphql({ schema, source: '{ hello secret }', contextValue: createAuthContext(principal({ scopes })) });
      return { data: result.data, codes: result.errors?.map((e) => e.extensions['code']) };
    };
    expect(await run([])).toEqual({ data: { hello: 'world', secret: null }, codes: ['FORBIDDEN'] });
    expect(await run(['read:secret'])).toEqual({ data: { hello: 'world', secret: 'swordfish' }, codes: undefined });
  });
});
