/**
 * Works beyond Apollo: the same transformed schema gives the same whole result (data, errors
 * with message, locations, path, extensions) under plain `graphql()` and under Apollo Server.
 */
import { ApolloServer } from '@apollo/server';
import { graphql } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthContext, type AuthContext } from '../../src/directive/request/auth-context.js';
import type { Principal } from '../../src/token/principal.js';
import { principal } from './fixtures.js';
import { guardedLibrarySchema } from './library-schema.js';

const { schema } = guardedLibrarySchema();
const apollo = new ApolloServer<AuthContext>({ schema, includeStacktraceInErrorResponses: false });
afterAll(async () => apollo.stop());

const reader = principal({ scopes: ['read:user'] });
const admin = principal({ roles: ['admin'], isAdmin: true });

describe('plain graphql() and Apollo Server agree', () => {
  it.each([
    ['anonymous, denied list', '{ hello users { id } }', null],
    ['field denied per item', '{ users { name email } }', reader],
    ['union with a guarded member', '{ search { __typename ... on User { name } ... on Post { title } } }', null],
    ['non-null union item propagates', '{ strictSearch { __typename } }', null],
    ['interface up front', '{ secret { codename } node(id: "u1") { id } }', reader],
    ['admin, with an opt-out', '{ users { salary } vault { gold } }', admin],
    ['denied mutation', 'mutation { createPost(title: "x") { title } }', reader],
  ] as Array<[string, string, Principal | null]>)('%s', async (_name, source, who) => {
    const plain = JSON.parse(JSON.stringify(await graphql({ schema, source, contextValue: createAuthContext(who) })));
    const response = await apollo.executeOperation({ query: source }, { contextValue: createAuthContext(who) });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(JSON.parse(JSON.stringify(response.body.singleResult))).toEqual(plain);
  });
});
