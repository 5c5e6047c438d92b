/**
 * Timing one operation in process: calibrate a repetition count in warm-up, then take samples
 * of that many repetitions, each starting from a collected heap when `--expose-gc` is on.
 */

/** One operation under test; may be sync or async. */
export type Operation = () => unknown;

/** Collects garbage when the process runs with `--expose-gc`; a no-op otherwise. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

/**
 * Runs `op` `reps` times sequentially (awaiting each result that is a promise) and returns the
 * mean time per operation in microseconds.
 */
export async function timeReps(op: Operation, reps: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) {
    const result = op();
    if (result instanceof Promise) await result;
  }
  return Number(process.hrtime.bigint() - start) / 1e3 / reps;
}

/**
 * Warms `op` up for at least `warmupMs`, then returns how many repetitions fill `sampleMs`
 * (at least 1). JIT tiers settle during the warm-up; the count keeps every sample about the
 * same length whatever the operation costs.
 *
 * @example
 * ```ts
 * const reps = await calibrate(() => execute(args), 200, 40);
 * const microsPerOp = await timeSample(() => execute(args), reps);
 * ```
 */
export async function calibrate(op: Operation, warmupMs: number, sampleMs: number): Promise<number> {
  const deadline = performance.now() + warmupMs;
  let reps = 1;
  let micros = await timeReps(op, 1);
  while (performance.now() < deadline) {
    micros = await timeReps(op, reps);
    reps = Math.min(reps * 2, 1 << 20);
  }
  return Math.max(1, Math.round((sampleMs * 1e3) / Math.max(micros, 1e-3)));
}

/** One sample: a collected heap, then `reps` repetitions; microseconds per operation. */
export async function timeSample(op: Operation, reps: number): Promise<number> {
  collectGarbage();
  return timeReps(op, reps);
}
