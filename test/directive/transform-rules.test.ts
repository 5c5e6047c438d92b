/**
 * The @auth contract of DESIGN.md, one table row per rule: whole results are compared (data,
 * each error's path and code).
 */
import { describe, expect, it } from 'vitest';
import { principal, run, type Outcome } from './fixtures.js';
import { guardedLibrarySchema } from './library-schema.js';
import type { Principal } from '../../src/token/principal.js';

const anon = null;
const reader = principal({ scopes: ['read:user'] });
const emailReader = principal({ scopes: ['read:user', 'read:email'] });
const phoneReader = principal({ scopes: ['read:user', 'read:email', 'read:phone'] });
const handleReader = principal({ scopes: ['read:user', 'read:handle'] });
const nearMiss = principal({ scopes: ['read:users', 'read:user:all', 'read', 'READ:USER'] });
const payOnly = principal({ scopes: ['read:user', 'read:pay'] });
const hr = principal({ scopes: ['read:user', 'read:pay'], roles: ['hr'] });
const agent = principal({ roles: ['agent'] });
const nobody = principal();

const U = 'UNAUTHENTICATED';
const F = 'FORBIDDEN';

type Row = [name: string, query: string, who: Principal | null, expected: Outcome];

const rows: Row[] = [
  // @auth with no arguments: any principal.
  ['no-arg @auth, anonymous', '{ me { id } }', anon, { data: { me: null }, errors: [{ path: ['me'], code: U }] }],
  ['no-arg @auth + User type, principal without read:user', '{ me { id } }', nobody, { data: { me: null }, errors: [{ path: ['me'], code: F }] }],
  ['no-arg @auth + User type, reader', '{ me { id } }', reader, { data: { me: { id: 'u1' } } }],
  ['unguarded field, anonymous', '{ hello }', anon, { data: { hello: 'world' } }],
  // Return type checked up front: one error at the list, never one per item.
  ['denied list: one error at ["users"]', '{ users { id name email } }', anon, { data: { users: null }, errors: [{ path: ['users'], code: U }] }],
  ['denied list, principal lacking the type scope', '{ users { id } }', nobody, { data: { users: null }, errors: [{ path: ['users'], code: F }] }],
  ['__typename alone reveals nothing', '{ user(id: "u1") { __typename } }', anon, { data: { user: null }, errors: [{ path: ['user'], code: U }] }],
  ['nested list [[User]]: one error', '{ userGrid { id } }', anon, { data: { userGrid: null }, errors: [{ path: ['userGrid'], code: U }] }],
  ['nested list, field denied per item', '{ userGrid { email } }', reader, {
    data: { userGrid: [[{ email: null }, { email: null }], [null, { email: null }]] },
    errors: [
      { path: ['userGrid', 0, 0, 'email'], code: F }, { path: ['userGrid', 0, 1, 'email'], code: F },
      { path: ['userGrid', 1, 1, 'email'], code: F },
    ],
  }],
  ['guarded type below an unguarded one', '{ posts { title author { name } } }', anon, {
    data: { posts: [{ title: 'Hello', author: null }] }, errors: [{ path: ['posts', 0, 'author'], code: U }],
  }],
  // Type + field intersect (AND), never override.
  ['type scope alone does not grant a field scope', '{ user(id: "u1") { name email } }', reader, {
    data: { user: { name: 'Ann', email: null } }, errors: [{ path: ['user', 'email'], code: F }],
  }],
  ['field scope alone does not grant the type', '{ user(id: "u1") { email } }', principal({ scopes: ['read:email'] }), {
    data: { user: null }, errors: [{ path: ['user'], code: F }],
  }],
  ['type + field granted', '{ user(id: "u1") { email } }', emailReader, { data: { user: { email: 'ann@x' } } }],
  // Alternatives of AND groups.
  ['AND group: one of two', '{ user(id: "u1") { phone } }', emailReader, { data: { user: { phone: null } }, errors: [{ path: ['user', 'phone'], code: F }] }],
  ['AND group: both', '{ user(id: "u1") { phone } }', phoneReader, { data: { user: { phone: '555' } } }],
  ['alternatives: first', '{ user(id: "u1") { handle } }', emailReader, { data: { user: { handle: '@ann' } } }],
  ['alternatives: second', '{ user(id: "u1") { handle } }', handleReader, { data: { user: { handle: '@ann' } } }],
  ['alternatives: neither', '{ user(id: "u1") { handle } }', reader, { data: { user: { handle: null } }, errors: [{ path: ['user', 'handle'], code: F }] }],
  ['whole strings only (no prefix, substring or case folding)', '{ user(id: "u1") { id } }', nearMiss, { data: { user: null }, errors: [{ path: ['user'], code: F }] }],
  // Scopes and roles both given: both must hold.
  ['scopes + roles: scope only', '{ user(id: "u1") { salary } }', payOnly, { data: { user: { salary: null } }, errors: [{ path: ['user', 'salary'], code: F }] }],
  ['scopes + roles: both', '{ user(id: "u1") { salary } }', hr, { data: { user: { salary: '1' } } }],
  // Interfaces and their fields carry to implementing types.
  ['interface @auth guards the implementing type', '{ agents { codename } }', nobody, { data: { agents: null }, errors: [{ path: ['agents'], code: F }] }],
  ['interface @auth satisfied', '{ agents { codename } }', agent, { data: { agents: [{ codename: 'Nightjar' }] } }],
  ['field returning a guarded interface: checked up front', '{ secret { __typename } }', anon, { data: { secret: null }, errors: [{ path: ['secret'], code: U }] }],
  ['interface field @auth carries to the object field', '{ posts { title auditTrail } }', anon, {
    data: { posts: [{ title: 'Hello', auditTrail: null }] }, errors: [{ path: ['posts', 0, 'auditTrail'], code: U }],
  }],
  // Abstract return types: the concrete type is checked per item, before any field.
  ['node(id:) of a guarded type', '{ node(id: "u1") { id } }', anon, { data: { node: null }, errors: [{ path: ['node'], code: U }] }],
  ['node(id:) __typename only', '{ node(id: "u1") { __typename } }', nobody, { data: { node: null }, errors: [{ path: ['node'], code: F }] }],
  ['node(id:) of an unguarded type', '{ node(id: "p1") { id ... on Post { title } } }', anon, { data: { node: { id: 'p1', title: 'Hello' } } }],
  ['node(id:) granted', '{ node(id: "u1") { ... on User { name } } }', reader, { data: { node: { name: 'Ann' } } }],
  ['union: denied item is null with its own error', '{ search { __typename ... on User { name } ... on Post { title } } }', anon, {
    data: { search: [null, { __typename: 'Post', title: 'Hello' }] }, errors: [{ path: ['search', 0], code: U }],
  }],
  ['union: granted', '{ search { __typename ... on User { name } } }', reader, { data: { search: [{ __typename: 'User', name: 'Ann' }, { __typename: 'Post' }] } }],
  ['union: non-null item propagates by the GraphQL rules', '{ strictSearch { __typename } }', anon, { data: null, errors: [{ path: ['strictSearch', 0], code: U }] }],
  ['union: field @auth inside a fragment', '{ search { ... on User { email } } }', reader, {
    data: { search: [{ email: null }, {}] }, errors: [{ path: ['search', 0, 'email'], code: F }],
  }],
  // Aliases and named fragments.
  ['aliases are checked each', '{ a: user(id: "u1") { name } b: user(id: "u2") { email } }', reader, {
    data: { a: { name: 'Ann' }, b: { email: null } }, errors: [{ path: ['b', 'email'], code: F }],
  }],
  ['named fragment', '{ users { ...F } } fragment F on User { name email }', reader, {
    data: { users: [{ name: 'Ann', email: null }, { name: 'Bob', email: null }] },
    errors: [{ path: ['users', 0, 'email'], code: F }, { path: ['users', 1, 'email'], code: F }],
  }],
];

describe('@auth rules (authDirectiveTransformer)', () => {
  it.each(rows)('%s', async (_name, query, who, expected) => {
    const { schema } = guardedLibrarySchema();
    expect(await run(schema, query, who)).toEqual(expected);
  });

  it.each([
    ['@include(if: false) skips the guarded field', false, { data: { users: [{ id: 'u1' }, { id: 'u2' }] } }],
    ['@include(if: true) checks it', true, {
      data: { users: [{ id: 'u1', email: null }, { id: 'u2', email: null }] },
      errors: [{ path: ['users', 0, 'email'], code: F }, { path: ['users', 1, 'email'], code: F }],
    }],
  ] as const)('%s', async (_name, show, expected) => {
    const { schema } = guardedLibrarySchema();
    const query = 'query ($show: Boolean!) { users { id email @include(if: $show) @skip(if: false) } }';
    expect(await run(schema, query, reader, { show })).toEqual(expected);
  });

  it('never runs the resolver of a denied field (a denied list does not even fetch it)', async () => {
    const { schema, calls } = guardedLibrarySchema();
    await run(schema, '{ users { id } me { id } user(id: "u1") { __typename } hello }', anon);
    expect(calls).toEqual(['hello']);
  });
});
