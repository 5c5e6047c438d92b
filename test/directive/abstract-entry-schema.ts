/**
 * A schema whose interface and unions have possible types that are all guarded, each
 * differently: the fields returning them must be denied up front to a principal who may read
 * none of the possible types. Resolver calls and opened subscription streams are recorded.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { principal } from './fixtures.js';

export const ABSTRACT_ENTRY_SDL = /* GraphQL */ `
  type A @auth(scopes: [["a"]]) { a: String }
  type B @auth(scopes: [["b"]]) { b: String }
  union AB = A | B
  type X @auth(scopes: [["x"]]) { x: String }
  type XY @auth(scopes: [["x", "y"]]) { y: String }
  union XS = X | XY
  interface I { id: ID }
  type IA implements I @auth(roles: [["r1"]]) { id: ID }
  type IB implements I @auth(roles: [["r2"]]) { id: ID }
  type Holder { ab: AB }
  type Query { ab: AB i: [I] xs: XS holder: Holder open: String }
  type Mutation { create: AB createI: I }
  type Subscription { created: AB createdI: I }
`;

type Row = Record<string, unknown>;
const ITEM_A: Row = { kind: 'A', a: 'a1' };
const ITEM_IA: Row = { kind: 'IA', id: 'ia1' };
const kindOf = (value: Row): unknown => value['kind'];

/** Principals: `none` holds nothing of use, the others one possible type each. */
export const who = {
  none: principal({ scopes: ['c'], roles: ['r3'] }),
  a: principal({ scopes: ['a'] }),
  b: principal({ scopes: ['b'] }),
  x: principal({ scopes: ['x'] }),
  y: principal({ scopes: ['y'] }),
  r1: principal({ roles: ['r1'] }),
  r2: principal({ roles: ['r2'] }),
  admin: principal({ roles: ['admin'], isAdmin: true }),
};

/** Builds the untransformed schema; `calls` lists resolvers run, `opened` streams opened. */
export function buildAbstractEntrySchema(): { schema: GraphQLSchema; calls: string[]; opened: string[] } {
  const calls: string[] = [];
  const opened: string[] = [];
  const called = <T>(name: string, value: T): T => { calls.push(name); return value; };
  const stream = (name: string, value: Row) => async function* events() {
    opened.push(name);
    yield { [name]: value };
  };
  const schema = makeExecutableSchema({
    typeDefs: [AUTH_DIRECTIVE_SDL, ABSTRACT_ENTRY_SDL],
    resolvers: {
      Query: {
        ab: () => called('ab', ITEM_A),
        i: () => called('i', [ITEM_IA]),
        xs: () => called('xs', { kind: 'X', x: 'x1' }),
        holder: () => called('holder', {}),
        open: () => called('open', 'yes'),
      },
      Holder: { ab: () => called('holder.ab', ITEM_A) },
      Mutation: { create: () => called('create', ITEM_A), createI: () => called('createI', ITEM_IA) },
      Subscription: {
        created: { subscribe: stream('created', ITEM_A) },
        createdI: { subscribe: stream('createdI', ITEM_IA) },
      },
      AB: { __resolveType: kindOf },
      XS: { __resolveType: kindOf },
      I: { __resolveType: kindOf },
    },
  });
  return { schema, calls, opened };
}
