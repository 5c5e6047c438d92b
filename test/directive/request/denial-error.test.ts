/**
 * The shape of a denial: exactly `{ message, locations, path, extensions: { code, … } }` on the
 * wire, a real `GraphQLError` in process, and no stack trace captured per item.
 */
import { GraphQLError, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAuthContext } from '../../../src/directive/request/auth-context.js';
import { principal } from '../fixtures.js';
import { guardedLibrarySchema } from '../library-schema.js';

describe('denial errors', () => {
  it.each([
    ['UNAUTHENTICATED carries only the code', null, true, { code: 'UNAUTHENTICATED' }, 'authentication required'],
    ['FORBIDDEN explains the requirement', principal({ scopes: ['read:user'] }), true, {
      code: 'FORBIDDEN', requirement: { allOf: [{ scopes: [['read:email']] }, { scopes: [['read:user']] }] },
    }, 'not authorized'],
    ['FORBIDDEN without explanation when explainDenials is false', principal({ scopes: ['read:user'] }), false, { code: 'FORBIDDEN' }, 'not authorized'],
  ] as const)('%s', async (_name, who, explainDenials, extensions, message) => {
    const { schema } = guardedLibrarySchema({ explainDenials });
    const result = await graphql({ schema, source: '{\n  user(id: "u1") { email }\n}', contextValue: createAuthContext(who) });
    const [error] = result.errors ?? [];
    expect(error?.extensions['code']).toBe(extensions.code);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error).toBeInstanceOf(Error);
    const path = who === null ? ['user'] : ['user', 'email'];
    const column = who === null ? 3 : 20;
    expect(JSON.parse(JSON.stringify(error))).toStrictEqual({ message, locations: [{ line: 2, column }], path, extensions });
    expect(Object.keys(error ?? {})).toEqual(['message', 'path', 'locations', 'extensions']);
    expect(error?.nodes?.[0]?.kind).toBe('Field');
    expect(error?.stack).toBe(`GraphQLError: ${message}`); // no frames: nothing captured
  });

  it('has the same own enumerable keys and JSON as a GraphQLError built the usual way', async () => {
    const { schema } = guardedLibrarySchema();
    const result = await graphql({ schema, source: '{ user(id: "u1") { email } }', contextValue: createAuthContext(principal({ scopes: ['read:user'] })) });
    const denial = result.errors?.[0] as GraphQLError;
    const usual = new GraphQLError(denial.message, { nodes: denial.nodes, path: denial.path, extensions: denial.extensions });
    expect(Object.keys(denial).sort()).toEqual(Object.keys(usual).sort());
    expect(denial.toJSON()).toEqual(usual.toJSON());
    expect(String(denial)).toBe(String(usual));
  });

  it('gives each item of a list its own error and path', async () => {
    const { schema } = guardedLibrarySchema();
    const result = await graphql({ schema, source: '{ users { email } }', contextValue: createAuthContext(principal({ scopes: ['read:user'] })) });
    expect(result.errors?.map((e) => e.path)).toEqual([['users', 0, 'email'], ['users', 1, 'email']]);
    expect(result.errors?.[0]).not.toBe(result.errors?.[1]);
  });
});
