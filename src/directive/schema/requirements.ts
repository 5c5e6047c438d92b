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
import { internRequirement, type Clause, type ClauseInput, type Requirement, type RouterDirective } from './intern-requirement.js';
import { parseRouterDirective, routerDirectivesOf } from './router-directives.js';
import { AUTH_DIRECTIVE } from './sdl.js';

export type { Alternatives } from './auth-arguments.js';
export type { Clause, Requirement, RouterDirective } from './intern-requirement.js';

/** No requirement at all: anonymous callers pass. */
export const NO_REQUIREMENT: Requirement = internRequirement([]);

/** `@auth` with no arguments: an authenticated principal is required. */
export const AUTHENTICATED: Requirement = internRequirement([
  { scopes: undefined, roles: undefined, acr: undefined, maxAge: undefined, adminOverride: true },
]);

/**
 * Reads the `@auth` of one schema element (object, interface or field; from its AST nodes or
 * `extensions.directives`), and Apollo Router's `@authenticated`, `@requiresScopes` and
 * `@policy` (router-directives.ts), as a canonical {@link Requirement}. Several occurrences
 * (e.g. one on an `extend type`, or `@auth` beside `@requiresScopes`) are ANDed. None gives
 * {@link NO_REQUIREMENT}.
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
  const clauses: ClauseInput[] = [];
  for (const args of getDirective(schema, element, AUTH_DIRECTIVE) ?? []) {
    const parsed = parseAuthArguments(args ?? {});
    if (parsed.problems.length > 0) {
      throw new TypeError(`@auth on ${describeElement(element)}: ${parsed.problems.join('; ')}`);
    }
    clauses.push(parsed.value);
  }
  // Apollo Router's @authenticated / @requiresScopes / @policy add their clauses (AND).
  for (const use of routerDirectivesOf(schema, element)) {
    const parsed = parseRouterDirective(use);
    if (parsed.problems.length > 0) {
      throw new TypeError(`@${use.name} on ${describeElement(element)}: ${parsed.problems.join('; ')}`);
    }
    clauses.push(parsed.value);
  }
  return clauses.length === 0 ? NO_REQUIREMENT : internRequirement(clauses);
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
  /** `@policy` alternatives, which gatepass never grants. */
  readonly policies?: readonly (readonly string[])[];
  /** RFC 9470: acceptable `acr` values (any-of). */
  readonly acr?: readonly string[];
  /** RFC 9470: largest age of `auth_time`, seconds. */
  readonly maxAge?: number;
  readonly adminOverride?: false;
  /** The Apollo Router directive it was read from (absent for `@auth`). */
  readonly directive?: RouterDirective;
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
  /**
   * Federation's `_entities` (audit only): each representation is also checked against its
   * type, as every other path to that type is (plan-entities.ts).
   */
  readonly perRepresentation?: true;
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
    ...(clause.policies !== undefined ? { policies: clause.policies } : {}),
    ...(clause.acr !== undefined ? { acr: clause.acr } : {}),
    ...(clause.maxAge !== undefined ? { maxAge: clause.maxAge } : {}),
    ...(clause.adminOverride ? {} : { adminOverride: false as const }),
    ...(clause.directive !== undefined ? { directive: clause.directive } : {}),
  });
}

function describeElement(element: DirectableGraphQLObject): string {
  const name = (element as { name?: unknown }).name;
  return typeof name === 'string' ? name : 'a schema element';
}
