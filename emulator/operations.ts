// SPDX-License-Identifier: Apache-2.0
import { isoTicks } from "./clock.js";
import type { Modes } from "./modes.js";
import type { Operation } from "./state.js";

/** The documented VM step sequence (docs/internals/api-notes.md §7.2). */
export const VM_STEPS: ReadonlyArray<{
  id: string;
  stepName: string;
  description: string;
  estimatedTimeFrame?: string;
}> = [
  {
    id: "displaydummycertify",
    stepName: "Validate Pre-Requisites",
    description: "Offer settings are validated.",
    estimatedTimeFrame: "< 15 min",
  },
  {
    id: "displaycertify",
    stepName: "Certification",
    description: "The offer is certified.",
    estimatedTimeFrame: "~2 hours",
  },
  {
    id: "displayprovision",
    stepName: "Provisioning",
    description: "Images are provisioned.",
    estimatedTimeFrame: "~3 days",
  },
  {
    id: "displaypackage",
    stepName: "Packaging and Lead Generation Registration",
    description: "The offer is packaged.",
    estimatedTimeFrame: "~4 days",
  },
  { id: "publisher-signoff", stepName: "Publisher signoff", description: "Preview is ready." },
  { id: "live", stepName: "Live", description: "Offer is public.", estimatedTimeFrame: "~4 days" },
];

const PRE_SIGNOFF = VM_STEPS.slice(0, 4).map((s) => s.id);

/** A step as the API shows it. */
export interface StepView {
  id: string;
  stepName: string;
  description: string;
  status: string;
  estimatedTimeFrame?: string;
  progressPercentage: number;
  messages: Array<{ messageHtml: string; level: string; timestamp: string }>;
}

/** The state of an operation at one emulated instant. */
export interface OperationView {
  /** Canonical state: running | signoff | succeeded | failed | canceled. */
  state: "running" | "signoff" | "succeeded" | "failed" | "canceled";
  steps: StepView[];
  /** Emulated time at which sign-off was reached (publish) or the operation ended. */
  signoffAt?: number;
  endedAt?: number;
}

/**
 * Computes an operation's steps and state at emulated time `now`. Pure: nothing is stored, so
 * progress needs no background timer and survives a restart with the persisted clock.
 */
export function viewOperation(op: Operation, now: number, modes: Modes): OperationView {
  const d = (id: string) => modes.stepDurationsMs[id] ?? 0;
  const msg = (text: string, at: number, level = "information") => ({
    messageHtml: text,
    level,
    timestamp: isoTicks(at),
  });
  const meta = (id: string) => VM_STEPS.find((s) => s.id === id)!;
  const step = (id: string, status: string, pct: number, messages: StepView["messages"] = []): StepView => {
    const m = meta(id);
    return {
      id,
      stepName: m.stepName,
      description: m.description,
      status,
      ...(m.estimatedTimeFrame ? { estimatedTimeFrame: m.estimatedTimeFrame } : {}),
      progressPercentage: pct,
      messages,
    };
  };
  const canceledAt = op.canceledAt !== undefined && op.canceledAt <= now ? op.canceledAt : undefined;
  const t = canceledAt ?? now;

  if (op.type === "cancel") {
    return { state: "succeeded", steps: [], endedAt: op.createdAt };
  }

  // The sequence of timed steps this operation runs, each [id, start, end].
  const timed: Array<[string, number, number]> = [];
  let cursor = op.createdAt;
  const ids = op.type === "publish" ? PRE_SIGNOFF : ["live"];
  for (const id of ids) {
    timed.push([id, cursor, cursor + d(id)]);
    cursor += d(id);
  }
  const steps: StepView[] = [];
  let state: OperationView["state"] = "running";
  let endedAt: number | undefined;
  let stopped = false;
  for (const [id, start, end] of timed) {
    if (stopped) {
      steps.push(step(id, "notStarted", 0));
      continue;
    }
    const forced = op.forced && op.forced.step === id ? op.forced : undefined;
    if (forced && t >= start) {
      const text =
        forced.message ??
        (forced.outcome === "block"
          ? "The step is waiting on a manual review."
          : `The step ${meta(id).stepName} failed.`);
      if (forced.outcome === "fail") {
        steps.push(step(id, "blocked", 0, [msg(text, start, "error")]));
        state = "failed";
        endedAt = start;
      } else if (forced.outcome === "reject") {
        steps.push(step(id, "rejected", 0, [msg(text, start, "error")]));
        state = "failed";
        endedAt = start;
      } else if (forced.outcome === "cancel") {
        steps.push(step(id, "canceled", 0));
        state = "canceled";
        endedAt = start;
      } else steps.push(step(id, "blocked", 0, [msg(text, start, "warning")]));
      stopped = true;
      continue;
    }
    if (t >= end) steps.push(step(id, "complete", 100, [msg("Step completed.", end)]));
    else if (t >= start) {
      steps.push(
        step(
          id,
          canceledAt !== undefined ? "canceled" : "inProgress",
          Math.floor(((t - start) / Math.max(1, end - start)) * 100),
        ),
      );
      stopped = true;
    } else steps.push(step(id, "notStarted", 0));
  }
  const allDone = !stopped && state === "running";
  if (canceledAt !== undefined && !(allDone && op.type === "goLive") && state === "running") {
    state = "canceled";
    endedAt = canceledAt;
  }
  if (op.type === "publish") {
    const signoff = state === "running" && allDone;
    steps.push(step("publisher-signoff", signoff ? "waitingForPublisherReview" : "notStarted", 0));
    steps.push(step("live", "notStarted", 0));
    if (signoff) {
      const signoffAt = cursor;
      return {
        state: modes.publishCompletesAt === "signoff" ? "succeeded" : "signoff",
        steps,
        signoffAt,
        endedAt: modes.publishCompletesAt === "signoff" ? signoffAt : undefined,
      };
    }
    return { state, steps, endedAt };
  }
  // goLive: sign-off is complete from the start.
  steps.unshift(step("publisher-signoff", "complete", 100, [msg("Signed off by the publisher.", op.createdAt)]));
  if (state === "running" && allDone) return { state: "succeeded", steps, endedAt: cursor };
  return { state, steps, endedAt };
}

/** True while the operation can still change (not ended, not canceled). */
export function isActive(view: OperationView): boolean {
  return view.state === "running" || view.state === "signoff";
}

/** The operation status word on the wire (mode terminalStatusWord for success). */
export function statusWord(view: OperationView, modes: Modes): string {
  switch (view.state) {
    case "succeeded":
      return modes.terminalStatusWord;
    case "failed":
      return "failed";
    case "canceled":
      return "canceled";
    default:
      return "running";
  }
}
