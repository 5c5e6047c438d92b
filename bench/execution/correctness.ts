/**
 * The execution scenario's correctness gate: each variant answers each case once, and its
 * answer is compared with the expected one before any timing.
 */
import { usersDocument, principalFor, type Caller } from './schema.js';
import { describeDifference, expectedAnswer } from './expected.js';
import { baselineVariant, gatepassVariant, leanFloorVariant, type ExecutionVariant } from './variants-local.js';
import { genericAuthVariant } from './variants-peers.js';

/** One (n, caller) cell of the scenario. */
export interface ExecutionCase {
  readonly n: number;
  readonly caller: Caller;
}

/** A case's name in tables and results: `N=10000 allowed`. */
export function caseName(c: ExecutionCase): string {
  return `N=${c.n} ${c.caller}`;
}

/** The verdict on one variant in one case. */
export interface Verdict {
  readonly variant: string;
  readonly case: string;
  /** `undefined` = correct; otherwise what differs. */
  readonly wrong: string | undefined;
}

/**
 * Every variant of the scenario that runs on this Node; the baseline first. graphql-shield is
 * left out, with a line on stderr, where it cannot load (Node 23+ removed `util.isUndefined`).
 */
export async function allExecutionVariants(): Promise<ExecutionVariant[]> {
  const peers = [genericAuthVariant()];
  try {
    const { shieldVariant } = await import('./variant-shield.js');
    peers.unshift(shieldVariant());
  } catch (error) {
    process.stderr.write(`[bench] graphql-shield cannot run on Node ${process.version}: ${(error as Error).message}\n`);
  }
  return [baselineVariant(), gatepassVariant(), leanFloorVariant(), ...peers];
}

/**
 * Runs each variant once per case and compares with the expected answer. The baseline enforces
 * nothing, so it is held to the allowed answer (its data is what every variant must return when
 * nothing is denied).
 *
 * @example
 * ```ts
 * const verdicts = await checkCorrectness(await allExecutionVariants(), [{ n: 10, caller: 'denied-email' }]);
 * verdicts.filter((v) => v.wrong); // what the report prints as "wrong"
 * ```
 */
export async function checkCorrectness(variants: readonly ExecutionVariant[], cases: readonly ExecutionCase[]): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  for (const c of cases) {
    const document = usersDocument(c.n);
    for (const variant of variants) {
      const caller: Caller = variant.id === 'baseline' ? 'allowed' : c.caller;
      let wrong: string | undefined;
      try {
        const result = await variant.operation(document, principalFor(c.caller))();
        wrong = describeDifference(result, expectedAnswer(c.n, caller));
      } catch (error) {
        wrong = `threw ${error instanceof Error ? error.message : String(error)}`;
      }
      verdicts.push({ variant: variant.id, case: caseName(c), wrong });
    }
  }
  return verdicts;
}
