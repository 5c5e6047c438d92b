import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { EnforcementOptions, GatepassConfig } from '../config/config.js';
import type { RevocationStore } from '../revocation/store.js';
import { buildAuthSchema } from '../directive/build-auth-schema.js';
import type { Logger } from '../logger.js';
import { createExampleResolvers, type ExampleRevocation } from './resolvers.js';
import { ExampleStore } from './store.js';

/** Where the example API's SDL lives (read at startup, so the file is the single source). */
export const EXAMPLE_SCHEMA_FILE = new URL('../../schema/example.graphql', import.meta.url);

/**
 * The example API, executable and guarded: `schema/example.graphql` + the `@auth` SDL, the
 * in-memory resolvers, and the `@auth` transformer applied once at build, in the configured
 * enforcement mode (`authEnforcementPlugin` does the rest of `operation` and `dry-run`).
 */
export function buildExampleSchema(options: {
  logger?: Logger;
  /** `mode`, `defaultPolicy`, `explainDenials` (`AUTH_ENFORCEMENT`, `AUTH_DEFAULT`, `AUTH_EXPLAIN_DENIALS`). */
  enforcement?: Partial<EnforcementOptions>;
  /** FORBIDDEN errors show the principal's scopes and roles (the reference server: dev mode only). */
  explainPresented?: boolean;
  store?: ExampleStore;
  revocation: ExampleRevocation;
  /** Where createPost/deletePost publish and subscriptions listen. @default an in-process PubSub */
  events?: PubSubEngine;
}): GraphQLSchema {
  return buildAuthSchema({
    typeDefs: readFileSync(EXAMPLE_SCHEMA_FILE, 'utf8'),
    resolvers: createExampleResolvers(options.store ?? new ExampleStore(), options.revocation, options.events),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.enforcement ?? {}),
    ...(options.explainPresented !== undefined ? { explainPresented: options.explainPresented } : {}),
  });
}

/**
 * The example API as the reference server serves it (`npm start`): the configured enforcement,
 * denials that show what was presented in dev mode only, and revocation mutations writing to
 * the server's store.
 *
 * @example
 * ```ts
 * const server = await createServer(config, { schema: exampleServerSchema });
 * ```
 */
export function exampleServerSchema(deps: { config: GatepassConfig; logger: Logger; revocation: RevocationStore; events?: PubSubEngine | undefined }): GraphQLSchema {
  const { config } = deps;
  return buildExampleSchema({
    logger: deps.logger,
    enforcement: config.enforcement,
    explainPresented: config.mode === 'dev',
    events: deps.events,
    // A token issued now may claim an iat up to the tolerance ahead, live the longest lifetime
    // and still pass for the tolerance after its exp: its revocation must outlast all three.
    revocation: { store: deps.revocation, retentionSeconds: config.token.maxTokenLifetimeSeconds + 2 * config.token.clockToleranceSeconds },
  });
}
