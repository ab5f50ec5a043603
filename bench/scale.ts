// SPDX-License-Identifier: Apache-2.0
/**
 * Scale under the real engine: preview, up, refresh and destroy of N offers (Offer + VmPricing +
 * OfferPublish each) against N offers' worth of no-op dynamic resources (the engine's floor),
 * against the same no-op resources holding the offers' definitions (the content floor), and `up`
 * against a plain sequential script doing the same work with the client. Every sample runs the
 * arms back to back in alternating order (offers, floor, content, script; script, content,
 * floor, offers; …), so the machine's changing load (other processes share its cores) weighs on each
 * arm alike; ratios are taken per sample pair and summarised by median and spread.
 */
import { join } from "node:path";
import type { EngineKit } from "../scripts/lib/engine-kit.js";
import type { EmulatorProcess } from "./lib/emulator-process.js";
import { BENCH_PUBLISHER, benchOfferId, DELEGATED_PLAN, DELEGATED_PRICING } from "./lib/definition.js";
import { timeNodeProcess } from "./lib/run-child.js";
import { armOrder, pairedRatio, summarize, type RatioSummary, type Summary } from "./lib/stats.js";
import {
  floorStack,
  offersStack,
  OPS,
  POLL_MAX_SECONDS,
  POLL_MIN_SECONDS,
  timeOp,
  type BenchStack,
  type Op,
} from "./lib/stacks.js";
import type { PlainScriptArgs } from "./lib/plain-script.js";

/** Target of every engine ratio (issue 15). */
export const ENGINE_TARGET = 1.25;

/** One operation at one size: times in ms and their paired ratio. */
export interface ScalePoint {
  count: number;
  resources: number;
  op: Op;
  offersMs: Summary;
  floorMs: Summary;
  /** offers ÷ floor, per sample pair. */
  ratio: RatioSummary;
  /** The content floor (no-op resources holding the same definitions), when measured. */
  contentFloorMs?: Summary;
  /** offers ÷ content floor, per sample pair: this package's own share. */
  contentRatio?: RatioSummary;
  /**
   * content floor ÷ floor, per sample pair: what keeping the definition in state costs the engine
   * alone, the least any Offer holding it can take against the issue's floor.
   */
  contentOverFloor?: RatioSummary;
}

/** `pulumi up` of N offers against the plain script, per sample pair. */
export interface PlainPoint {
  count: number;
  upMs: Summary;
  scriptMs: Summary;
  /** up ÷ script; the target is informative only (the engine adds plan, state and a process per run). */
  ratio: RatioSummary;
}

type Arm = "offers" | "floor" | "content" | "script";
type EngineArm = Exclude<Arm, "script">;

/** Runs `samplesPerCount[i]` samples at `counts[i]` offers; `log` reports progress. */
export async function scale(
  kit: EngineKit,
  emulator: EmulatorProcess,
  counts: number[],
  samplesPerCount: number[],
  log: (s: string) => void,
): Promise<{ points: ScalePoint[]; plain: PlainPoint[] }> {
  const points: ScalePoint[] = [];
  const plain: PlainPoint[] = [];
  for (const [ci, count] of counts.entries()) {
    const samples = samplesPerCount[ci];
    const stacks: Record<EngineArm, BenchStack> = {
      offers: await offersStack(kit, count, emulator),
      floor: await floorStack(kit, count),
      content: await floorStack(kit, count, `content-floor-${count}`, true),
    };
    const times: Record<EngineArm, Record<Op, number[]>> = {
      offers: { preview: [], up: [], refresh: [], destroy: [] },
      floor: { preview: [], up: [], refresh: [], destroy: [] },
      content: { preview: [], up: [], refresh: [], destroy: [] },
    };
    const script: number[] = [];
    for (let k = 0; k < samples; k++) {
      for (const arm of armOrder<Arm>(["offers", "floor", "content", "script"], k)) {
        if (arm === "script") {
          script.push(await runPlainScript(emulator, count, k));
          await expectPublished(emulator, "p", count, k);
          log(`  ${count} offers, sample ${k + 1}/${samples}: plain script ${(script[k] / 1000).toFixed(2)} s`);
          continue;
        }
        const s = stacks[arm];
        s.setSample(k);
        for (const op of OPS) {
          times[arm][op].push(await timeOp(s.stack, op));
          if (arm === "offers" && op === "up") await expectPublished(emulator, "o", count, k);
        }
        log(
          `  ${count} offers, sample ${k + 1}/${samples}: ${arm} ${OPS.map((op) => `${op} ${(times[arm][op][k] / 1000).toFixed(2)} s`).join(", ")}`,
        );
      }
      // A clean service for the next sample (the offers stay after destroy: the API has no delete).
      await emulator.reset();
    }
    for (const op of OPS) {
      points.push({
        count,
        resources: 3 * count,
        op,
        offersMs: summarize(times.offers[op]),
        floorMs: summarize(times.floor[op]),
        ratio: pairedRatio(times.offers[op], times.floor[op], ENGINE_TARGET),
        contentFloorMs: summarize(times.content[op]),
        contentRatio: pairedRatio(times.offers[op], times.content[op], ENGINE_TARGET),
        contentOverFloor: pairedRatio(times.content[op], times.floor[op], ENGINE_TARGET),
      });
    }
    plain.push({
      count,
      upMs: summarize(times.offers.up),
      scriptMs: summarize(script),
      ratio: pairedRatio(times.offers.up, script, ENGINE_TARGET),
    });
    for (const s of Object.values(stacks)) await s.stack.workspace.removeStack(s.stack.name);
  }
  return { points, plain };
}

/**
 * A timed run counts only if it did the work: every offer of the sample priced on the service
 * and one publish operation each, waiting for sign-off (read from the emulator's control API).
 */
async function expectPublished(emulator: EmulatorProcess, arm: string, count: number, sample: number): Promise<void> {
  const ids = new Set(Array.from({ length: count }, (_, i) => benchOfferId(arm, count, sample, i)));
  const ops = (await emulator.control.operations()).filter(
    (o) => ids.has(o.offerId) && o.type === "publish" && o.status === "succeeded",
  );
  const priced = await emulator.control.offer(BENCH_PUBLISHER, benchOfferId(arm, count, sample, count - 1));
  const plan = priced.draft.definition.plans.find((p: { planId: string }) => p.planId === DELEGATED_PLAN);
  if (
    ops.length !== count ||
    plan?.virtualMachinePricing?.coreMultiplier?.single !== DELEGATED_PRICING.pricePerCoreUsd
  ) {
    throw new Error(
      `${arm === "o" ? "the offers stack" : "the plain script"} did not publish and price all ${count} offers of sample ${sample + 1} (${ops.length} publishes reached sign-off)`,
    );
  }
}

async function runPlainScript(emulator: EmulatorProcess, count: number, sample: number): Promise<number> {
  const args: PlainScriptArgs = {
    apiUrl: emulator.apiUrl,
    authorityUrl: emulator.authorityUrl,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    count,
    sample,
    pollMinSeconds: POLL_MIN_SECONDS,
    pollMaxSeconds: POLL_MAX_SECONDS,
  };
  return (
    await timeNodeProcess(join(__dirname, "lib", "plain-script.js"), { BENCH_PLAIN_SCRIPT: JSON.stringify(args) })
  ).ms;
}
