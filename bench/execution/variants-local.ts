/**
 * The execution scenario's variants that need no third-party auth library: no enforcement (the
 * baseline), gatepass's transformer, and a bare `mapSchema` wrapper (the lean floor).
 */
import { GraphQLError, defaultFieldResolver, execute, type DocumentNode, type ExecutionResult, type GraphQLFieldResolver } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { AUTH_DIRECTIVE_SDL } from '../../src/directive/schema/sdl.js';
import { authDirectiveTransformer, type AuthDirectiveOptions } from '../../src/directive/transform.js';
import { createAuthContext } from '../../src/directive/request/auth-context.js';
import type { Principal } from '../../src/token/principal.js';
import { READ_EMAIL, READ_USER, buildScenarioSchema, gatepassAnnotation, noAnnotation } from './schema.js';

/** One way of enforcing the scenario's rules. */
export interface ExecutionVariant {
  /** Short id used in results files and tables. */
  readonly id: string;
  /** What the table prints. */
  readonly label: string;
  /**
   * The timed operation: one execution of `document` for `principal`, with a fresh per-request
   * context, as a server would run it.
   */
  operation(document: DocumentNode, principal: Principal): () => ExecutionResult | Promise<ExecutionResult>;
}

/** No enforcement at all: the denominator of every ratio. */
export function baselineVariant(): ExecutionVariant {
  const schema = buildScenarioSchema(noAnnotation);
  return {
    id: 'baseline',
    label: 'no enforcement (baseline)',
    operation: (document, principal) => () => execute({ schema, document, contextValue: { principal } }) as ExecutionResult,
  };
}

/**
 * gatepass: `authDirectiveTransformer` over the `@auth`-annotated schema, context from
 * `createAuthContext(principal)`, fresh for each execution.
 */
export function gatepassVariant(options: AuthDirectiveOptions = {}): ExecutionVariant {
  const schema = authDirectiveTransformer(buildScenarioSchema(gatepassAnnotation, AUTH_DIRECTIVE_SDL), options);
  return {
    id: 'gatepass',
    label: 'gatepass',
    operation: (document, principal) => () =>
      execute({ schema, document, contextValue: createAuthContext(principal) }) as ExecutionResult,
  };
}

/**
 * The lean floor: `mapSchema` wraps each guarded field's resolver (Query.users and every User
 * field: `read:user`; User.email: also `read:email`), checks scopes on every call, and throws a
 * new `GraphQLError` when denied. No memo, no up-front planning: the least a wrapper can do.
 */
export function leanFloorVariant(): ExecutionVariant {
  const rules: Record<string, readonly string[]> = {
    'Query.users': [READ_USER],
    'User.id': [READ_USER],
    'User.name': [READ_USER],
    'User.email': [READ_USER, READ_EMAIL],
    'User.handle': [READ_USER],
  };
  const schema = mapSchema(buildScenarioSchema(noAnnotation), {
    [MapperKind.OBJECT_FIELD]: (config, fieldName, typeName) => {
      const scopes = rules[`${typeName}.${fieldName}`];
      if (!scopes) return config;
      const resolve = (config.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, { principal: Principal | null }>;
      return {
        ...config,
        resolve(source, args, context, info) {
          const principal = context.principal;
          if (principal === null) throw new GraphQLError('Unauthenticated', { extensions: { code: 'UNAUTHENTICATED' } });
          for (const scope of scopes) {
            if (!principal.scopes.has(scope)) throw new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN' } });
          }
          return resolve(source, args, context, info);
        },
      };
    },
  });
  return {
    id: 'lean',
    label: 'bare mapSchema wrapper (lean floor)',
    operation: (document, principal) => () => execute({ schema, document, contextValue: { principal } }) as ExecutionResult,
  };
}
