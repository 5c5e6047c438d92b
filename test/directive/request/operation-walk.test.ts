/**
 * The static walk of `operation` enforcement: which selected fields the guards would deny, by
 * response path, for fragments, abstract types, aliases, @include/@skip and operation names;
 * and the scopes an `insufficient_scope` challenge names.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { scopesForChallenge } from '../../../src/directive/request/challenge-scopes.js';
import { walkOperation } from '../../../src/directive/request/operation-walk.js';
import { planGuards } from '../../../src/directive/schema/plan-guards.js';
import type { Principal } from '../../../src/token/principal.js';
import { principal } from '../fixtures.js';
import { buildLibrarySchema } from '../library-schema.js';

const { schema } = buildLibrarySchema();
const plan = planGuards(schema, { defaultPolicy: 'allow' });
const walk = (query: string, who: Principal | null, variableValues?: Record<string, unknown>, operationName?: string) => {
  const result = walkOperation({ schema, plan, document: parse(query), principal: who, variableValues, operationName });
  return { denied: result.denials.map((d) => [d.path, d.decision]), scope: scopesForChallenge(result.requirements, who) };
};

const reader = principal({ scopes: ['read:user'] });
const writer = principal({ scopes: ['write:post'] });
const admin = principal({ roles: ['admin'], isAdmin: true });
const U = 'unauthenticated';
const F = 'forbidden';

type Row = [name: string, query: string, who: Principal | null, denied: Array<[string[], string]>, scope: string];

describe('walkOperation', () => {
  it.each<Row>([
    ['nothing guarded', '{ hello posts { title } }', null, [], ''],
    ['outermost denial only: one path for a denied list', '{ users { id email } }', null, [[['users'], U]], 'read:user read:email'],
    ['type + field: the field', '{ user(id: "u1") { name email } }', reader, [[['user', 'email'], F]], 'read:user read:email'],
    ['AND group named whole', '{ user(id: "u1") { phone } }', reader, [[['user', 'phone'], F]], 'read:user read:email read:phone'],
    ['alternative the principal holds is the one named', '{ user(id: "u1") { handle } }', principal({ scopes: ['read:user', 'read:handle'] }), [], 'read:user read:handle'],
    ['aliases give the response path', '{ a: user(id: "u1") { name } b: user(id: "u2") { mail: email } }', reader, [[['b', 'mail'], F]], 'read:user read:email'],
    ['named fragment', '{ users { ...F } } fragment F on User { name email }', reader, [[['users', 'email'], F]], 'read:user read:email'],
    ['nested fragments', '{ posts { ...P } } fragment P on Post { author { ...U } } fragment U on User { email }', reader, [[['posts', 'author', 'email'], F]], 'read:user read:email'],
    ['union: fragment on the guarded member', '{ search { ... on User { name } } }', null, [[['search'], U]], 'read:user'],
    ['union: only the unguarded member selected', '{ search { ... on Post { title } } }', null, [], ''],
    ['union: __typename selects every member', '{ search { __typename } }', null, [[['search'], U]], 'read:user'],
    ['union: field under the member', '{ search { ... on User { email } } }', reader, [[['search', 'email'], F]], 'read:user read:email'],
    ['interface: one error per path, whatever the types', '{ node(id: "u1") { id } }', null, [[['node'], U]], 'read:user'],
    ['interface: fragment on an unguarded implementation', '{ node(id: "p1") { ... on Post { title } } }', null, [], ''],
    ['interface field @auth carried to the implementation', '{ posts { auditTrail } }', reader, [[['posts', 'auditTrail'], F]], 'read:audit'],
    ['mutation', 'mutation { createPost(title: "x") { title } }', reader, [[['createPost'], F]], 'write:post'],
    ['mutation: role missing, no scope to name', 'mutation { deletePost(id: "p1") }', writer, [[['deletePost'], F]], 'write:post'],
    ['admin passes', '{ users { email salary } }', admin, [], 'read:user read:email read:pay'],
    ['adminOverride: false still denies admin', '{ vault { gold } }', admin, [[['vault'], F]], ''],
    ['introspection is never guarded', '{ __schema { queryType { name } } __typename }', null, [], ''],
  ])('%s', (_name, query, who, denied, scope) => {
    expect(walk(query, who)).toEqual({ denied, scope });
  });

  it.each([
    ['@include(if: $show) false', { show: false }, []],
    ['@include(if: $show) true', { show: true }, [[['users', 'email'], F]]],
    ['variable default applies', {}, [[['users', 'email'], F]]],
  ])('%s', (_name, variables, denied) => {
    const query = 'query ($show: Boolean = true) { users { id email @include(if: $show) phone @skip(if: true) } }';
    expect(walk(query, reader, variables).denied).toEqual(denied);
  });

  it.each([
    ['A', []],
    ['B', [[['me'], U]]],
  ])('walks only the named operation %s', (name, denied) => {
    expect(walk('query A { hello } query B { me { id } }', null, {}, name).denied).toEqual(denied);
  });

  it.each([
    ['an unknown operation name', '{ me { id } }', {}, 'Nope'],
    ['variables that do not coerce (execution refuses them)', 'query ($id: ID!) { user(id: $id) { id } }', {}, undefined],
  ])('walks nothing for %s', (_name, query, variables, operationName) => {
    expect(walk(query, null, variables, operationName).denied).toEqual([]);
  });
});
