// SPDX-License-Identifier: Apache-2.0
/**
 * Operation-detection latency: how late the poller notices that an operation ended.
 * - MODEL: the real poller code (provider/client/poller.ts) with the provider's default bounds
 *   (5 s … 600 s) on a simulated clock where each poll takes no time, against operations that
 *   end after 10 s, 10 min and 3 days. Computed, not measured.
 * - WALL-CLOCK CHECK: the same poller through the real client, sleeping for real, against the
 *   emulator running at real speed with explicit step durations; the measured delay is
 *   compared with what the model predicts for the same operation length and bounds.
 */
import { startEmulator } from "../emulator/index.js";
import { CloudPartnerClient, pollOperation, type OfferDocument } from "../provider/client/index.js";
import { BENCH_PUBLISHER, pricedDefinition } from "./lib/definition.js";

/** One modelled case. */
export interface ModelledDetection {
  duration: string;
  durationMs: number;
  polls: number;
  delayMs: number;
  targetDelayMs: number;
  met: boolean;
}

/** One wall-clock case next to the model's prediction for it. */
export interface MeasuredDetection {
  /** How long the emulated publish lasts (sum of its step durations), ms. */
  operationMs: number;
  /** From the poller's start to the operation's end, ms (the model's input). */
  endsAfterMs: number;
  predictedDelayMs: number;
  predictedPolls: number;
  measuredDelayMs: number;
  measuredPolls: number;
  /** |measured − predicted| within the tolerance below. */
  agrees: boolean;
  toleranceMs: number;
}

/** Bounds of the wall-clock check (small, so it takes seconds). */
export const CHECK_MIN_MS = 500;
export const CHECK_MAX_MS = 1500;

/** The poller on a simulated clock: polls and detection delay for an operation ending after `endsAfterMs`. */
export async function modelDetection(
  endsAfterMs: number,
  minIntervalInMs: number,
  maxIntervalInMs: number,
): Promise<{ polls: number; delayMs: number }> {
  let now = 0;
  let polls = 0;
  await pollOperation(
    async () => {
      polls++;
      return { operation: { status: now >= endsAfterMs ? "complete" : "running" } };
    },
    "model",
    {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      minIntervalInMs,
      maxIntervalInMs,
    },
  );
  return { polls, delayMs: now - endsAfterMs };
}

/** The MODEL table with the provider's default bounds. */
export async function modelledDetection(): Promise<ModelledDetection[]> {
  const cases: Array<[string, number]> = [
    ["10 s", 10_000],
    ["10 min", 600_000],
    ["3 days", 3 * 86_400_000],
  ];
  const out: ModelledDetection[] = [];
  for (const [duration, durationMs] of cases) {
    const { polls, delayMs } = await modelDetection(durationMs, 5000, 600_000);
    const targetDelayMs = Math.max(5000, 0.1 * durationMs);
    out.push({ duration, durationMs, polls, delayMs, targetDelayMs, met: delayMs <= targetDelayMs });
  }
  return out;
}

/**
 * The wall-clock check: publishes lasting about 1.25 s, 3.75 s and 7 s (between the model's
 * poll instants for bounds 0.5 s … 1.5 s, so a few ms of request time cannot move detection to
 * another poll), each polled for real until sign-off.
 */
export async function measuredDetection(): Promise<MeasuredDetection[]> {
  const emulator = await startEmulator({ timeScale: 1 });
  const client = new CloudPartnerClient({
    credential: {
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      authority: emulator.authorityUrl,
    },
    endpoint: emulator.apiUrl,
  });
  const out: MeasuredDetection[] = [];
  try {
    for (const [i, operationMs] of [1250, 3750, 7000].entries()) {
      // Four pre-sign-off steps share the duration; the emulator derives progress from its clock.
      const step = operationMs / 4;
      await emulator.control.setModes({
        stepDurationsMs: {
          displaydummycertify: step,
          displaycertify: step,
          displayprovision: step,
          displaypackage: step,
        },
      });
      const offerId = `detect-${i}`;
      await client.putOffer(
        BENCH_PUBLISHER,
        offerId,
        {
          id: offerId,
          publisherId: BENCH_PUBLISHER,
          offerTypeId: "microsoft-azure-virtualmachines",
          definition: pricedDefinition(),
        } as unknown as OfferDocument,
        { concurrency: { mode: "createOnly" } },
      );
      const { operationUrl } = await client.beginPublish(BENCH_PUBLISHER, offerId);
      const start = Date.now();
      let polls = 0;
      await pollOperation(
        async () => {
          polls++;
          return { operation: await client.getOperationByUrl(operationUrl) };
        },
        operationUrl,
        { until: "signoff", minIntervalInMs: CHECK_MIN_MS, maxIntervalInMs: CHECK_MAX_MS },
      );
      const noticed = Date.now();
      const op = (await emulator.control.operations()).find((o) => o.offerId === offerId)!;
      // Scale 1: the emulated clock is Date.now() of this process, so the end is createdAt + duration.
      const endsAt = Date.parse(op.createdAt) + operationMs;
      const endsAfterMs = endsAt - start;
      const model = await modelDetection(endsAfterMs, CHECK_MIN_MS, CHECK_MAX_MS);
      const measuredDelayMs = noticed - endsAt;
      // Each real poll adds its round trip and timer slack to the schedule the model assumes instant.
      const toleranceMs = 30 * polls + 50;
      out.push({
        operationMs,
        endsAfterMs,
        predictedDelayMs: model.delayMs,
        predictedPolls: model.polls,
        measuredDelayMs,
        measuredPolls: polls,
        agrees: Math.abs(measuredDelayMs - model.delayMs) <= toleranceMs,
        toleranceMs,
      });
    }
  } finally {
    await emulator.close();
  }
  return out;
}
