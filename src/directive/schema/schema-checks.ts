/**
 * Validation of `@auth`, `@public` and Apollo Router's `@authenticated` / `@requiresScopes` /
 * `@policy` when the schema is built: every problem is collected and
 * reported at once (one error naming each type and field), warnings go to the log.
 *
 * SDL validation already refuses `@auth` where its locations do not allow it, but schemas are
 * also built by other means (code-first `extensions.directives`, `assumeValidSDL`), so the
 * placement is checked again here on every schema element.
 *
 * @see DESIGN.md "Error model" (misconfiguration fails at startup, all problems at once)
 */
import {
  isEnumType, isInputObjectType, isInterfaceType, isIntrospectionType, isObjectType, isScalarType, isUnionType,
  type GraphQLSchema,
} from 'graphql';
import { getDirective, type DirectableGraphQLObject } from '@graphql-tools/utils';
import type { Logger } from 'pino';
import { silentLogger } from '../../logger.js';
import { parseAuthArguments } from './auth-arguments.js';
import { declarationProblems } from './directive-declarations.js';
import { flatListWarnings } from './flat-list-warnings.js';
import { parseRouterDirective, routerDirectivesOf } from './router-directives.js';
import { AUTH_DIRECTIVE, PUBLIC_DIRECTIVE } from './sdl.js';

/** One finding of {@link checkAuthSchema}, named by schema coordinate (`User.email`). */
export interface SchemaProblem {
  readonly severity: 'error' | 'warning';
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`. */
  readonly coordinate: string;
  readonly message: string;
}

/** The schema uses `@auth` / `@public` wrongly; `problems` lists every error found. */
export class AuthSchemaError extends Error {
  /** Stable code, like the domain errors of errors.ts. */
  readonly code = 'ERR_AUTH_SCHEMA';
  readonly problems: readonly SchemaProblem[];

  constructor(problems: readonly SchemaProblem[]) {
    super(`invalid @auth usage in the schema:\n${problems.map((p) => `  - ${p.coordinate}: ${p.message}`).join('\n')}`);
    this.name = 'AuthSchemaError';
    this.problems = problems;
  }
}

/**
 * Checks every use of `@auth` and `@public` in `schema`; throws {@link AuthSchemaError} listing
 * all errors, logs and returns the warnings (a flat list of several scopes, which means OR).
 *
 * @example
 * ```ts
 * const warnings = checkAuthSchema(schema, { logger }); // throws AuthSchemaError on errors
 * ```
 * @see https://spec.graphql.org/October2021/#sec-List.Input-Coercion
 */
export function checkAuthSchema(schema: GraphQLSchema, options: { logger?: Logger } = {}): readonly SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const report = (coordinate: string, message: string): void => {
    problems.push({ severity: 'error', coordinate, message });
  };
  const has = (element: DirectableGraphQLObject, name: string): boolean =>
    (getDirective(schema, element, name)?.length ?? 0) > 0;
  const misplaced = (element: DirectableGraphQLObject, coordinate: string, what: string, fix: string, router = true): void => {
    for (const name of [AUTH_DIRECTIVE, PUBLIC_DIRECTIVE]) {
      if (has(element, name)) report(coordinate, `@${name} is not allowed on ${what} (${fix})`);
    }
    if (!router) return;
    for (const use of routerDirectivesOf(schema, element)) report(coordinate, `@${use.name} is not allowed on ${what} (${fix})`);
  };
  /** Reads `@auth` and the Router directives; true when either guards the element. */
  const readAuth = (element: DirectableGraphQLObject, coordinate: string): boolean => {
    const occurrences = getDirective(schema, element, AUTH_DIRECTIVE) ?? [];
    for (const args of occurrences) {
      for (const message of parseAuthArguments(args ?? {}).problems) report(coordinate, `@auth ${message}`);
    }
    const uses = routerDirectivesOf(schema, element);
    for (const use of uses) {
      for (const message of parseRouterDirective(use).problems) report(coordinate, `@${use.name} ${message}`);
    }
    problems.push(...flatListWarnings(element, coordinate, [AUTH_DIRECTIVE, ...uses.map((use) => use.name)]));
    return occurrences.length > 0 || uses.length > 0;
  };
  const guarded = (element: DirectableGraphQLObject): boolean =>
    has(element, AUTH_DIRECTIVE) || routerDirectivesOf(schema, element).length > 0;

  problems.push(...declarationProblems(schema));
  // Code-first schemas can put directives on the schema object itself, which no guard reads:
  // refused rather than silently ignored (root types take `@auth` instead).
  misplaced(schema, 'schema', 'the schema', 'put it on the root types');

  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      const typeGuarded = readAuth(type, type.name);
      const inheritedGuard = type.getInterfaces().some(guarded);
      if (isInterfaceType(type) && has(type, PUBLIC_DIRECTIVE)) report(type.name, '@public is not allowed on an interface');
      if (isObjectType(type) && has(type, PUBLIC_DIRECTIVE) && (typeGuarded || inheritedGuard)) {
        report(type.name, '@public on a type guarded by @auth (remove one of them)');
      }
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const fieldGuarded = readAuth(field, coordinate);
        if (has(field, PUBLIC_DIRECTIVE)) {
          const interfaceFieldGuarded = type.getInterfaces().some((i) => {
            const inherited = i.getFields()[field.name];
            return inherited !== undefined && guarded(inherited);
          });
          if (isInterfaceType(type)) report(coordinate, '@public is not allowed on an interface field (mark the object fields)');
          else if (typeGuarded || inheritedGuard) report(coordinate, `@public inside ${type.name}, which is guarded by @auth`);
          else if (fieldGuarded || interfaceFieldGuarded) report(coordinate, '@public on a field guarded by @auth');
        }
        for (const arg of field.args) misplaced(arg, `${coordinate}(${arg.name}:)`, 'an argument', `guard ${coordinate} instead`);
      }
    } else if (isInputObjectType(type)) {
      misplaced(type, type.name, 'an input type', 'guard the fields that take it');
      for (const field of Object.values(type.getFields())) misplaced(field, `${type.name}.${field.name}`, 'an input field', 'guard the fields that take its type');
    } else if (isEnumType(type)) {
      // The Router's directives may guard an enum or a scalar (every field returning it); @auth may not.
      misplaced(type, type.name, 'an enum', 'guard the fields that return it', false);
      readAuth(type, type.name);
      for (const value of type.getValues()) misplaced(value, `${type.name}.${value.name}`, 'an enum value', 'guard the fields that return the enum');
    } else if (isUnionType(type)) {
      misplaced(type, type.name, 'a union', 'guard its member types');
    } else if (isScalarType(type)) {
      misplaced(type, type.name, 'a scalar', 'guard the fields that return it', false);
      readAuth(type, type.name);
    }
  }

  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new AuthSchemaError(errors);
  const warnings = problems.filter((p) => p.severity === 'warning');
  const logger = options.logger ?? silentLogger();
  for (const warning of warnings) logger.warn({ coordinate: warning.coordinate }, warning.message);
  return warnings;
}
