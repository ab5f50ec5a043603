// SPDX-License-Identifier: Apache-2.0
/**
 * Scale under the real engine: preview, up, refresh and destroy of N offers (Offer + VmPricing +
 * OfferPublish each) against N offers' worth of no-op dynamic resources (the engine's floor),
 * and `up` against a plain sequential script doing the same work with the client. Every sample
 * runs the arms back to back in alternating order (offers, floor, script; script, floor,
 * offers; …), so the machine's changing load (other processes share its cores) weighs on each
 * arm alike; ratios are taken per sample pair and summarised by median and spread.
 */
import { join } from "node:path";
import type { EngineKit } from "../scripts/lib/engine-kit.js";
import type { EmulatorProcess } from "./lib/emulator-process.js";
import { timeNodeProcess } from "./lib/run-child.js";
import { armOrder, pairedRatio, summarize, type RatioSummary, type Summary } from "./lib/stats.js";
import { floorStack, offersStack, OPS, POLL_MAX_SECONDS, POLL_MIN_SECONDS, timeOp, type BenchStack, type Op } from "./lib/stacks.js";
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
}

/** `pulumi up` of N offers against the plain script, per sample pair. */
export interface PlainPoint {
  count: number;
  upMs: Summary;
  scriptMs: Summary;
  /** up ÷ script; the target is informative only (the engine adds plan, state and a process per run). */
  ratio: RatioSummary;
}

type Arm = "offers" | "floor" | "script";

/** Runs `samples` samples at each count; `log` reports progress. */
export async function scale(kit: EngineKit, emulator: EmulatorProcess, counts: number[], samples: number, log: (s: string) => void): Promise<{ points: ScalePoint[]; plain: PlainPoint[] }> {
  const points: ScalePoint[] = [];
  const plain: PlainPoint[] = [];
  for (const count of counts) {
    const stacks: Record<"offers" | "floor", BenchStack> = {
      offers: await offersStack(kit, count, emulator),
      floor: await floorStack(kit, count),
    };
    const times: Record<"offers" | "floor", Record<Op, number[]>> = {
      offers: { preview: [], up: [], refresh: [], destroy: [] },
      floor: { preview: [], up: [], refresh: [], destroy: [] },
    };
    const script: number[] = [];
    for (let k = 0; k < samples; k++) {
      for (const arm of armOrder<Arm>(["offers", "floor", "script"], k)) {
        if (arm === "script") {
          script.push(await runPlainScript(emulator, count, k));
          log(`  ${count} offers, sample ${k + 1}/${samples}: plain script ${(script[k] / 1000).toFixed(2)} s`);
          continue;
        }
        const s = stacks[arm];
        s.setSample(k);
        for (const op of OPS) times[arm][op].push(await timeOp(s.stack, op));
        log(`  ${count} offers, sample ${k + 1}/${samples}: ${arm} ${OPS.map((op) => `${op} ${(times[arm][op][k] / 1000).toFixed(2)} s`).join(", ")}`);
      }
      // A clean service for the next sample (the offers stay after destroy: the API has no delete).
      await emulator.reset();
    }
    for (const op of OPS) {
      points.push({
        count, resources: 3 * count, op,
        offersMs: summarize(times.offers[op]),
        floorMs: summarize(times.floor[op]),
        ratio: pairedRatio(times.offers[op], times.floor[op], ENGINE_TARGET),
      });
    }
    plain.push({ count, upMs: summarize(times.offers.up), scriptMs: summarize(script), ratio: pairedRatio(times.offers.up, script, ENGINE_TARGET) });
    await stacks.offers.stack.workspace.removeStack(stacks.offers.stack.name);
    await stacks.floor.stack.workspace.removeStack(stacks.floor.stack.name);
  }
  return { points, plain };
}

async function runPlainScript(emulator: EmulatorProcess, count: number, sample: number): Promise<number> {
  const args: PlainScriptArgs = {
    apiUrl: emulator.apiUrl, authorityUrl: emulator.authorityUrl, tenantId: emulator.tenantId, clientId: emulator.clientId,
    clientSecret: emulator.clientSecret, count, sample, pollMinSeconds: POLL_MIN_SECONDS, pollMaxSeconds: POLL_MAX_SECONDS,
  };
  return (await timeNodeProcess(join(__dirname, "lib", "plain-script.js"), { BENCH_PLAIN_SCRIPT: JSON.stringify(args) })).ms;
}
