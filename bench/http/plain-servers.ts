/**
 * The HTTP scenario's comparison servers, built in the bench from the reference server's own
 * parts (Apollo Server 5, the same request listener, the same example API) so that exactly one
 * thing differs from `createServer`: how (or whether) a token is checked.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { jwtVerify } from 'jose';
import type { TokenPolicy } from '../../src/config/config.js';
import { createAuthContext, type AuthContext } from '../../src/directive/request/auth-context.js';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { buildExampleSchema, EXAMPLE_SCHEMA_FILE } from '../../src/example/build-example-schema.js';
import { createExampleResolvers } from '../../src/example/resolvers.js';
import { ExampleStore } from '../../src/example/store.js';
import { silentLogger } from '../../src/logger.js';
import { devTokenPolicy, type DevIssuer } from '../../src/dev/dev-issuer.js';
import { extractBearerToken } from '../../src/token/extract.js';
import { toPrincipal } from '../../src/token/principal.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { createTokenVerifier } from '../../src/token/verify.js';
import { createAuthContextFunction, type ContextRequest } from '../../src/server/context.js';
import { createRequestListener } from '../../src/server/http-handler.js';
import { credentialsOf } from '../../src/server/node-credentials.js';

/** The example API with its `@auth` directives left inert: no transformer applied. */
export function unguardedExampleSchema(): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [AUTH_DIRECTIVE_SDL, readFileSync(EXAMPLE_SCHEMA_FILE, 'utf8')],
    resolvers: createExampleResolvers(new ExampleStore(), { store: createMemoryRevocationStore(), retentionSeconds: 86_400 }),
  });
}

/** The example API behind gatepass's transformer, as the reference server builds it. */
export function guardedExampleSchema(): GraphQLSchema {
  return buildExampleSchema({ revocation: { store: createMemoryRevocationStore(), retentionSeconds: 86_400 } });
}

/**
 * A context function that verifies with plain jose on every request: `jwtVerify` against the
 * dev issuer's key set with issuer and audience, then `toPrincipal`. No cache, no gatepass
 * checks beyond jose's: the "plain jose verification" the cache-miss target compares with.
 */
export function plainJoseContext(dev: DevIssuer, policy: TokenPolicy): (input: ContextRequest) => Promise<AuthContext> {
  return async ({ req }) => {
    const token = extractBearerToken(credentialsOf(req));
    if (token === null) return createAuthContext(null);
    const { payload } = await jwtVerify(token, dev.keySet, { issuer: dev.issuer, audience: dev.audience, algorithms: ['ES256'] });
    return createAuthContext(toPrincipal(payload, policy));
  };
}

/** gatepass's own context function over a verifier whose cache is off (`cache: false`). */
export function uncachedGatepassContext(dev: DevIssuer, policy: TokenPolicy): (input: ContextRequest) => Promise<AuthContext> {
  const devPolicy = devTokenPolicy(policy);
  const verifier = createTokenVerifier(devPolicy, { keySet: dev.keySet, cache: false, revocation: createMemoryRevocationStore() });
  return createAuthContextFunction({ verifier });
}

/** No token check at all: every request is anonymous (the no-authentication baseline). */
export const anonymousContext = async (): Promise<AuthContext> => createAuthContext(null);

/**
 * Starts Apollo + the reference request listener with `context`, on 127.0.0.1 port 0. No
 * gatepass plugin: `createServer`'s enforcement plugin re-plans an untransformed schema on
 * every request (see the bench report), which would slow the baseline down.
 * @returns the GraphQL URL
 */
export async function startPlainServer(
  context: (input: ContextRequest) => Promise<AuthContext>,
  schema: GraphQLSchema = guardedExampleSchema(),
): Promise<string> {
  const apollo = new ApolloServer<AuthContext>({ schema, logger: silentLogger() });
  await apollo.start();
  const httpServer = createHttpServer(createRequestListener({ apollo, context, routes: {}, logger: silentLogger() }));
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
}
