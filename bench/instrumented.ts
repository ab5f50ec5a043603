// SPDX-License-Identifier: Apache-2.0
/**
 * One extra, untimed lifecycle at a fixed size for what the timed samples must not be slowed by:
 * the dynamic-provider process's peak resident memory (sampled from /proc during up, refresh
 * and destroy, for the offers stack and, as a reference, the floor), and the state footprint
 * per Offer read from the file backend's checkpoint after `up`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { INLINE_PROJECT, type EngineKit } from "../scripts/lib/engine-kit.js";
import type { EmulatorProcess } from "./lib/emulator-process.js";
import { PeakRssSampler } from "./lib/memory.js";
import { floorStack, offersStack, type BenchStack, type Op } from "./lib/stacks.js";
import { benchDefinition } from "./lib/definition.js";

/** Targets of issue 15. */
export const MEMORY_TARGET_MB = 150;
export const FOOTPRINT_TARGET = 1.3;

/** Peak RSS of the dynamic-provider process(es) of one operation, MB. */
export interface MemoryPoint {
  /** offers; floor (no-op resources); content (the no-op resources, the offer's one holding the definition). */
  stack: "offers" | "floor" | "content";
  op: Op;
  peakMb: number;
  processes: number;
}

/** Bytes of one resource's checkpoint entry (compact JSON), in total and by part. */
export interface ResourceBytes {
  type: string;
  total: number;
  inputs: number;
  outputs: number;
  provider: number;
  /**
   * This package's own bytes of the entry: its inputs and outputs without the serialised provider
   * and, for an Offer, without the definition (the program's content) — what the package decides.
   */
  packageBytes?: number;
}

/** Target of an Offer entry's {@link ResourceBytes.packageBytes} (issue 27). */
export const PACKAGE_BYTES_TARGET = 400;

/** State footprint per offer. */
export interface Footprint {
  count: number;
  /** Compact JSON of the definition a program passes. */
  definitionBytes: number;
  /** Median entry sizes over the offers, by resource type. */
  offer: ResourceBytes;
  vmPricing: ResourceBytes;
  offerPublish: ResourceBytes;
  /** The Offer entry ÷ the definition: the measure (target ≤ 1.3). */
  ratio: number;
  target: number;
  met: boolean;
  /** The checkpoint file as the backend wrote it, divided by the number of offers (all three resources). */
  checkpointBytesPerOffer: number;
  /** The Offer entry minus its definition: a fixed cost, whatever the definition's size. */
  overheadBytes: number;
  /**
   * Of that, what the engine adds around inputs and outputs (URN, parent, provider, dependencies,
   * source position, stack trace, times).
   */
  engineMetadataBytes: number;
  /** The definition size from which the Offer entry is within the target ratio. */
  definitionBytesForTarget: number;
}

/** Runs the instrumented lifecycles at `count` offers. */
export async function instrumented(
  kit: EngineKit,
  emulator: EmulatorProcess,
  count: number,
): Promise<{ memory: MemoryPoint[]; footprint: Footprint }> {
  const memory: MemoryPoint[] = [];
  let footprint: Footprint | undefined;
  const offers = await offersStack(kit, count, emulator, `mem-offers-${count}`);
  const floor = await floorStack(kit, count, `mem-floor-${count}`);
  const content = await floorStack(kit, count, `mem-content-${count}`, true);
  const run = async (name: MemoryPoint["stack"], s: BenchStack) => {
    s.setSample(1000);
    for (const op of ["up", "refresh", "destroy"] as const) {
      const sampler = new PeakRssSampler(/dynamic-provider/);
      sampler.start();
      if (op === "up") await s.stack.up();
      else if (op === "refresh") await s.stack.refresh();
      else await s.stack.destroy();
      const seen = sampler.stop();
      memory.push({
        stack: name,
        op,
        peakMb: Math.max(0, ...seen.map((p) => p.peakKb)) / 1024,
        processes: seen.length,
      });
      if (name === "offers" && op === "up") footprint = measureFootprint(kit.stateDir, s.stack.name, count);
    }
    await s.stack.workspace.removeStack(s.stack.name);
  };
  await run("offers", offers);
  await run("floor", floor);
  await run("content", content);
  await emulator.reset();
  return { memory, footprint: footprint! };
}

/** Reads the stack's checkpoint from the file backend and sizes its entries. */
export function measureFootprint(stateDir: string, stackName: string, count: number): Footprint {
  const file = join(stateDir, ".pulumi", "stacks", INLINE_PROJECT, `${stackName}.json`);
  const raw = readFileSync(file, "utf8");
  const resources = (JSON.parse(raw).checkpoint?.latest?.resources ?? []) as Array<{
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
  }>;
  const sized = (suffix: string): ResourceBytes => {
    const entries = resources.filter((r) => r.type.endsWith(suffix));
    if (entries.length !== count)
      throw new Error(`expected ${count} resources of type *${suffix} in ${file}, found ${entries.length}`);
    const sizes = entries.map((r) => {
      const inputs = bytes(r.inputs ?? {});
      const outputs = bytes(r.outputs ?? {});
      // The serialised provider text is stored in inputs and outputs alike.
      const providerOf = (v: unknown) => (v === undefined ? 0 : bytes(v));
      const provider = providerOf(r.inputs?.__provider) + providerOf(r.outputs?.__provider);
      const definition = r.inputs?.definition === undefined ? 0 : bytes(r.inputs.definition);
      return {
        type: r.type,
        total: bytes(r),
        inputs,
        outputs,
        provider,
        packageBytes: inputs + outputs - provider - definition,
      };
    });
    return sizes.sort((a, b) => a.total - b.total)[Math.floor(sizes.length / 2)];
  };
  const offer = sized(":Offer");
  const definitionBytes = bytes(benchDefinition());
  const ratio = offer.total / definitionBytes;
  return {
    count,
    definitionBytes,
    offer,
    vmPricing: sized(":VmPricing"),
    offerPublish: sized(":OfferPublish"),
    ratio,
    target: FOOTPRINT_TARGET,
    met: ratio <= FOOTPRINT_TARGET,
    checkpointBytesPerOffer: Buffer.byteLength(raw) / count,
    overheadBytes: offer.total - definitionBytes,
    engineMetadataBytes: offer.total - offer.inputs - offer.outputs,
    definitionBytesForTarget: Math.ceil((offer.total - definitionBytes) / (FOOTPRINT_TARGET - 1)),
  };
}

function bytes(v: unknown): number {
  return Buffer.byteLength(JSON.stringify(v));
}
