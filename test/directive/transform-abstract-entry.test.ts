/**
 * A field returning an interface or union whose possible types all require something, each
 * something else: a principal who may read none of them is denied up front (the resolver, a
 * mutation, a subscription's stream never runs); one who may read some of them gets the field,
 * and each item is still checked against its own type.
 */
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { DefaultPolicy } from '../../src/config/config.js';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { buildAbstractEntrySchema, who } from './abstract-entry-schema.js';
import { outcome, run, type Outcome } from './fixtures.js';

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';
const create = 'mutation { create { __typename } }';
const createI = 'mutation { createI { __typename } }';

type Row = [name: string, query: string, who: Principal | null, expected: Outcome, calls: string[]];

const rows: Row[] = [
  // Mutations: no side effect unless some possible type is readable.
  ['union mutation, anonymous', create, null, { data: { create: null }, errors: [{ path: ['create'], code: U }] }, []],
  ['union mutation, no member readable', create, who.none, { data: { create: null }, errors: [{ path: ['create'], code: F }] }, []],
  ['union mutation, the returned member readable', create, who.a, { data: { create: { __typename: 'A' } } }, ['create']],
  ['union mutation, another member readable: runs, the item is checked', create, who.b,
    { data: { create: null }, errors: [{ path: ['create'], code: F }] }, ['create']],
  ['union mutation, admin', create, who.admin, { data: { create: { __typename: 'A' } } }, ['create']],
  ['interface mutation, no implementation readable', createI, who.none, { data: { createI: null }, errors: [{ path: ['createI'], code: F }] }, []],
  ['interface mutation, the other implementation readable', createI, who.r2,
    { data: { createI: null }, errors: [{ path: ['createI'], code: F }] }, ['createI']],
  ['interface mutation, granted', createI, who.r1, { data: { createI: { __typename: 'IA' } } }, ['createI']],
  // Queries, lists, nested fields.
  ['interface list, no implementation readable', '{ i { id } }', who.none, { data: { i: null }, errors: [{ path: ['i'], code: F }] }, []],
  ['interface list, anonymous', '{ i { __typename } open }', null, { data: { i: null, open: 'yes' }, errors: [{ path: ['i'], code: U }] }, ['open']],
  ['nothing selected for the members still denies', '{ ab { ... on A @skip(if: true) { a } } }', who.none,
    { data: { ab: null }, errors: [{ path: ['ab'], code: F }] }, []],
  ['nested field under an unguarded type', '{ holder { ab { __typename } } }', who.none,
    { data: { holder: { ab: null } }, errors: [{ path: ['holder', 'ab'], code: F }] }, ['holder']],
  ['nested field, granted', '{ holder { ab { ... on A { a } } } }', who.a, { data: { holder: { ab: { a: 'a1' } } } }, ['holder', 'holder.ab']],
  // X [["x"]] | XY [["x","y"]]: x is common to both (implication, not equal clauses).
  ['common clause by implication', '{ xs { __typename } }', who.y, { data: { xs: null }, errors: [{ path: ['xs'], code: F }] }, []],
  ['common clause met, a member readable', '{ xs { __typename } }', who.x, { data: { xs: { __typename: 'X' } } }, ['xs']],
];

describe('abstract return types: denied up front when no possible type is readable', () => {
  it.each(rows)('%s', async (_name, query, caller, expected, expectedCalls) => {
    const { schema, calls } = buildAbstractEntrySchema();
    expect(await run(authDirectiveTransformer(schema), query, caller)).toEqual(expected);
    expect(calls).toEqual(expectedCalls);
  });

  it.each<[string, DefaultPolicy, Principal | null, Outcome, string[]]>([
    ['deny by default, no member readable', 'deny', who.none, { data: { create: null }, errors: [{ path: ['create'], code: F }] }, []],
    ['deny by default, anonymous', 'deny', null, { data: { create: null }, errors: [{ path: ['create'], code: U }] }, []],
    ['deny by default, granted', 'deny', who.a, { data: { create: { __typename: 'A' } } }, ['create']],
  ])('%s', async (_name, defaultPolicy, caller, expected, expectedCalls) => {
    const { schema, calls } = buildAbstractEntrySchema();
    expect(await run(authDirectiveTransformer(schema, { defaultPolicy }), create, caller)).toEqual(expected);
    expect(calls).toEqual(expectedCalls);
  });
});

describe('abstract return types: subscriptions', () => {
  it.each<[string, string, Principal | null, Outcome, string[]]>([
    ['union, anonymous: the stream never opens', 'subscription { created { __typename } }', null,
      { data: null, errors: [{ path: ['created'], code: U }] }, []],
    ['union, no member readable: the stream never opens', 'subscription { created { __typename } }', who.none,
      { data: null, errors: [{ path: ['created'], code: F }] }, []],
    ['interface, no implementation readable: the stream never opens', 'subscription { createdI { __typename } }', who.none,
      { data: null, errors: [{ path: ['createdI'], code: F }] }, []],
    ['union, granted: events flow', 'subscription { created { __typename } }', who.a,
      { data: { created: { __typename: 'A' } } }, ['created']],
  ])('%s', async (_name, source, caller, expected, expectedOpened) => {
    const { schema: base, opened } = buildAbstractEntrySchema();
    const schema = authDirectiveTransformer(base);
    const result = await subscribe({ schema, document: parse(source), contextValue: createAuthContext(caller) });
    const first = Symbol.asyncIterator in result ? (await result[Symbol.asyncIterator]().next()).value as ExecutionResult : result;
    expect(outcome(first)).toEqual(expected);
    expect(opened).toEqual(expectedOpened);
  });
});
