// SPDX-License-Identifier: Apache-2.0
import { CloudPartnerError, isCloudPartnerError, type ServiceErrorEntry } from "../client/errors.js";
import type { PiaJobState } from "./jobs.js";
import type { PiaJobStatus } from "./models.js";

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The errors of a job status (`errors[]`, docs/internals/api-notes.md §P5.3), structured: each with its resource,
 * code, message and inner errors. Items that are not objects are skipped. Pure.
 */
export function jobErrorEntries(status: Pick<PiaJobStatus, "errors">): ServiceErrorEntry[] {
  const errors = Array.isArray(status?.errors) ? status.errors : [];
  return errors
    .filter((e) => typeof e === "object" && e !== null)
    .map((e) => {
      const [resourceId, code, message] = [str(e.resourceId), str(e.code), str(e.message)];
      const details = (Array.isArray(e.details) ? e.details : [])
        .filter((d) => typeof d === "object" && d !== null)
        .map((d) => {
          const [c, m] = [str(d.code), str(d.message)];
          return { ...(c !== undefined ? { code: c } : {}), ...(m !== undefined ? { message: m } : {}) };
        });
      return {
        ...(resourceId !== undefined ? { resourceId } : {}),
        ...(code !== undefined ? { code } : {}),
        ...(message !== undefined ? { message } : {}),
        details,
      };
    });
}

/** One job error as text: `<resource>: <code>: <message> (<inner code>: <inner message>; …)`. Pure. */
export function describeJobError(e: ServiceErrorEntry): string {
  const head = [e.resourceId ? `resource ${e.resourceId}` : undefined, e.code, e.message].filter(Boolean).join(": ");
  const inner = e.details.map((d) => [d.code, d.message].filter(Boolean).join(": ")).filter((t) => t !== "");
  return `${head || "an error without a code or message"}${inner.length ? ` (${inner.join("; ")})` : ""}`;
}

/**
 * True when the errors are a certification failure: an `invalidState` error (outer or inner)
 * whose message speaks of certification, as the service reports issues found during
 * certification (docs/internals/api-notes.md §P5.3). Pure.
 */
export function isCertificationFailure(entries: readonly ServiceErrorEntry[]): boolean {
  const hit = (code: string | undefined, message: string | undefined) =>
    code?.toLowerCase() === "invalidstate" && /certification/i.test(message ?? "");
  return entries.some((e) => hit(e.code, e.message) || e.details.some((d) => hit(d.code, d.message ?? e.message)));
}

/** Known failures and what to do about each (messages of docs/internals/api-notes.md §P5.3, §P3.4). */
const JOB_HINTS: Array<{ test: (e: ServiceErrorEntry) => boolean; fix: string }> = [
  {
    test: (e) => /in progress submission .*already exists/i.test(e.message ?? ""),
    fix: "another submission of this product is in progress: wait until it ends (the product's submissions, GET submission/<product>), then publish again",
  },
  {
    test: (e) => /not the latest submission/i.test(e.message ?? ""),
    fix: "the preview submission is no longer the latest: publish to preview again, then go live with the new preview submission's id",
  },
  {
    test: (e) => /submission id that isn't null or 0/i.test(e.message ?? ""),
    fix: "go live with the preview submission's durable id (submission/<product>/<number>, from GET submission/<product>), not the draft's",
  },
  {
    test: (e) => /locked by a previous submission/i.test(e.message ?? ""),
    fix: "the value is locked once published: send the published value again (another value needs a new plan)",
  },
  {
    test: (e) => /cannot delete image .*already published/i.test(e.message ?? ""),
    fix: "keep every published image version in vmImageVersions: a write without one deletes it, and a published version can only be deprecated",
  },
  {
    test: (e) => /has already been enabled/i.test(e.message ?? ""),
    fix: "this VM property cannot be turned off once enabled: send it as true",
  },
  {
    test: (e) => e.code?.toLowerCase() === "locked" || e.details.some((d) => d.code?.toLowerCase() === "productlocked"),
    fix: "the product is locked by another job: wait until that job ends, read the product again, then send the change",
  },
  {
    test: (e) => e.details.some((d) => d.code?.toLowerCase() === "schemavalidationerror"),
    fix: "make the resource match its schema (the $schema URL it names) as the messages say, then send the change again",
  },
];

const DEFAULT_JOB_FIX =
  "fix the resources as the messages say, then send the change again; read the product first (GET resource-tree), since the job may have applied part of the change";

/** What to do about a failed job: the fixes of the known failures among `entries`, else a general one. Pure. */
export function fixForJobErrors(entries: readonly ServiceErrorEntry[]): string {
  const fixes = [...new Set(JOB_HINTS.filter((h) => entries.some(h.test)).map((h) => h.fix))];
  return fixes.length > 0 ? fixes.join("; ") : DEFAULT_JOB_FIX;
}

/** Where the ended job is, for {@link jobEndError}: its id and status URL. */
export interface JobRef {
  jobId: string;
  /** The URL of the job's status (`…/configure/<jobId>/status`). */
  statusUrl?: string;
}

