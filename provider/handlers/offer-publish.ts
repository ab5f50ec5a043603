// SPDX-License-Identifier: Apache-2.0
import {
  isCloudPartnerError,
  isTerminalStatus,
  normalizeOperationStatus,
  type OperationProgress,
} from "../client/index.js";
import type { ResourceDiff } from "../offer/diff.js";
import type { WireOffer } from "../offer/document.js";
import { draftContentHash } from "../publish/draft-hash.js";
import { diffPublish, planUpdate, type PublishAction } from "../publish/plan.js";
import type { OfferPublishInputs, OfferPublishOutputs, PublishPhase } from "../publish/types.js";
import { validatePublishInputs } from "../validation/publish.js";
import type { InputFailure } from "../validation/failure.js";
import { client, readOfferForRefresh, settings } from "./context.js";
import { accountFailures } from "./account-check.js";
import { describeFailure, PartialFailure } from "./errors.js";
import { info } from "./log.js";
import { PROVIDER_VERSION } from "./version.js";

/** The OfferPublish resource's id: `publisherId/offerId`. */
function publishId(i: { publisherId: string; offerId: string }): string {
  return `${i.publisherId}/${i.offerId}`;
}

/** check: validation only. */
export async function check(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures?: InputFailure[] }> {
  const failures = [...validatePublishInputs(news), ...accountFailures(news)];
  return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
}

/** diff: see publish/plan.ts. */
export async function diff(_id: string, olds: OfferPublishOutputs, news: OfferPublishInputs): Promise<ResourceDiff> {
  return diffPublish(olds, news, PROVIDER_VERSION);
}

/** create: publish, wait for sign-off, and for target `live` go live and wait. */
export async function create(inputs: OfferPublishInputs): Promise<{ id: string; outs: OfferPublishOutputs }> {
  // Not in state yet: an interrupted earlier `up` may already have started the publish.
  return { id: publishId(inputs), outs: await run(inputs, { kind: "publish" }, undefined, true) };
}

/** update: resume a pending operation, republish on a new trigger, or go live. */
export async function update(
  id: string,
  olds: OfferPublishOutputs,
  news: OfferPublishInputs,
): Promise<{ outs: OfferPublishOutputs }> {
  const action = planUpdate(olds, news);
  if (action.kind === "none") {
    if (action.note) info(`OfferPublish ${id}: ${action.note}.`);
    const { pendingOperationUrl: _p, pendingPhase: _ph, ...kept } = olds;
    return { outs: { ...kept, ...news, providerVersion: PROVIDER_VERSION } };
  }
  return { outs: await run(news, action, olds) };
}

