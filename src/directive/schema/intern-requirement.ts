/**
 * The canonical, interned form of a requirement: equal requirements are one frozen object, so a
 * per-request decision memo can be a `Map` keyed by identity, and `combine` is cheap to compare.
 */
import type { Alternatives, AuthArguments } from './auth-arguments.js';

/** The Apollo Router directives a clause can be read from (`@authenticated` reads as `@auth`). */
export type RouterDirective = 'requiresScopes' | 'policy';

/** What {@link internRequirement} takes: `@auth`'s arguments, or a Router directive's. */
export interface ClauseInput extends AuthArguments {
  /** `@policy` names: gatepass cannot evaluate them, so they are never granted. */
  readonly policies?: Alternatives | undefined;
  /** The Router directive it was read from; absent for `@auth`. */
  readonly directive?: RouterDirective | undefined;
}

/**
 * One `@auth` (or Router directive) after normalisation: the principal must satisfy `scopes`
 * (one AND group of the alternatives) and `roles` (likewise). No scopes, roles or policies =
 * "authenticated".
 */
export interface Clause {
  readonly scopes: Alternatives | undefined;
  readonly roles: Alternatives | undefined;
  /** `@policy` alternatives: a clause that has them never holds (fail closed). */
  readonly policies: Alternatives | undefined;
  /** RFC 9470 step-up: the token's `acr` is one of these (sorted, unique). */
  readonly acr: readonly string[] | undefined;
  /** RFC 9470 step-up: `auth_time` at most this many seconds ago. */
  readonly maxAge: number | undefined;
  /** Whether an admin principal satisfies this clause without holding its scopes/roles. */
  readonly adminOverride: boolean;
  /** The Router directive the clause was read from, for descriptions; absent for `@auth`. */
  readonly directive: RouterDirective | undefined;
  /** Canonical text; equal keys mean equal clauses. */
  readonly key: string;
}

/**
 * A conjunction of clauses (every clause must hold), canonical and interned: the same effective
 * requirement is always the same object. No clauses = no requirement (anonymous allowed).
 */
export interface Requirement {
  readonly clauses: readonly Clause[];
  /** Canonical text; equal keys mean the same object. */
  readonly key: string;
}

// Bounded by the number of distinct requirements in the schemas built by this process.
const interned = new Map<string, Requirement>();

/**
 * Returns the one canonical {@link Requirement} equal to the conjunction of `clauses`.
 *
 * Canonical means: names sorted and unique within a group; a group that contains another group
 * dropped (a OR (a AND b) = a); `[[]]` (always true) read as "no constraint"; clauses implied by
 * another clause dropped (the bare "authenticated" clause is implied by every other); clauses
 * sorted by key.
 */
export function internRequirement(clauses: Iterable<ClauseInput | Clause>): Requirement {
  const unique = new Map<string, Clause>();
  for (const raw of clauses) {
    const clause = canonicalClause(raw);
    unique.set(clause.key, clause);
  }
  const all = [...unique.values()];
  const kept = all.filter((clause) => !all.some((other) => other !== clause && dominates(other, clause)));
  kept.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const key = JSON.stringify(kept.map((clause) => clause.key));
  const existing = interned.get(key);
  if (existing) return existing;
  const requirement: Requirement = Object.freeze({ clauses: Object.freeze(kept), key });
  interned.set(key, requirement);
  return requirement;
}

function canonicalClause(raw: ClauseInput | Clause): Clause {
  if ('key' in raw) return raw;
  const scopes = canonicalAlternatives(raw.scopes);
  const roles = canonicalAlternatives(raw.roles);
  const policies = canonicalAlternatives(raw.policies);
  const acr = raw.acr === undefined ? undefined : Object.freeze([...new Set(raw.acr)].sort());
  const maxAge = raw.maxAge;
  // "Authenticated" is one clause whichever directive said it (`@auth`, `@authenticated`), and
  // admin override is meaningless for it: an admin is authenticated anyway. (Step-up is not
  // waived by the override either way: check.ts asks the principal's adminBypassesStepUp.)
  const noNames = scopes === undefined && roles === undefined && policies === undefined;
  const adminOverride = noNames ? true : raw.adminOverride;
  const directive = noNames && acr === undefined && maxAge === undefined ? undefined : raw.directive;
  // Router and step-up parts join the key only when set, each tagged: keys (and interned
  // objects) of plain `@auth` clauses stay as they were.
  const parts: unknown[] = [scopes ?? null, roles ?? null, adminOverride];
  if (policies !== undefined || directive !== undefined) parts.push('router', policies ?? null, directive ?? null);
  if (acr !== undefined || maxAge !== undefined) parts.push('step-up', acr ?? null, maxAge ?? null);
  const key = JSON.stringify(parts);
  return Object.freeze({ scopes, roles, policies, acr, maxAge, adminOverride, directive, key });
}

function canonicalAlternatives(raw: Alternatives | undefined): Alternatives | undefined {
  if (raw === undefined) return undefined;
  const groups = raw.map((group) => [...new Set(group)].sort());
  const minimal = groups.filter(
    (group, i) => !groups.some((other, j) => isSubset(other, group) && (other.length < group.length || j < i)),
  );
  if (minimal.some((group) => group.length === 0)) return undefined; // an empty AND group always holds
  minimal.sort((a, b) => a.length - b.length || compareGroups(a, b));
  return Object.freeze(minimal.map((group) => Object.freeze(group)));
}

/** True when `a` ⇒ `b` and `b` is the one to drop (ties between equivalent clauses keep the lower key). */
function dominates(a: Clause, b: Clause): boolean {
  if (!clauseImplies(a, b)) return false;
  return !clauseImplies(b, a) || a.key < b.key;
}

/**
 * Whether every principal that satisfies `a` satisfies `b` (admin passes included).
 * Conservative: false when unsure, which only keeps a redundant clause.
 */
export function clauseImplies(a: Clause, b: Clause): boolean {
  // An admin passing `a` by override must also pass `b` by override.
  if (a.adminOverride && !b.adminOverride && (a.scopes !== undefined || a.roles !== undefined)) return false;
  return alternativesImply(a.scopes, b.scopes) && alternativesImply(a.roles, b.roles) && alternativesImply(a.policies, b.policies) && stepUpImplies(a, b);
}

/** RFC 9470: an `acr` among `a`'s is among `b`'s, and an age within `a.maxAge` is within `b.maxAge`. */
function stepUpImplies(a: Clause, b: Clause): boolean {
  const acr = b.acr === undefined || (a.acr !== undefined && a.acr.every((value) => b.acr!.includes(value)));
  const age = b.maxAge === undefined || (a.maxAge !== undefined && a.maxAge <= b.maxAge);
  return acr && age;
}

/** Whether every principal that satisfies `a` satisfies `b`: each clause of `b` follows from one of `a`. */
export function requirementImplies(a: Requirement, b: Requirement): boolean {
  return b.clauses.every((needed) => a.clauses.some((held) => clauseImplies(held, needed)));
}

function alternativesImply(a: Alternatives | undefined, b: Alternatives | undefined): boolean {
  if (b === undefined) return true;
  if (a === undefined) return false;
  // Each way of satisfying `a` must contain some way of satisfying `b`.
  return a.every((groupA) => b.some((groupB) => isSubset(groupB, groupA)));
}

function isSubset(small: readonly string[], big: readonly string[]): boolean {
  return small.every((name) => big.includes(name));
}

function compareGroups(a: readonly string[], b: readonly string[]): number {
  const left = JSON.stringify(a);
  const right = JSON.stringify(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
