/**
 * Summary statistics of noisy samples: medians and half inter-quartile ranges, and the
 * per-round ratio that keeps a shared machine's drift out of the comparison.
 */

/** A ratio (or value) summarised over rounds. */
export interface Summary {
  /** Median over rounds. */
  readonly median: number;
  /** Half the inter-quartile range: the "±" printed beside the median. */
  readonly spread: number;
  /** How many rounds contributed. */
  readonly n: number;
}

/**
 * The `q`-quantile of `values` by linear interpolation between closest ranks (R type 7).
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lowValue = sorted[low] as number;
  const highValue = sorted[high] as number;
  return lowValue + (highValue - lowValue) * (position - low);
}

/**
 * Median and half-IQR of `values`.
 *
 * @example
 * ```ts
 * summarize([1.01, 1.03, 0.99]); // { median: 1.01, spread: 0.01, n: 3 }
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  return {
    median: quantile(values, 0.5),
    spread: (quantile(values, 0.75) - quantile(values, 0.25)) / 2,
    n: values.length,
  };
}

/**
 * The ratio of a variant to the baseline, taken round by round (variant ÷ baseline of the same
 * round), then summarised: drift between rounds cancels out, drift within a round does not.
 *
 * @param variant one value per round
 * @param baseline one value per round, same order
 * @example
 * ```ts
 * pairedRatio([10, 20], [5, 10]); // { median: 2, spread: 0, n: 2 }
 * ```
 */
export function pairedRatio(variant: readonly number[], baseline: readonly number[]): Summary {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(variant.length, baseline.length); i++) {
    const b = baseline[i] as number;
    const v = variant[i] as number;
    if (b > 0 && Number.isFinite(v)) ratios.push(v / b);
  }
  return summarize(ratios);
}

/**
 * Fisher–Yates shuffle into a new array, so that no variant always runs first (or last) in a
 * round.
 */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `1.034 ± 0.012` with `digits` decimals. */
export function formatSummary(summary: Summary, digits = 2, unit = ''): string {
  if (!Number.isFinite(summary.median)) return 'n/a';
  return `${summary.median.toFixed(digits)}${unit} ± ${summary.spread.toFixed(digits)}`;
}
