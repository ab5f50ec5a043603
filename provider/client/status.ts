// SPDX-License-Identifier: Apache-2.0
import type { OperationDetail, Step } from "./models.js";

/** Operation status after normalising the service's several vocabularies (docs/internals/api-notes.md §12, §13.4). */
export type NormalizedStatus =
  "notStarted" | "running" | "waitingForSignoff" | "succeeded" | "failed" | "canceled" | "unknown";

const SUCCEEDED = new Set(["complete", "completed", "succeeded", "success", "published"]);
const FAILED = new Set(["failed", "failure", "error", "rejected"]);
const CANCELED = new Set(["canceled", "cancelled"]);
const RUNNING = new Set(["running", "inprogress", "in progress", "processing"]);
const NOT_STARTED = new Set(["notstarted", "not started", "pending", "queued"]);
const SIGNOFF_WAIT = new Set(["waitingforpublisherreview", "waitingforapproval"]);

const norm = (s: unknown) => (typeof s === "string" ? s.trim().toLowerCase() : "");

/** True for the publisher sign-off step (`publisher-signoff`, or a step named so). */
function isSignoffStep(step: Step): boolean {
  return norm(step.id) === "publisher-signoff" || /sign-?off/i.test(step.stepName ?? "");
}

/**
 * Normalises an operation's status, treating status words as sets (complete / completed /
 * succeeded, …). A step `rejected`, or `blocked` with an error-level message, fails the
 * operation even while its own status still says running (docs/internals/api-notes.md §9.2). A publish waiting
 * at the sign-off step is `waitingForSignoff`.
 */
export function normalizeOperationStatus(op: Pick<OperationDetail, "status" | "steps">): NormalizedStatus {
  const s = norm(op.status);
  if (SUCCEEDED.has(s)) return "succeeded";
  if (FAILED.has(s)) return "failed";
  if (CANCELED.has(s)) return "canceled";
  const steps = Array.isArray(op.steps) ? op.steps : [];
  if (
    steps.some(
      (st) =>
        norm(st.status) === "rejected" ||
        (norm(st.status) === "blocked" && st.messages?.some((m) => norm(m.level) === "error")),
    )
  )
    return "failed";
  if (steps.some((st) => CANCELED.has(norm(st.status)))) return "canceled";
  if (SIGNOFF_WAIT.has(s) || steps.some((st) => isSignoffStep(st) && SIGNOFF_WAIT.has(norm(st.status))))
    return "waitingForSignoff";
  if (RUNNING.has(s)) return "running";
  if (NOT_STARTED.has(s)) return "notStarted";
  return "unknown";
}

/** True for a status an operation never leaves: succeeded, failed or canceled. */
export function isTerminalStatus(status: string | undefined): boolean {
  return status === "succeeded" || status === "failed" || status === "canceled";
}

/** The step to report: the one in progress, else the last one that is not `notStarted`. */
export function currentStep(op: Pick<OperationDetail, "steps">): Step | undefined {
  const steps = Array.isArray(op.steps) ? op.steps : [];
  const active = steps.find(
    (st) =>
      RUNNING.has(norm(st.status)) ||
      SIGNOFF_WAIT.has(norm(st.status)) ||
      norm(st.status) === "blocked" ||
      norm(st.status) === "rejected",
  );
  if (active) return active;
  return [...steps].reverse().find((st) => !NOT_STARTED.has(norm(st.status)));
}

/**
 * The step the service holds `blocked` without an error-level message: it waits on something
 * outside the deployment (a manual review, information the publisher must give),
 * docs/internals/api-notes.md §7.3, §9.2. Undefined when no step is so held.
 */
export function blockedStep(op: Pick<OperationDetail, "steps">): Step | undefined {
  const steps = Array.isArray(op.steps) ? op.steps : [];
  return steps.find((st) => norm(st.status) === "blocked" && !st.messages?.some((m) => norm(m.level) === "error"));
}

/** The step the service `rejected` (certification refused the offer), if any. */
export function rejectedStep(op: Pick<OperationDetail, "steps">): Step | undefined {
  const steps = Array.isArray(op.steps) ? op.steps : [];
  return steps.find((st) => norm(st.status) === "rejected");
}

/** Every message of one step, HTML stripped, in order. */
export function stepMessageTexts(step: Step): string[] {
  return (step.messages ?? []).map((m) => stripHtml(m.messageHtml)).filter((t) => t !== "");
}

/** Error-level messages of the failing steps (or of the operation), HTML stripped. */
export function failureMessages(op: Pick<OperationDetail, "steps" | "messages">): string[] {
  const out: string[] = [];
  const steps = Array.isArray(op.steps) ? op.steps : [];
  for (const st of steps) {
    for (const m of st.messages ?? []) {
      if (norm(m.level) === "error") out.push(`${st.stepName ?? st.id}: ${stripHtml(m.messageHtml)}`);
    }
  }
  for (const m of op.messages ?? []) if (norm(m.level) === "error") out.push(stripHtml(m.messageHtml));
  return out;
}

/** Plain text of a message that may contain simple HTML. */
export function stripHtml(html: unknown): string {
  return String(html ?? "")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}
