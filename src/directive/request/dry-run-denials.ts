/**
 * The would-be denials of a request in `dry-run` enforcement: recorded by the guards (which let
 * the field resolve), read back once per response by the enforcement plugin, which reports them
 * in `extensions.authDryRun`.
 *
 * Kept beside the operation's GraphQL context object (the value resolvers receive), so the context
 * keeps its shape and hand-built contexts work too. Not beside the decision memo: Apollo gives
 * each operation of a batch a shallow copy of one context, so the memo is shared by the batch
 * while the context object is the operation's own.
 */
import type { Decision } from './check.js';
import { DENIAL_CODES, type DenialDetails } from './denial-error.js';

/**
 * One field (or list item) that `field` enforcement would have denied, explained as its error
 * would be (`explainDenial`): a FORBIDDEN entry carries the requirement only with
 * `explainDenials`, an UNAUTHENTICATED one never does.
 */
export interface DryRunDenial extends DenialDetails {
  /** Response path; for an item of an abstract type, the path of the field that returned it. */
  readonly path: ReadonlyArray<string | number>;
  readonly code: (typeof DENIAL_CODES)[keyof typeof DENIAL_CODES];
}

/** The denials of one request, with the number left out beyond {@link MAX_DRY_RUN_DENIALS}. */
export interface DryRunReport {
  readonly denials: readonly DryRunDenial[];
  readonly omitted: number;
}

/**
 * At most this many denials are kept (and logged) per operation: a field denied across a
 * 10 000-item list must not make a 10 000-entry response extension or 10 000 log lines.
 */
export const MAX_DRY_RUN_DENIALS = 100;

interface MutableReport {
  denials: DryRunDenial[];
  omitted: number;
}

const reports = new WeakMap<object, MutableReport>();

/**
 * Records one would-be denial under the operation's `context`; returns false when the
 * operation's quota is used up (the caller then does not log it either). A context that is not
 * an object has nowhere to keep a report: the denial is only logged.
 */
export function recordDryRunDenial(
  context: unknown,
  denial: { path: ReadonlyArray<string | number>; decision: Decision } & DenialDetails,
): boolean {
  if (typeof context !== 'object' || context === null) return true;
  let report = reports.get(context);
  if (report === undefined) {
    report = { denials: [], omitted: 0 };
    reports.set(context, report);
  }
  if (report.denials.length >= MAX_DRY_RUN_DENIALS) {
    report.omitted += 1;
    return false;
  }
  const { path, decision, requirement, presented } = denial;
  report.denials.push({
    path,
    code: DENIAL_CODES[decision === 'unauthenticated' ? 'unauthenticated' : 'forbidden'],
    ...(requirement !== undefined ? { requirement } : {}),
    ...(presented !== undefined ? { presented } : {}),
  });
  return true;
}

/**
 * The would-be denials recorded for the operation run with `context` so far (empty when there
 * were none).
 *
 * @example
 * ```ts
 * const contextValue = createAuthContext(principal);
 * await graphql({ schema: dryRunSchema, source, contextValue });
 * readDryRunDenials(contextValue).denials; // [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: { allOf: […] } }]
 * ```
 */
export function readDryRunDenials(context: unknown): DryRunReport {
  if (typeof context !== 'object' || context === null) return { denials: [], omitted: 0 };
  return reports.get(context) ?? { denials: [], omitted: 0 };
}

/**
 * Reads and forgets the would-be denials recorded under `context`: for a context that runs
 * several executions in turn (a subscription executes its selection once per event with one
 * context), so each event reports its own denials, with its own quota.
 */
export function takeDryRunDenials(context: unknown): DryRunReport {
  const report = readDryRunDenials(context);
  if (typeof context === 'object' && context !== null) reports.delete(context);
  return report;
}