/**
 * The error of a job that ended without success (docs/internals/api-notes.md §P5.2, §P5.3): `failed` →
 * CPP_OPERATION_FAILED, or CPP_OPERATION_REJECTED when certification refused the product;
 * `cancelled` → CPP_OPERATION_CANCELED. The message names each error's resource, code, message
 * and inner codes, and the fix; `serviceErrors` (and `innerCodes`) keep them structured. Pure.
 */
export function jobEndError(job: JobRef, state: "failed" | "cancelled", status: PiaJobStatus): CloudPartnerError {
  const entries = jobErrorEntries(status);
  const listed = entries.length > 0 ? `: ${entries.map(describeJobError).join(" | ")}` : "";
  const common = {
    jobId: job.jobId,
    serviceErrors: entries,
    stepMessages: entries.map(describeJobError),
    ...(job.statusUrl ? { operationUrl: job.statusUrl } : {}),
  };
  if (state === "cancelled") {
    const fix =
      "read the product (only the resources processed before the cancel were applied), then send what is missing again to start anew";
    return new CloudPartnerError(
      "CPP_OPERATION_CANCELED",
      `the configure job ${job.jobId} was cancelled (by a cancel request, in Partner Center or by another pipeline)${listed}. Fix: ${fix}`,
      { ...common, fix },
    );
  }
  if (isCertificationFailure(entries)) {
    const fix =
      "address each issue the certification report names (Partner Center → the offer's overview), change the product accordingly, then publish again: the same content fails again";
    return new CloudPartnerError(
      "CPP_OPERATION_REJECTED",
      `the configure job ${job.jobId} was rejected by certification${listed}. Fix: ${fix}`,
      { ...common, fix },
    );
  }
  const fix = fixForJobErrors(entries);
  return new CloudPartnerError(
    "CPP_OPERATION_FAILED",
    `the configure job ${job.jobId} failed${listed || " without naming an error"}. Fix: ${fix}`,
    { ...common, fix },
  );
}

/**
 * The error of a wait that reached its deadline: CPP_DEADLINE_EXCEEDED with `lastStatus` (the
 * job's last state seen, or `error` when no poll answered) and the job id to wait for again.
 * Pure.
 */
export function jobDeadlineError(
  job: JobRef,
  lastSeen: PiaJobState | undefined,
  lastError: unknown,
): CloudPartnerError {
  const why =
    lastSeen === undefined
      ? isCloudPartnerError(lastError)
        ? ` (no status poll answered; the last failed: ${lastError.message})`
        : " (no status poll answered)"
      : lastSeen === "unknown"
        ? " (its status words were not recognised)"
        : ` (state: ${lastSeen})`;
  const fix = `wait for the same job again (job id ${job.jobId}); do not send the configure request again, which would start a second job`;
  return new CloudPartnerError(
    "CPP_DEADLINE_EXCEEDED",
    `the configure job ${job.jobId} did not end before the deadline${why}; it continues on the service. Fix: ${fix}`,
    {
      jobId: job.jobId,
      fix,
      lastStatus: lastSeen ?? "error",
      ...(lastError !== undefined ? { cause: lastError } : {}),
      ...(job.statusUrl ? { operationUrl: job.statusUrl } : {}),
    },
  );
}

/**
 * A poll error that ends a wait (401, 403, 404, a refused token): its own code and message, with
 * the job id and the advice to wait for the same job again rather than send configure again. Pure.
 */
export function jobPollError(job: JobRef, e: CloudPartnerError): CloudPartnerError {
  const fix = `${e.fix ? `${e.fix}; then ` : ""}wait for the same job again (job id ${job.jobId}); do not send the configure request again, which would start a second job`;
  return new CloudPartnerError(e.code, `waiting for the configure job ${job.jobId}: ${e.message}`, {
    statusCode: e.statusCode,
    serviceCode: e.serviceCode,
    requestId: e.requestId,
    clientRequestId: e.clientRequestId,
    jobId: job.jobId,
    fix,
    retryable: false,
    ...(job.statusUrl ? { operationUrl: job.statusUrl } : {}),
  });
}

/**
 * The error of a job whose status says `completed` with a result that is not one of §P5.2's: a
 * completed job will not change, so the wait ends. Pure.
 */
export function jobUnknownEndError(job: JobRef, status: PiaJobStatus): CloudPartnerError {
  const words = `jobStatus ${JSON.stringify(status.jobStatus)}, jobResult ${JSON.stringify(status.jobResult)}`;
  const fix = `read what the job wrote (GET configure/${job.jobId}) before sending the configure request again`;
  return new CloudPartnerError(
    "CPP_INVALID_RESPONSE",
    `the configure job ${job.jobId} completed with a result this client does not know (${words}). Fix: ${fix}`,
    { jobId: job.jobId, fix, retryable: false, ...(job.statusUrl ? { operationUrl: job.statusUrl } : {}) },
  );
}

/** The error of a wait that was aborted: CPP_ABORTED (the job continues on the service). Pure. */
export function jobAbortedError(job: JobRef): CloudPartnerError {
  return new CloudPartnerError(
    "CPP_ABORTED",
    `waiting for the configure job ${job.jobId} was aborted; it continues on the service`,
    { jobId: job.jobId, ...(job.statusUrl ? { operationUrl: job.statusUrl } : {}) },
  );
}
