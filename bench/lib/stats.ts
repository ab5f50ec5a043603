// SPDX-License-Identifier: Apache-2.0
/** Summaries of benchmark samples and the verdict of a ratio against its target. Pure. */

/** Samples with their median and spread (min–max and interquartile range). */
export interface Summary {
  samples: number[];
  median: number;
  min: number;
  max: number;
  /** First and third quartiles (linear interpolation between order statistics). */
  q1: number;
  q3: number;
}

/** A ratio of paired samples, judged against a target it should not exceed. */
export interface RatioSummary extends Summary {
  target: number;
  /** The median is at or below the target. */
  met: boolean;
  /**
   * The spread (max − min of the paired ratios) exceeds the median's distance to the target:
   * this run cannot tell which side of the target the point is on.
   */
  spreadExceedsDistance: boolean;
  /** Some paired ratios are at or below the target and some above it. */
  samplesOnBothSides: boolean;
  /** One sentence saying the above. */
  verdict: string;
}

/** The q-quantile (0–1) of sorted values, interpolating linearly. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) throw new Error("quantile of no samples");
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, min, max and quartiles of the samples (kept in measurement order). */
export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    samples: [...samples],
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
  };
}

/**
 * The ratio of paired samples (`num[i] / den[i]`, each pair measured back to back), summarised
 * and judged against `target` (the ratio should be at most the target).
 */
export function pairedRatio(num: number[], den: number[], target: number): RatioSummary {
  if (num.length !== den.length || num.length === 0)
    throw new Error(`paired ratio needs equal, non-empty sample lists (${num.length} and ${den.length})`);
  return judgeRatios(
    num.map((n, i) => n / den[i]),
    target,
  );
}

/** Fewer samples than this at a point are too few to judge its spread: its verdicts are not conclusive. */
export const CONCLUSIVE_SAMPLES = 5;

/** Ratios already taken (one per sample pair), summarised and judged against `target`. */
export function judgeRatios(ratios: number[], target: number): RatioSummary {
  const s = summarize(ratios);
  const spread = s.max - s.min;
  const distance = Math.abs(s.median - target);
  const met = s.median <= target;
  const spreadExceedsDistance = spread > distance;
  const samplesOnBothSides = s.min <= target && s.max > target;
  const verdict =
    `${met ? "meets" : "misses"} the ${target}× target` +
    (spreadExceedsDistance
      ? `; the spread (${spread.toFixed(2)}) exceeds the distance to the target (${distance.toFixed(2)})`
      : "") +
    (samplesOnBothSides
      ? ", with samples on both sides of it: not conclusive"
      : spreadExceedsDistance
        ? `, though every sample ${met ? "meets" : "misses"} it`
        : "");
  return { ...s, target, met, spreadExceedsDistance, samplesOnBothSides, verdict };
}

/**
 * The order of the arms in sample `k`: forwards for even k, backwards for odd k (A B, B A, A B …
 * for two arms), so a drift of the machine's load over the run weighs on every arm alike.
 */
export function armOrder<T>(arms: readonly T[], k: number): T[] {
  return k % 2 === 0 ? [...arms] : [...arms].reverse();
}
