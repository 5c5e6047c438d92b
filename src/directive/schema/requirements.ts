/**
 * Reading `@auth` from a schema element into a {@link Requirement}, combining requirements, and
 * describing them. All of it happens once, when the schema is built; requests only compare
 * interned requirement objects.
 *
 * @see DESIGN.md "@auth semantics (the contract)", "Layout and house style" (reading is separate
 * from deciding)
 */
import type { GraphQLSchema } from 'graphql';
import { getDirective, type DirectableGraphQLObject } from '@graphql-tools/utils';
import { parseAuthArguments } from './auth-arguments.js';
import { internRequirement, type Clause, type Requirement } from './intern-requirement.js';
import { AUTH_DIRECTIVE } from './sdl.js';

export type { Alternatives } from './auth-arguments.js';
export type { Clause, Requirement } from './intern-requirement.js';

/** No requirement at all: anonymous callers pass. */
export const NO_REQUIREMENT: Requirement = internRequirement([]);

/** `@auth` with no arguments: an authenticated principal is required. */
export const AUTHENTICATED: Requirement = internRequirement([
  { scopes: undefined, roles: undefined, acr: undefined, maxAge: undefined, adminOverride: true },
]);

/**
 * Reads the `@auth` of one schema element (object, interface or field; from its AST nodes or
 * `extensions.directives`) as a canonical {@link Requirement}. Several occurrences (e.g. one on
 * an `extend type`) are ANDed. No `@auth` gives {@link NO_REQUIREMENT}.
 *
 * @throws TypeError when the arguments cannot be read (unknown argument, empty alternative, …);
 * the schema checks report those, all at once, before this runs.
 * @example
 * ```ts
 * const requirement = readRequirement(schema, schema.getType('User') as GraphQLObjectType);
 * describeRequirement(requirement); // { allOf: [{ scopes: [['read:user']] }] }
 * ```
 */
export function readRequirement(schema: GraphQLSchema, element: DirectableGraphQLObject): Requirement {
  const occurrences = getDirective(schema, element, AUTH_DIRECTIVE);
  if (occurrences === undefined || occurrences.length === 0) return NO_REQUIREMENT;
  const clauses = occurrences.map((args) => {
    const parsed = parseAuthArguments(args ?? {});
    if (parsed.problems.length > 0) {
      throw new TypeError(`@auth on ${describeElement(element)}: ${parsed.problems.join('; ')}`);
    }
    return parsed.value;
  });
  return internRequirement(clauses);
}

/**
 * ANDs requirements (field + its type + interfaces + interface fields + return type): the
 * result demands every clause of every input. Canonical, so the result is one shared object.
 *
 * @example
 * ```ts
 * combine(readRequirement(schema, userType), readRequirement(schema, emailField)) ===
 *   combine(readRequirement(schema, emailField), readRequirement(schema, userType)); // true
 * ```
 */
export function combine(...requirements: readonly Requirement[]): Requirement {
  const nonEmpty = requirements.filter((requirement) => requirement.clauses.length > 0);
  if (nonEmpty.length === 0) return NO_REQUIREMENT;
  if (nonEmpty.length === 1) return nonEmpty[0] as Requirement;
  return internRequirement(nonEmpty.flatMap((requirement) => requirement.clauses));
}

/** A clause as JSON: only the parts that constrain, `adminOverride` only when it is off. */
export interface ClauseDescription {
  readonly scopes?: readonly (readonly string[])[];
  readonly roles?: readonly (readonly string[])[];
  /** RFC 9470: acceptable `acr` values (any-of). */
  readonly acr?: readonly string[];
  /** RFC 9470: largest age of `auth_time`, seconds. */
  readonly maxAge?: number;
  readonly adminOverride?: false;
}

/**
 * A requirement as JSON: every entry of `allOf` must hold; `{}` is "authenticated";
 * `allOf: []` (and no `anyOf`) is no requirement.
 */
export interface RequirementDescription {
  readonly allOf: readonly ClauseDescription[];
  /**
   * And at least one of these: a field returning an interface or union whose possible types
   * require different things is denied when the principal may read none of them.
   */
  readonly anyOf?: readonly RequirementDescription[];
}

const descriptions = new WeakMap<Requirement, RequirementDescription>();

/**
 * The normalized, JSON-safe form of a requirement (frozen, computed once per requirement): what
 * FORBIDDEN errors carry in `extensions.requirement` and what a coverage audit prints.
 *
 * @example
 * ```ts
 * describeRequirement(requirement);
 * // { allOf: [{ scopes: [['read:user']] }, { scopes: [['read:email']], roles: [['staff']] }] }
 * ```
 */
export function describeRequirement(requirement: Requirement): RequirementDescription {
  let description = descriptions.get(requirement);
  if (description === undefined) {
    description = Object.freeze({ allOf: Object.freeze(requirement.clauses.map(describeClause)) });
    descriptions.set(requirement, description);
  }
  return description;
}

function describeClause(clause: Clause): ClauseDescription {
  return Object.freeze({
    ...(clause.scopes !== undefined ? { scopes: clause.scopes } : {}),
    ...(clause.roles !== undefined ? { roles: clause.roles } : {}),
    ...(clause.acr !== undefined ? { acr: clause.acr } : {}),
    ...(clause.maxAge !== undefined ? { maxAge: clause.maxAge } : {}),
    ...(clause.adminOverride ? {} : { adminOverride: false as const }),
  });
}

function describeElement(element: DirectableGraphQLObject): string {
  const name = (element as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'a schema element';
}
