// SPDX-License-Identifier: Apache-2.0
import {
  currentStep,
  failureMessages,
  isCloudPartnerError,
  isTerminalStatus,
  normalizeOperationStatus,
  rejectedStep,
  type OperationDetail,
  type OperationProgress,
} from "../client/index.js";
import type { ResourceDiff } from "../offer/diff.js";
import type { WireOffer } from "../offer/document.js";
import { approvalMismatch, goLiveGate } from "../publish/approval.js";
import { draftContentHash } from "../publish/draft-hash.js";
import { defaultWaitFor, normalizeState, operationInFlight, phaseOf } from "../publish/phase.js";
import { diffPublish, draftChangedSincePublished, planUpdate, type PublishAction } from "../publish/plan.js";
import type { OfferPublishInputs, OfferPublishOutputs, PublishOperationKind } from "../publish/types.js";
import { containsUnknown } from "../util/unknown.js";
import { validatePublishInputs } from "../validation/publish.js";
import type { InputFailure } from "../validation/failure.js";
import { api, client, configuredApi, piaClient, readOfferForRefresh, settings } from "./context.js";
import { accountFailures } from "./account-check.js";
import { PiaPublishApi, type PublishApi } from "./publish-pia.js";
import { describeFailure, PartialFailure, ResourceError } from "./errors.js";
import { info, warn } from "./log.js";
import { ConfigurationError } from "./settings.js";
import { PROVIDER_VERSION } from "./version.js";

type Client = PublishApi;

const piaApis = new WeakMap<object, PiaPublishApi>();

/** The publishing operations of an account's API: the CPP client, or the PIA adapter (publish-pia.ts). */
function publishApi(account: string | undefined): Client {
  if (api(account) !== "productIngestion") return client(account);
  const pia = piaClient(account);
  let adapter = piaApis.get(pia);
  if (!adapter) {
    adapter = new PiaPublishApi(pia, settings(account).pollIntervalsConfigured);
    piaApis.set(pia, adapter);
  }
  return adapter;
}

/**
 * The state with its content hashes computed on the API in use: after a stack moved between the
 * APIs, what was published is read from the preview (and live) slot and the draft afresh, so an
 * unchanged offer is not republished. A read of a slot that does not exist leaves its hash out.
 */
async function onCurrentApi(state: OfferPublishOutputs): Promise<OfferPublishOutputs> {
  const onPia = api(state.account) === "productIngestion";
  if ((state.hashApi === "productIngestion") === onPia || !state.publishedContentHash) return state;
  const c = publishApi(state.account);
  const hashOf = async (slot: "Draft" | "Preview" | "Production") => {
    try {
      return draftContentHash(
        (await c.getOffer(state.publisherId, state.offerId, { slot, includeAllPricing: true })).value,
      );
    } catch (e) {
      if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return undefined;
      throw e;
    }
  };
  const [draft, preview, live] = [await hashOf("Draft"), await hashOf("Preview"), await hashOf("Production")];
  const next: OfferPublishOutputs = {
    ...state,
    publishedContentHash: preview ?? live ?? state.publishedContentHash,
    draftHash: draft ?? state.draftHash,
    ...(state.approval && live ? { approval: { ...state.approval, contentHash: live } } : {}),
  };
  if (onPia) next.hashApi = "productIngestion";
  else delete next.hashApi;
  info(
    `OfferPublish ${publishId(state)}: content hashes computed again on the ${onPia ? "Product Ingestion" : "Cloud Partner Portal"} API (the stack moved between the APIs); nothing is published for it.`,
  );
  return next;
}

/** The statuses of an operation that a wait may reach its deadline on and still end green. */
const NORMAL_WAIT: ReadonlySet<string> = new Set(["running", "notStarted", "waitingForSignoff"]);

/**
 * Whether the last publish stands for a Draft that holds its content again: while it is in
 * certification always; once it waits for sign-off or is live, unless a refresh saw the Draft
 * edited elsewhere since (that edit may have been published from Partner Center, so the content
 * the program owns is published once more after the Offer has restored it).
 */
