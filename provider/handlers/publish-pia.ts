// SPDX-License-Identifier: Apache-2.0
/**
 * OfferPublish on the Product Ingestion API: publishing is a `submission` posted in a configure
 * job (docs/internals/api-notes.md §P5.4) — a preview of the whole draft, then `live` with the
 * preview submission's id. This adapter gives OfferPublish's handler the operations it runs on
 * CPP (publish, go-live, follow, cancel, read a slot), so the state machine is one for both APIs:
 * - an "operation" is the submission's configure job (its URL is the job's status URL, with
 *   `#preview` or `#live` after it) or, when this deployment did not start it, the submission
 *   itself (`…/submission/<product>/<number>#…`);
 * - a preview job ends at publisher sign-off (`waitingForSignoff`), a go-live job when live;
 * - a failed job's errors become the failing step's messages; PIA reports no step progress;
 * - a submission already in progress is followed, never posted twice (the service allows one).
 */
import { CloudPartnerError, isCloudPartnerError } from "../client/errors.js";
import type { OperationDetail, OperationSummary } from "../client/models.js";
import type { OperationProgress, PollOptions } from "../client/poller.js";
import type { WireOffer } from "../offer/document.js";
import { piaToDefinition } from "../pia-offer/index.js";
import { draftContentHash } from "../publish/draft-hash.js";
import type { PiaClient } from "../pia/client.js";
import { productGuidOf } from "../pia/ids.js";
import { describeJobError, isCertificationFailure, jobErrorEntries } from "../pia/job-errors.js";
import { normalizeJobState } from "../pia/jobs.js";
import { pollJob } from "../pia/wait.js";
import type { PiaJobStatus, PiaSubmission, PiaTarget } from "../pia/models.js";
import { schemaUrl } from "../pia/schema.js";
import { ResourceError } from "./errors.js";
import { info } from "./log.js";
import { offerTypeOfProduct } from "./pia-draft.js";

/** CPP slot names → PIA targets. */
const TARGETS: Record<string, PiaTarget> = { Draft: "draft", Preview: "preview", Production: "live" };

type Target = "preview" | "live";

/** The part of the CPP client OfferPublish uses; {@link PiaPublishApi} implements it on PIA. */
export interface PublishApi {
  getOffer(
    publisherId: string,
    offerId: string,
    o?: { slot?: "Draft" | "Preview" | "Production"; includeAllPricing?: boolean },
  ): Promise<{ value: WireOffer & { status?: string }; etag?: string }>;
  getOfferStatus(publisherId: string, offerId: string): Promise<{ status?: string }>;
  listOperations(publisherId: string, offerId: string): Promise<OperationSummary[]>;
  beginPublish(
    publisherId: string,
    offerId: string,
    o?: { notificationEmails?: string[] },
  ): Promise<{ operationUrl: string }>;
  beginGoLive(
    publisherId: string,
    offerId: string,
    o?: { notificationEmails?: string[] },
  ): Promise<{ operationUrl: string }>;
  cancelOperation(
    publisherId: string,
    offerId: string,
    o?: { notificationEmails?: string[]; operationUrl?: string },
  ): Promise<{ operationUrl?: string }>;
  getOperationByUrl(url: string): Promise<OperationDetail>;
  pollOperation(url: string, o?: PollOptions): Promise<OperationDetail>;
  operationUrl(publisherId: string, offerId: string, operationId: string): string;
  /**
   * The URL of a publish an earlier deployment already started for this content, if the API can
   * tell (CPP's is decided from the operation list and the Draft's change time instead).
   */
  publishedAlready?(publisherId: string, offerId: string, draftHash: string): Promise<string | undefined>;
}

/** Where a followed PIA "operation" is: a configure job, or a submission. */
type Ref =
  | { kind: "job"; jobId: string; target: Target }
  | { kind: "submission"; product: string; number: string; target: Target };

/** OfferPublish's operations on the Product Ingestion API (see the module comment). */
export class PiaPublishApi implements PublishApi {
  private readonly products = new Map<string, { id: string; type: string }>();

  constructor(
    private readonly pia: PiaClient,
    /** Submission polls when the stack sets no poll interval (the client's: at most one a minute). */
    private readonly intervalsConfigured: boolean,
  ) {}

