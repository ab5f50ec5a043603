// SPDX-License-Identifier: Apache-2.0
/**
 * This package's own targets (issue 27), judged from one run's results as `bench/results.json`
 * holds them, so that the committed run is the bar and every verdict can be re-derived from its
 * samples. Pure: no I/O.
 *
 * - time: offers ÷ content floor per sample pair, at 100 offers and more, at most 1.10;
 * - growth: this package's own time per offer (offers − content floor, per sample pair) at the
 *   largest size ÷ the same at 100 offers, at most 1.1 (a share at or below zero at both sizes,
 *   the offers as fast as the content floor, meets it);
 * - memory: the provider host's peak with the offers ≤ the content-floor host's + 15 MB;
 * - state: this package's own bytes of an Offer entry ≤ 400 B.
 */
import { PACKAGE_BYTES_TARGET, type MemoryPoint } from "./instrumented.js";
import type { Results } from "./report.js";
import type { ScalePoint } from "./scale.js";
import { judgeRatios, summarize, type RatioSummary } from "./lib/stats.js";

/** The targets. */
export const TARGETS = {
  /** offers ÷ content floor, per operation, at {@link TARGETS.fromCount} offers and more. */
  contentRatio: 1.1,
  /** Own time per offer at the largest size ÷ at {@link TARGETS.fromCount} offers. */
  growth: 1.1,
  /** The offers stack's provider host above the content floor's, MB. */
  memoryAboveContentMb: 15,
  /** This package's own bytes of an Offer entry. */
  offerPackageBytes: PACKAGE_BYTES_TARGET,
  /** The smallest size the time targets are judged at. */
  fromCount: 100,
} as const;

/** One target's verdict: met, missed, or not measured by this run. */
export interface TargetVerdict {
  target: "time" | "growth" | "memory" | "state";
  /** What was measured, in a sentence part (figures rounded as the report prints them). */
  measured: string;
  /** Undefined when this run did not measure it. */
  met?: boolean;
  /** The verdict's samples fall on both sides of the target. */
  inconclusive?: boolean;
}

/** The verdicts of every target against one run's results. */
export function judgeTargets(r: Results): TargetVerdict[] {
  return [...timeVerdicts(r), ...growthVerdicts(r), memoryVerdict(r), stateVerdict(r)];
}

/** offers ÷ content floor per operation, judged against 1.10 at each size from 100 offers. */
export function contentRatioAgainstTarget(p: ScalePoint): RatioSummary | undefined {
  if (!p.contentRatio) return undefined;
  return judgeRatios(p.contentRatio.samples, TARGETS.contentRatio);
}

/**
 * This package's own time per offer (ms) at one point: offers − content floor per sample pair,
 * divided by the number of offers.
 */
export function ownMsPerOffer(p: ScalePoint): number[] | undefined {
  if (!p.contentFloorMs) return undefined;
  const content = p.contentFloorMs.samples;
  return p.offersMs.samples.map((ms, i) => (ms - content[i]) / p.count);
}

function timeVerdicts(r: Results): TargetVerdict[] {
  const points = (r.scale?.points ?? []).filter((p) => p.count >= TARGETS.fromCount && p.contentRatio);
  if (points.length === 0)
    return [{ target: "time", measured: `no content-floor point at ${TARGETS.fromCount} offers or more` }];
  const ops = [...new Set(points.map((p) => p.op))];
  return ops.map((op) => {
    const judged = points.filter((p) => p.op === op).map((p) => ({ p, j: contentRatioAgainstTarget(p)! }));
    return {
      target: "time",
      measured: `${op} ${judged.map(({ p, j }) => `${j.median.toFixed(2)}${j.samplesOnBothSides ? " ?" : ""} at ${p.count}`).join(", ")}`,
      met: judged.every(({ j }) => j.met),
      inconclusive: judged.some(({ j }) => j.samplesOnBothSides),
    };
  });
}

