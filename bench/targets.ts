// SPDX-License-Identifier: Apache-2.0
/**
 * This package's own targets (issue 27), judged from one run's results as `bench/results.json`
 * holds them, so that the committed run is the bar and every verdict can be re-derived from its
 * samples. Pure: no I/O.
 *
 * - time: offers ÷ content floor per sample pair, at 100 offers and more, at most 1.10;
 * - growth: this package's own time per offer (offers − content floor, per sample pair) at the
 *   largest size ÷ the same at 100 offers, at most 1.1 (none of its own at the largest size, the
 *   offers as fast as the content floor there, meets it);
 * - memory: the provider host's peak with the offers ≤ the content-floor host's + 15 MB;
 * - state: this package's own bytes of an Offer entry ≤ 400 B.
 */
import { PACKAGE_BYTES_TARGET, type MemoryPoint } from "./instrumented.js";
import type { Results } from "./report.js";
import type { ScalePoint } from "./scale.js";
import { CONCLUSIVE_SAMPLES, judgeRatios, summarize, type Summary } from "./lib/stats.js";

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
  /**
   * The samples cannot settle the verdict: a point it rests on has samples on both sides of the
   * target or fewer than 5, or (growth) its quartiles allow either verdict.
   */
  inconclusive?: boolean;
}

/** The verdicts of every target against one run's results. */
export function judgeTargets(r: Results): TargetVerdict[] {
  return [...timeVerdicts(r), ...growthVerdicts(r), memoryVerdict(r), stateVerdict(r)];
}

/**
 * This package's own time per offer (ms) at one point: offers − content floor per sample pair,
 * divided by the number of offers.
 */
function ownMsPerOffer(p: ScalePoint): number[] | undefined {
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
    const judged = points
      .filter((p) => p.op === op)
      .map((p) => {
        const j = judgeRatios(p.contentRatio!.samples, TARGETS.contentRatio);
        return { p, j, sure: !j.samplesOnBothSides && j.samples.length >= CONCLUSIVE_SAMPLES };
      });
    const met = judged.every(({ j }) => j.met);
    // One size missed for certain settles it; a met verdict needs every size to be sure.
    const settled = met ? judged.every(({ sure }) => sure) : judged.some(({ j, sure }) => sure && !j.met);
    return {
      target: "time",
      measured: `${op} ${judged.map(({ p, j }) => `${j.median.toFixed(2)}${j.samplesOnBothSides ? " ?" : ""} at ${p.count}`).join(", ")}`,
      met,
      inconclusive: !settled,
    };
  });
}

/**
 * Whether own time per offer going from `from` to `to` ms meets the growth target: none of its
 * own at the larger size always does; some there after none at the smaller never does.
 */
function growthMet(from: number, to: number): boolean {
  if (to <= 0) return true;
  if (from <= 0) return false;
  return to / from <= TARGETS.growth;
}

/** The growth the quartiles allow, when every quartile of the smaller size is above zero. */
function quartileRange(from: Summary, to: Summary): string {
  if (from.q1 <= 0 || from.q1 === from.q3) return "";
  // None of its own at the larger size counts as no growth: the lower bound stops at 0.
  return ` (${Math.max(0, to.q1 / from.q3).toFixed(2)}–${(to.q3 / from.q1).toFixed(2)} between the quartiles)`;
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
    const how =
      to.median <= 0
        ? `: at or below the content floor at ${largest}`
        : from.median <= 0
          ? `: none of its own at ${TARGETS.fromCount}, some at ${largest}`
          : `, ${(to.median / from.median).toFixed(2)}×${quartileRange(from, to)}`;
    // The verdict at the quartiles' least and most favourable corners: conclusive only when both
    // agree (growthMet rises with the smaller size's time and falls with the larger's).
    const sure =
      growthMet(from.q1, to.q3) === growthMet(from.q3, to.q1) &&
      Math.min(from.samples.length, to.samples.length) >= CONCLUSIVE_SAMPLES;
    return { target: "growth", measured: sizes + how, met: growthMet(from.median, to.median), inconclusive: !sure };
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
    growth: `own time per offer grows ≤ ${TARGETS.growth.toFixed(2)}×`,
    memory: `provider host ≤ the content floor's + ${TARGETS.memoryAboveContentMb} MB`,
    state: `this package's own bytes of an Offer entry ≤ ${TARGETS.offerPackageBytes} B`,
  };
  const verdict = (v: TargetVerdict) =>
    (v.met === undefined ? "not judged" : v.met ? "met" : "**missed**") + (v.inconclusive ? ", not conclusive" : "");
  return judgeTargets(r).map((v) => `- ${v.target} (${bar[v.target]}): ${v.measured} — ${verdict(v)}`);
}