  /**
   * A slot's tree as a CPP document. Only the Draft carries the offer's status (a refresh reports
   * it, one list of submissions); the preview and live reads, which only hash content, do not.
   */
  async getOffer(
    _publisherId: string,
    offerId: string,
    o: { slot?: "Draft" | "Preview" | "Production" } = {},
  ): Promise<{ value: WireOffer & { status?: string }; etag?: string }> {
    const slot = o.slot ?? "Draft";
    const product = await this.product(offerId);
    const offerTypeId = offerTypeOfProduct(product.type);
    const tree = await this.pia.getResourceTree(product.id, { target: TARGETS[slot] ?? "draft" });
    const definition = offerTypeId ? piaToDefinition(tree, { offerTypeId }).definition : undefined;
    const status = slot === "Draft" ? (await this.getOfferStatus(_publisherId, offerId)).status : undefined;
    return { value: { id: offerId, offerTypeId, definition, status } as WireOffer & { status?: string } };
  }

  /**
   * The offer's publishing status in CPP's words, from its submissions: `neverPublished`,
   * `running` while one is in progress, else how the newest ended (`succeeded`, `failed`,
   * `canceled`).
   */
  async getOfferStatus(_publisherId: string, offerId: string): Promise<{ status?: string }> {
    const newest = (await this.submissions(offerId))[0];
    if (!newest) return { status: "neverPublished" };
    if (newest.status !== "completed") return { status: "running" };
    if (newest.result === "cancelled") return { status: "canceled" };
    if (newest.result === "failed") return { status: "failed" };
    // A preview that passed certification waits for the publisher, as CPP says it.
    return { status: newest.target.targetType === "preview" ? "waitingForPublisherReview" : "succeeded" };
  }

  /** The product's preview and live submissions as CPP operation summaries, newest first. */
  async listOperations(_publisherId: string, offerId: string): Promise<OperationSummary[]> {
    const product = await this.product(offerId);
    return (await this.submissions(offerId)).map((s) => ({
      id: `${s.target.targetType === "live" ? "live" : "preview"}-${submissionNumberOf(s)}`,
      offerId,
      submissionType: s.target.targetType === "live" ? "GoLive" : "Publish",
      submissionState: s.status !== "completed" ? "running" : s.result === "cancelled" ? "canceled" : s.result,
      ...(s.created ? { changedTime: s.created } : {}),
      product: product.id,
    }));
  }

  /**
   * The newest preview submission when it carries this draft: in progress, or passed with the
   * preview holding the same content (an earlier run whose answer was lost). PIA gives the draft
   * no change time, so the content decides. Undefined means submit anew.
   */
  async publishedAlready(publisherId: string, offerId: string, draftHash: string): Promise<string | undefined> {
    const newest = (await this.submissions(offerId)).find((s) => s.target.targetType === "preview");
    if (!newest || newest.result === "failed" || newest.result === "cancelled") return undefined;
    const url = this.operationUrl(publisherId, offerId, `preview-${submissionNumberOf(newest)}`);
    if (newest.status !== "completed") return url;
    const preview = await this.getOffer(publisherId, offerId, { slot: "Preview" });
    return draftContentHash(preview.value) === draftHash ? url : undefined;
  }

  /** A preview submission of the whole draft, or the one already in progress. */
  async beginPublish(_publisherId: string, offerId: string): Promise<{ operationUrl: string }> {
    return this.submit(offerId, "preview");
  }

  /** The live submission of the newest preview, or the one already in progress. */
  async beginGoLive(_publisherId: string, offerId: string): Promise<{ operationUrl: string }> {
    return this.submit(offerId, "live");
  }

  /** Cancels the job of `operationUrl` (PIA cancels jobs; a submission followed without its job cannot be). */
  async cancelOperation(
    _publisherId: string,
    offerId: string,
    o: { operationUrl?: string } = {},
  ): Promise<{ operationUrl?: string }> {
    const ref = o.operationUrl ? parseRef(this.pia.endpoint, o.operationUrl) : undefined;
    if (ref?.kind !== "job") {
      throw new ResourceError(
        `offer ${offerId}: the submission in progress was not started by this deployment, so its job is unknown and the Product Ingestion API cannot cancel it; cancel it in Partner Center.`,
        "CPP_CONFLICT",
      );
    }
    await this.pia.cancelJob(ref.jobId);
    return { operationUrl: o.operationUrl };
  }

