// SPDX-License-Identifier: Apache-2.0
import { isCloudPartnerError, type OfferDocument, type PutConcurrency } from "../client/index.js";
import {
  diffOffer,
  definitionUnchanged,
  driftedInputs,
  lastDraftFingerprint,
  nextSecretsRevision,
  sentDefinition,
  storedOutputs,
  type ResourceDiff,
} from "../offer/diff.js";
import {
  buildPutDocument,
  changedPaths,
  contentFingerprint,
  delegatedParts,
  offerFingerprint,
  ownedContent,
  projectRemoteDefinition,
  type DelegatedParts,
  type WireOffer,
} from "../offer/document.js";
import type { OfferInputs, OfferOutputs } from "../offer/types.js";
import { splitSas } from "../util/sas.js";
import { VM_OFFER_TYPE } from "../schema/offer-types.js";
import { validateOfferInputs } from "../validation/offer.js";
import type { InputFailure } from "../validation/failure.js";
import { accountFailures } from "./account-check.js";
import { client, configuredApi, api, readOfferForRefresh } from "./context.js";
import * as pia from "./offer-pia.js";
import { describeFailure, ResourceError } from "./errors.js";
import { info, warn } from "./log.js";
import { PROVIDER_VERSION } from "./version.js";

/** How often an update re-reads the offer when a concurrent write (VmPricing) got in between. */
const MAX_GUARDED_ATTEMPTS = 4;

/** The Offer resource's id: `publisherId/offerId`. */
export function offerResourceId(i: { publisherId: string; offerId: string }): string {
  return `${i.publisherId}/${i.offerId}`;
}

/** check: defaults, validation and the secrets revision (see offer/diff.ts); no I/O. */
export async function check(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures?: InputFailure[] }> {
  const inputs: Record<string, unknown> = { ...news, offerTypeId: news.offerTypeId ?? VM_OFFER_TYPE };
  delete inputs.secretsRevision;
  const revision = nextSecretsRevision(olds as Partial<OfferInputs>, news as Partial<OfferInputs>);
  if (revision !== undefined) inputs.secretsRevision = revision;
  const failures = [...validateOfferInputs(inputs), ...accountFailures(inputs)];
  if (configuredApi(accountOf(inputs)) === "productIngestion") failures.push(...pia.piaInputFailures(inputs));
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

function accountOf(inputs: Record<string, unknown>): string | undefined {
  return typeof inputs.account === "string" ? inputs.account : undefined;
}

/** diff: pure comparison of the last outputs with the new inputs. */
export async function diff(_id: string, olds: OfferOutputs, news: OfferInputs): Promise<ResourceDiff> {
  return diffOffer(olds, news, PROVIDER_VERSION);
}

/** create: PUT without If-Match, or take over an existing offer with `adopt: true`. */
export async function create(inputs: OfferInputs): Promise<{ id: string; outs: OfferOutputs }> {
  if (api(inputs.account) === "productIngestion") return pia.create(inputs);
  const name = `Offer ${offerResourceId(inputs)}`;
  try {
    if (inputs.adopt) return { id: offerResourceId(inputs), outs: await adopt(inputs) };
    const put = await client(inputs.account).putOffer(
      inputs.publisherId,
      inputs.offerId,
      buildPutDocument(withSignatures(inputs)) as OfferDocument,
      { concurrency: { mode: "createOnly" } },
    );
    if (!put.created)
      warn(
        `${name} already existed and the service accepted a write without If-Match: it now holds this program's definition.`,
      );
    return { id: offerResourceId(inputs), outs: outputs(inputs, put.value, put.etag) };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_CONFLICT")) {
      throw new ResourceError(
        `${name} already exists in the Cloud Partner Portal. To manage it with Pulumi, set \`adopt: true\` on this Offer: the next \`pulumi up\` reads it, prints what your definition changes, and writes it with the offer's ETag.`,
        "CPP_OFFER_EXISTS",
        e,
      );
    }
    throw describeFailure(name, e);
  }
}

