// SPDX-License-Identifier: Apache-2.0
import { isCloudPartnerError, type OfferDocument, type PutConcurrency } from "../client/index.js";
import { diffOffer, definitionUnchanged, type ResourceDiff } from "../offer/diff.js";
import { buildPutDocument, changedPaths, plansWithDelegatedParts, projectRemoteDefinition, sameDefinition, type WireOffer } from "../offer/document.js";
import type { OfferInputs, OfferOutputs } from "../offer/types.js";
import { VM_OFFER_TYPE } from "../schema/offer-types.js";
import { validateOfferInputs } from "../validation/offer.js";
import type { InputFailure } from "../validation/failure.js";
import { client } from "./context.js";
import { describeFailure, ResourceError } from "./errors.js";
import { info, warn } from "./log.js";
import { PROVIDER_VERSION } from "./version.js";

/** How often an update re-reads the offer when a concurrent write (VmPricing) got in between. */
const MAX_GUARDED_ATTEMPTS = 4;

/** The Offer resource's id: `publisherId/offerId`. */
export function offerResourceId(i: { publisherId: string; offerId: string }): string {
  return `${i.publisherId}/${i.offerId}`;
}

/** check: defaults and validation; no I/O. */
export async function check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ inputs: Record<string, unknown>; failures?: InputFailure[] }> {
  const inputs = { ...news, offerTypeId: news.offerTypeId ?? VM_OFFER_TYPE };
  const failures = validateOfferInputs(inputs);
  return failures.length > 0 ? { inputs, failures } : { inputs };
}

/** diff: pure comparison of the last outputs with the new inputs. */
export async function diff(_id: string, olds: OfferOutputs, news: OfferInputs): Promise<ResourceDiff> {
  return diffOffer(olds, news, PROVIDER_VERSION);
}

/** create: PUT without If-Match, or take over an existing offer with `adopt: true`. */
export async function create(inputs: OfferInputs): Promise<{ id: string; outs: OfferOutputs }> {
  const name = `Offer ${offerResourceId(inputs)}`;
  try {
    if (inputs.adopt) return { id: offerResourceId(inputs), outs: await adopt(inputs) };
    const put = await client().putOffer(inputs.publisherId, inputs.offerId, buildPutDocument(inputs) as OfferDocument, { concurrency: { mode: "createOnly" } });
    if (!put.created) warn(`${name} already existed and the service accepted a write without If-Match: it now holds this program's definition.`);
    return { id: offerResourceId(inputs), outs: outputs(inputs, put.value, put.etag) };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_CONFLICT")) {
      throw new ResourceError(
        `${name} already exists in the Cloud Partner Portal. To manage it with Pulumi, set \`adopt: true\` on this Offer: the next \`pulumi up\` reads it, prints what your definition changes, and writes it with the offer's ETag.`,
        "CPP_OFFER_EXISTS", e);
    }
    throw describeFailure(name, e);
  }
}

async function adopt(inputs: OfferInputs): Promise<OfferOutputs> {
  const name = `Offer ${offerResourceId(inputs)}`;
  let current;
  try {
    current = await client().getOffer(inputs.publisherId, inputs.offerId, { includeAllPricing: true });
  } catch (e) {
    if (!isCloudPartnerError(e, "CPP_NOT_FOUND")) throw e;
    info(`${name}: adopt is set but the offer does not exist yet; creating it.`);
    const put = await client().putOffer(inputs.publisherId, inputs.offerId, buildPutDocument(inputs) as OfferDocument, { concurrency: { mode: "createOnly" } });
    return outputs(inputs, put.value, put.etag);
  }
  const remote = current.value as WireOffer;
  if (remote.offerTypeId && remote.offerTypeId !== inputs.offerTypeId) {
    throw new ResourceError(`${name} exists with offerTypeId "${remote.offerTypeId}", not "${inputs.offerTypeId}"; set offerTypeId: "${remote.offerTypeId}" to adopt it (the type of an offer cannot change).`, "CPP_OFFER_TYPE_MISMATCH");
  }
  const seen = projectRemoteDefinition(remote, inputs.definition);
  const changes = changedPaths(seen, inputs.definition);
  if (sameDefinition(seen, inputs.definition) && !inputs.secrets) {
    info(`${name}: adopted; the offer already matches the definition, nothing written.`);
    return outputs(inputs, current.value, current.etag);
  }
  info(`${name}: adopting the existing offer; this program changes ${changes.length > 0 ? changes.join(", ") : "secret fields only"}.`);
  const concurrency: PutConcurrency = current.etag ? { mode: "ifMatch", etag: current.etag } : { mode: "lastWriterWins" };
  if (!current.etag) info(`${name}: the service returned no ETag, so the takeover is written without a concurrency check.`);
  const put = await client().putOffer(inputs.publisherId, inputs.offerId, buildPutDocument(inputs, remote) as OfferDocument, { concurrency });
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
    return { outs: { ...news, etag: olds.etag, version: olds.version, status: olds.status, changedTime: olds.changedTime, providerVersion: PROVIDER_VERSION } };
  }
  const lastWriterWins = news.concurrency === "lastWriterWins";
  const needsRead = plansWithDelegatedParts(news.definition).size > 0 || (!olds.etag && !lastWriterWins);
  try {
    if (!needsRead) {
      const concurrency: PutConcurrency = lastWriterWins ? { mode: "lastWriterWins" } : { mode: "ifMatch", etag: olds.etag! };
      const put = await client().putOffer(news.publisherId, news.offerId, buildPutDocument(news) as OfferDocument, { concurrency });
      return { outs: outputs(news, put.value, put.etag) };
    }
    for (let attempt = 1; ; attempt++) {
      const current = await client().getOffer(news.publisherId, news.offerId, { includeAllPricing: true });
      const remote = current.value as WireOffer;
      if (!lastWriterWins) {
        const seen = projectRemoteDefinition(remote, olds.definition);
        if (!sameDefinition(olds.definition, seen)) throw changedOutside(name, changedPaths(olds.definition, seen));
      }
      const concurrency: PutConcurrency = current.etag ? { mode: "ifMatch", etag: current.etag } : { mode: "lastWriterWins" };
      try {
        const put = await client().putOffer(news.publisherId, news.offerId, buildPutDocument(news, remote) as OfferDocument, { concurrency });
        return { outs: outputs(news, put.value, put.etag) };
      } catch (e) {
        if (!isCloudPartnerError(e, "CPP_PRECONDITION_FAILED") || attempt >= MAX_GUARDED_ATTEMPTS) throw e;
      }
    }
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_PRECONDITION_FAILED")) throw changedOutside(name, [], e);
    throw describeFailure(name, e);
  }
}

