/**
 * What a field returning an interface or union is checked for before its resolver runs, when
 * the concrete type of what it returns is not known yet.
 *
 * Two parts, both decided at schema build from the possible types' requirements:
 * - `common`: the clauses every possible type implies (at least "authenticated" when each one
 *   requires something), ANDed into the field's requirement like any other;
 * - `anyOf`: the distinct possible types' requirements, when `common` does not already admit
 *   to one of them. A principal admitted to none of them could never read an item, so the field
 *   is denied up front: its resolver (a mutation, a subscription's `subscribe`) never runs.
 * Each item is still checked against its own concrete type by `resolveType`.
 *
 * @see DESIGN.md "@auth semantics (the contract)" (fields returning a guarded type are checked up front)
 */
import { clauseImplies, internRequirement, requirementImplies } from './intern-requirement.js';
import { AUTHENTICATED, NO_REQUIREMENT, describeRequirement, type Requirement, type RequirementDescription } from './requirements.js';

/** The up-front check of a field whose return type is abstract. */
export interface AbstractEntry {
  /** Implied by every possible type's requirement: necessary whatever an item turns out to be. */
  readonly common: Requirement;
  /** At least one must be met as well; empty when `common` suffices (some possible type asks no more). */
  readonly anyOf: readonly Requirement[];
}

/**
 * Plans the entry of an abstract type from its possible types' requirements.
 *
 * @example
 * ```ts
 * // union AB = A | B, A @auth(scopes: [["a"]]), B @auth(scopes: [["b"]])
 * planAbstractEntry([a, b]); // { common: AUTHENTICATED, anyOf: [a, b] }
 * planAbstractEntry([x, xAndY]); // { common: x, anyOf: [] }: x admits to X
 * ```
 */
export function planAbstractEntry(members: readonly Requirement[]): AbstractEntry {
  const distinct = [...new Set(members)];
  if (distinct.length === 0 || distinct.some((requirement) => requirement.clauses.length === 0)) {
    return { common: NO_REQUIREMENT, anyOf: [] };
  }
  // Implication, not equality: [["x"]] is common to X [["x"]] and XY [["x","y"]].
  const candidates = [...AUTHENTICATED.clauses, ...distinct.flatMap((requirement) => requirement.clauses)];
  const common = internRequirement(candidates.filter(
    (clause) => distinct.every((requirement) => requirement.clauses.some((held) => clauseImplies(held, clause))),
  ));
  // R OR R' = R' when R ⇒ R': keep the weakest alternatives only (ties keep the first).
  const weakest = distinct.filter((requirement, i) => !distinct.some((other, j) =>
    j !== i && requirementImplies(requirement, other) && (!requirementImplies(other, requirement) || j < i)));
  if (weakest.some((requirement) => requirementImplies(common, requirement))) return { common, anyOf: [] };
  return { common, anyOf: Object.freeze(weakest) };
}

const described = new WeakMap<readonly Requirement[], Map<Requirement, RequirementDescription>>();

/**
 * A field's requirement with its `anyOf`, as JSON (frozen, computed once): the clauses that
 * each alternative already implies are left out, since the alternatives say it better
 * (`any of: a | b`, not `authenticated AND any of: a | b`).
 *
 * @example
 * ```ts
 * describeAnyOf(AUTHENTICATED, [a, b]); // { allOf: [], anyOf: [{ allOf: [{ scopes: [['a']] }] }, { allOf: [{ scopes: [['b']] }] }] }
 * ```
 */
export function describeAnyOf(requirement: Requirement, anyOf: readonly Requirement[]): RequirementDescription {
  let byRequirement = described.get(anyOf);
  if (byRequirement === undefined) described.set(anyOf, (byRequirement = new Map()));
  let description = byRequirement.get(requirement);
  if (description === undefined) {
    const own = requirement.clauses.filter(
      (clause) => !anyOf.every((alternative) => alternative.clauses.some((held) => clauseImplies(held, clause))),
    );
    description = Object.freeze({
      allOf: describeRequirement(internRequirement(own)).allOf,
      anyOf: Object.freeze(anyOf.map(describeRequirement)),
    });
    byRequirement.set(requirement, description);
  }
  return description;
}
