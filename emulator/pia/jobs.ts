// SPDX-License-Identifier: Apache-2.0
/**
 * The state of a configure job at one emulated instant (docs/internals/api-notes.md §P5.2).
 * Pure, like operations.ts: a job's status is computed from the clock and from the operation its
 * submission started, so nothing runs in the background and a restart changes nothing.
 */
import type { Modes } from "../modes.js";
import { viewOperation } from "../operations.js";
import type { Doc, Operation, PiaJob } from "../state.js";

/** `jobStatus` × `jobResult` of §P5.2. */
export interface JobView {
  jobStatus: "notStarted" | "running" | "completed";
  jobResult: "pending" | "succeeded" | "failed" | "cancelled";
  errors: Doc[];
  /** Emulated time at which it completed. */
  endedAt?: number;
}

/**
 * A job's view. Before `startAt` it is queued, until `doneAt` it runs; then it has the result its
 * processing gave, except that a job with a submission follows the publication it started: a
 * preview completes at publisher sign-off, a go-live when live (our reading of §P10 question 7),
 * a failed certification fails it with the certification error shape (§P5.3).
 */
export function viewJob(job: PiaJob, op: Operation | undefined, now: number, modes: Modes): JobView {
  const cancelled = (at: number): JobView => ({
    jobStatus: "completed",
    jobResult: "cancelled",
    errors: [],
    endedAt: at,
  });
  if (job.cancelledAt !== undefined && job.applied?.result !== "failed" && !job.applied?.operationId)
    return cancelled(job.cancelledAt);
  if (now < job.startAt || !job.applied) {
    return { jobStatus: now < job.startAt ? "notStarted" : "running", jobResult: "pending", errors: [] };
  }
  const applied = job.applied;
  if (applied.result !== "succeeded" || !op) {
    return { jobStatus: "completed", jobResult: applied.result, errors: applied.errors, endedAt: job.doneAt };
  }
  const view = viewOperation(op, now, modes);
  if (view.state === "canceled") return cancelled(view.endedAt ?? now);
  if (view.state === "failed") {
    const failed = view.steps.find((s) => s.status === "blocked" || s.status === "rejected");
    const text = failed?.messages.map((m) => m.messageHtml).join(" ") ?? "";
    return {
      jobStatus: "completed",
      jobResult: "failed",
      endedAt: view.endedAt,
      errors: [
        {
          resourceId: applied.resources.find((r) => String(r.id).startsWith("submission/"))?.id,
          code: "internalServerError",
          message: "Operation failed",
          details: [{ code: "invalidState", message: `Issues found during Certification. ${text}`.trim() }],
        },
      ],
    };
  }
  const done = op.type === "publish" ? view.signoffAt : view.state === "succeeded" ? view.endedAt : undefined;
  if (done !== undefined) return { jobStatus: "completed", jobResult: "succeeded", errors: [], endedAt: done };
  return { jobStatus: "running", jobResult: "pending", errors: [] };
}

/** .NET's `DateTime.MinValue`, which the service writes as `jobEnd` until a job ends (§P1). */
export const NOT_ENDED = "0001-01-01T00:00:00";