async function adopt(inputs: OfferInputs): Promise<OfferOutputs> {
  const name = `Offer ${offerResourceId(inputs)}`;
  let current;
  try {
    current = await client(inputs.account).getOffer(inputs.publisherId, inputs.offerId, { includeAllPricing: true });
  } catch (e) {
    if (!isCloudPartnerError(e, "CPP_NOT_FOUND")) throw e;
    info(`${name}: adopt is set but the offer does not exist yet; creating it.`);
    const put = await client(inputs.account).putOffer(
      inputs.publisherId,
      inputs.offerId,
      buildPutDocument(withSignatures(inputs)) as OfferDocument,
      { concurrency: { mode: "createOnly" } },
    );
    return outputs(inputs, put.value, put.etag);
  }
  const remote = current.value as WireOffer;
  if (remote.offerTypeId && remote.offerTypeId !== inputs.offerTypeId) {
    throw new ResourceError(
      `${name} exists with offerTypeId "${remote.offerTypeId}", not "${inputs.offerTypeId}"; set offerTypeId: "${remote.offerTypeId}" to adopt it (the type of an offer cannot change).`,
      "CPP_OFFER_TYPE_MISMATCH",
    );
  }
  const delegated = delegatedParts(inputs.definition);
  const seen = projectRemoteDefinition(remote, delegated);
  const changes = changedPaths(ownedContent(seen), ownedContent(inputs.definition));
  const sameSignatures = contentFingerprint(seen, delegated) === contentFingerprint(sentDefinition(inputs), delegated);
  if (changes.length === 0 && sameSignatures && !inputs.secrets) {
    info(`${name}: adopted; the offer already matches the definition, nothing written.`);
    return outputs(inputs, current.value, current.etag);
  }
  info(
    `${name}: adopting the existing offer; this program changes ${changes.length > 0 ? changes.join(", ") : "secret fields or SAS signatures only"}.`,
  );
  const concurrency: PutConcurrency = current.etag
    ? { mode: "ifMatch", etag: current.etag }
    : { mode: "lastWriterWins" };
  if (!current.etag)
    info(`${name}: the service returned no ETag, so the takeover is written without a concurrency check.`);
  const put = await client(inputs.account).putOffer(
    inputs.publisherId,
    inputs.offerId,
    buildPutDocument(withSignatures(inputs), remote) as OfferDocument,
    { concurrency },
  );
  return outputs(inputs, put.value, put.etag);
}

/**
 * update: PUT with the ETag from state (one request). When the inputs leave some plan's pricing
 * to VmPricing, or state has no ETag, the offer is read first: the write goes ahead only if
 * everything this Offer owns is still as it last applied it, with that read's ETag, re-reading
 * (bounded) when a VmPricing write gets in between.
 */
export async function update(id: string, olds: OfferOutputs, news: OfferInputs): Promise<{ outs: OfferOutputs }> {
  const name = `Offer ${id}`;
  if (definitionUnchanged(olds, news)) {
    const { etag, version, status, changedTime } = olds;
    return { outs: { ...outputsOf(news), etag, version, status, changedTime } };
  }
  if (api(news.account) === "productIngestion") return pia.update(id, olds, news);
  const lastWriterWins = news.concurrency === "lastWriterWins";
  const parts = delegatedParts(news.definition);
  const needsRead = parts.pricing.length + (parts.images?.length ?? 0) > 0 || (!olds.etag && !lastWriterWins);
  const doc = withSignatures(news);
  try {
    if (!needsRead) {
      const concurrency: PutConcurrency = lastWriterWins
        ? { mode: "lastWriterWins" }
        : { mode: "ifMatch", etag: olds.etag! };
      const put = await client(news.account).putOffer(
        news.publisherId,
        news.offerId,
        buildPutDocument(doc) as OfferDocument,
        { concurrency },
      );
      return { outs: outputs(news, put.value, put.etag) };
    }
    const applied = lastDraftFingerprint(olds);
    const delegated = lastDelegated(olds, news);
    for (let attempt = 1; ; attempt++) {
      const current = await client(news.account).getOffer(news.publisherId, news.offerId, { includeAllPricing: true });
      const remote = current.value as WireOffer;
      if (!lastWriterWins && applied !== undefined) {
        const seen = projectRemoteDefinition(remote, delegated);
        if (contentFingerprint(seen, delegated) !== applied) throw changedOutside(name);
      }
      const concurrency: PutConcurrency = current.etag
        ? { mode: "ifMatch", etag: current.etag }
        : { mode: "lastWriterWins" };
      try {
        const put = await client(news.account).putOffer(
          news.publisherId,
          news.offerId,
          buildPutDocument(doc, remote) as OfferDocument,
          { concurrency },
        );
        return { outs: outputs(news, put.value, put.etag) };
      } catch (e) {
        if (!isCloudPartnerError(e, "CPP_PRECONDITION_FAILED") || attempt >= MAX_GUARDED_ATTEMPTS) throw e;
      }
    }
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_PRECONDITION_FAILED")) throw changedOutside(name, e);
    throw describeFailure(name, e);
  }
}

