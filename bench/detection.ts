// SPDX-License-Identifier: Apache-2.0
/**
 * Operation-detection latency and poll cost (issue 6, measure 3): the real poller with the
 * provider's default bounds (5 s … 600 s) on a simulated clock, against operations that finish
 * after 10 s, 10 min and 3 days.
 */
import { pollOperation } from "../provider/client/poller.js";

export interface Detection {
  duration: string;
  durationMs: number;
  polls: number;
  delayMs: number;
  targetDelayMs: number;
  met: boolean;
}

export async function detectionLatency(): Promise<Detection[]> {
  const cases: Array<[string, number]> = [
    ["10 s", 10_000],
    ["10 min", 600_000],
    ["3 days", 3 * 86_400_000],
  ];
  const out: Detection[] = [];
  for (const [label, duration] of cases) {
    let now = 0;
    let polls = 0;
    await pollOperation(
      async () => {
        polls++;
        return { operation: { status: now >= duration ? "complete" : "running" } };
      },
      "sim",
      {
        now: () => now,
        sleep: async (ms) => {
          now += ms;
        },
        minIntervalInMs: 5000,
        maxIntervalInMs: 600_000,
      },
    );
    const delayMs = now - duration;
    const targetDelayMs = Math.max(5000, 0.1 * duration);
    out.push({ duration: label, durationMs: duration, polls, delayMs, targetDelayMs, met: delayMs <= targetDelayMs });
  }
  return out;
}
