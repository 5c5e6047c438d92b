/**
 * No leak, whatever the operation: for random principals and random operations over the
 * example schema (selections, aliases, named and inline fragments on the union and the
 * interface, @include/@skip), plain `graphql()` never returns a value the principal may not
 * read, as judged by the coverage audit + `check` (test/directive/no-leak-oracle.ts).
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import fc from 'fast-check';
import { graphql, parse, validate, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { auditSchema } from '../../src/directive/schema/audit.js';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { EXAMPLE_SCHEMA_FILE, buildExampleSchema } from '../../src/example/build-example-schema.js';
import { createExampleResolvers } from '../../src/example/resolvers.js';
import { ExampleStore } from '../../src/example/store.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { principal } from './fixtures.js';
import { createOracle } from './no-leak-oracle.js';
import { operationArbitrary } from './random-operation.js';

const SCOPES = ['read:user', 'read:email', 'read:phone', 'read:handle', 'write:post', 'admin'];
const ROLES = ['admin', 'moderator'];
const revocation = { store: createMemoryRevocationStore(), retentionSeconds: 60 };

// The token layer's default: the admin role or the admin scope makes an admin.
const principalArbitrary = fc.option(
  fc.record({ scopes: fc.subarray(SCOPES), roles: fc.subarray(ROLES) }).map(({ scopes, roles }) =>
    principal({ scopes, roles, isAdmin: roles.includes('admin') || scopes.includes('admin'), subject: 'u1' })),
  { nil: null },
);

async function leaks(schema: GraphQLSchema, oracleOf: ReturnType<typeof createOracle>, source: string, include: boolean, who: ReturnType<typeof principal> | null) {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]); // the generator writes valid operations only
  const variableValues = { inc: include };
  const result = await graphql({ schema, source, variableValues, contextValue: createAuthContext(who) });
  const codes = (result.errors ?? []).map((e) => e.extensions['code']);
  return { violations: oracleOf(result.data, document, variableValues, who), unexpectedErrors: codes.filter((c) => c !== 'FORBIDDEN' && c !== 'UNAUTHENTICATED') };
}

describe.each(['allow', 'deny'] as const)('no leak (defaultPolicy %s)', (defaultPolicy) => {
  const schema = buildExampleSchema({ revocation, enforcement: { defaultPolicy } });
  const oracle = createOracle(schema, auditSchema(schema, { defaultPolicy }));

  it('never returns a value the principal may not read', async () => {
    await fc.assert(
      fc.asyncProperty(principalArbitrary, operationArbitrary(schema), fc.boolean(), async (who, source, include) => {
        expect(await leaks(schema, oracle, source, include, who)).toEqual({ violations: [], unexpectedErrors: [] });
      }),
      { numRuns: 200, interruptAfterTimeLimit: 20_000 },
    );
  }, 60_000);
});

describe('the oracle', () => {
  // Without the transformer every guarded value comes back: the oracle must see it.
  const unguarded = makeExecutableSchema({
    typeDefs: [AUTH_DIRECTIVE_SDL, readFileSync(EXAMPLE_SCHEMA_FILE, 'utf8')],
    resolvers: createExampleResolvers(new ExampleStore(), revocation),
  });
  const oracle = createOracle(unguarded, auditSchema(unguarded));

  it.each([
    ['a guarded list', '{ users { name } }', null, [
      '$.users: Query.users',
      '$.users.0: a User', '$.users.0.name: User.name', '$.users.1: a User', '$.users.1.name: User.name', '$.users.2: a User', '$.users.2.name: User.name',
    ]],
    ['a field scope', '{ u: user(id: "u1") { name e: email } }', principal({ scopes: ['read:user'] }), ['$.u.e: User.email']],
    ['a union member', '{ search(text: "alice") { __typename ... on User { id } } }', null, ['$.search.0: a User', '$.search.0.id: User.id']],
  ])('catches a leak through %s', async (_name, source, who, expected) => {
    expect((await leaks(unguarded, oracle, source, true, who)).violations).toEqual(expected);
  });
});
