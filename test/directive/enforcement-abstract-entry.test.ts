/**
 * Fields returning an interface or union whose possible types are all guarded, differently,
 * under the `operation` and `dry-run` modes: the operation walk denies such a field when no
 * possible type is readable (even when nothing is selected for them), as the field guard does,
 * and a dry run reports it with the alternatives.
 */
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkOperation } from '../../src/directive/request/operation-walk.js';
import { planGuards } from '../../src/directive/schema/plan-guards.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { send } from '../helpers/http.js';
import { buildAbstractEntrySchema, who } from './abstract-entry-schema.js';
import { as, startHarness, type Harness } from './apollo-harness.js';

const ONLY_A = { allOf: [{ scopes: [['a']] }] };
const A_OR_B = { allOf: [], anyOf: [ONLY_A, { allOf: [{ scopes: [['b']] }] }] };
const SKIPPED = '{ ab { ... on A @skip(if: true) { a } } }';

describe('walkOperation: abstract return types', () => {
  const { schema } = buildAbstractEntrySchema();
  const plan = planGuards(schema, { defaultPolicy: 'allow' });
  it.each<[string, string, Principal | null, Array<[string[], string]>]>([
    ['nothing selected for the members, none readable', SKIPPED, who.none, [[['ab'], 'forbidden']]],
    ['nothing selected for the members, one readable', SKIPPED, who.b, []],
    ['mutation, anonymous', 'mutation { create { __typename } }', null, [[['create'], 'unauthenticated']]],
    ['interface mutation, no implementation readable', 'mutation { createI { id } }', who.none, [[['createI'], 'forbidden']]],
    ['nested, no member readable', '{ holder { ab { __typename } } }', who.none, [[['holder', 'ab'], 'forbidden']]],
    ['subscription, no member readable', 'subscription { created { __typename } }', who.none, [[['created'], 'forbidden']]],
    ['granted', 'mutation { create { ... on A { a } } }', who.a, []],
  ])('%s', (_name, query, caller, denied) => {
    const walk = walkOperation({ schema, plan, document: parse(query), principal: caller });
    expect(walk.denials.map((d) => [d.path, d.decision])).toEqual(denied);
  });
});

describe.each(['operation', 'dry-run'] as const)("mode: '%s' through Apollo Server", (mode) => {
  const { schema, calls } = buildAbstractEntrySchema();
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness(authDirectiveTransformer(schema, { mode }), { mode });
  });
  afterAll(async () => harness?.close());
  const post = (query: string, headers: Array<[string, string]>) =>
    send(harness.url, { headers: [['content-type', 'application/json'], ...headers], body: JSON.stringify({ query }) });

  const expected = {
    operation: {
      skipped: [403, 'Bearer error="insufficient_scope", scope="a"', {
        errors: [{ message: 'not authorized', locations: [{ line: 1, column: 3 }], path: ['ab'], extensions: { code: 'FORBIDDEN', requirement: A_OR_B } }],
      }, []],
      // `__typename` selects every member: the operation needs each one's scope.
      mutation: [403, 'Bearer error="insufficient_scope", scope="a b"', {
        errors: [{ message: 'not authorized', locations: [{ line: 1, column: 12 }], path: ['create'], extensions: { code: 'FORBIDDEN', requirement: A_OR_B } }],
      }, []],
    },
    'dry-run': {
      skipped: [200, undefined, { data: { ab: {} }, extensions: { authDryRun: [
        { path: ['ab'], code: 'FORBIDDEN', requirement: A_OR_B }, { path: ['ab'], code: 'FORBIDDEN', requirement: ONLY_A },
      ] } }, ['ab']],
      mutation: [200, undefined, { data: { create: { __typename: 'A' } }, extensions: { authDryRun: [
        { path: ['create'], code: 'FORBIDDEN', requirement: A_OR_B }, { path: ['create'], code: 'FORBIDDEN', requirement: ONLY_A },
      ] } }, ['create']],
    },
  }[mode];

  it.each([
    ['nothing selected for the members', SKIPPED, 'skipped'],
    ['a mutation returning the union', 'mutation { create { __typename } }', 'mutation'],
  ] as const)('%s, no member readable', async (_name, query, key) => {
    calls.length = 0;
    const res = await post(query, as('c'));
    expect([res.status, res.headers['www-authenticate'], res.json, calls]).toEqual(expected[key]);
  });
});