function sameContentStands(olds: OfferPublishOutputs): boolean {
  if (olds.phase === "inProgress") return true;
  return (olds.phase === "waitingForSignoff" || olds.phase === "live") && !draftChangedSincePublished(olds);
}

/** The inputs of OfferPublish, which a read hands back to the engine from the state. */
const INPUT_KEYS = [
  "publisherId",
  "offerId",
  "target",
  "waitFor",
  "failOnTimeout",
  "approvedContentHash",
  "notificationEmails",
  "trigger",
  "timeoutSeconds",
  "pollIntervalSeconds",
  "account",
] as const satisfies ReadonlyArray<keyof OfferPublishInputs>;

/** The poller's codes for an operation that ended without success. */
const ENDED = ["CPP_OPERATION_FAILED", "CPP_OPERATION_REJECTED", "CPP_OPERATION_CANCELED"] as const;

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
  const account = typeof news.account === "string" ? news.account : undefined;
  if (news.notificationEmails !== undefined && configuredApi(account) === "productIngestion") {
    failures.push({
      property: "notificationEmails",
      reason:
        'the Product Ingestion API sends no notification emails of its own (cloudpartner:api is "productIngestion"); ' +
        "Partner Center notifies the account's contacts: remove notificationEmails",
    });
  }
  return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
}

/**
 * diff (see publish/plan.ts). While the state follows an operation still in progress, its status
 * is read from the service (one GET, no write), so that a certification that failed since, or a
 * preview now waiting for sign-off, decides the plan; without credentials (a pull request's
 * preview) the phase recorded in state decides. A plan that goes live says which content.
 */
export async function diff(id: string, olds: OfferPublishOutputs, news: OfferPublishInputs): Promise<ResourceDiff> {
  const state = await observe(await onCurrentApiForDiff(normalizeState(olds)), "diff");
  const result = diffPublish(state, news, PROVIDER_VERSION);
  if (result.changes && result.replaces.length === 0 && !containsUnknown(news)) {
    const action = planUpdate(state, news);
    if (action.kind === "goLive") {
      const hash = state.publishedContentHash ?? "(unknown)";
      const approved = news.approvedContentHash;
      if (approved === hash) info(`OfferPublish ${id}: up would take content ${hash} live (approvedContentHash).`);
      else if (approved === "unreviewed")
        info(`OfferPublish ${id}: up would take the preview live unreviewed (its last publish carried ${hash}).`);
      else
        warn(
          `OfferPublish ${id}: up would not go live: the preview holds content ${hash}, but approvedContentHash is ${approved}; the up fails before any go-live. Fix: review the preview and set approvedContentHash to "${hash}".`,
        );
    } else if (action.kind === "approvalMismatch") warn(`${action.reason}.`);
    else if (action.kind === "reportEnded")
      warn(
        `OfferPublish ${id}: the last ${kindWord(state.operationKind)} ${state.phase === "canceled" ? "was canceled" : "failed"}; up fails until the content or the trigger changes.`,
      );
  }
  return result;
}

/** create: publish, and follow the operation as far as `waitFor` says (see {@link run}). */
export async function create(inputs: OfferPublishInputs): Promise<{ id: string; outs: OfferPublishOutputs }> {
  // Not in state yet: an interrupted earlier `up` may already have started the publish.
  return { id: publishId(inputs), outs: await run(inputs, { kind: "publish" }, undefined, true) };
}

