/**
 * How many authorization decisions gatepass takes per request: counted through the
 * transformer's public `onDecision` hook, which fires once per decision taken (not per memo hit).
 */
import type { Requirement } from '../../src/directive/schema/requirements.js';
import { usersDocument, principalFor } from './schema.js';
import { caseName, type ExecutionCase } from './correctness.js';
import { gatepassVariant } from './variants-local.js';

/** Decisions counted for one case. */
export interface DecisionCount {
  readonly case: string;
  /** Decisions taken during one execution. */
  readonly decisions: number;
  /** Distinct requirements decided during that execution: the most decisions allowed. */
  readonly distinctRequirements: number;
  /** Guarded field resolutions in the result (list items × guarded fields), for scale. */
  readonly guardedResolutions: number;
}

/**
 * Runs each case once through a gatepass schema whose `onDecision` counts, and reports the
 * count beside the number of distinct requirements (the DESIGN.md bound: one decision per
 * (requirement, request)).
 *
 * @example
 * ```ts
 * const [count] = await countDecisions([{ n: 10_000, caller: 'denied-email' }]);
 * count.decisions === count.distinctRequirements; // the target
 * ```
 */
export async function countDecisions(cases: readonly ExecutionCase[]): Promise<DecisionCount[]> {
  let decisions = 0;
  const seen = new Set<Requirement>();
  const variant = gatepassVariant({
    onDecision: (requirement) => {
      decisions++;
      seen.add(requirement);
    },
  });
  const counts: DecisionCount[] = [];
  for (const c of cases) {
    decisions = 0;
    seen.clear();
    await variant.operation(usersDocument(c.n), principalFor(c.caller))();
    counts.push({
      case: caseName(c),
      decisions,
      distinctRequirements: seen.size,
      // Query.users once, then id, name, email, handle per item: what a per-field wrapper decides.
      guardedResolutions: 1 + 4 * c.n,
    });
  }
  return counts;
}
