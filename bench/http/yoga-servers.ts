/**
 * The HTTP scenario's GraphQL Yoga servers: the example API on Yoga 5 with no authentication
 * (the Yoga baseline), and the same with the transformer and `useGatepass` over the dev issuer's
 * keys, so the ratio between the two is what gatepass costs a Yoga user.
 */
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { TokenPolicy } from '../../src/config/config.js';
import { devTokenPolicy, type DevIssuer } from '../../src/dev/dev-issuer.js';
import { createMemoryRevocationStore } from '../../src/revocation/memory-store.js';
import { useGatepass } from '../../src/server/yoga-plugin.js';
import { createTokenVerifier } from '../../src/token/verify.js';

/** `useGatepass` over a cached verifier of the dev issuer, as a Yoga user in dev mode wires it. */
export function devYogaPlugin(dev: DevIssuer, policy: TokenPolicy): Plugin<Record<string, unknown>> {
  const verifier = createTokenVerifier(devTokenPolicy(policy), { keySet: dev.keySet, revocation: createMemoryRevocationStore() });
  return useGatepass({ verifier }) as Plugin<Record<string, unknown>>;
}

/**
 * Starts Yoga (GraphiQL off, no request logging) on 127.0.0.1 port 0, with `plugins`.
 * @returns the GraphQL URL
 */
export async function startYogaServer(schema: GraphQLSchema, plugins: ReadonlyArray<Plugin<Record<string, unknown>>>): Promise<string> {
  const yoga = createYoga({ schema, plugins: [...plugins], graphiql: false, logging: false });
  const httpServer = createHttpServer(yoga);
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
}
