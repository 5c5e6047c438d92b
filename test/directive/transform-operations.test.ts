/**
 * Mutations and subscriptions: a denied mutation has no side effect, a denied subscription
 * never opens its event stream.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer } from '../../src/directive/transform.js';
import type { Principal } from '../../src/token/principal.js';
import { outcome, principal, run, type Outcome } from './fixtures.js';
import { guardedLibrarySchema } from './library-schema.js';

const writer = principal({ scopes: ['write:post'] });
const moderator = principal({ scopes: ['write:post'], roles: ['moderator'] });

describe('mutations', () => {
  it.each([
    ['anonymous', 'mutation { createPost(title: "x") { title } }', null, { data: { createPost: null }, errors: [{ path: ['createPost'], code: 'UNAUTHENTICATED' }] }, []],
    ['lacking the scope', 'mutation { createPost(title: "x") { title } }', principal({ scopes: ['read:post'] }), { data: { createPost: null }, errors: [{ path: ['createPost'], code: 'FORBIDDEN' }] }, []],
    ['scope without the role', 'mutation { deletePost(id: "p1") }', writer, { data: { deletePost: null }, errors: [{ path: ['deletePost'], code: 'FORBIDDEN' }] }, []],
    ['role without the scope', 'mutation { deletePost(id: "p1") }', principal({ roles: ['moderator'] }), { data: { deletePost: null }, errors: [{ path: ['deletePost'], code: 'FORBIDDEN' }] }, []],
    ['granted', 'mutation { createPost(title: "x") { title } }', writer, { data: { createPost: { title: 'x' } } }, ['createPost']],
    ['scope and role granted', 'mutation { deletePost(id: "p1") }', moderator, { data: { deletePost: true } }, ['deletePost']],
  ] as Array<[string, string, Principal | null, Outcome, string[]]>)('%s', async (_name, query, who, expected, expectedCalls) => {
    const { schema, calls } = guardedLibrarySchema();
    expect(await run(schema, query, who)).toEqual(expected);
    expect(calls).toEqual(expectedCalls); // a denied resolver never ran: no side effect
  });
});

describe('subscriptions', () => {
  const build = () => {
    const opened: string[] = [];
    const schema = authDirectiveTransformer(makeExecutableSchema({
      typeDefs: [AUTH_DIRECTIVE_SDL, /* GraphQL */ `
        type Post { title: String }
        type Query { hello: String }
        type Subscription {
          postCreated: Post @auth(scopes: [["read:post"]])
          tick: Int
        }`],
      resolvers: {
        Subscription: {
          postCreated: {
            subscribe: async function* () { opened.push('postCreated'); yield { postCreated: { title: 'new' } }; },
          },
          tick: { subscribe: async function* () { opened.push('tick'); yield { tick: 1 }; } },
        },
      },
    }));
    return { schema, opened };
  };

  const first = async (who: Principal | null, source: string): Promise<Outcome> => {
    const { schema } = build();
    const result = await subscribe({ schema, document: parse(source), contextValue: createAuthContext(who) });
    if (Symbol.asyncIterator in result) {
      const next = await result[Symbol.asyncIterator]().next();
      return outcome(next.value as ExecutionResult);
    }
    return outcome(result);
  };

  it.each([
    ['anonymous: refused before the stream opens', null, { data: null, errors: [{ path: ['postCreated'], code: 'UNAUTHENTICATED' }] }],
    ['lacking the scope', principal(), { data: null, errors: [{ path: ['postCreated'], code: 'FORBIDDEN' }] }],
    ['granted: events flow', principal({ scopes: ['read:post'] }), { data: { postCreated: { title: 'new' } } }],
  ] as Array<[string, Principal | null, Outcome]>)('%s', async (_name, who, expected) => {
    expect(await first(who, 'subscription { postCreated { title } }')).toEqual(expected);
  });

  it('guards subscribe itself: a denied stream is never opened', async () => {
    const { schema, opened } = build();
    await subscribe({ schema, document: parse('subscription { postCreated { title } }'), contextValue: createAuthContext(null) });
    const result = await subscribe({ schema, document: parse('subscription { tick }'), contextValue: createAuthContext(null) });
    expect(Symbol.asyncIterator in result).toBe(true);
    if (Symbol.asyncIterator in result) await result[Symbol.asyncIterator]().next();
    expect(opened).toEqual(['tick']);
  });
});
