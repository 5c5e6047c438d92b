import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse, type GraphQLSchema } from 'graphql';
import type { EnforcementOptions, GatepassConfig } from '../config/config.js';
import type { AuthContext } from '../directive/request/auth-context.js';
import { AUTH_DIRECTIVE_SDL } from '../directive/schema/sdl.js';
import { authDirectiveTransformer } from '../directive/transform.js';
import type { Logger } from '../logger.js';
import type { PostRecord, UserRecord } from './store.js';
import { ExampleStore } from './store.js';

/** Where the example subgraph's SDL lives (read at startup, so the file is the single source). */
export const EXAMPLE_SUBGRAPH_SCHEMA_FILE = new URL('../../schema/subgraph.graphql', import.meta.url);

/**
 * The example Federation subgraph, executable and guarded: `schema/subgraph.graphql` (Apollo
 * Router's directives, `@auth` beside them) through `@apollo/subgraph`'s `buildSubgraphSchema`,
 * over the example API's in-memory data, then `authDirectiveTransformer` once at build. Its
 * resolvers hold no authorization logic: `_entities` is guarded by the transformer, so a
 * `__resolveReference` runs only for a representation whose type the caller may read.
 *
 * @example
 * ```ts
 * const schema = buildExampleSubgraphSchema({ enforcement: { mode: 'field' } });
 * ```
 */
export function buildExampleSubgraphSchema(options: {
  logger?: Logger;
  /** `mode`, `defaultPolicy`, `explainDenials` (`AUTH_ENFORCEMENT`, `AUTH_DEFAULT`, `AUTH_EXPLAIN_DENIALS`). */
  enforcement?: Partial<EnforcementOptions>;
  /** FORBIDDEN errors show the principal's scopes and roles (the reference server: dev mode only). */
  explainPresented?: boolean;
  store?: ExampleStore;
} = {}): GraphQLSchema {
  const store = options.store ?? new ExampleStore();
  const byId = <T extends { readonly id: string }>(find: (id: string) => T | undefined) =>
    ({ id }: { id: string }): T | null => find(id) ?? null;
  const resolvers: GraphQLResolverMap<unknown> = {
    Query: {
      me: (_: unknown, __: unknown, context: unknown) => {
        const { principal } = context as AuthContext;
        return principal ? (store.users.get(principal.subject) ?? null) : null;
      },
      post: (_: unknown, { id }: { id: string }) => store.post(id) ?? null,
      posts: () => store.allPosts().filter((post) => !post.draft),
    },
    User: {
      __resolveReference: byId((id) => store.users.get(id)),
      posts: (user: UserRecord) => store.allPosts().filter((post) => post.authorId === user.id && !post.draft),
    },
    Post: {
      __resolveReference: byId((id) => store.post(id)),
      author: (post: PostRecord) => store.users.get(post.authorId) ?? null,
    },
    AuditEntry: { __resolveReference: byId((id) => store.auditLog().find((entry) => entry.id === id)) },
  };
  const schema = buildSubgraphSchema({
    typeDefs: parse(`${AUTH_DIRECTIVE_SDL}\n${readFileSync(EXAMPLE_SUBGRAPH_SCHEMA_FILE, 'utf8')}`),
    resolvers,
  });
  return authDirectiveTransformer(schema, {
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.enforcement ?? {}),
    ...(options.explainPresented !== undefined ? { explainPresented: options.explainPresented } : {}),
  });
}

/**
 * The example subgraph as `npm run subgraph` serves it: the configured enforcement, and denials
 * that show what was presented in dev mode only.
 *
 * @example
 * ```ts
 * const server = await createServer(config, { schema: exampleSubgraphServerSchema });
 * ```
 */
export function exampleSubgraphServerSchema(deps: { config: GatepassConfig; logger: Logger }): GraphQLSchema {
  return buildExampleSubgraphSchema({
    logger: deps.logger,
    enforcement: deps.config.enforcement,
    explainPresented: deps.config.mode === 'dev',
  });
}
