/**
 * Apollo Router's authorization directives, read as gatepass requirements: `@authenticated`,
 * `@requiresScopes(scopes: [[federation__Scope!]!]!)` and `@policy(policies: …)`, under the
 * names a schema gives them through `@link` (imported, renamed with `as`, or namespaced
 * `federation__requiresScopes`), so a schema written for the Router is guarded unchanged.
 *
 * - `@authenticated` is `@auth` without arguments: a verified principal.
 * - `@requiresScopes(scopes: S)` is `@auth(scopes: S, adminOverride: false)`: the same
 *   OR-of-AND lists, and no admin override, since the Router has none — the subgraph called
 *   directly decides as the Router would.
 * - `@policy(policies: P)` is evaluated by a Router coprocessor that gatepass does not have: it is
 *   read as a clause that is never granted (fail closed) and shown as unsupported by the audit.
 *
 * @see https://www.apollographql.com/docs/graphos/routing/security/authorization
 * @see https://specs.apollo.dev/authenticated/v0.1, https://specs.apollo.dev/requiresScopes/v0.1
 */
import type { GraphQLSchema } from 'graphql';
import { getDirective, getDirectives, type DirectableGraphQLObject } from '@graphql-tools/utils';
import { readAlternatives } from './auth-arguments.js';
import type { ClauseInput } from './intern-requirement.js';

/** The Router directives gatepass reads, by their spec names. */
export const ROUTER_DIRECTIVES = ['authenticated', 'requiresScopes', 'policy'] as const;

/** One of {@link ROUTER_DIRECTIVES}. */
export type RouterDirectiveKind = (typeof ROUTER_DIRECTIVES)[number];

/** A Router directive found on a schema element, under the name the schema uses. */
export interface RouterDirectiveUse {
  /** As written in the schema (`requiresScopes`, `federation__requiresScopes`, an `as` alias). */
  readonly name: string;
  readonly kind: RouterDirectiveKind;
  readonly args: Readonly<Record<string, unknown>>;
}

// The spec URLs that define these directives: the federation spec (v2.5+) and each one's own.
const SPEC_URL = /^https:\/\/specs\.apollo\.dev\/(federation|authenticated|requiresScopes|policy)\/v\d+\.\d+$/;
const names = new WeakMap<GraphQLSchema, ReadonlyMap<string, RouterDirectiveKind>>();
const ARGUMENT: Readonly<Record<RouterDirectiveKind, string | undefined>> = { authenticated: undefined, requiresScopes: 'scopes', policy: 'policies' };

/**
 * The names under which `schema` uses the Router directives: their plain names (unless declared
 * with other arguments), plus what its `@link`s import, rename or namespace. Computed once per
 * schema.
 */
export function routerDirectiveNames(schema: GraphQLSchema): ReadonlyMap<string, RouterDirectiveKind> {
  let known = names.get(schema);
  if (known !== undefined) return known;
  // A plain name is the Router's unless the schema declares a directive of that name with other
  // arguments (its own `@policy(name:)`, say), which is left alone.
  const map = new Map<string, RouterDirectiveKind>(ROUTER_DIRECTIVES.filter((kind) => {
    const declared = schema.getDirective(kind);
    return declared === undefined || declared === null || declared.args.map((arg) => arg.name).join() === (ARGUMENT[kind] ?? '');
  }).map((kind) => [kind, kind]));
  const links = schema.getDirective('link') ? (getDirective(schema, schema, 'link') ?? []) : [];
  for (const link of links) {
    const spec = SPEC_URL.exec(String(link?.['url']))?.[1];
    if (spec === undefined) continue;
    const namespace = typeof link?.['as'] === 'string' ? link['as'] : spec;
    // Not imported, a directive is `@namespace__name`; a spec's own directive is `@namespace`.
    for (const kind of ROUTER_DIRECTIVES) {
      if (spec === 'federation') map.set(`${namespace}__${kind}`, kind);
      else if (spec === kind) map.set(namespace, kind);
    }
    const imports: unknown[] = Array.isArray(link?.['import']) ? link['import'] : [];
    for (const entry of imports) {
      const { name, as } = typeof entry === 'string' ? { name: entry, as: entry } : (entry as { name?: unknown; as?: unknown });
      const kind = ROUTER_DIRECTIVES.find((candidate) => `@${candidate}` === name);
      if (kind !== undefined) map.set(String(as ?? name).replace(/^@/, ''), kind);
    }
  }
  known = map;
  names.set(schema, known);
  return known;
}

/** The Router directives on one schema element (object, interface, field, scalar, enum, …). */
export function routerDirectivesOf(schema: GraphQLSchema, element: DirectableGraphQLObject): RouterDirectiveUse[] {
  const known = routerDirectiveNames(schema);
  const uses: RouterDirectiveUse[] = [];
  for (const { name, args } of getDirectives(schema, element)) {
    const kind = known.get(name);
    if (kind !== undefined) uses.push({ name, kind, args: (args ?? {}) as Record<string, unknown> });
  }
  return uses;
}

/**
 * Reads one Router directive as a clause, strictly: an unknown argument, an empty list or an
 * empty group is a problem (as for `@auth`), never a silently weaker requirement.
 */
export function parseRouterDirective(use: RouterDirectiveUse): { value: ClauseInput; problems: string[] } {
  const problems: string[] = [];
  const expected = ARGUMENT[use.kind];
  for (const name of Object.keys(use.args)) {
    if (name !== expected) problems.push(`unknown argument "${name}"`);
  }
  if (expected !== undefined && use.args[expected] === undefined) problems.push(`${expected}: required`);
  const alternatives = expected === undefined ? undefined : readAlternatives(expected, use.args[expected], problems);
  const none = { scopes: undefined, roles: undefined, adminOverride: true };
  if (use.kind === 'authenticated') return { value: none, problems };
  if (use.kind === 'requiresScopes') {
    return { value: { ...none, scopes: alternatives ?? [], adminOverride: false, directive: 'requiresScopes' }, problems };
  }
  return { value: { ...none, policies: alternatives ?? [], adminOverride: false, directive: 'policy' }, problems };
}
