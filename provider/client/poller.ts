// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError, isCloudPartnerError } from "./errors.js";
import type { OperationDetail, Step } from "./models.js";
import { abortableSleep } from "./retry.js";
import {
  blockedStep,
  currentStep,
  failureMessages,
  normalizeOperationStatus,
  rejectedStep,
  stepMessageTexts,
  type NormalizedStatus,
} from "./status.js";

/** What a progress callback receives whenever the step, its status or percentage changes. */
export interface OperationProgress {
  operationUrl: string;
  status: NormalizedStatus;
  step?: { id: string; name?: string; status: string; progressPercentage?: number };
  raw: OperationDetail;
}

/** Options of {@link pollOperation}. */
export interface PollOptions {
  abortSignal?: AbortSignal;
  /** `terminal` (default): until the operation ends. `signoff`: also stop when it waits for publisher sign-off. */
  until?: "terminal" | "signoff";
  /** Epoch ms after which polling stops with CPP_DEADLINE_EXCEEDED (carrying the URL to resume). */
  deadline?: number;
  onProgress?: (p: OperationProgress) => void;
  /** Shortest wait between polls (default 5000 ms). */
  minIntervalInMs?: number;
  /** Longest wait between polls (default 600000 ms). */
  maxIntervalInMs?: number;
  /**
   * What to do when a step is `blocked` without an error (it waits on the publisher): `stop`
   * (default) ends the wait at once with CPP_OPERATION_BLOCKED, carrying `operationUrl` so the
   * caller can resume later; `wait` polls on until the deadline.
   */
  whenBlocked?: "stop" | "wait";
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** One poll's answer: the operation and the server's Retry-After, if any. */
export interface PollAnswer {
  operation: OperationDetail;
  retryAfterInMs?: number;
}

/**
 * The next wait: 10 % of the time spent polling so far, within [min, max], so a long operation
 * costs polls growing logarithmically and then one per `max`, and is noticed at most
 * max(min, 10 % of the elapsed time) late. A larger Retry-After wins. Pure.
 */
export function nextPollDelay(elapsedInMs: number, minInMs: number, maxInMs: number, retryAfterInMs?: number): number {
  const base = Math.min(maxInMs, Math.max(minInMs, elapsedInMs * 0.1));
  return retryAfterInMs !== undefined && retryAfterInMs > base
    ? Math.min(retryAfterInMs, Math.max(maxInMs, base))
    : base;
}

/**
 * Polls an operation until it ends (or, with `until: "signoff"`, reaches publisher sign-off).
 * Failure → CPP_OPERATION_FAILED with the failing step's messages; canceled →
 * CPP_OPERATION_CANCELED; deadline → CPP_DEADLINE_EXCEEDED with `operationUrl`; abort →
 * CPP_ABORTED. Transient errors (after the transport's own retries) are polled through until
 * the deadline. Ends by the deadline for any sequence of answers.
 */
export async function pollOperation(
  fetchOnce: (signal?: AbortSignal) => Promise<PollAnswer>,
  operationUrl: string,
  options: PollOptions = {},
): Promise<OperationDetail> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? abortableSleep;
  const min = options.minIntervalInMs ?? 5000;
  const max = Math.max(min, options.maxIntervalInMs ?? 600_000);
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const start = now();
  let lastKey = "";
  let lastStatus: NormalizedStatus | "error" | undefined;
  /** The status of the last poll that answered: a deadline after a passing error still knows it. */
  let lastSeen: NormalizedStatus | undefined;
  let lastError: unknown;
  for (;;) {
    if (options.abortSignal?.aborted) throw aborted(operationUrl);
    let retryAfter: number | undefined;
    try {
      const { operation, retryAfterInMs } = await fetchOnce(options.abortSignal);
      retryAfter = retryAfterInMs;
      const status = normalizeOperationStatus(operation);
      lastStatus = status;
      lastSeen = status;
      const step = currentStep(operation);
      const key = `${status}|${step?.id}|${step?.status}|${step?.progressPercentage}`;
      if (key !== lastKey) {
        lastKey = key;
        options.onProgress?.({
          operationUrl,
          status,
          raw: operation,
          ...(step
            ? {
                step: {
                  id: step.id,
                  name: step.stepName,
                  status: step.status,
                  progressPercentage: step.progressPercentage,
                },
              }
            : {}),
        });
      }
      if (status === "succeeded") return operation;
      if (status === "waitingForSignoff" && options.until === "signoff") return operation;
      const rejected = status === "failed" ? rejectedStep(operation) : undefined;
      if (rejected) throw rejectedError(operationUrl, rejected, failureMessages(operation));
      if (status === "failed") {
        const messages = failureMessages(operation);
        throw new CloudPartnerError(
          "CPP_OPERATION_FAILED",
          `the operation failed${step ? ` at step "${step.stepName ?? step.id}"` : ""}${messages.length ? `: ${messages.join(" | ")}` : ""}. Fix the offer as the messages say, then publish again`,
          { operationUrl, stepMessages: messages },
        );
      }
      if (status === "canceled") {
        throw new CloudPartnerError(
          "CPP_OPERATION_CANCELED",
          "the operation was canceled outside this deployment (in the portal or by another pipeline). Fix: run the deployment again to start it anew",
          { operationUrl, fix: "run the deployment again to start it anew" },
        );
      }
      const blocked = options.whenBlocked === "wait" ? undefined : blockedStep(operation);
      if (blocked) throw blockedError(operationUrl, blocked);
    } catch (e) {
      if (!isCloudPartnerError(e) || !(e.retryable || e.code === "CPP_INVALID_RESPONSE")) throw e;
      if (options.abortSignal?.aborted) throw aborted(operationUrl);
      lastError = e;
      lastStatus = "error";
    }
    const t = now();
    if (t >= deadline) throw deadlineError(operationUrl, lastStatus, lastError, lastSeen);
    const delay = Math.min(nextPollDelay(t - start, min, max, retryAfter), deadline - t);
    try {
      await sleep(delay, options.abortSignal);
    } catch {
      throw aborted(operationUrl);
    }
  }
}

