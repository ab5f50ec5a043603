// SPDX-License-Identifier: Apache-2.0
import { isCloudPartnerError } from "../client/errors.js";
import { abortableSleep } from "../client/retry.js";
import {
  jobAbortedError,
  jobDeadlineError,
  jobEndError,
  jobPollError,
  jobUnknownEndError,
  type JobRef,
} from "./job-errors.js";
import {
  nextJobPollDelay,
  normalizeJobState,
  type JobPollIntervals,
  type PiaJobKind,
  type PiaJobState,
} from "./jobs.js";
import type { PiaJobStatus } from "./models.js";

/** What a progress callback receives whenever the job's state changes. */
export interface JobProgress {
  jobId: string;
  kind: PiaJobKind;
  state: PiaJobState;
  /** The status as the service sent it. */
  status: PiaJobStatus;
  /** Time since the wait began, on the client's clock. */
  elapsedInMs: number;
}

/** One status poll's answer: the status and the server's Retry-After, if any. */
export interface JobPollAnswer {
  status: PiaJobStatus;
  retryAfterInMs?: number;
}

/** Options of {@link pollJob}. */
export interface PollJobOptions extends Partial<JobPollIntervals> {
  /** What the job does, which sets its poll intervals (default `submission`: at most one poll a minute). */
  kind?: PiaJobKind;
  /** Epoch ms (on `now`'s clock) after which the wait stops with CPP_DEADLINE_EXCEEDED. */
  deadline?: number;
  abortSignal?: AbortSignal;
  onProgress?: (p: JobProgress) => void;
  /** The status already in hand (configure's answer): the first poll then waits one interval. */
  initialStatus?: PiaJobStatus;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Polls a configure job until it ends (docs/internals/api-notes.md §P5.2): succeeded → its status; failed →
 * CPP_OPERATION_FAILED (CPP_OPERATION_REJECTED when certification refused the product);
 * cancelled → CPP_OPERATION_CANCELED; the deadline → CPP_DEADLINE_EXCEEDED carrying the last
 * state seen as `lastStatus`; abort → CPP_ABORTED. A poll that fails with a retryable error (5xx,
 * 429, network, after the transport's own retries) or an unreadable answer counts as still
 * pending. Waits {@link nextJobPollDelay} between polls, so a submission job is polled at most
 * once a minute unless the intervals say otherwise. Ends by the deadline for any sequence of
 * answers.
 */
export async function pollJob(
  fetchOnce: (signal?: AbortSignal) => Promise<JobPollAnswer>,
  job: JobRef,
  options: PollJobOptions = {},
): Promise<PiaJobStatus> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const kind = options.kind ?? "submission";
  const intervals: Partial<JobPollIntervals> = {
    minIntervalInMs: options.minIntervalInMs,
    maxIntervalInMs: options.maxIntervalInMs,
  };
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const start = now();
  let lastSeen: PiaJobState | undefined;
  let lastError: unknown;
  let known = options.initialStatus;
  for (let first = true; ; first = false) {
    if (options.abortSignal?.aborted) throw jobAbortedError(job);
    let retryAfter: number | undefined;
    try {
      // With a status in hand, the first round reads it instead of polling at once.
      if (!(first && known !== undefined)) {
        const answer = await fetchOnce(options.abortSignal);
        known = answer.status;
        retryAfter = answer.retryAfterInMs;
      }
      const status = known!;
      const state = normalizeJobState(status);
      if (state !== lastSeen) {
        options.onProgress?.({ jobId: job.jobId, kind, state, status, elapsedInMs: now() - start });
      }
      lastSeen = state;
      if (state === "succeeded") return status;
      if (state === "failed" || state === "cancelled") throw jobEndError(job, state, status);
      if (state === "unknown" && String(status.jobStatus ?? "").toLowerCase() === "completed")
        throw jobUnknownEndError(job, status);
    } catch (e) {
      if (options.abortSignal?.aborted) throw jobAbortedError(job);
      if (isCloudPartnerError(e) && e.jobId === job.jobId) throw e;
      if (!isCloudPartnerError(e)) throw e;
      // Not worth polling through (401, 403, 404, a refused token): end, naming the job to wait for.
      if (!(e.retryable || e.code === "CPP_INVALID_RESPONSE")) throw jobPollError(job, e);
      lastError = e;
    }
    const t = now();
    if (t >= deadline) throw jobDeadlineError(job, lastSeen, lastError);
    const delay = Math.min(nextJobPollDelay(kind, t - start, intervals, retryAfter), deadline - t);
    try {
      await sleep(delay, options.abortSignal);
    } catch (e) {
      if (options.abortSignal?.aborted) throw jobAbortedError(job);
      throw e;
    }
  }
}
