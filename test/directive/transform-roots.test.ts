/**
 * Root operation types are reached without a field, so `@auth` on a root type is checked by
 * each of its fields (ANDed with the field's own); mutation resolvers under it never run when
 * denied. The operation walk sees the same requirements.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { walkOperation } from '../../src/directive/request/operation-walk.js';
import { planGuards } from '../../src/directive/schema/plan-guards.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { principal, run, type Outcome } from './fixtures.js';

const SDL = /* GraphQL */ `
  type Query @auth { hello: String }
  type Mutation @auth(scopes: [["write"]]) { save: Boolean purge: Boolean @auth(roles: [["ops"]]) }
`;
const build = () => {
  const calls: string[] = [];
  const base = makeExecutableSchema({
    typeDefs: [AUTH_DIRECTIVE_SDL, SDL],
    resolvers: {
      Query: { hello: () => 'world' },
      Mutation: { save: () => (calls.push('save'), true), purge: () => (calls.push('purge'), true) },
    },
  });
  return { schema: authDirectiveTransformer(base), base, calls };
};

const writer = principal({ scopes: ['write'] });
const ops = principal({ roles: ['ops'] });

describe('@auth on root types', () => {
  it.each([
    ['query type: anonymous', '{ hello }', null, { data: { hello: null }, errors: [{ path: ['hello'], code: 'UNAUTHENTICATED' }] }, []],
    ['query type: any principal', '{ hello }', principal(), { data: { hello: 'world' } }, []],
    ['query root __typename stays open', '{ __typename }', null, { data: { __typename: 'Query' } }, []],
    ['mutation type scope', 'mutation { save }', writer, { data: { save: true } }, ['save']],
    ['mutation type scope missing', 'mutation { save }', ops, { data: { save: null }, errors: [{ path: ['save'], code: 'FORBIDDEN' }] }, []],
    ['field role without the type scope', 'mutation { purge }', ops, { data: { purge: null }, errors: [{ path: ['purge'], code: 'FORBIDDEN' }] }, []],
    ['type scope and field role', 'mutation { purge }', principal({ scopes: ['write'], roles: ['ops'] }), { data: { purge: true } }, ['purge']],
  ] as Array<[string, string, Principal | null, Outcome, string[]]>)('%s', async (_name, query, who, expected, expectedCalls) => {
    const { schema, calls } = build();
    expect(await run(schema, query, who)).toEqual(expected);
    expect(calls).toEqual(expectedCalls);
  });

  it('the operation walk sees the root type requirement', () => {
    const { base } = build();
    const walk = walkOperation({ schema: base, plan: planGuards(base, { defaultPolicy: 'allow' }), document: parse('mutation { save purge }'), principal: ops });
    expect(walk.denials.map((d) => [d.path, d.decision])).toEqual([[['save'], 'forbidden'], [['purge'], 'forbidden']]);
  });
});