/**
 * A blocked step does not move until someone outside this deployment acts (docs/internals/api-notes.md §7.3), so
 * polling on would only burn the deadline: the wait ends here, naming the step and what to do.
 */
function blockedError(operationUrl: string, step: Step): CloudPartnerError {
  const name = step.stepName ?? step.id;
  const messages = stepMessageTexts(step);
  const fix = `resolve what step "${name}" asks for in the Cloud Partner Portal (the offer's status page)`;
  return new CloudPartnerError(
    "CPP_OPERATION_BLOCKED",
    `the operation is blocked at step "${name}"${messages.length ? ` (${messages.join(" | ")})` : ""}: the service holds it until the publisher acts. Fix: ${fix}, then poll the same operation again`,
    { operationUrl, fix, stepMessages: messages },
  );
}

/** A rejected step ends the operation: the publisher must change the offer and publish anew. */
function rejectedError(operationUrl: string, step: Step, messages: string[]): CloudPartnerError {
  const name = step.stepName ?? step.id;
  const fix = `address each reason step "${name}" gives (the certification report in the Cloud Partner Portal has the details), change the offer accordingly, then publish again`;
  return new CloudPartnerError(
    "CPP_OPERATION_REJECTED",
    `the operation was rejected at step "${name}"${messages.length ? `: ${messages.join(" | ")}` : ""}. Fix: ${fix}`,
    { operationUrl, fix, stepMessages: messages },
  );
}

function aborted(operationUrl: string): CloudPartnerError {
  return new CloudPartnerError("CPP_ABORTED", "waiting for the operation was aborted; it continues on the service", {
    operationUrl,
  });
}

function deadlineError(
  operationUrl: string,
  status: string,
  lastError: unknown,
  lastSeen: NormalizedStatus | undefined,
): CloudPartnerError {
  const why =
    status === "error" && isCloudPartnerError(lastError)
      ? ` (last poll failed: ${lastError.message})`
      : status === "unknown"
        ? " (its status word was not recognised)"
        : ` (status: ${status})`;
  return new CloudPartnerError(
    "CPP_DEADLINE_EXCEEDED",
    `the operation did not finish before the deadline${why}; it continues on the service and can be resumed from ${operationUrl}`,
    // lastStatus: what the operation last reported (`error` only when no poll ever answered).
    { operationUrl, cause: lastError, lastStatus: lastSeen ?? status },
  );
}