/** update: what publish/plan.ts decides, from the state and the operation's status now. */
export async function update(
  id: string,
  olds: OfferPublishOutputs,
  news: OfferPublishInputs,
): Promise<{ outs: OfferPublishOutputs }> {
  const state = await observe(await onCurrentApi(normalizeState(olds)), "update");
  const action = planUpdate(state, news);
  if (action.kind === "none") {
    if (action.note) info(`OfferPublish ${id}: ${action.note}.`);
    return { outs: dropUndefined({ ...state, ...news, providerVersion: PROVIDER_VERSION }) };
  }
  if (action.kind === "reportEnded") throw endedError(id, { ...state, ...news, providerVersion: PROVIDER_VERSION });
  if (action.kind === "approvalMismatch") throw new ResourceError(action.reason, "CPP_APPROVAL_MISMATCH");
  // Like create: an interrupted earlier `up` (or a lost answer) may have started the operation.
  return { outs: await run(news, action, state, true) };
}

/**
 * Starts what `action` needs and follows it as far as `waitFor` says: a publish to its
 * acceptance, or to sign-off; for target `live`, through the approval gate to a go-live, then to
 * its acceptance or to the end. A wait that reaches its deadline while the operation runs ends
 * green with a warning (the state follows the operation; the next `up` or `refresh` moves on),
 * or as a partial failure with `failOnTimeout`. Anything that ends the run after this run started
 * an operation keeps that operation in state, so the next `up` never starts it twice.
 */
