// SPDX-License-Identifier: Apache-2.0
import { nextPollDelay } from "../client/poller.js";
import { parseSchemaUrl } from "./schema.js";
import type { PiaJobStatus, PiaResource } from "./models.js";

/**
 * Where a configure job is, as one word: `notStarted` and `running` (pending), `succeeded`,
 * `failed`, `cancelled` (ended), or `unknown` (words the client does not know, or a `completed`
 * job without a result: polled on until the deadline).
 */
export type PiaJobState = "notStarted" | "running" | "succeeded" | "failed" | "cancelled" | "unknown";

/**
 * What a job does, which sets how often it is polled: `submission` (it publishes to preview or
 * live: certification takes hours to days, and Microsoft asks for at most one status poll a
 * minute), or `draft` (an edit of the draft: seconds to minutes).
 */
export type PiaJobKind = "draft" | "submission";

/** Job states that end the wait. */
export const TERMINAL_JOB_STATES: ReadonlySet<PiaJobState> = new Set(["succeeded", "failed", "cancelled"]);

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : "");

/**
 * The state of a job status (docs/internals/api-notes.md §P5.2), words matched without regard to case: a result
 * `failed` or `cancelled` (also `canceled`) ends the job whatever `jobStatus` says; `completed`
 * with `succeeded` is success, and a `completed` job without a result but with errors failed;
 * `notStarted` and `running` are pending. Pure.
 */
export function normalizeJobState(status: Pick<PiaJobStatus, "jobStatus" | "jobResult" | "errors">): PiaJobState {
  const s = lower(status?.jobStatus);
  const r = lower(status?.jobResult);
  if (r === "failed") return "failed";
  if (r === "cancelled" || r === "canceled") return "cancelled";
  if (s === "completed") {
    if (r === "succeeded") return "succeeded";
    return Array.isArray(status.errors) && status.errors.length > 0 ? "failed" : "unknown";
  }
  if (s === "notstarted") return "notStarted";
  if (s === "running") return "running";
  return "unknown";
}

/** True when the state ends the wait (succeeded, failed or cancelled). Pure. */
export function isTerminalJobState(state: PiaJobState): boolean {
  return TERMINAL_JOB_STATES.has(state);
}

/**
 * The job id of a configure answer or job status: `jobId`, or the `jobID` one documentation
 * sample spells (docs/internals/api-notes.md §P5.1); undefined when neither is a non-empty string. Pure.
 */
export function jobIdOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { jobId?: unknown; jobID?: unknown };
  const id = typeof b.jobId === "string" && b.jobId !== "" ? b.jobId : b.jobID;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * What a configure request does: `submission` when it holds a `submission` resource (by its
 * `$schema`, or by a `submission/…` id), else `draft`. Pure.
 */
export function jobKindOf(resources: readonly Pick<PiaResource, "$schema" | "id">[]): PiaJobKind {
  return resources.some(
    (r) =>
      parseSchemaUrl(typeof r?.$schema === "string" ? r.$schema : "")?.type === "submission" ||
      (typeof r?.id === "string" && r.id.startsWith("submission/")),
  )
    ? "submission"
    : "draft";
}

/** Poll intervals of one job kind. */
export interface JobPollIntervals {
  /** Shortest wait between two status polls. */
  minIntervalInMs: number;
  /** Longest wait between two status polls. */
  maxIntervalInMs: number;
}

/**
 * Default poll intervals: a submission job is polled at most once a minute (Microsoft's request,
 * docs/internals/api-notes.md §P5.2) and at least every 10 minutes; a draft edit from every 2 s up to every 30 s.
 */
export const DEFAULT_JOB_POLL: Readonly<Record<PiaJobKind, Readonly<JobPollIntervals>>> = {
  submission: { minIntervalInMs: 60_000, maxIntervalInMs: 600_000 },
  draft: { minIntervalInMs: 2_000, maxIntervalInMs: 30_000 },
};

/**
 * The wait before the next status poll of a job of `kind` that has been polled for
 * `elapsedInMs`: 10 % of the elapsed time within the kind's [min, max] (the operation poller's
 * rule, {@link nextPollDelay}, in whole milliseconds), `overrides` replacing the defaults; a
 * longer Retry-After wins, up to the longest interval.
 * So a submission job is never polled more than once a minute unless `overrides` says so. Pure.
 */
export function nextJobPollDelay(
  kind: PiaJobKind,
  elapsedInMs: number,
  overrides: Partial<JobPollIntervals> = {},
  retryAfterInMs?: number,
): number {
  const min = overrides.minIntervalInMs ?? DEFAULT_JOB_POLL[kind].minIntervalInMs;
  const max = Math.max(min, overrides.maxIntervalInMs ?? DEFAULT_JOB_POLL[kind].maxIntervalInMs);
  return Math.round(nextPollDelay(Math.max(0, elapsedInMs), min, max, retryAfterInMs));
}