function growthVerdicts(r: Results): TargetVerdict[] {
  const points = (r.scale?.points ?? []).filter((p) => p.contentFloorMs);
  const counts = [...new Set(points.map((p) => p.count))].sort((a, b) => a - b);
  const largest = counts[counts.length - 1];
  if (!counts.includes(TARGETS.fromCount) || largest === TARGETS.fromCount)
    return [{ target: "growth", measured: `needs content-floor points at ${TARGETS.fromCount} offers and more` }];
  const ops = [...new Set(points.map((p) => p.op))];
  return ops.map((op) => {
    const at = (count: number) => summarize(ownMsPerOffer(points.find((p) => p.op === op && p.count === count)!)!);
    const from = at(TARGETS.fromCount);
    const to = at(largest);
    const sizes = `${op} ${from.median.toFixed(1)} → ${to.median.toFixed(1)} ms per offer (${TARGETS.fromCount} → ${largest} offers)`;
    if (from.median <= 0 && to.median <= 0)
      return {
        target: "growth",
        measured: `${sizes}: at or below the content floor at both sizes`,
        met: true,
        inconclusive: from.q3 > 0 || to.q3 > 0,
      };
    if (from.median <= 0)
      return {
        target: "growth",
        measured: `${sizes}: none of its own at ${TARGETS.fromCount}, some at ${largest}`,
        met: false,
        inconclusive: from.q3 > 0,
      };
    const growth = to.median / from.median;
    // How far the interquartile ranges let the growth lie: the verdict is conclusive only when
    // that whole range is on one side of the target.
    const low = to.q1 / from.q3;
    const high = from.q1 > 0 ? to.q3 / from.q1 : Infinity;
    return {
      target: "growth",
      measured: `${sizes}, ${growth.toFixed(2)}× (${low.toFixed(2)}–${Number.isFinite(high) ? high.toFixed(2) : "∞"} between the quartiles)`,
      met: growth <= TARGETS.growth,
      inconclusive: low <= TARGETS.growth && high > TARGETS.growth,
    };
  });
}

function memoryVerdict(r: Results): TargetVerdict {
  const memory = r.instrumented?.memory ?? [];
  const peak = (stack: MemoryPoint["stack"]) => {
    const of = memory.filter((m) => m.stack === stack);
    return of.length > 0 ? Math.max(...of.map((m) => m.peakMb)) : undefined;
  };
  const offers = peak("offers");
  const content = peak("content");
  if (offers === undefined || content === undefined)
    return { target: "memory", measured: "not measured (needs the offers and the content-floor hosts)" };
  const above = offers - content;
  return {
    target: "memory",
    measured: `${offers.toFixed(0)} MB at ${r.instrumented!.footprint.count} offers, ${above.toFixed(0)} MB above the content floor's ${content.toFixed(0)} MB`,
    met: above <= TARGETS.memoryAboveContentMb,
  };
}

function stateVerdict(r: Results): TargetVerdict {
  const f = r.instrumented?.footprint;
  const own = (b: { packageBytes?: number } | undefined) => b?.packageBytes;
  if (!f || own(f.offer) === undefined)
    return { target: "state", measured: "not measured (this run's results predate packageBytes)" };
  const others = [
    ["VmPricing", own(f.vmPricing)],
    ["OfferPublish", own(f.offerPublish)],
  ].filter(([, b]) => b !== undefined);
  return {
    target: "state",
    measured:
      `Offer ${own(f.offer)} B` + (others.length > 0 ? ` (${others.map(([n, b]) => `${n} ${b} B`).join(", ")})` : ""),
    met: own(f.offer)! <= TARGETS.offerPackageBytes,
  };
}

/** The verdicts as the report's list: one line per target, with its bar. */
export function targetLines(r: Results): string[] {
  const bar: Record<TargetVerdict["target"], string> = {
    time: `offers ÷ content floor ≤ ${TARGETS.contentRatio.toFixed(2)} from ${TARGETS.fromCount} offers`,
    growth: `own time per offer grows ≤ ${TARGETS.growth}×`,
    memory: `provider host ≤ the content floor's + ${TARGETS.memoryAboveContentMb} MB`,
    state: `this package's own bytes of an Offer entry ≤ ${TARGETS.offerPackageBytes} B`,
  };
  const verdict = (v: TargetVerdict) =>
    (v.met === undefined ? "not judged" : v.met ? "met" : "**missed**") + (v.inconclusive ? ", not conclusive" : "");
  return judgeTargets(r).map((v) => `- ${v.target} (${bar[v.target]}): ${v.measured} — ${verdict(v)}`);
}
