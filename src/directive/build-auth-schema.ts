/**
 * `buildAuthSchema`: SDL and resolvers to a guarded schema in one call — the directive's SDL
 * added when the type definitions do not declare it, the executable schema built, `@auth`
 * applied — with build errors that say where `@auth` cannot go and what to do instead.
 *
 * @see DESIGN.md "Error model" (misconfiguration fails at startup, naming the place and the fix)
 */
import { mergeTypeDefs } from '@graphql-tools/merge';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { IExecutableSchemaDefinition } from '@graphql-tools/schema';
import { buildASTSchema, print, type GraphQLSchema } from 'graphql';
import { checkAuthSchema } from './schema/schema-checks.js';
import { AUTH_DIRECTIVE_SDL } from './schema/sdl.js';
import { authDirectiveTransformer, type AuthDirectiveOptions } from './transform.js';

/** Options of {@link buildAuthSchema}: the schema's definition and the transformer's options. */
export interface BuildAuthSchemaOptions extends AuthDirectiveOptions {
  readonly typeDefs: IExecutableSchemaDefinition['typeDefs'];
  readonly resolvers?: IExecutableSchemaDefinition['resolvers'];
}

/**
 * Builds an executable schema from SDL and resolvers and puts `@auth` in charge of it.
 *
 * graphql-js refuses `@auth` on an input type or an argument with "Directive "@auth" may not be
 * used on INPUT_OBJECT", naming a line but not the type; this names the type or field and the
 * fix, in one `AuthSchemaError` with every other `@auth` problem.
 *
 * @example
 * ```ts
 * const schema = buildAuthSchema({
 *   typeDefs: 'type Query { secret: String @auth(scopes: [["read:secret"]]) }',
 *   resolvers: { Query: { secret: () => 'swordfish' } },
 * });
 * ```
 * @throws {AuthSchemaError} `@auth`/`@public` misused (where, and the fix)
 * @see https://spec.graphql.org/October2021/#sec-Type-System.Directives (directive locations)
 */
export function buildAuthSchema(options: BuildAuthSchemaOptions): GraphQLSchema {
  const { typeDefs, resolvers, ...transformOptions } = options;
  return authDirectiveTransformer(makeAuthExecutableSchema({ typeDefs, resolvers }), transformOptions);
}

/**
 * The executable schema of {@link buildAuthSchema} before `@auth` is applied (for tools that
 * read the directives, such as the audit): the directive SDL added when missing, and a
 * misplaced `@auth` reported by type or field and fix.
 * @throws {AuthSchemaError} `@auth`/`@public` where the directive does not allow them
 */
export function makeAuthExecutableSchema({ typeDefs, resolvers }: Pick<BuildAuthSchemaOptions, 'typeDefs' | 'resolvers'>): GraphQLSchema {
  const sdl = print(mergeTypeDefs(typeDefs));
  const withDirective = /directive\s+@auth\b/.test(sdl) ? sdl : `${AUTH_DIRECTIVE_SDL}\n${sdl}`;
  try {
    return makeExecutableSchema({ typeDefs: withDirective, ...(resolvers ? { resolvers } : {}) });
  } catch (error) {
    // Built again without SDL validation only to explain the failure: a misplaced @auth is
    // reported by name; any other error is graphql-js's own.
    let unchecked: GraphQLSchema | undefined;
    try {
      unchecked = buildASTSchema(mergeTypeDefs(withDirective), { assumeValidSDL: true });
    } catch {
      throw error;
    }
    checkAuthSchema(unchecked);
    throw error;
  }
}