function changedOutside(name: string, cause?: unknown): ResourceError {
  const what = cause
    ? " (HTTP 412: the ETag in state is stale)"
    : " (the listing or plans differ from what this Offer last applied or read)";
  return new ResourceError(
    `${name} changed outside Pulumi since it was last read${what}. Run \`pulumi refresh\` to take in the change, then \`pulumi up\` to apply your definition over it; or set concurrency: "lastWriterWins" on the Offer to overwrite without this check.`,
    "CPP_CHANGED_OUTSIDE",
    cause,
  );
}

/** `publisherId/offerId` from an Offer's id, or undefined when it is not of that form. */
export function parseOfferResourceId(id: string): { publisherId: string; offerId: string } | undefined {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(id);
  return m ? { publisherId: m[1], offerId: m[2] } : undefined;
}

/**
 * read (refresh): GET the Draft slot. The outputs take in what the service holds (the owned
 * content's fingerprint, the SAS signatures, ETag and status), so the next diff shows drift and
 * `up` corrects it; the public `fingerprint` stays as applied (refresh never moves it). Only when
 * the Draft differs from what was applied are inputs returned — the remote definition, so the
 * next preview shows the property-level change; otherwise the engine keeps the program's inputs.
 * A vanished offer returns an empty id and refresh drops the resource. `Offer.get` reads with
 * the id alone (the engine's read step passes only the program's `account`): see lookup().
 */
export async function read(
  id: string,
  props?: OfferOutputs,
): Promise<{ id: string; props?: OfferOutputs; inputs?: OfferInputs }> {
  if (!props?.publisherId || !props.offerId) return lookup(id, props?.account);
  if (api(props.account) === "productIngestion") return pia.read(id, props);
  try {
    const current = await readOfferForRefresh(props.publisherId, props.offerId, props.account);
    const remote = current.value as WireOffer;
    const delegated = props.delegated ?? (props.definition ? delegatedParts(props.definition) : { pricing: [] });
    const remoteDefinition = projectRemoteDefinition(remote, delegated);
    const draftFingerprint = contentFingerprint(remoteDefinition, delegated);
    const drifted = draftFingerprint !== lastDraftFingerprint(props);
    // Without an ETag on GET (the post-2020 service) keep the stored one only while the offer
    // is unchanged; otherwise the next update reads the offer and compares before writing.
    const etag = current.etag ?? (remote.changedTime === props.changedTime ? props.etag : undefined);
    const { definition, secrets: _legacySecrets, ...kept } = props;
    const offerTypeId = typeof remote.offerTypeId === "string" ? remote.offerTypeId : props.offerTypeId;
    const outs: OfferOutputs = {
      ...kept,
      offerTypeId,
      fingerprint: props.fingerprint ?? (definition ? offerFingerprint(definition) : undefined),
      draftFingerprint,
      delegated,
      etag,
      version: num(remote.version),
      status: str(remote.status),
      changedTime: str(remote.changedTime),
    };
    if (!drifted) return { id, props: storedOutputs(outs) };
    outs.piaDraftFingerprint = pia.piaFingerprintOfRead(
      remoteDefinition,
      { offerId: props.offerId, offerTypeId },
      delegated,
    );
    // Only a drifted offer returns inputs, so only then are its SAS signatures split off.
    const inputs = driftedInputs(props, offerTypeId, splitSas(remoteDefinition));
    return { id, props: storedOutputs(outs), inputs };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return { id: "" };
    throw describeFailure(`Offer ${id}`, e);
  }
}

/**
 * `Offer.get`: the whole Draft of an existing offer as outputs and inputs (SAS signatures split
 * off as for a managed Offer), nothing managed or written.
 */
