/**
 * What a FORBIDDEN denial tells its client: the requirement it failed (`explainDenials`) and,
 * in development only, what the principal presented (`explainPresented`), so that "why am I
 * denied?" is answered by the response itself.
 *
 * UNAUTHENTICATED denials carry nothing: there is no principal to explain, and the requirement
 * of a field is not shown to anonymous callers.
 *
 * @see DESIGN.md "Error model" (clients get a code and a short reason)
 */
import type { Principal } from '../../token/principal.js';
import type { Decision } from './check.js';
import type { DenialDetails, PresentedCredentials } from './denial-error.js';
import { describeRequirement, type ClauseDescription, type Requirement, type RequirementDescription } from '../schema/requirements.js';
import { stepUpParameters } from './step-up.js';

/** Which explanations FORBIDDEN errors carry. */
export interface ExplainSettings {
  /** `extensions.requirement`: the requirement that was not met. */
  readonly explainDenials: boolean;
  /**
   * `extensions.presented`: the scopes and roles the principal holds. The principal's own
   * claims, shown back to it; meant for development (the reference server turns it on in dev
   * mode only), since it tells a caller how the server reads its token.
   */
  readonly explainPresented: boolean;
}

// A principal is immutable and shared by a request's denials: sort its names once.
const presentedByPrincipal = new WeakMap<Principal, PresentedCredentials>();

/**
 * The explanation of a denial, or `undefined` when there is none to give. `requirement` may come
 * described already (a field returning an abstract type fails an `anyOf`).
 *
 * @example
 * ```ts
 * explainDenial('forbidden', requirement, principal, { explainDenials: true, explainPresented: true });
 * // { requirement: { allOf: [{ scopes: [['read:email']] }] }, presented: { scopes: ['read:user'], roles: [] } }
 * ```
 */
export function explainDenial(
  decision: Decision,
  requirement: Requirement | RequirementDescription,
  principal: Principal | null,
  settings: ExplainSettings,
): DenialDetails | undefined {
  // RFC 9470 §3: a step-up denial always says what to request, whatever the explain settings.
  if (decision === 'insufficient_user_authentication') return stepUpParameters('clauses' in requirement ? requirement.clauses : stepUpClauses(requirement));
  if (decision !== 'forbidden' || principal === null) return undefined;
  if (!settings.explainDenials && !settings.explainPresented) return undefined;
  const described = 'clauses' in requirement ? describeRequirement(requirement) : requirement;
  return {
    ...(settings.explainDenials ? { requirement: described } : {}),
    ...(settings.explainPresented ? { presented: presentedBy(principal) } : {}),
  };
}

/** A described requirement's step-up clauses; of an abstract field's `anyOf`, the first alternative that asks for step-up. */
function stepUpClauses(description: RequirementDescription): ClauseDescription[] {
  const asks = (d: RequirementDescription) => d.allOf.some((c) => c.acr !== undefined || c.maxAge !== undefined);
  const alternative = description.anyOf?.find(asks);
  return [...description.allOf, ...(alternative?.allOf ?? [])];
}

/** The principal's scopes and roles, sorted, frozen, computed once per principal. */
export function presentedBy(principal: Principal): PresentedCredentials {
  let presented = presentedByPrincipal.get(principal);
  if (presented === undefined) {
    presented = Object.freeze({
      scopes: Object.freeze([...principal.scopes].sort()),
      roles: Object.freeze([...principal.roles].sort()),
    });
    presentedByPrincipal.set(principal, presented);
  }
  return presented;
}