async function run(
  inputs: OfferPublishInputs,
  action: Exclude<PublishAction, { kind: "none" | "reportEnded" | "approvalMismatch" }>,
  olds?: OfferPublishOutputs,
  reuseRunning = false,
): Promise<OfferPublishOutputs> {
  const id = publishId(inputs);
  const s = settings(inputs.account);
  const c = publishApi(inputs.account);
  const waitFor = inputs.waitFor ?? defaultWaitFor(inputs.target);
  const timeout = inputs.timeoutSeconds ?? s.operationTimeoutSeconds;
  const deadline = Date.now() + timeout * 1000;
  const emails = inputs.notificationEmails;
  let st: OfferPublishOutputs = { ...(olds ?? {}), ...inputs, providerVersion: PROVIDER_VERSION };
  if (api(inputs.account) === "productIngestion") st.hashApi = "productIngestion";
  let started = false;
  const finish = async (): Promise<OfferPublishOutputs> => {
    st.offerStatus = (await c.getOfferStatus(inputs.publisherId, inputs.offerId)).status;
    return dropUndefined(st);
  };
  try {
    if (action.kind === "publish") {
      const [draft, ops] = await Promise.all([
        c.getOffer(inputs.publisherId, inputs.offerId, { includeAllPricing: true }),
        reuseRunning ? c.listOperations(inputs.publisherId, inputs.offerId) : undefined,
      ]);
      const hash = draftContentHash(draft.value as WireOffer);
      if (olds && hash === olds.publishedContentHash && sameContentStands(olds)) {
        // A new trigger with the content the last publish carries: that publish stands (a
        // certification in progress is never restarted for it).
        info(
          `OfferPublish ${id}: the Draft holds the content the last publish carries (${hash}); nothing is published again.`,
        );
        st = { ...st, draftHash: hash };
      } else {
        if (olds && operationInFlight(olds)) await supersede(c, id, inputs, olds, deadline);
        const earlier = !reuseRunning
          ? undefined
          : c.publishedAlready
            ? await c.publishedAlready(inputs.publisherId, inputs.offerId, hash)
            : publishedAlready(c, inputs, draft.value as WireOffer, ops ?? []);
        if (earlier)
          info(
            `OfferPublish ${id}: an earlier deployment already started publishing this document; following that operation instead of publishing again.`,
          );
        const url =
          earlier ??
          (await c.beginPublish(inputs.publisherId, inputs.offerId, { notificationEmails: emails })).operationUrl;
        started = earlier === undefined;
        st = {
          ...st,
          operationKind: "publish",
          operationUrl: url,
          operationStatus: "running",
          phase: "inProgress",
          publishedContentHash: hash,
          draftHash: hash,
          failure: undefined,
          step: undefined,
          stepPercentage: undefined,
        };
        if (started) info(`OfferPublish ${id}: the service accepted the publish of content ${hash}.`);
        // Target live with an approval of other content: it can never take this content live.
        const stale =
          inputs.target === "live"
            ? approvalMismatch(inputs.approvedContentHash, hash, olds, id, "the publish just started carries")
            : undefined;
        if (stale) throw new PartialFailure(stale, id, await finish(), "CPP_APPROVAL_MISMATCH");
      }
    } else if (action.kind === "resume") {
      info(
        `OfferPublish ${id}: following the ${kindWord(st.operationKind)} operation already running (none is started).`,
      );
    }

    if (st.phase === "inProgress" && st.operationKind === "publish") {
      const followed = await follow(c, id, st, waitFor === "accepted" ? "once" : "signoff", deadline, inputs, s);
      if (followed === "timedOut") return timedOut(id, await finish(), timeout, inputs);
      st = followed;
      if (st.phase === "waitingForSignoff") info(`OfferPublish ${id}: the preview is ready for publisher sign-off.`);
      if (st.phase === "failed" || st.phase === "canceled") throw endedError(id, await finish());
    }

    if (st.phase === "waitingForSignoff" && inputs.target === "live") {
      const preview = await c.getOffer(inputs.publisherId, inputs.offerId, {
        slot: "Preview",
        includeAllPricing: true,
      });
      const previewHash = draftContentHash(preview.value as WireOffer);
      const gate = goLiveGate(inputs.approvedContentHash, previewHash, olds, id);
      if (!gate.go && gate.waitForReview) info(gate.note);
      else if (!gate.go) {
        const err = new ResourceError(gate.reason, "CPP_APPROVAL_MISMATCH");
        if (started) throw new PartialFailure(err.message, id, await finish(), "CPP_APPROVAL_MISMATCH");
        throw err;
      } else {
        // A go-live of this preview that an interrupted run (or a lost answer) already started is
        // followed, never requested twice.
        const earlier = goLiveAlready(c, inputs, await c.listOperations(inputs.publisherId, inputs.offerId));
        if (earlier) info(`OfferPublish ${id}: a go-live of this preview was already started; following it.`);
        const url =
          earlier ??
          (await c.beginGoLive(inputs.publisherId, inputs.offerId, { notificationEmails: emails })).operationUrl;
        started = earlier === undefined;
        st = {
          ...st,
          operationKind: "goLive",
          operationUrl: url,
          operationStatus: "running",
          phase: "inProgress",
          step: undefined,
          stepPercentage: undefined,
          approval: { contentHash: previewHash, reviewed: gate.reviewed, recordedAt: new Date().toISOString() },
        };
        info(
          `OfferPublish ${id}: going live with content ${previewHash} (${gate.reviewed ? "approved" : "unreviewed, as approvedContentHash says"}).`,
        );
      }
    }

    if (st.phase === "inProgress" && st.operationKind === "goLive") {
      const followed = await follow(c, id, st, waitFor === "live" ? "terminal" : "once", deadline, inputs, s);
      if (followed === "timedOut") return timedOut(id, await finish(), timeout, inputs);
      st = followed;
      if (st.phase === "live") info(`OfferPublish ${id}: the offer is live.`);
      if (st.phase === "failed" || st.phase === "canceled") throw endedError(id, await finish());
    }
    return await finish();
  } catch (e) {
    if (e instanceof PartialFailure || e instanceof ResourceError) throw e;
    // A blocked step leaves the operation running on the service: the resource is kept in state
    // with it, and the next `up` follows the same operation.
    if (st.operationUrl && isCloudPartnerError(e, "CPP_OPERATION_BLOCKED")) {
      const what = kindWord(st.operationKind);
      throw new PartialFailure(
        `OfferPublish ${id}: the ${what} ${e.message.replace(/^the /, "").replace(/\.? Fix: .*$/s, "")}. Fix: ${e.fix}, then run \`pulumi up\` again to keep following the same operation (no second ${what} is started), or remove the OfferPublish to cancel it.`,
        id,
        dropUndefined({ ...st, phase: "inProgress" }),
        "CPP_OPERATION_BLOCKED",
      );
    }
    if (started) {
      const failure = describeFailure(`OfferPublish ${id}`, e);
      throw new PartialFailure(
        `${failure.message} (the ${kindWord(st.operationKind)} operation was started and is kept in state: the next \`pulumi up\` follows it)`,
        id,
        dropUndefined(st),
      );
    }
    throw describeFailure(`OfferPublish ${id}`, e);
  }
}