async function lookup(
  id: string,
  account: string | undefined,
): Promise<{ id: string; props: OfferOutputs; inputs: OfferInputs }> {
  const ref = parseOfferResourceId(id);
  if (!ref) {
    throw new ResourceError(
      `Offer ${id}: an Offer's id is "publisherId/offerId" (e.g. Offer.get("existing", "contoso/my-offer")); fix the id.`,
      "CPP_INVALID_ID",
    );
  }
  try {
    if (api(account) === "productIngestion") {
      const found = await pia.lookup(ref, account);
      if (!found) throw notFound(id, "in Partner Center");
      return found;
    }
    const current = await client(account).getOffer(ref.publisherId, ref.offerId, { includeAllPricing: true });
    const remote = current.value as WireOffer;
    const delegated: DelegatedParts = { pricing: [] };
    const seen = splitSas(projectRemoteDefinition(remote, delegated));
    const inputs: OfferInputs = {
      publisherId: ref.publisherId,
      offerId: ref.offerId,
      offerTypeId: typeof remote.offerTypeId === "string" ? remote.offerTypeId : VM_OFFER_TYPE,
      definition: seen.value,
      sasSignatures: seen.signatures,
      ...(account !== undefined ? { account } : {}),
    };
    // Outputs hold no secret, as a managed Offer's: the signatures stay in the inputs, which the
    // engine encrypts (the Offer class registers sasSignatures as a secret).
    const { sasSignatures: _sas, ...shown } = inputs;
    const props: OfferOutputs = {
      ...shown,
      fingerprint: offerFingerprint(seen.value),
      draftFingerprint: contentFingerprint(seen.value, delegated),
      delegated,
      etag: current.etag,
      version: num(remote.version),
      status: str(remote.status),
      changedTime: str(remote.changedTime),
      providerVersion: PROVIDER_VERSION,
    };
    return { id, props: storedOutputs(props), inputs };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) throw notFound(id, "in the Cloud Partner Portal", e);
    throw describeFailure(`Offer ${id}`, e);
  }
}

function notFound(id: string, where: string, cause?: unknown): ResourceError {
  return new ResourceError(
    `Offer ${id} does not exist ${where} (or the principal cannot see it): check the publisher and offer ids of Offer.get.`,
    "CPP_OFFER_NOT_FOUND",
    cause,
  );
}

/** delete: the Offer never deletes an offer; it is retained and one warning line says so. */
export async function remove(id: string): Promise<void> {
  warn(
    `Offer ${id} was removed from the stack but retained in Partner Center: an offer is never deleted by Pulumi. Delete or stop-sell it in Partner Center if it should go.`,
  );
}

/** The inputs with their SAS signatures back in the definition: what is sent, never stored. */
function withSignatures(inputs: OfferInputs): OfferInputs {
  return { ...inputs, definition: sentDefinition(inputs) };
}

/**
 * What the Offer keeps of its inputs: the small ones and fingerprints — not the definition
 * (it is in the inputs), and no secret: neither `secrets` nor the SAS signatures.
 */
function outputsOf(inputs: OfferInputs): OfferOutputs {
  const { definition, secrets: _secrets, sasSignatures: _sas, ...small } = inputs;
  return storedOutputs({
    ...small,
    fingerprint: offerFingerprint(definition),
    draftFingerprint: contentFingerprint(sentDefinition(inputs), delegatedParts(definition)),
    delegated: delegatedParts(definition),
    piaDraftFingerprint: pia.piaFingerprintOfInputs(inputs),
    providerVersion: PROVIDER_VERSION,
  });
}

function outputs(inputs: OfferInputs, doc: OfferDocument, etag: string | undefined): OfferOutputs {
  const d = doc as WireOffer;
  return {
    ...outputsOf(inputs),
    etag,
    version: num(d.version),
    status: str(d.status),
    changedTime: str(d.changedTime),
  };
}

/** The delegated parts the Draft was last compared under (state of 0.1.0: from its definition). */
function lastDelegated(olds: OfferOutputs, news: OfferInputs): DelegatedParts {
  return olds.delegated ?? (olds.definition ? delegatedParts(olds.definition) : delegatedParts(news.definition));
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
