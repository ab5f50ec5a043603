// SPDX-License-Identifier: Apache-2.0
/**
 * Emulated time moved by the test, never raced against wall time: step durations are set
 * explicitly, the clock runs at real speed (where minutes-long steps cannot move by
 * themselves), and the test jumps the clock one step at a time, each jump only after the
 * provider has polled the operation since the previous one — so every step is seen by at least
 * one poll however slow the machine is.
 */
import type { ProviderEnv } from "./provider-env.js";

/** Emulated duration of every step while a test drives the clock. */
export const DRIVEN_STEP_MS = 60_000;

const STEP_IDS = ["displaydummycertify", "displaycertify", "displayprovision", "displaypackage", "live"];

/** Real-speed clock and step durations: `instant` (0 ms) or `driven` (DRIVEN_STEP_MS each, see driveOperation). */
export async function setSteps(env: ProviderEnv, speed: "instant" | "driven"): Promise<void> {
  const ms = speed === "instant" ? 0 : DRIVEN_STEP_MS;
  await env.control("POST", "/clock", { timeScale: 1 });
  await env.control("PATCH", "/modes", { stepDurationsMs: Object.fromEntries(STEP_IDS.map((id) => [id, ms])) });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Drives the newest `type` operation of an offer to its end (sign-off for a publish): waits for
 * it to exist, then repeatedly waits for a poll of it logged after the last jump and jumps one
 * step. Returns the number of jumps. Gives up after `timeoutMs` of wall time.
 */
export async function driveOperation(
  env: ProviderEnv,
  offerId: string,
  type: "publish" | "goLive",
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  const opPath = new RegExp(`(\\$${offerId}\\$|/offers/${offerId}/operations/)`);
  let jumps = 0;
  let since = (await env.control("GET", "/requests")).reduce((m: number, r: { seq: number }) => Math.max(m, r.seq), 0);
  for (;;) {
    if (Date.now() > deadline)
      throw new Error(`driveOperation: ${type} of ${offerId} did not end within ${timeoutMs} ms`);
    const ops = (await env.control("GET", "/operations")).filter((o: any) => o.offerId === offerId && o.type === type);
    const op = ops[ops.length - 1];
    if (!op) {
      await sleep(10);
      continue;
    }
    if (op.status !== "running") return jumps;
    const polls = (await env.control("GET", `/requests?since=${since}`)).filter(
      (r: any) => r.method === "GET" && opPath.test(r.path),
    );
    if (polls.length === 0) {
      await sleep(10);
      continue;
    }
    await env.control("POST", "/clock", { advanceMs: DRIVEN_STEP_MS });
    jumps += 1;
    // Only a poll logged after the jump has seen the new step: one that ran between reading the
    // log and the jump must not count, or the next step would be jumped over unseen.
    since = (await env.control("GET", `/requests?since=${since}`)).reduce(
      (m: number, r: { seq: number }) => Math.max(m, r.seq),
      since,
    );
  }
}
