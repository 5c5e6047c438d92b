/**
 * A principal as users build one by hand: plain arrays are shaped once at the boundary, and a
 * malformed one fails there with a clear error, never as "granted.has is not a function" per field.
 */
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildAuthSchema } from '../../../src/directive/build-auth-schema.js';
import { createAuthContext } from '../../../src/directive/request/auth-context.js';

const schema = buildAuthSchema({
  typeDefs: 'type Query { open: String secret: String @auth(scopes: [["read:secret"]]) staff: String @auth(roles: [["staff"]]) }',
  resolvers: { Query: { open: () => 'o', secret: () => 's', staff: () => 'st' } },
});
const run = async (contextValue: unknown) => {
  const result = await graphql({ schema, source: '{ open secret staff }', contextValue });
  return { data: result.data, errors: result.errors?.map((e) => [e.path?.join('.'), e.extensions['code']]) };
};

describe('plain-data principals', () => {
  it.each<[string, unknown, unknown]>([
    ['createAuthContext with arrays', createAuthContext({ scopes: ['read:secret'], roles: [] }),
      { data: { open: 'o', secret: 's', staff: null }, errors: [['staff', 'FORBIDDEN']] }],
    ['createAuthContext with a scope string', createAuthContext({ subject: 'u1', scopes: 'x read:secret', roles: ['staff'] }),
      { data: { open: 'o', secret: 's', staff: 'st' }, errors: undefined }],
    ['a hand-built context without decisions', { principal: { scopes: [], roles: ['staff'] } },
      { data: { open: 'o', secret: null, staff: 'st' }, errors: [['secret', 'FORBIDDEN']] }],
    ['a hand-built context with decisions', { principal: { scopes: ['read:secret'] }, decisions: new Map() },
      { data: { open: 'o', secret: 's', staff: null }, errors: [['staff', 'FORBIDDEN']] }],
    ['the default admin role', createAuthContext({ roles: ['admin'] }),
      { data: { open: 'o', secret: 's', staff: 'st' }, errors: undefined }],
    ['isAdmin: false beats the admin role', createAuthContext({ roles: ['admin'], isAdmin: false }),
      { data: { open: 'o', secret: null, staff: null }, errors: [['secret', 'FORBIDDEN'], ['staff', 'FORBIDDEN']] }],
  ])('%s', async (_name, context, expected) => {
    expect(await run(context)).toEqual(expected);
  });

  it.each<[string, unknown]>([
    ['scopes as a number', { scopes: 42 }],
    ['roles with a non-string', { roles: ['a', 1] }],
  ])('refuses %s at createAuthContext, naming the member', (_name, principal) => {
    expect(() => createAuthContext(principal as never)).toThrow(TypeError);
    expect(() => createAuthContext(principal as never)).toThrow(/principal\.(scopes|roles) must be an array of strings.*toPrincipal/);
  });
});