/**
 * Follows the operation of `st`: `once` reads it once (the service recorded it; its step),
 * `signoff` polls until the preview waits for sign-off, `terminal` until it ends. Returns the
 * state with the operation's phase, step and failure, or `timedOut` at the deadline.
 */
async function follow(
  c: Client,
  id: string,
  st: OfferPublishOutputs,
  until: "once" | "signoff" | "terminal",
  deadline: number,
  inputs: OfferPublishInputs,
  s: ReturnType<typeof settings>,
): Promise<OfferPublishOutputs | "timedOut"> {
  const url = st.operationUrl!;
  const kind = st.operationKind ?? "publish";
  let last: OperationDetail | undefined;
  try {
    last =
      until === "once"
        ? await c.getOperationByUrl(url)
        : await c.pollOperation(
            url,
            pollOptions(id, kind, until, deadline, inputs, s, (p) => (last = p.raw)),
          );
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_DEADLINE_EXCEEDED")) {
      Object.assign(st, withOperation(st, kind, last));
      // Only a wait for an operation seen running normally ends green: a status nobody
      // documents, or polls that never answered, is not a normal wait.
      if (!NORMAL_WAIT.has(e.lastStatus ?? "")) {
        const what = kindWord(kind);
        throw new PartialFailure(
          `OfferPublish ${id}: the ${what} operation could not be followed until the deadline: ${e.message}. It is kept in state: run \`pulumi up\` again to keep following the same operation (no second ${what} is started).`,
          id,
          dropUndefined(st),
        );
      }
      return "timedOut";
    }
    // Failed, rejected or canceled: the phase says where it ended (run() reports it).
    if (ENDED.some((code) => isCloudPartnerError(e, code))) return withOperation(st, kind, last);
    throw e;
  }
  return withOperation(st, kind, last);
}

/** The state with what one read of its operation says: status, phase, step, failure. */
function withOperation(
  st: OfferPublishOutputs,
  kind: PublishOperationKind,
  op: OperationDetail | undefined,
): OfferPublishOutputs {
  if (!op) return st;
  const status = normalizeOperationStatus(op);
  const phase = phaseOf(kind, status);
  const step = currentStep(op);
  const rejected = phase === "failed" ? rejectedStep(op) : undefined;
  const failed = rejected ?? step;
  return {
    ...st,
    operationStatus: status,
    phase,
    step: step?.stepName ?? step?.id,
    stepPercentage: step?.progressPercentage,
    failure:
      phase === "failed"
        ? {
            ...(failed ? { step: failed.stepName ?? failed.id } : {}),
            messages: failureMessages(op),
            ...(rejected ? { rejected: true } : {}),
          }
        : undefined,
  };
}

/** A wait that reached its deadline while the operation runs normally. */
function timedOut(
  id: string,
  st: OfferPublishOutputs,
  waited: number,
  inputs: OfferPublishInputs,
): OfferPublishOutputs {
  const what = kindWord(st.operationKind);
  const where = st.step
    ? ` at step "${st.step}"${st.stepPercentage !== undefined ? ` (${st.stepPercentage}%)` : ""}`
    : "";
  const head = `OfferPublish ${id}: the ${what} operation is still in progress${where} after ${waited} s. It continues on the service`;
  if (inputs.failOnTimeout)
    throw new PartialFailure(
      `${head}; the next \`pulumi up\` waits for the same operation again, and no second ${what} is started (failOnTimeout is set).`,
      id,
      st,
    );
  warn(`${head}; \`pulumi refresh\` shows where it is, and no second ${what} of this content is started.`);
  return st;
}