async function run(
  inputs: OfferPublishInputs,
  action: Exclude<PublishAction, { kind: "none" }>,
  olds?: OfferPublishOutputs,
  reuseRunning = false,
): Promise<OfferPublishOutputs> {
  const id = publishId(inputs);
  const s = settings(inputs.account);
  const deadline = Date.now() + (inputs.timeoutSeconds ?? s.operationTimeoutSeconds) * 1000;
  const emails = inputs.notificationEmails;
  let phase: PublishPhase = action.kind === "goLive" ? "goLive" : action.kind === "resume" ? action.phase : "publish";
  let url: string | undefined = action.kind === "resume" ? action.operationUrl : undefined;
  let lastStatus = olds?.operationStatus;
  // What is being published: read just before the POST; a resumed operation keeps its own.
  let published = action.kind === "publish" ? undefined : olds?.publishedDraftHash;
  const c = client(inputs.account);
  try {
    if (phase === "publish") {
      const [draft, ops] = url
        ? []
        : await Promise.all([
            c.getOffer(inputs.publisherId, inputs.offerId, { includeAllPricing: true }),
            reuseRunning ? c.listOperations(inputs.publisherId, inputs.offerId) : undefined,
          ]);
      if (draft) published = draftContentHash(draft.value as WireOffer);
      const earlier = draft && ops ? publishedAlready(c, inputs, draft.value as WireOffer, ops) : undefined;
      if (earlier)
        info(
          `OfferPublish ${id}: an earlier deployment already started publishing this document; waiting for that operation instead of publishing again.`,
        );
      else if (url)
        info(`OfferPublish ${id}: resuming the publish operation already running (no new publish is started).`);
      url ??= earlier;
      if (!url)
        url = (await c.beginPublish(inputs.publisherId, inputs.offerId, { notificationEmails: emails })).operationUrl;
      const publishUrl: string = url;
      const op = await c.pollOperation(publishUrl, pollOptions(id, "publish", deadline, inputs, s));
      lastStatus = normalizeOperationStatus(op);
      info(`OfferPublish ${id}: preview is ready for publisher sign-off.`);
      if (inputs.target === "live") {
        phase = "goLive";
        url = undefined;
      }
    }
    if (phase === "goLive") {
      if (url) info(`OfferPublish ${id}: resuming the go-live operation already running.`);
      else url = (await c.beginGoLive(inputs.publisherId, inputs.offerId, { notificationEmails: emails })).operationUrl;
      const goLiveUrl: string = url;
      const op = await c.pollOperation(goLiveUrl, pollOptions(id, "goLive", deadline, inputs, s));
      lastStatus = normalizeOperationStatus(op);
      info(`OfferPublish ${id}: the offer is live.`);
    }
    const status = await c.getOfferStatus(inputs.publisherId, inputs.offerId);
    return {
      ...inputs,
      operationUrl: url ?? olds?.operationUrl,
      operationStatus: lastStatus,
      offerStatus: status.status,
      ...hashes(published),
      providerVersion: PROVIDER_VERSION,
    };
  } catch (e) {
    // A deadline or a blocked step leaves the operation running on the service: the resource is
    // kept in state with its URL, and the next `up` resumes waiting for the same operation.
    const what = phase === "publish" ? "publish" : "go-live";
    const pending = () => ({
      ...inputs,
      operationUrl: url,
      operationStatus: "running",
      pendingOperationUrl: url,
      pendingPhase: phase,
      offerStatus: olds?.offerStatus,
      ...hashes(published),
      providerVersion: PROVIDER_VERSION,
    });
    if (url && isCloudPartnerError(e, "CPP_DEADLINE_EXCEEDED")) {
      const waited = inputs.timeoutSeconds ?? s.operationTimeoutSeconds;
      throw new PartialFailure(
        `OfferPublish ${id}: the ${what} operation is still running after ${waited} s. It continues on the service; run \`pulumi up\` again to keep waiting for the same operation (no second ${what} is started), or raise timeoutSeconds.`,
        id,
        pending(),
      );
    }
    if (url && isCloudPartnerError(e, "CPP_OPERATION_BLOCKED")) {
      throw new PartialFailure(
        `OfferPublish ${id}: the ${what} ${e.message.replace(/^the /, "").replace(/\.? Fix: .*$/s, "")}. Fix: ${e.fix}, then run \`pulumi up\` again to keep waiting for the same operation (no second ${what} is started), or remove the OfferPublish to cancel it.`,
        id,
        pending(),
        "CPP_OPERATION_BLOCKED",
      );
    }
    throw describeFailure(`OfferPublish ${id}`, e);
  }
}

/**
 * The newest publish operation, when it started after the Draft's last change: an interrupted
 * `pulumi up` (or a lost answer to the POST) may have started it, and this deployment must not
 * start a second one for the same document. Its URL is returned to wait for; undefined means
 * publish anew.
 */
function publishedAlready(
  c: ReturnType<typeof client>,
  inputs: OfferPublishInputs,
  draft: WireOffer,
  ops: Awaited<ReturnType<ReturnType<typeof client>["listOperations"]>>,
): string | undefined {
  const latest = ops.find((o) => (o.submissionType ?? "").toLowerCase() === "publish");
  if (!latest?.id || !latest.changedTime || typeof draft.changedTime !== "string") return undefined;
  const state = (latest.submissionState ?? "").toLowerCase();
  if (state === "failed" || state === "canceled" || state === "cancelled") return undefined;
  return Date.parse(latest.changedTime) >= Date.parse(draft.changedTime)
    ? c.operationUrl(inputs.publisherId, inputs.offerId, latest.id)
    : undefined;
}

function pollOptions(
  id: string,
  phase: PublishPhase,
  deadline: number,
  inputs: OfferPublishInputs,
  s: ReturnType<typeof settings>,
) {
  let last = "";
  return {
    until: phase === "publish" ? ("signoff" as const) : ("terminal" as const),
    deadline,
    minIntervalInMs: (inputs.pollIntervalSeconds?.min ?? s.pollMinIntervalSeconds) * 1000,
    maxIntervalInMs: (inputs.pollIntervalSeconds?.max ?? s.pollMaxIntervalSeconds) * 1000,
    onProgress: (p: OperationProgress) => {
      const step = p.step
        ? `${p.step.name ?? p.step.id} ${p.step.status}${p.step.progressPercentage !== undefined ? ` ${p.step.progressPercentage}%` : ""}`
        : p.status;
      if (step === last) return;
      last = step;
      info(`OfferPublish ${id} ${phase === "publish" ? "publish" : "go-live"}: ${step}`);
    },
  };
}

