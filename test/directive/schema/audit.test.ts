/**
 * The coverage audit: effective requirements after type, interface and return-type
 * propagation, anonymous reachability along paths, unprotected mutations, and the text form.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { describe, expect, it } from 'vitest';
import { auditSchema } from '../../../src/directive/schema/audit.js';
import { formatRequirement } from '../../../src/directive/schema/format-requirement.js';
import type { RequirementDescription } from '../../../src/directive/schema/requirements.js';
import { AUTH_DIRECTIVE_SDL } from '../../../src/directive/schema/sdl.js';
import { buildLibrarySchema } from '../library-schema.js';

const rowsOf = (sdl: string, defaultPolicy: 'allow' | 'deny' = 'allow') =>
  auditSchema(makeExecutableSchema({ typeDefs: [AUTH_DIRECTIVE_SDL, sdl] }), { defaultPolicy }).fields.map(
    (row) => [row.coordinate, formatRequirement(row.description), row.anonymousReachable, row.unprotectedMutation],
  );

describe('auditSchema', () => {
  it('rows of the library schema (every rule once)', () => {
    const rows = auditSchema(buildLibrarySchema().schema).fields;
    const pick = (coordinate: string) => {
      const row = rows.find((r) => r.coordinate === coordinate);
      return row && [formatRequirement(row.description), row.anonymousReachable, row.unprotectedMutation];
    };
    expect(Object.fromEntries(['Query.hello', 'Query.users', 'Query.me', 'Query.search', 'Query.secret', 'User.handle', 'User.salary',
      'Post.auditTrail', 'Post.author', 'Agent.codename', 'Vault.gold', 'Mutation.deletePost', 'Subscription.postCreated'].map((c) => [c, pick(c)]))).toEqual({
      'Query.hello': ['none', true, false],
      'Query.users': ['read:user', false, false], // return-type propagation
      'Query.me': ['read:user', false, false], // authenticated is implied by read:user
      'Query.search': ['none', true, false], // what every member needs: Post needs nothing
      'Query.secret': ['role agent', false, false], // interface @auth
      'User.handle': ['(read:email OR read:handle) AND read:user', false, false], // type + field
      'User.salary': ['read:pay AND role hr AND read:user', false, false],
      'Post.auditTrail': ['read:audit', false, false], // interface field @auth carried over
      'Post.author': ['read:user', false, false],
      'Agent.codename': ['role agent', false, false],
      'Vault.gold': ['role banker (no admin override)', false, false],
      'Mutation.deletePost': ['write:post AND role moderator', false, false],
      'Subscription.postCreated': ['read:post', false, false],
    });
  });

  it.each([
    ['anonymous reach follows unguarded paths only', `
      type Open { a: String }
      type Closed { b: String }
      type Query { open: Open closed: Closed @auth }`,
    'allow', [
      ['Query.open', 'none', true, false], ['Query.closed', 'authenticated', false, false],
      ['Open.a', 'none', true, false], ['Closed.b', 'none', false, false],
    ]],
    ['unprotected mutations are flagged', `
      type Query { a: String }
      type Mutation { reset: Boolean save: Boolean @auth(scopes: [["w"]]) }`,
    'allow', [
      ['Query.a', 'none', true, false], ['Mutation.reset', 'none', true, true], ['Mutation.save', 'w', false, false],
    ]],
    ["deny by default: nothing anonymous but @public", `
      type Query { a: String @public b: String }
      type Mutation { reset: Boolean }`,
    'deny', [
      ['Query.a', 'none', true, false], ['Query.b', 'authenticated', false, false], ['Mutation.reset', 'authenticated', false, false],
    ]],
    ['union members reached anonymously when unguarded', `
      type A { a: String } type B @auth { b: String } union U = A | B
      type Query { u: [U] }`,
    'allow', [
      ['Query.u', 'none', true, false], ['A.a', 'none', true, false], ['B.b', 'authenticated', false, false],
    ]],
    ['a field returning an abstract type whose members all require something else: any of them', `
      type A @auth(scopes: [["a"]]) { a: String } type B @auth(scopes: [["b"]]) { b: String } union AB = A | B
      interface I { id: ID } type IA implements I @auth(roles: [["r1"]]) { id: ID } type IB implements I @auth(roles: [["r2"]]) { id: ID }
      type Query { i: [I] }
      type Mutation { create: AB save: AB @auth(scopes: [["w"]]) }`,
    'allow', [
      ['Query.i', 'any of: role r1 | role r2', false, false],
      ['Mutation.create', 'any of: a | b', false, false], ['Mutation.save', 'w AND (any of: a | b)', false, false],
      ['A.a', 'a', false, false], ['B.b', 'b', false, false], ['IA.id', 'role r1', false, false], ['IB.id', 'role r2', false, false],
    ]],
  ] as const)('%s', (_name, sdl, policy, expected) => {
    expect(rowsOf(sdl, policy)).toEqual(expected);
  });
});

describe('formatRequirement', () => {
  it.each<[RequirementDescription, string]>([
    [{ allOf: [] }, 'none'],
    [{ allOf: [{}] }, 'authenticated'],
    [{ allOf: [{ scopes: [['a', 'b']] }] }, 'a AND b'],
    [{ allOf: [{ scopes: [['a'], ['b', 'c']] }] }, 'a OR (b AND c)'],
    [{ allOf: [{ scopes: [['a'], ['b']], roles: [['r']] }] }, '(a OR b) AND role r'],
    [{ allOf: [{ roles: [['r'], ['s']], adminOverride: false }] }, 'role r OR role s (no admin override)'],
    [{ allOf: [], anyOf: [{ allOf: [{ scopes: [['a']] }] }, { allOf: [{ scopes: [['b', 'c']] }] }] }, 'any of: a | b AND c'],
    [{ allOf: [{ scopes: [['w']] }], anyOf: [{ allOf: [{ scopes: [['a']] }] }, { allOf: [{ roles: [['r']] }] }] }, 'w AND (any of: a | role r)'],
  ])('%j → %s', (description, text) => {
    expect(formatRequirement(description)).toBe(text);
  });
});