/** The error of an operation that ended failed or canceled: its step's messages and what to do. */
function endedError(id: string, st: OfferPublishOutputs): PartialFailure {
  const what = kindWord(st.operationKind);
  const resubmit =
    "change the offer (its content) and run `pulumi up`, which publishes once; to submit the same content again, change this OfferPublish's trigger (e.g. add a retry counter to it)";
  if (st.phase === "canceled")
    return new PartialFailure(
      `OfferPublish ${id}: the ${what} operation was canceled outside this deployment (in Partner Center or by another pipeline). Nothing is submitted again by itself. Fix: ${resubmit}.`,
      id,
      dropUndefined(st),
      "CPP_OPERATION_CANCELED",
    );
  const messages = st.failure?.messages ?? [];
  const rejected = st.failure?.rejected === true;
  const at = st.failure?.step ? ` at step "${st.failure.step}"` : "";
  const said = messages.length ? `: ${messages.join(" | ")}` : "";
  const address = rejected
    ? "address each reason the step gives (the certification report in Partner Center has the details)"
    : "address what the messages say (the offer's status page in Partner Center has the report)";
  return new PartialFailure(
    `OfferPublish ${id}: the ${what} of content ${st.publishedContentHash ?? "(unknown)"} ${rejected ? "was rejected" : "failed"}${at}${said}. Nothing is submitted again by itself. Fix: ${address}, then ${resubmit}.`,
    id,
    dropUndefined(st),
    rejected ? "CPP_OPERATION_REJECTED" : "CPP_OPERATION_FAILED",
  );
}

/**
 * New content while a publish is still in certification: the service answers a publish while
 * one runs with the running one, so the new content would never be published. The running
 * publish is canceled first (its content is superseded). A go-live that runs cannot be
 * superseded: its end is waited for by a later `up`.
 */
async function supersede(
  c: Client,
  id: string,
  inputs: OfferPublishInputs,
  olds: OfferPublishOutputs,
  deadline: number,
): Promise<void> {
  const url = olds.operationUrl!;
  const status = normalizeOperationStatus(await c.getOperationByUrl(url));
  if (status !== "running" && status !== "notStarted" && status !== "unknown") return;
  if (olds.operationKind === "goLive")
    throw new ResourceError(
      `OfferPublish ${id}: the content changed while a go-live is running; the service takes no publish until it ends. Nothing was started. Fix: run \`pulumi up\` again once \`pulumi refresh\` shows phase "live" (or "failed"); it then publishes the new content once`,
      "CPP_CONFLICT",
    );
  info(
    `OfferPublish ${id}: the publish of content ${olds.publishedContentHash ?? "(unknown)"} is still in progress and is superseded by new content: canceling it first.`,
  );
  const cancel = await c.cancelOperation(inputs.publisherId, inputs.offerId, {
    notificationEmails: inputs.notificationEmails,
    operationUrl: url,
  });
  await waitCanceled(c, [cancel.operationUrl, url], deadline);
}

/** Waits until each operation URL has ended (`canceled` is the success looked for). */
async function waitCanceled(c: Client, urls: Array<string | undefined>, deadline: number): Promise<void> {
  // The cancel's Location is usually the canceled operation itself (docs/emulator.md).
  for (const target of new Set(urls.filter((u): u is string => u !== undefined))) {
    try {
      // A step held for the publisher stays `blocked` until the cancel takes effect: wait on.
      await c.pollOperation(target, { until: "terminal", deadline, minIntervalInMs: 1000, whenBlocked: "wait" });
    } catch (e) {
      if (!isCloudPartnerError(e, "CPP_OPERATION_CANCELED")) throw e;
    }
  }
}

