/**
 * A real Apollo Server on 127.0.0.1 port 0 over the library schema, for the enforcement-plugin
 * tests. The principal comes from a test header (`x-test-scopes`, `x-test-roles`): the token
 * layer is tested elsewhere, and these tests are about what the plugin does with a principal.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GraphQLSchema } from 'graphql';
import { createAuthContext, type AuthContext } from '../../src/directive/request/auth-context.js';
import { authEnforcementPlugin, type AuthEnforcementPluginOptions } from '../../src/directive/enforcement-plugin.js';
import { principal } from './fixtures.js';

/** A started server and how to stop it. */
export interface Harness {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts Apollo (batching on) with {@link authEnforcementPlugin} over `schema`. */
export async function startHarness(schema: GraphQLSchema, options: AuthEnforcementPluginOptions): Promise<Harness> {
  const server = new ApolloServer<AuthContext>({
    schema,
    allowBatchedHttpRequests: true,
    includeStacktraceInErrorResponses: false,
    plugins: [authEnforcementPlugin(options)],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => {
      const scopes = req.headers['x-test-scopes'];
      const roles = req.headers['x-test-roles'];
      if (typeof scopes !== 'string') return createAuthContext(null);
      const split = (value: string | undefined) => (value ? value.split(' ') : []);
      const roleList = split(typeof roles === 'string' ? roles : undefined);
      return createAuthContext(principal({ scopes: split(scopes), roles: roleList, isAdmin: roleList.includes('admin') }));
    },
  });
  return { url, close: () => server.stop() };
}

/** The test header pairs of a principal with these scopes and roles (none = anonymous). */
export function as(scopes?: string, roles?: string): Array<[string, string]> {
  if (scopes === undefined) return [];
  return [['x-test-scopes', scopes], ...(roles ? [['x-test-roles', roles] as [string, string]] : [])];
}
