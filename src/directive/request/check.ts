/**
 * The pure decision: does this principal satisfy this requirement? No I/O, no logging, no
 * memo; the transformer memoises the result per (requirement, request).
 *
 * @see DESIGN.md "@auth semantics (the contract)"
 */
import type { Principal } from '../../token/principal.js';
import type { Alternatives, Requirement } from '../schema/requirements.js';
import { stepUpHolds } from './step-up.js';

/** Every outcome of {@link check}. */
export const DECISIONS = ['allow', 'allow-admin', 'unauthenticated', 'forbidden', 'insufficient_user_authentication'] as const;

/**
 * The outcome of {@link check}:
 * - `allow`: the principal satisfies every clause itself (or there is no requirement);
 * - `allow-admin`: it passes only because the admin override covered at least one clause;
 * - `unauthenticated`: a principal is required and there is none (`UNAUTHENTICATED`);
 * - `forbidden`: the principal lacks scopes or roles (`FORBIDDEN`);
 * - `insufficient_user_authentication`: it holds them, but its login is not strong or recent
 *   enough (`acr`, `maxAge`; RFC 9470).
 */
export type Decision = (typeof DECISIONS)[number];

/**
 * Decides `requirement` for `principal` (`null` = anonymous request).
 *
 * - No clauses: allow, even anonymous.
 * - No principal: unauthenticated. The admin override never stands in for authentication.
 * - Each clause must hold: one AND group of its `scopes` alternatives and one of its `roles`
 *   alternatives (both when both are given). Names are compared as whole strings through the
 *   principal's sets, never as substrings or prefixes.
 * - A clause the principal does not satisfy is still passed when `principal.isAdmin` (already
 *   computed from the configured admin role/scope) and the clause keeps `adminOverride`.
 * - Step-up (`acr`, `maxAge`) is checked after every scope and role (a stronger login would not
 *   help a caller who lacks them) and never waived by the admin override unless
 *   `principal.adminBypassesStepUp` (`AUTH_ADMIN_STEP_UP`). `nowSeconds` dates `maxAge`
 *   (default: the clock, read only when a clause has a step-up part).
 *
 * @example
 * ```ts
 * const requirement = combine(readRequirement(schema, userType), readRequirement(schema, emailField));
 * check(requirement, null); // 'unauthenticated'
 * check(requirement, principal); // 'allow' | 'allow-admin' | 'forbidden'
 * ```
 * @see RFC 6750 §3.1 (`insufficient_scope` is the token-level analogue of `forbidden`)
 */
export function check(requirement: Requirement, principal: Principal | null, nowSeconds?: number): Decision {
  const clauses = requirement.clauses;
  if (clauses.length === 0) return 'allow';
  if (principal === null) return 'unauthenticated';
  let byAdmin = false;
  let stepUp = true;
  for (const clause of clauses) {
    // The clock is read only for a step-up clause: most requirements never need it.
    if ((clause.acr !== undefined || clause.maxAge !== undefined) && !stepUpHolds(clause, principal, nowSeconds ?? Date.now() / 1000)) {
      if (principal.adminBypassesStepUp === true) byAdmin = true;
      else stepUp = false;
    }
    // A `@policy` clause never holds: gatepass has no policy engine to grant it (fail closed).
    if (clause.policies === undefined && holds(clause.scopes, principal.scopes) && holds(clause.roles, principal.roles)) continue;
    if (clause.adminOverride && principal.isAdmin) {
      byAdmin = true;
      continue;
    }
    return 'forbidden';
  }
  if (!stepUp) return 'insufficient_user_authentication';
  return byAdmin ? 'allow-admin' : 'allow';
}

/**
 * Decides an `anyOf` with `decide` (the caller's per-request memo): `allow` as soon as one
 * alternative allows, `allow-admin` when only the admin override admits, else `unauthenticated`
 * without a principal, `forbidden` with one.
 */
export function decideAnyOf(anyOf: readonly Requirement[], decide: (requirement: Requirement) => Decision): Decision {
  let admin = false;
  let forbidden = false;
  let stepUp = false;
  for (const requirement of anyOf) {
    const decision = decide(requirement);
    if (decision === 'allow') return 'allow';
    if (decision === 'allow-admin') admin = true;
    else if (decision === 'forbidden') forbidden = true;
    else if (decision === 'insufficient_user_authentication') stepUp = true;
  }
  // A stronger login would admit at least one alternative: say so rather than "forbidden".
  return admin ? 'allow-admin' : stepUp ? 'insufficient_user_authentication' : forbidden ? 'forbidden' : 'unauthenticated';
}

function holds(alternatives: Alternatives | undefined, granted: ReadonlySet<string>): boolean {
  if (alternatives === undefined) return true;
  for (const group of alternatives) {
    if (holdsAll(group, granted)) return true;
  }
  return false;
}

function holdsAll(group: readonly string[], granted: ReadonlySet<string>): boolean {
  for (const name of group) {
    if (!granted.has(name)) return false;
  }
  return true;
}
