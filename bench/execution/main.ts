/**
 * Child process entry of the "execution overhead" scenario: correctness first, then timed
 * rounds of `execute` over a pre-parsed document, every correct variant in every round, in a
 * shuffled order. Runs with `--expose-gc` so every sample starts from a collected heap.
 */
import { runAsChild } from '../lib/child.js';
import { shuffled } from '../lib/stats.js';
import { calibrate, timeSample } from '../lib/timing.js';
import { allExecutionVariants, caseName, checkCorrectness, type ExecutionCase, type Verdict } from './correctness.js';
import { countDecisions, type DecisionCount } from './decision-count.js';
import { principalFor, usersDocument } from './schema.js';

/**
 * The scenario's cases: both list sizes, both callers. `--quick` lists 1 000 instead of
 * 10 000 items (a smoke run: a denied field across a long list is seconds per execution for
 * the wrappers that capture a stack per item).
 */
export function executionCases(quick: boolean): ExecutionCase[] {
  const large = quick ? 1_000 : 10_000;
  return [
    { n: large, caller: 'allowed' },
    { n: large, caller: 'denied-email' },
    { n: 100, caller: 'allowed' },
    { n: 100, caller: 'denied-email' },
  ];
}

/** What the child sends back. */
export interface ExecutionResults {
  readonly verdicts: readonly Verdict[];
  readonly decisions: readonly DecisionCount[];
  /** case → variant → µs per execution, one value per round (same round index across variants). */
  readonly samples: Readonly<Record<string, Readonly<Record<string, number[]>>>>;
  readonly rounds: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly cases: readonly string[];
}

interface Cell {
  readonly caseName: string;
  readonly variant: string;
  readonly op: () => unknown;
  reps: number;
}

async function main(): Promise<ExecutionResults> {
  const quick = process.argv.includes('--quick');
  const cases = executionCases(quick);
  const rounds = quick ? 3 : 9;
  const warmupMs = quick ? 50 : 300;
  const sampleMs = quick ? 15 : 50;
  const variants = await allExecutionVariants();
  const verdicts = await checkCorrectness(variants, cases);
  const decisions = await countDecisions(cases);

  const cells: Cell[] = [];
  for (const c of cases) {
    const document = usersDocument(c.n);
    for (const variant of variants) {
      const verdict = verdicts.find((v) => v.variant === variant.id && v.case === caseName(c));
      if (verdict?.wrong !== undefined) continue; // a wrong answer is never timed
      cells.push({ caseName: caseName(c), variant: variant.id, op: variant.operation(document, principalFor(c.caller)), reps: 1 });
    }
  }
  for (const cell of shuffled(cells)) cell.reps = await calibrate(cell.op, warmupMs, sampleMs);

  const samples: Record<string, Record<string, number[]>> = {};
  for (let round = 0; round < rounds; round++) {
    for (const cell of shuffled(cells)) {
      const micros = await timeSample(cell.op, cell.reps);
      ((samples[cell.caseName] ??= {})[cell.variant] ??= []).push(micros);
    }
  }
  return { verdicts, decisions, samples, rounds, cases: cases.map(caseName), labels: Object.fromEntries(variants.map((v) => [v.id, v.label])) };
}

runAsChild(main);
