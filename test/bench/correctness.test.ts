/**
 * Keeps the bench honest: the execution scenario's correctness gate, at small N, for every
 * variant. Timings are never asserted here (DESIGN.md "Tests"); only answers are.
 */
import { describe, expect, it } from 'vitest';
import { allExecutionVariants, checkCorrectness } from '../../bench/execution/correctness.js';
import { countDecisions } from '../../bench/execution/decision-count.js';

const CASES = [
  { n: 3, caller: 'allowed' as const },
  { n: 3, caller: 'denied-email' as const },
];

describe('bench execution scenario', () => {
  // graphql-shield 7 cannot load on Node 23+ (it imports util.isUndefined): the bench leaves it out there.
  const shieldLoads = Number(process.versions.node.split('.')[0]) < 23;
  it.each(['baseline', 'gatepass', 'lean', ...(shieldLoads ? ['shield'] : [])])('%s answers every case as expected', async (id) => {
    const variants = (await allExecutionVariants()).filter((v) => v.id === id);
    expect(variants).toHaveLength(1);
    const verdicts = await checkCorrectness(variants, CASES);
    expect(verdicts.map((v) => [v.case, v.wrong])).toEqual(CASES.map((c) => [`N=${c.n} ${c.caller}`, undefined]));
  });

  it('generic-auth is correct when nothing is denied, and its denial is reported as wrong (not timed)', async () => {
    const verdicts = await checkCorrectness((await allExecutionVariants()).filter((v) => v.id === 'generic-auth'), CASES);
    expect(verdicts[0]?.wrong).toBeUndefined();
    expect(verdicts[1]?.wrong).toMatch(/^errors: 1 instead of 3/);
  });

  it('gatepass takes one decision per (requirement, request), whatever the list length', async () => {
    const counts = await countDecisions([{ n: 50, caller: 'denied-email' }]);
    expect(counts[0]?.decisions).toBe(counts[0]?.distinctRequirements);
  });
});