  async getOperationByUrl(url: string): Promise<OperationDetail> {
    const ref = this.ref(url);
    if (ref.kind === "submission") return fromSubmission(await this.pia.getSubmission(ref.product, ref.number), ref);
    const status = await this.pia.getJobStatus(ref.jobId);
    return fromJob(status, ref.target);
  }

  /**
   * Follows the operation until it ends (a preview job ends at sign-off), as the CPP poller does:
   * progress through `onProgress`, a failure, rejection or cancel as the poller's error, after
   * `onProgress` saw the ended operation with its messages.
   */
  async pollOperation(url: string, o: PollOptions = {}): Promise<OperationDetail> {
    const ref = this.ref(url);
    const intervals = this.intervalsConfigured
      ? { minIntervalInMs: o.minIntervalInMs, maxIntervalInMs: o.maxIntervalInMs }
      : {};
    const progress = (op: OperationDetail) =>
      o.onProgress?.({ operationUrl: url, status: op.status as OperationProgress["status"], raw: op });
    if (ref.kind === "submission") return this.pollSubmission(ref, url, o, intervals, progress);
    try {
      const done = await this.pia.waitForJob(ref.jobId, {
        kind: "submission",
        deadline: o.deadline,
        abortSignal: o.abortSignal,
        ...intervals,
        onProgress: (p) => progress(fromJob(p.status, ref.target)),
      });
      const op = fromJob(done, ref.target);
      progress(op);
      return op;
    } catch (e) {
      if (isCloudPartnerError(e, "CPP_OPERATION_FAILED") || isCloudPartnerError(e, "CPP_OPERATION_REJECTED")) {
        progress(fromJob(await this.pia.getJobStatus(ref.jobId), ref.target));
      }
      throw e;
    }
  }

  /** A submission's URL (the handler's "operation URL" of a submission id from {@link listOperations}). */
  operationUrl(_publisherId: string, offerId: string, operationId: string): string {
    const product = this.products.get(offerId);
    const [target, number] = operationId.split("-");
    return `${this.pia.endpoint}/submission/${productGuidOf(product?.id ?? "")}/${number}#${target}`;
  }

  private async pollSubmission(
    ref: Extract<Ref, { kind: "submission" }>,
    url: string,
    o: PollOptions,
    intervals: { minIntervalInMs?: number; maxIntervalInMs?: number },
    progress: (op: OperationDetail) => void,
  ): Promise<OperationDetail> {
    // A submission read as a job's status, so that the job wait's pacing, deadline and errors apply.
    const asJob = (sub: PiaSubmission): PiaJobStatus => ({
      jobId: `submission-${ref.number}`,
      jobStatus: sub.status === "completed" ? "completed" : "running",
      jobResult: sub.status === "completed" ? (sub.result ?? "succeeded") : "pending",
    });
    let last: OperationDetail | undefined;
    await pollJob(
      async () => {
        const sub = await this.pia.getSubmission(ref.product, ref.number);
        last = fromSubmission(sub, ref);
        progress(last);
        return { status: asJob(sub) };
      },
      { jobId: `submission ${ref.number}`, statusUrl: url },
      { kind: "submission", deadline: o.deadline, abortSignal: o.abortSignal, ...intervals },
    );
    return last!;
  }

  private async submit(offerId: string, target: Target): Promise<{ operationUrl: string }> {
    const product = await this.product(offerId);
    const submissions = await this.submissions(offerId);
    const running = submissions.find((s) => s.status !== "completed");
    if (running) {
      const kind = running.target.targetType === "live" ? "live" : "preview";
      if (kind !== target) {
        throw new ResourceError(
          `offer ${offerId}: a ${kind} submission (${submissionNumberOf(running)}) is in progress; the Product Ingestion API takes one at a time. Run \`pulumi up\` again once it ends.`,
          "CPP_CONFLICT",
        );
      }
      info(
        `offer ${offerId}: a ${target} submission (${submissionNumberOf(running)}) is already in progress; following it instead of submitting again.`,
      );
      return { operationUrl: this.operationUrl("", offerId, `${target}-${submissionNumberOf(running)}`) };
    }
    const resource: Record<string, unknown> = {
      $schema: schemaUrl("submission"),
      product: product.id,
      target: { targetType: target },
    };
    if (target === "live") {
      const preview = submissions.find((s) => s.target.targetType === "preview" && s.result === "succeeded");
      if (!preview?.id) {
        throw new ResourceError(
          `offer ${offerId}: there is no preview that passed certification to take live; publish a preview first.`,
          "CPP_CONFLICT",
        );
      }
      resource.id = preview.id;
    }
    const status = await this.pia.configure([resource as never]);
    return { operationUrl: `${this.pia.endpoint}/configure/${status.jobId}/status#${target}` };
  }

