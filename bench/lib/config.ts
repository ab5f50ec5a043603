// SPDX-License-Identifier: Apache-2.0
/** The benchmark's knobs, from environment variables (defaults in {@link DEFAULTS}). */

/** What one run measures and how. */
export interface BenchConfig {
  /** Offer counts of the scale benchmark (`BENCH_COUNTS`, comma-separated). */
  counts: number[];
  /**
   * Samples per point, one per count (`BENCH_SAMPLES`: one number for every count, or one per
   * count, e.g. `5,5,3`; the report calls fewer than 5 too few).
   */
  samples: number[];
  /** Emulated service latency per API request, ms (`BENCH_LATENCY_MS`). */
  latencyMs: number;
  /** Offer count of the memory and state-footprint run (`BENCH_MEMORY_COUNT`; 0 skips it). */
  memoryCount: number;
  /**
   * Diagnostic (`BENCH_SKIP_CHECKPOINTS=1`): the CLI writes state once at the end of each
   * operation instead of after every step (PULUMI_SKIP_CHECKPOINTS), to show how much of the
   * time is checkpointing. Not what users get by default; the report says when it was on.
   */
  skipCheckpoints: boolean;
  /** Parts to run (`BENCH_ONLY`, comma-separated; default all). */
  parts: Set<Part>;
  /** `BENCH_FULL=1`: {@link FULL_SAMPLES} samples at every count, unless `BENCH_SAMPLES` says otherwise. */
  full: boolean;
}

/** The parts of a run. */
export const PARTS = ["economy", "detection", "coldStart", "scale", "instrumented"] as const;
export type Part = (typeof PARTS)[number];

/**
 * Defaults: a run a developer can wait for, about 25 minutes on 2 cores: 5 samples at 10 and 100
 * offers, 1 at 300. One 300-offer sample (four operations in three arms) takes about 10 minutes
 * there, because the engine rewrites the whole checkpoint after every step, so its time grows
 * with the square of the stack's size; the committed run's timed operations took 1.3, 6.8 and
 * 49.7 minutes for 5 samples at 10, 100 and 300 offers, and the other parts about 6 minutes.
 * `BENCH_FULL=1` takes 5 samples at every size ({@link FULL_SAMPLES}, about an hour): the run a
 * verdict at 300 offers needs, and the one committed to `bench/results.json`.
 */
export const DEFAULTS = { counts: [10, 100, 300], samples: [5, 5, 1], latencyMs: 20, memoryCount: 100 };

/** Samples per point of the full run (`BENCH_FULL=1`), at every count. */
export const FULL_SAMPLES = 5;

/** Reads the config; a malformed value fails naming the variable and what it takes. */
export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const ints = (name: string, fallback: number[], min: number): number[] => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const values = raw.split(",").map((s) => Number(s.trim()));
    if (values.some((v) => !Number.isInteger(v) || v < min))
      throw new Error(`${name}="${raw}": give integers ≥ ${min}, comma-separated (e.g. ${fallback.join(",")})`);
    return values;
  };
  // A knob that takes one value: a list is refused rather than read as its first value.
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === "") return fallback;
    const value = Number(raw.trim());
    if (!Number.isInteger(value) || value < min)
      throw new Error(`${name}="${raw}": give one integer ≥ ${min} (e.g. ${fallback})`);
    return value;
  };
  const only = env.BENCH_ONLY?.trim() ? env.BENCH_ONLY.split(",").map((s) => s.trim()) : [...PARTS];
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown part(s) ${unknown.join(", ")}; choose from ${PARTS.join(", ")}`);
  const counts = ints("BENCH_COUNTS", DEFAULTS.counts, 1);
  const perCount = (values: number[], n: number): number[] => {
    if (values.length === 1) return Array(n).fill(values[0]);
    if (values.length !== n)
      throw new Error(`BENCH_SAMPLES="${env.BENCH_SAMPLES}": give one number, or one per count of BENCH_COUNTS (${n})`);
    return values;
  };
  if (env.BENCH_FULL !== undefined && !["", "0", "1"].includes(env.BENCH_FULL.trim()))
    throw new Error(`BENCH_FULL="${env.BENCH_FULL}": give 1 (5 samples at every size) or 0`);
  const full = env.BENCH_FULL?.trim() === "1";
  return {
    counts,
    samples:
      env.BENCH_SAMPLES?.trim() || counts !== DEFAULTS.counts || full
        ? perCount(ints("BENCH_SAMPLES", [FULL_SAMPLES], 1), counts.length)
        : DEFAULTS.samples,
    latencyMs: int("BENCH_LATENCY_MS", DEFAULTS.latencyMs, 0),
    memoryCount: int("BENCH_MEMORY_COUNT", DEFAULTS.memoryCount, 0),
    skipCheckpoints: env.BENCH_SKIP_CHECKPOINTS === "1",
    parts: new Set(only as Part[]),
    full,
  };
}
