// SPDX-License-Identifier: Apache-2.0
/**
 * The two stacks the scale benchmark compares, each declaring 3 resources per offer with the
 * same dependency shape (pricing after offer, publish after both):
 * - offers: Offer + VmPricing + OfferPublish (to preview) per offer, against the emulator;
 * - floor: the same number of no-op dynamic resources, served by the same Node dynamic-provider
 *   host, with one-key inputs — the time the engine itself needs for that many resources;
 * - content floor: the same no-op resources, the offer's one also holding the offer's definition
 *   as an input — the time the engine needs to keep that content in state (it rewrites the whole
 *   checkpoint after every step), so what remains above it is this package's own work.
 * Each stack's program reads the sample number when it runs, so one stack (and its config)
 * serves every sample; each sample starts from an empty stack and ends with destroy.
 */
import { emulatorConfig, type EmulatorConnection } from "../../scripts/lib/engine-project.js";
import { inlineStack, type EngineKit, type InlineStack } from "../../scripts/lib/engine-kit.js";
import { BENCH_PUBLISHER, benchDefinition, benchOfferId, DELEGATED_PLAN, DELEGATED_PRICING } from "./definition.js";

/** The operations timed, in the order one sample runs them. */
export const OPS = ["preview", "up", "refresh", "destroy"] as const;
export type Op = (typeof OPS)[number];

/** Poll bounds given to the provider and the plain script alike (seconds). */
export const POLL_MIN_SECONDS = 0.05;
export const POLL_MAX_SECONDS = 0.5;

/** A stack whose program declares `count` offers (or their floor) for the current sample. */
export interface BenchStack {
  stack: InlineStack;
  /** Sets the sample the next operations use (offer ids are unique per sample). */
  setSample(k: number): void;
}

/** The offers stack of `count` offers. */
export async function offersStack(
  kit: EngineKit,
  count: number,
  emulator: EmulatorConnection,
  name = `offers-${count}`,
): Promise<BenchStack> {
  let sample = 0;
  const program = async () => {
    const { Offer, VmPricing, OfferPublish } = kit.cpp;
    for (let i = 0; i < count; i++) {
      const offerId = benchOfferId("o", count, sample, i);
      const offer = new Offer(`o${i}`, { publisherId: BENCH_PUBLISHER, offerId, definition: benchDefinition() });
      const price = new VmPricing(
        `p${i}`,
        { publisherId: BENCH_PUBLISHER, offerId: offer.offerId, planId: DELEGATED_PLAN, pricing: DELEGATED_PRICING },
        { dependsOn: offer },
      );
      // The documented trigger pattern: the owners' fingerprints (the etag where a version has none).
      const trigger = [contentKey(offer), contentKey(price)];
      new OfferPublish(
        `u${i}`,
        { publisherId: BENCH_PUBLISHER, offerId: offer.offerId, target: "preview", trigger },
        { dependsOn: [offer, price] },
      );
    }
  };
  const stack = await inlineStack(kit, name, program);
  await stack.setAllConfig(
    emulatorConfig(emulator, {
      "cloudpartner:pollMinIntervalSeconds": String(POLL_MIN_SECONDS),
      "cloudpartner:pollMaxIntervalSeconds": String(POLL_MAX_SECONDS),
    }),
  );
  return {
    stack,
    setSample: (k) => {
      sample = k;
    },
  };
}

/** `fingerprint` when the resource exposes one, else its `etag`. */
function contentKey(r: object): unknown {
  const o = r as { fingerprint?: unknown; etag?: unknown };
  return o.fingerprint ?? o.etag;
}

/**
 * The floor stack: 3 × `count` no-op dynamic resources in the same dependency shape. With
 * `content`, the offer's no-op resource also takes the offer's definition as an input (kept in
 * the inputs only, as the Offer keeps it).
 */
export async function floorStack(
  kit: EngineKit,
  count: number,
  name = `floor-${count}`,
  content = false,
): Promise<BenchStack> {
  let sample = 0;
  // One provider object for all resources: the SDK serialises it once (as the package does).
  const provider = {
    async create(inputs: Record<string, unknown>) {
      return { id: String(inputs.key), outs: { key: inputs.key } };
    },
    async diff() {
      return { changes: false };
    },
    async read(id: string, props: Record<string, unknown>) {
      return { id, props };
    },
    async delete() {
      /* nothing */
    },
  };
  const pulumi = kit.pulumi;
  class Noop extends pulumi.dynamic.Resource {
    constructor(name: string, props: { key: string }, opts?: import("@pulumi/pulumi").CustomResourceOptions) {
      super(provider, name, props, opts, "bench", "Noop");
    }
  }
  const program = async () => {
    for (let i = 0; i < count; i++) {
      const key = benchOfferId(content ? "c" : "f", count, sample, i);
      const offer = new Noop(`o${i}`, {
        key: `${key}-offer`,
        ...(content ? { definition: benchDefinition() } : {}),
      });
      const price = new Noop(`p${i}`, { key: `${key}-price` }, { dependsOn: offer });
      new Noop(`u${i}`, { key: `${key}-publish` }, { dependsOn: [offer, price] });
    }
  };
  const stack = await inlineStack(kit, name, program);
  return {
    stack,
    setSample: (k) => {
      sample = k;
    },
  };
}

/** Runs one operation and returns its wall-clock time in ms; a failed or partial run throws. */
export async function timeOp(stack: InlineStack, op: Op): Promise<number> {
  const t = performance.now();
  let result: string | undefined;
  if (op === "preview") await stack.preview();
  else if (op === "up") result = (await stack.up()).summary.result;
  else if (op === "refresh") result = (await stack.refresh()).summary.result;
  else result = (await stack.destroy()).summary.result;
  const ms = performance.now() - t;
  if (result !== undefined && result !== "succeeded") throw new Error(`${op} of ${stack.name} ended ${result}`);
  return ms;
}
