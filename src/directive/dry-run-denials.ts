/**
 * The would-be denials of a request in `dry-run` enforcement: recorded by the guards (which let
 * the field resolve), read back once per response by the enforcement plugin, which reports them
 * in `extensions.authDryRun`.
 *
 * Kept beside the request's {@link AuthContext} (keyed by its per-request decision memo), so the
 * context keeps its shape and hand-built contexts work too.
 */
import type { Decision } from './check.js';
import type { AuthContext } from './context.js';
import { DENIAL_CODES } from './denial-error.js';
import type { RequirementDescription } from './requirements.js';

/** One field (or list item) that `field` enforcement would have denied. */
export interface DryRunDenial {
  /** Response path; for an item of an abstract type, the path of the field that returned it. */
  readonly path: ReadonlyArray<string | number>;
  readonly code: (typeof DENIAL_CODES)[keyof typeof DENIAL_CODES];
  readonly requirement: RequirementDescription;
}

/** The denials of one request, with the number left out beyond {@link MAX_DRY_RUN_DENIALS}. */
export interface DryRunReport {
  readonly denials: readonly DryRunDenial[];
  readonly omitted: number;
}

/**
 * At most this many denials are kept (and logged) per request: a field denied across a
 * 10 000-item list must not make a 10 000-entry response extension or 10 000 log lines.
 */
export const MAX_DRY_RUN_DENIALS = 100;

interface MutableReport {
  denials: DryRunDenial[];
  omitted: number;
}

const reports = new WeakMap<AuthContext['decisions'], MutableReport>();

/**
 * Records one would-be denial; returns false when the request's quota is used up (the caller
 * then does not log it either).
 */
export function recordDryRunDenial(
  auth: AuthContext,
  denial: { path: ReadonlyArray<string | number>; decision: Exclude<Decision, 'allow' | 'allow-admin'>; requirement: RequirementDescription },
): boolean {
  let report = reports.get(auth.decisions);
  if (report === undefined) {
    report = { denials: [], omitted: 0 };
    reports.set(auth.decisions, report);
  }
  if (report.denials.length >= MAX_DRY_RUN_DENIALS) {
    report.omitted += 1;
    return false;
  }
  report.denials.push({ path: denial.path, code: DENIAL_CODES[denial.decision], requirement: denial.requirement });
  return true;
}

/**
 * The would-be denials recorded for this request so far (empty when there were none).
 *
 * @example
 * ```ts
 * const auth = createAuthContext(principal);
 * await graphql({ schema: dryRunSchema, source, contextValue: auth });
 * readDryRunDenials(auth).denials; // [{ path: ['user', 'email'], code: 'FORBIDDEN', requirement: { allOf: […] } }]
 * ```
 */
export function readDryRunDenials(auth: AuthContext): DryRunReport {
  return reports.get(auth.decisions) ?? { denials: [], omitted: 0 };
}
