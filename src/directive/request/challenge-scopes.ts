/**
 * The `scope` attribute of an `insufficient_scope` challenge: the scopes a whole operation
 * needs, as RFC 6750 §3 asks ("the scope necessary to access the requested resource"), so a
 * client can ask its authorization server for exactly those.
 *
 * @see RFC 6750 §3 (the `scope` attribute), RFC 6749 §3.3 (scope-token characters)
 */
import type { Principal } from '../../token/principal.js';
import type { Requirement } from '../schema/requirements.js';

// RFC 6749 §3.3 scope-token = 1*NQCHAR: %x21 / %x23-5B / %x5D-7E; also what RFC 6750 §3
// allows inside a quoted attribute value (no `"`, no `\`, no space).
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The scopes that satisfy every scope clause of `requirements`, space-separated, in the order
 * met. Of a clause's alternatives, the AND group the principal already holds is named, else the
 * first (the shortest: requirements are canonical). Roles are not scopes and are not named; a
 * name that is not a valid scope-token cannot be written in the header and is left out.
 *
 * @example
 * ```ts
 * scopesForChallenge([combine(userType, emailField)], principal); // 'read:user read:email'
 * ```
 */
export function scopesForChallenge(requirements: Iterable<Requirement>, principal: Principal | null): string {
  const names = new Set<string>();
  for (const requirement of requirements) {
    for (const clause of requirement.clauses) {
      if (clause.scopes === undefined) continue;
      const held = principal === null ? undefined : clause.scopes.find((group) => group.every((name) => principal.scopes.has(name)));
      for (const name of held ?? clause.scopes[0] ?? []) names.add(name);
    }
  }
  return [...names].filter((name) => SCOPE_TOKEN.test(name)).join(' ');
}
