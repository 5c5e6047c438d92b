/**
 * The error a denied field resolves with: a `GraphQLError` with `extensions.code`, built without
 * capturing a stack trace.
 *
 * Why not `new GraphQLError(…)`: its constructor captures a stack (twice: `super()` and
 * `Error.captureStackTrace`) and recomputes locations; measured at ≈20 µs per error, which is
 * what makes a field denied across a 10 000-item list 8× slower. `Error.stackTraceLimit = 0`
 * around the constructor still costs ≈8 µs. An object on `GraphQLError.prototype` with the same
 * own properties costs ≈30 ns, is `instanceof GraphQLError`, and serialises identically.
 *
 * It carries its `path`, so graphql-js keeps it as it is (`locatedError` only wraps errors
 * without a path) and puts it in `errors` unchanged.
 *
 * @see https://spec.graphql.org/October2021/#sec-Errors (message, locations, path, extensions)
 * @see DESIGN.md "Work happens once where it can" (a denial is cheap too)
 */
import { GraphQLError, type FieldNode, type SourceLocation } from 'graphql';
import { ForbiddenError, InsufficientUserAuthenticationError, UnauthenticatedError } from '../../errors.js';
import type { RequirementDescription } from '../schema/requirements.js';

/** The GraphQL `extensions.code` of each denial. */
export const DENIAL_CODES = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  insufficient_user_authentication: 'INSUFFICIENT_USER_AUTHENTICATION',
} as const;

/** A decision that denies. */
export type Denial = keyof typeof DENIAL_CODES;

// One source of the client-facing phrases: the domain errors of errors.ts.
const MESSAGES: Readonly<Record<Denial, string>> = {
  unauthenticated: new UnauthenticatedError().message,
  forbidden: new ForbiddenError().message,
  insufficient_user_authentication: new InsufficientUserAuthenticationError().message,
};

/** What the principal presented, shown in dev mode beside the requirement it failed. */
export interface PresentedCredentials {
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
}

/** The optional explanation of a FORBIDDEN denial, or what a step-up denial asks for (see `explainDenial`). */
export interface DenialDetails {
  readonly requirement?: RequirementDescription;
  readonly presented?: PresentedCredentials;
  /** RFC 9470 §3: the `acr` values to request, space-separated. */
  readonly acr_values?: string;
  /** RFC 9470 §3: the largest accepted age of the login, seconds. */
  readonly max_age?: number;
}

/** `extensions` of a denial: the code, and for FORBIDDEN optionally the explanation. */
export interface DenialExtensions extends DenialDetails {
  readonly code: (typeof DENIAL_CODES)[Denial];
  readonly [key: string]: unknown;
}

interface DenialFields {
  message: string;
  path: ReadonlyArray<string | number>;
  locations: readonly SourceLocation[] | undefined;
  extensions: DenialExtensions;
}

type DenialConstructor = new (message: string, path: ReadonlyArray<string | number>, extensions: DenialExtensions) => GraphQLError;

/**
 * Non-enumerable members of every denial, as `new GraphQLError` defines them: `name`,
 * `source`, `positions`, `originalError`, and a stack-less `stack`.
 */
const DENIAL_PROTOTYPE: object = Object.create(GraphQLError.prototype, {
  constructor: { value: GraphQLError, writable: true, configurable: true },
  name: { value: 'GraphQLError', writable: true, configurable: true },
  source: { value: undefined, writable: true, configurable: true },
  positions: { value: undefined, writable: true, configurable: true },
  originalError: { value: undefined, writable: true, configurable: true },
  // Apollo reads `stack` when it includes stack traces in responses: show the message only.
  stack: {
    get(this: DenialFields): string { return `GraphQLError: ${this.message}`; },
    set(this: object, value: unknown): void { Object.defineProperty(this, 'stack', { value, writable: true, configurable: true }); },
    configurable: true,
  },
});

// One constructor per field site: graphql-js shares a field's `fieldNodes` array across the
// items of a list, so `nodes` (non-enumerable) and `locations` live on the site's prototype
// and in the constructor, and a denial costs one small object (no defineProperty per item).
const sites = new WeakMap<readonly FieldNode[], DenialConstructor>();

function siteOf(nodes: readonly FieldNode[]): DenialConstructor {
  let Site = sites.get(nodes);
  if (Site !== undefined) return Site;
  const computed = new GraphQLError('', { nodes }).locations;
  const locations = computed === undefined ? undefined : Object.freeze(computed.map((l) => Object.freeze({ ...l })));
  // Own enumerable members are those `new GraphQLError` makes enumerable: message, path,
  // locations, extensions (in this order, so JSON and spreads look the same).
  function DenialError(this: DenialFields, message: string, path: ReadonlyArray<string | number>, extensions: DenialExtensions): void {
    this.message = message;
    this.path = path;
    this.locations = locations;
    this.extensions = extensions;
  }
  DenialError.prototype = Object.create(DENIAL_PROTOTYPE, {
    nodes: { value: nodes, writable: true, configurable: true },
  }) as object;
  Site = DenialError as unknown as DenialConstructor;
  sites.set(nodes, Site);
  return Site;
}

/**
 * Builds the located error of a denied field: `{ message, locations, path, extensions: { code,
 * requirement? } }` when serialised; `instanceof GraphQLError`.
 *
 * @example
 * ```ts
 * return createDenialError('forbidden', info.fieldNodes, pathToArray(info.path), { requirement: describeRequirement(requirement) });
 * ```
 */
export function createDenialError(
  denial: Denial,
  nodes: readonly FieldNode[],
  path: ReadonlyArray<string | number>,
  details?: DenialDetails,
): GraphQLError {
  const Site = siteOf(nodes);
  return new Site(MESSAGES[denial], path, denialExtensions(denial, details));
}

/** The client-facing message of a denial (the domain error's phrase). */
export function denialMessage(denial: Denial): string {
  return MESSAGES[denial];
}

/** `{ code, requirement?, presented? }`, with only the members that are set. */
export function denialExtensions(denial: Denial, details?: DenialDetails): DenialExtensions {
  if (details === undefined) return { code: DENIAL_CODES[denial] };
  return {
    code: DENIAL_CODES[denial],
    ...(details.requirement !== undefined ? { requirement: details.requirement } : {}),
    ...(details.presented !== undefined ? { presented: details.presented } : {}),
    ...(details.acr_values !== undefined ? { acr_values: details.acr_values } : {}),
    ...(details.max_age !== undefined ? { max_age: details.max_age } : {}),
  };
}

/**
 * The error of a denial found while resolving an abstract type, where the item's path is not
 * known: thrown without a path, graphql-js locates it at the item (and keeps `extensions`).
 */
export function createUnlocatedDenialError(denial: Denial, details?: DenialDetails): GraphQLError {
  return new GraphQLError(MESSAGES[denial], { extensions: denialExtensions(denial, details) });
}
