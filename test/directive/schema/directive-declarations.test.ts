/**
 * A schema that declares @auth or @public itself must declare them exactly as gatepass reads
 * them: a flat `scopes: [String!]` would turn ["a","b"] into a OR b without a word.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { AuthSchemaError } from '../../../src/directive/schema/schema-checks.js';
import { AUTH_DIRECTIVE_SDL } from '../../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../../src/directive/transform.js';

const PUBLIC = 'directive @public on FIELD_DEFINITION | OBJECT';
const AUTH = 'directive @auth(scopes: [[String!]!], roles: [[String!]!], adminOverride: Boolean = true) on OBJECT | INTERFACE | FIELD_DEFINITION';
const build = (declarations: string) => () =>
  authDirectiveTransformer(makeExecutableSchema({ typeDefs: `${declarations}\ntype Query { f: String @auth(scopes: ["a", "b"]) }` }));

describe('declared @auth / @public', () => {
  it.each([
    ['a flat scopes list', `directive @auth(scopes: [String!], roles: [[String!]!], adminOverride: Boolean = true) on OBJECT | INTERFACE | FIELD_DEFINITION\n${PUBLIC}`,
      '@auth', 'argument scopes is [String!], gatepass reads [[String!]!]'],
    ['a missing argument', `directive @auth(scopes: [[String!]!], roles: [[String!]!]) on OBJECT | INTERFACE | FIELD_DEFINITION\n${PUBLIC}`,
      '@auth', 'argument adminOverride is missing'],
    ['another default', `directive @auth(scopes: [[String!]!], roles: [[String!]!], adminOverride: Boolean = false) on OBJECT | INTERFACE | FIELD_DEFINITION\n${PUBLIC}`,
      '@auth', 'argument adminOverride defaults to false, gatepass\'s to true'],
    ['an extra argument', `directive @auth(scopes: [[String!]!], roles: [[String!]!], adminOverride: Boolean = true, requires: String) on OBJECT | INTERFACE | FIELD_DEFINITION\n${PUBLIC}`,
      '@auth', 'argument requires is not one gatepass reads'],
    ['fewer locations', `directive @auth(scopes: [[String!]!], roles: [[String!]!], adminOverride: Boolean = true) on FIELD_DEFINITION\n${PUBLIC}`,
      '@auth', 'locations are FIELD_DEFINITION, gatepass\'s are FIELD_DEFINITION | INTERFACE | OBJECT'],
    ['@public with an argument', `${AUTH}\ndirective @public(reason: String) on FIELD_DEFINITION | OBJECT`,
      '@public', 'argument reason is not one gatepass reads'],
  ])('%s fails the build naming the difference', (_name, declarations, coordinate, difference) => {
    expect(build(declarations)).toThrow(AuthSchemaError);
    try {
      build(declarations)();
    } catch (error) {
      const problem = (error as AuthSchemaError).problems.find((p) => p.coordinate === coordinate);
      expect(problem?.message).toContain(difference);
      expect(problem?.message).toContain('declare it with AUTH_DIRECTIVE_SDL');
    }
  });

  it.each([
    ['the SDL itself', AUTH_DIRECTIVE_SDL],
    ['the same text, reordered locations', AUTH_DIRECTIVE_SDL.replace('on OBJECT | INTERFACE | FIELD_DEFINITION', 'on FIELD_DEFINITION | OBJECT | INTERFACE')],
  ])('accepts %s', (_name, declarations) => {
    expect(build(declarations)).not.toThrow();
  });
});