/** {@link onCurrentApi} for diff, which a pull request's preview may run without credentials. */
async function onCurrentApiForDiff(state: OfferPublishOutputs): Promise<OfferPublishOutputs> {
  try {
    return await onCurrentApi(state);
  } catch (e) {
    if (!(e instanceof ConfigurationError))
      warn(
        `OfferPublish ${publishId(state)}: could not read the offer on the API in use (${e instanceof Error ? e.message : String(e)}); this preview uses the state as it is.`,
      );
    return state;
  }
}

/**
 * The state with its operation's status as the service reports it now, when the state follows
 * one still in progress (one GET). For diff, an answer that cannot be had (no credentials in a
 * pull request's preview, a transient error) leaves the state as it is, with a line saying so.
 */
async function observe(state: OfferPublishOutputs, during: "diff" | "update"): Promise<OfferPublishOutputs> {
  if (!operationInFlight(state)) return state;
  try {
    const op = await publishApi(state.account).getOperationByUrl(state.operationUrl!);
    return withOperation(state, state.operationKind ?? "publish", op);
  } catch (e) {
    if (during === "update") throw describeFailure(`OfferPublish ${publishId(state)}`, e);
    if (!(e instanceof ConfigurationError))
      warn(
        `OfferPublish ${publishId(state)}: could not read the operation's status (${e instanceof Error ? e.message : String(e)}); this preview uses the phase in state (${state.phase}).`,
      );
    return state;
  }
}

/**
 * The newest publish operation, when it started after the Draft's last change: an interrupted
 * `pulumi up` (or a lost answer to the POST) may have started it, and this deployment must not
 * start a second one for the same document. Its URL is returned to follow; undefined means
 * publish anew.
 */
function publishedAlready(
  c: Client,
  inputs: OfferPublishInputs,
  draft: WireOffer,
  ops: Awaited<ReturnType<Client["listOperations"]>>,
): string | undefined {
  const latest = ops.find((o) => (o.submissionType ?? "").toLowerCase() === "publish");
  if (!latest?.id || !latest.changedTime || typeof draft.changedTime !== "string") return undefined;
  const state = (latest.submissionState ?? "").toLowerCase();
  if (state === "failed" || state === "canceled" || state === "cancelled") return undefined;
  return Date.parse(latest.changedTime) >= Date.parse(draft.changedTime)
    ? c.operationUrl(inputs.publisherId, inputs.offerId, latest.id)
    : undefined;
}

/**
 * The newest operation, when it is a go-live that has not failed: while the state follows a
 * preview waiting for sign-off, such a go-live can only be of that preview (the service takes a
 * go-live only after sign-off). Its URL is returned to follow; undefined means start one.
 */
function goLiveAlready(
  c: Client,
  inputs: OfferPublishInputs,
  ops: Awaited<ReturnType<Client["listOperations"]>>,
): string | undefined {
  const newest = ops[0];
  if (!newest?.id || !/^go-?live$/i.test(newest.submissionType ?? "")) return undefined;
  const state = (newest.submissionState ?? "").toLowerCase();
  if (state === "failed" || state === "canceled" || state === "cancelled") return undefined;
  return c.operationUrl(inputs.publisherId, inputs.offerId, newest.id);
}

function pollOptions(
  id: string,
  kind: PublishOperationKind,
  until: "signoff" | "terminal",
  deadline: number,
  inputs: OfferPublishInputs,
  s: ReturnType<typeof settings>,
  seen: (p: OperationProgress) => void,
) {
  let last = "";
  return {
    until,
    deadline,
    minIntervalInMs: (inputs.pollIntervalSeconds?.min ?? s.pollMinIntervalSeconds) * 1000,
    maxIntervalInMs: (inputs.pollIntervalSeconds?.max ?? s.pollMaxIntervalSeconds) * 1000,
    onProgress: (p: OperationProgress) => {
      seen(p);
      const step = p.step
        ? `${p.step.name ?? p.step.id} ${p.step.status}${p.step.progressPercentage !== undefined ? ` ${p.step.progressPercentage}%` : ""}`
        : p.status;
      if (step === last) return;
      last = step;
      info(`OfferPublish ${id} ${kindWord(kind)}: ${step}`);
    },
  };
}