/** The recorded Draft hash, as both the published one and the last seen one. */
function hashes(published: string | undefined): Pick<OfferPublishOutputs, "publishedDraftHash" | "draftHash"> {
  return published === undefined ? {} : { publishedDraftHash: published, draftHash: published };
}

/**
 * read (refresh): the offer's status, the last operation's status, and a hash of the Draft's
 * content, from the refresh's one GET of the offer (while an operation runs: a GET of the offer
 * of its own, and one of the operation). When the Draft no longer holds what was published (a
 * portal edit), `draftHash` differs from `publishedDraftHash` and the next diff republishes once
 * — after the Offer and VmPricing, on which this resource depends, have corrected the Draft.
 */
export async function read(
  id: string,
  props?: OfferPublishOutputs,
): Promise<{ id: string; props?: OfferPublishOutputs; inputs?: OfferPublishInputs }> {
  if (!props?.publisherId || !props.offerId) return { id, props };
  try {
    const c = client(props.account);
    const url = props.pendingOperationUrl ?? props.operationUrl;
    // An operation that has ended (succeeded, failed, canceled) cannot change: not read again.
    const ended = props.pendingOperationUrl === undefined && isTerminalStatus(props.operationStatus);
    // The offer document carries the same publishing status as the status endpoint (one set of
    // values for the offer, the list and the status: docs/api-notes.md §7.1), so one GET of the
    // offer gives both the status and the Draft to hash. While an operation runs, the service
    // moves that status without any write of ours, so the offer is then read afresh beside the
    // operation rather than taken from the copy the refresh keeps.
    const running = url !== undefined && !ended;
    const [draft, operation] = await Promise.all([
      running
        ? c.getOffer(props.publisherId, props.offerId, { includeAllPricing: true })
        : readOfferForRefresh(props.publisherId, props.offerId, props.account),
      running ? c.getOperationByUrl(url) : undefined,
    ]);
    const operationStatus = operation ? normalizeOperationStatus(operation) : props.operationStatus;
    const draftHash = props.publishedDraftHash ? draftContentHash(draft.value as WireOffer) : props.draftHash;
    const { publisherId, offerId, target, notificationEmails, trigger, timeoutSeconds, pollIntervalSeconds, account } =
      props;
    const inputs: OfferPublishInputs = {
      publisherId,
      offerId,
      target,
      notificationEmails,
      trigger,
      timeoutSeconds,
      pollIntervalSeconds,
      account,
    };
    const outs = dropUndefined({ ...props, offerStatus: draft.value.status, operationStatus, draftHash });
    return { id, props: outs, inputs: dropUndefined(inputs) };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return { id: "" };
    throw describeFailure(`OfferPublish ${id}`, e);
  }
}

/**
 * delete: cancels the operation if it is still running and waits for it; a finished
 * publication cannot be withdrawn through the API, so otherwise nothing is done (said in a line).
 */
export async function remove(id: string, props: OfferPublishOutputs): Promise<void> {
  const url = props.pendingOperationUrl ?? props.operationUrl;
  const c = client(props.account);
  try {
    const status = url ? normalizeOperationStatus(await c.getOperationByUrl(url)) : undefined;
    if (status !== "running" && status !== "notStarted") {
      info(
        `OfferPublish ${id} removed from the stack: nothing is running, and a publication cannot be withdrawn through the API, so nothing was changed on the service.`,
      );
      return;
    }
    info(`OfferPublish ${id}: canceling the running operation.`);
    const cancel = await c.cancelOperation(props.publisherId, props.offerId, {
      notificationEmails: props.notificationEmails,
    });
    const deadline = Date.now() + settings(props.account).operationTimeoutSeconds * 1000;
    // The cancel's Location is usually the canceled operation itself (docs/emulator.md), which
    // ends "canceled": for both URLs that end is the success this delete waits for.
    for (const target of new Set([cancel.operationUrl, url!].filter((u): u is string => u !== undefined))) {
      try {
        await c.pollOperation(target, { until: "terminal", deadline, minIntervalInMs: 1000 });
      } catch (e) {
        if (!isCloudPartnerError(e, "CPP_OPERATION_CANCELED")) throw e;
      }
    }
    info(`OfferPublish ${id}: the operation is canceled.`);
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return;
    throw describeFailure(`OfferPublish ${id}`, e);
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
