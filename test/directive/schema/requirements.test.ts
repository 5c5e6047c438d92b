/**
 * Reading @auth into canonical, interned requirements; combining (AND); describing.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { internRequirement } from '../../../src/directive/schema/intern-requirement.js';
import {
  AUTHENTICATED, NO_REQUIREMENT, combine, describeRequirement, readRequirement, type RequirementDescription,
} from '../../../src/directive/schema/requirements.js';
import { AUTH_DIRECTIVE_SDL } from '../../../src/directive/schema/sdl.js';

const fieldWith = (directive: string): { schema: GraphQLSchema; field: GraphQLField<unknown, unknown> } => {
  const schema = makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, `type Query { f: String ${directive} }`] });
  return { schema, field: schema.getQueryType()!.getFields()['f']! };
};

describe('readRequirement', () => {
  it.each([
    ['no directive', '', { allOf: [] }],
    ['no arguments = authenticated', '@auth', { allOf: [{}] }],
    ['one scope', '@auth(scopes: [["a"]])', { allOf: [{ scopes: [['a']] }] }],
    ['flat list = alternatives (a OR b), by list coercion', '@auth(scopes: ["a", "b"])', { allOf: [{ scopes: [['a'], ['b']] }] }],
    ['single string = one alternative', '@auth(scopes: "a")', { allOf: [{ scopes: [['a']] }] }],
    ['AND group, sorted', '@auth(scopes: [["b", "a"]])', { allOf: [{ scopes: [['a', 'b']] }] }],
    ['alternatives of AND groups', '@auth(scopes: [["c"], ["b", "a"]])', { allOf: [{ scopes: [['c'], ['a', 'b']] }] }],
    ['absorption: a OR (a AND b) = a', '@auth(scopes: [["a", "b"], ["a"]])', { allOf: [{ scopes: [['a']] }] }],
    ['duplicates removed', '@auth(scopes: [["a", "a"], ["a"]])', { allOf: [{ scopes: [['a']] }] }],
    ['scopes and roles in one clause', '@auth(scopes: [["a"]], roles: [["r"]])', { allOf: [{ scopes: [['a']], roles: [['r']] }] }],
    ['adminOverride: false kept', '@auth(roles: [["r"]], adminOverride: false)', { allOf: [{ roles: [['r']], adminOverride: false }] }],
    ['adminOverride is moot without scopes or roles', '@auth(adminOverride: false)', { allOf: [{}] }],
  ] as Array<[string, string, RequirementDescription]>)('%s', (_name, directive, expected) => {
    const { schema, field } = fieldWith(directive);
    expect(describeRequirement(readRequirement(schema, field))).toEqual(expected);
  });

  it('reads code-first extensions.directives the same way as SDL', () => {
    const query = new GraphQLObjectType({
      name: 'Query',
      fields: { f: { type: GraphQLString, extensions: { directives: { auth: [{ scopes: [['b', 'a']] }] } } } },
    });
    const schema = new GraphQLSchema({ query });
    const { schema: sdlSchema, field } = fieldWith('@auth(scopes: [["a", "b"]])');
    expect(readRequirement(schema, query.getFields()['f']!)).toBe(readRequirement(sdlSchema, field));
  });

  it.each([
    ['unknown argument', { role: ['r'] }, 'unknown argument "role"'],
    ['empty alternatives', { scopes: [] }, 'can never be satisfied'],
    ['empty AND group', { roles: [[]] }, 'always satisfied'],
    ['empty name', { scopes: [['']] }, 'never granted'],
    ['not a string', { scopes: [[1]] }, 'is not a string'],
    ['explicit null scopes', { scopes: null }, 'scopes: null is not allowed'],
    ['explicit null adminOverride', { roles: [['r']], adminOverride: null }, 'adminOverride: null is not allowed'],
  ])('throws on %s', (_name, args, message) => {
    const query = new GraphQLObjectType({ name: 'Query', fields: { f: { type: GraphQLString, extensions: { directives: { auth: [args] } } } } });
    expect(() => readRequirement(new GraphQLSchema({ query }), query.getFields()['f']!)).toThrow(TypeError);
    expect(() => readRequirement(new GraphQLSchema({ query }), query.getFields()['f']!)).toThrow(message);
  });
});

describe('combine', () => {
  const r = (scopes?: string[][], roles?: string[][], adminOverride = true) => internRequirement([{ scopes, roles, adminOverride }]);

  it.each([
    ['nothing', [], { allOf: [] }],
    ['identity: NO_REQUIREMENT', [NO_REQUIREMENT, r([['a']])], { allOf: [{ scopes: [['a']] }] }],
    ['authenticated is implied by any clause', [AUTHENTICATED, r([['a']])], { allOf: [{ scopes: [['a']] }] }],
    ['type AND field', [r([['t']]), r([['f']])], { allOf: [{ scopes: [['f']] }, { scopes: [['t']] }] }],
    ['idempotent', [r([['a']]), r([['a']])], { allOf: [{ scopes: [['a']] }] }],
    ['a stronger clause absorbs a weaker one', [r([['a']]), r([['a'], ['b']])], { allOf: [{ scopes: [['a']] }] }],
    ['opting out of admin is stronger', [r(undefined, [['r']]), r(undefined, [['r']], false)], { allOf: [{ roles: [['r']], adminOverride: false }] }],
    ['scopes+roles clause absorbs its parts', [r([['a']], [['r']]), r([['a']])], { allOf: [{ scopes: [['a']], roles: [['r']] }] }],
  ] as Array<[string, ReturnType<typeof r>[], RequirementDescription]>)('%s', (_name, inputs, expected) => {
    expect(describeRequirement(combine(...inputs))).toEqual(expected);
  });

  it('is commutative, associative and canonical: one object per effective requirement', () => {
    const [a, b, c] = [r([['a']]), r([['b']]), r(undefined, [['x']])];
    expect(combine(a, b)).toBe(combine(b, a));
    expect(combine(combine(a, b), c)).toBe(combine(a, combine(b, c)));
    expect(combine(a, b, c)).toBe(internRequirement([{ roles: [['x']], scopes: undefined, adminOverride: true }, { scopes: [['b']], roles: undefined, adminOverride: true }, { scopes: [['a']], roles: undefined, adminOverride: true }]));
    expect(r([['b', 'a']])).toBe(r([['a', 'b']]));
  });

  it('describes as frozen, JSON-safe data', () => {
    const description = describeRequirement(combine(r([['a']]), r(undefined, [['x']], false)));
    expect(Object.isFrozen(description)).toBe(true);
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
    expect(describeRequirement(combine(r([['a']]), r(undefined, [['x']], false)))).toBe(description);
  });

  it('keeps requirements immutable', () => {
    const requirement = r([['a']]);
    expect(Object.isFrozen(requirement) && Object.isFrozen(requirement.clauses) && Object.isFrozen(requirement.clauses[0])).toBe(true);
  });
});