function changedOutside(name: string, paths: string[], cause?: unknown): ResourceError {
  const what = paths.length > 0 ? ` (${paths.join(", ")})` : " (HTTP 412: the ETag in state is stale)";
  return new ResourceError(
    `${name} changed outside Pulumi since it was last read${what}. Run \`pulumi refresh\` to take in the change, then \`pulumi up\` to apply your definition over it; or set concurrency: "lastWriterWins" on the Offer to overwrite without this check.`,
    "CPP_CHANGED_OUTSIDE", cause);
}

/**
 * read (refresh): GET the Draft slot and return what the Offer sees of it, as both outputs and
 * inputs, so drift shows in the next diff and `up` corrects it. A vanished offer returns an
 * empty id and refresh drops the resource.
 */
export async function read(id: string, props?: OfferOutputs): Promise<{ id: string; props?: OfferOutputs; inputs?: OfferInputs }> {
  if (!props?.publisherId || !props.offerId) {
    throw new ResourceError(`Offer ${id}: import is not supported for dynamic resources; declare the Offer with adopt: true instead.`, "CPP_IMPORT_UNSUPPORTED");
  }
  try {
    const current = await client().getOffer(props.publisherId, props.offerId, { includeAllPricing: true });
    const remote = current.value as WireOffer;
    const definition = projectRemoteDefinition(remote, props.definition);
    // Without an ETag on GET (the post-2020 service) keep the stored one only while the offer
    // is unchanged; otherwise the next update reads the offer and compares before writing.
    const etag = current.etag ?? (remote.changedTime === props.changedTime ? props.etag : undefined);
    const inputs: OfferInputs = {
      publisherId: props.publisherId,
      offerId: props.offerId,
      offerTypeId: typeof remote.offerTypeId === "string" ? remote.offerTypeId : props.offerTypeId,
      definition,
      ...(props.secrets ? { secrets: props.secrets } : {}),
      ...(props.adopt !== undefined ? { adopt: props.adopt } : {}),
      ...(props.concurrency ? { concurrency: props.concurrency } : {}),
    };
    return { id, props: { ...inputs, etag, version: num(remote.version), status: str(remote.status), changedTime: str(remote.changedTime), providerVersion: props.providerVersion }, inputs };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return { id: "" };
    throw describeFailure(`Offer ${id}`, e);
  }
}

/** delete: the API cannot delete offers; the offer is retained and one warning line says so. */
export async function remove(id: string): Promise<void> {
  warn(`Offer ${id} was removed from the stack but retained in the Cloud Partner Portal: the API has no delete. Delete or stop-sell it in Partner Center if it should go.`);
}

function outputs(inputs: OfferInputs, doc: OfferDocument, etag: string | undefined): OfferOutputs {
  const d = doc as WireOffer;
  return { ...inputs, etag, version: num(d.version), status: str(d.status), changedTime: str(d.changedTime), providerVersion: PROVIDER_VERSION };
}

function num(v: unknown): number | undefined {
  return typeof v === "number" ? v : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