  private ref(url: string): Ref {
    const ref = parseRef(this.pia.endpoint, url);
    if (!ref) {
      throw new CloudPartnerError("CPP_INVALID_ID", `"${url}" is not a Product Ingestion API job or submission URL`, {
        fix: "the state holds an operation of the other API: run `pulumi up` with the cloudpartner:api that started it, or remove the OfferPublish",
      });
    }
    return ref;
  }

  private async product(offerId: string): Promise<{ id: string; type: string }> {
    let product = this.products.get(offerId);
    if (!product) {
      const found = await this.pia.findProduct(offerId);
      if (!found?.id) throw new CloudPartnerError("CPP_NOT_FOUND", `offer ${offerId} has no product in Partner Center`);
      product = { id: found.id, type: found.type };
      this.products.set(offerId, product);
    }
    return product;
  }

  /** Preview and live submissions, newest first (the draft reference left out). */
  private async submissions(offerId: string): Promise<PiaSubmission[]> {
    const product = await this.product(offerId);
    const all = await this.pia.listSubmissions(product.id);
    return all
      .filter((s) => s.target?.targetType === "preview" || s.target?.targetType === "live")
      .sort((a, b) => Number(submissionNumberOf(b)) - Number(submissionNumberOf(a)) || liveFirst(a, b));
  }
}

function liveFirst(a: PiaSubmission, b: PiaSubmission): number {
  return (b.target.targetType === "live" ? 1 : 0) - (a.target.targetType === "live" ? 1 : 0);
}

function submissionNumberOf(s: PiaSubmission): string {
  return String(s.id ?? "").split("/")[2] ?? "";
}

/** Parses the URLs of {@link PiaPublishApi}; undefined for anything else (a CPP operation URL). */
export function parseRef(endpoint: string, url: string): Ref | undefined {
  const [path, fragment] = url.split("#");
  const target: Target | undefined = fragment === "preview" || fragment === "live" ? fragment : undefined;
  if (!target || !path.startsWith(`${endpoint}/`)) return undefined;
  const rest = path.slice(endpoint.length + 1).split("/");
  if (rest[0] === "configure" && rest[2] === "status" && rest.length === 3)
    return { kind: "job", jobId: rest[1], target };
  if (rest[0] === "submission" && rest.length === 3)
    return { kind: "submission", product: rest[1], number: rest[2], target };
  return undefined;
}

/** A job's status as a CPP operation: a completed preview waits for sign-off; errors are the step's messages. */
function fromJob(status: PiaJobStatus, target: Target): OperationDetail {
  const state = normalizeJobState(status);
  const entries = jobErrorEntries(status);
  const rejected = isCertificationFailure(entries);
  const word =
    state === "succeeded"
      ? target === "preview"
        ? "waitingForPublisherReview"
        : "succeeded"
      : state === "failed"
        ? "failed"
        : state === "cancelled"
          ? "canceled"
          : state === "notStarted"
            ? "notStarted"
            : "running";
  const step =
    state === "failed"
      ? [
          {
            id: rejected ? "certification" : "submission",
            stepName: rejected ? "certification" : "submission",
            status: rejected ? "rejected" : "failed",
            messages: entries.map((e) => ({ level: "error", messageHtml: describeJobError(e) })),
          },
        ]
      : [];
  return { status: word, steps: step, jobId: status.jobId } as OperationDetail;
}

/** A submission as a CPP operation. */
function fromSubmission(s: PiaSubmission, ref: Extract<Ref, { kind: "submission" }>): OperationDetail {
  const word =
    s.status !== "completed"
      ? "running"
      : s.result === "failed"
        ? "failed"
        : s.result === "cancelled"
          ? "canceled"
          : ref.target === "preview"
            ? "waitingForPublisherReview"
            : "succeeded";
  return { status: word, steps: [], submission: s.id } as OperationDetail;
}
