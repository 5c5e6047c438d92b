/**
 * Step-up authentication (RFC 9470): is the user's login strong enough (`acr`) and recent enough
 * (`auth_time`) for a clause, and what must a client ask its authorization server for when not.
 * @see RFC 9470 §3 (the challenge: `acr_values`, `max_age`), §4 (`acr`, `auth_time` in tokens)
 */
import type { Principal } from '../../token/principal.js';
import type { Clause } from '../schema/requirements.js';

/** What a client must request: RFC 9470 §3's `acr_values` (space-separated) and `max_age`. */
export interface StepUpParameters {
  /** Acceptable `acr` values, space-separated; absent when any `acr` will do. */
  readonly acr_values?: string;
  /** Largest accepted age of the login, seconds; absent when any age will do. */
  readonly max_age?: number;
}

/**
 * Whether `principal`'s login satisfies a clause's `acr` and `maxAge`. A missing `acr` never
 * satisfies an `acr` list; a missing `auth_time` never satisfies `maxAge` (fail closed).
 */
export function stepUpHolds(clause: Pick<Clause, 'acr' | 'maxAge'>, principal: Principal, nowSeconds: number): boolean {
  if (clause.acr !== undefined && (principal.acr === undefined || !clause.acr.includes(principal.acr))) return false;
  if (clause.maxAge === undefined) return true;
  if (principal.authTime === undefined) return false;
  return nowSeconds - principal.authTime.getTime() / 1000 <= clause.maxAge;
}

/**
 * The parameters that satisfy every step-up clause of `clauses` (all ANDed) at once: the `acr`
 * values all of them accept (the stricter list wins) and the smallest `maxAge`.
 *
 * @example
 * ```ts
 * stepUpParameters(requirement.clauses); // { acr_values: 'mfa', max_age: 300 }
 * ```
 */
export function stepUpParameters(clauses: Iterable<{ readonly acr?: readonly string[] | undefined; readonly maxAge?: number | undefined }>): StepUpParameters {
  let acr: readonly string[] | undefined;
  let maxAge: number | undefined;
  for (const clause of clauses) {
    const accepted = clause.acr;
    if (accepted !== undefined) acr = acr === undefined ? accepted : acr.filter((value) => accepted.includes(value));
    if (clause.maxAge !== undefined) maxAge = maxAge === undefined ? clause.maxAge : Math.min(maxAge, clause.maxAge);
  }
  return {
    ...(acr !== undefined ? { acr_values: acr.join(' ') } : {}),
    ...(maxAge !== undefined ? { max_age: maxAge } : {}),
  };
}