function kindWord(kind: PublishOperationKind | undefined): string {
  return kind === "goLive" ? "go-live" : "publish";
}

/**
 * read (refresh): where the publication is — the operation's status, phase, step and failure
 * (one GET of the operation while it can still change), the offer's status and a hash of the
 * Draft's content (from the refresh's one GET of the offer). When the Draft no longer holds what
 * was published (a portal edit), `draftHash` differs from `publishedContentHash` and the next
 * diff republishes once — after the Offer and VmPricing, on which this resource depends, have
 * corrected the Draft.
 */
export async function read(
  id: string,
  props?: OfferPublishOutputs,
): Promise<{ id: string; props?: OfferPublishOutputs; inputs?: OfferPublishInputs }> {
  if (!props?.publisherId || !props.offerId) return { id, props };
  try {
    const state = await onCurrentApi(normalizeState(props));
    const onPia = api(state.account) === "productIngestion";
    const c = publishApi(state.account);
    const url = state.operationUrl;
    // An operation that has ended (succeeded, failed, canceled) cannot change: not read again.
    const running = url !== undefined && !isTerminalStatus(state.operationStatus);
    // The offer document carries the same publishing status as the status endpoint (one set of
    // values for the offer, the list and the status: docs/internals/api-notes.md §7.1), so one GET of the
    // offer gives both the status and the Draft to hash. While an operation runs, the service
    // moves that status without any write of ours, so the offer is then read afresh beside the
    // operation rather than taken from the copy the refresh keeps.
    const [draft, operation] = await Promise.all([
      running || onPia
        ? c.getOffer(state.publisherId, state.offerId, { includeAllPricing: true })
        : readOfferForRefresh(state.publisherId, state.offerId, state.account),
      running
        ? c.getOperationByUrl(url).catch((e: unknown) => {
            // The offer is there (its read succeeded or fails on its own): an operation the service
            // no longer knows leaves the state as it is, and the resource stays.
            if (!isCloudPartnerError(e, "CPP_NOT_FOUND")) throw e;
            warn(`OfferPublish ${id}: the service no longer knows operation ${url}; its phase is left as it was.`);
            return undefined;
          })
        : undefined,
    ]);
    const followed = operation ? withOperation(state, state.operationKind ?? "publish", operation) : state;
    const draftHash = state.publishedContentHash ? draftContentHash(draft.value as WireOffer) : state.draftHash;
    const inputs = Object.fromEntries(INPUT_KEYS.map((k) => [k, state[k]])) as unknown as OfferPublishInputs;
    const outs = dropUndefined({ ...followed, offerStatus: draft.value.status, draftHash });
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
  const state = normalizeState(props);
  const url = state.operationUrl;
  try {
    const c = publishApi(state.account);
    const status = url ? normalizeOperationStatus(await c.getOperationByUrl(url)) : undefined;
    if (status !== "running" && status !== "notStarted") {
      info(
        `OfferPublish ${id} removed from the stack: nothing is running, and a publication cannot be withdrawn through the API, so nothing was changed on the service.`,
      );
      return;
    }
    info(`OfferPublish ${id}: canceling the running operation.`);
    const cancel = await c.cancelOperation(state.publisherId, state.offerId, {
      notificationEmails: state.notificationEmails,
      operationUrl: url,
    });
    const deadline = Date.now() + settings(state.account).operationTimeoutSeconds * 1000;
    await waitCanceled(c, [cancel.operationUrl, url], deadline);
    info(`OfferPublish ${id}: the operation is canceled.`);
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return;
    throw describeFailure(`OfferPublish ${id}`, e);
  }
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
