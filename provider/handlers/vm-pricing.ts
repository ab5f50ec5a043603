// SPDX-License-Identifier: Apache-2.0
import { isCloudPartnerError, type OfferDocument } from "../client/index.js";
import type { ResourceDiff } from "../offer/diff.js";
import { stripForPut, type WireOffer } from "../offer/document.js";
import { liveRuleViolations } from "../pricing/live-rules.js";
import { fromWirePricing, toWirePricing } from "../pricing/mapping.js";
import { normalizePricing } from "../pricing/normalize.js";
import type { VmPricingSpec, WireVmPricing } from "../pricing/spec.js";
import { fingerprint } from "../util/fingerprint.js";
import { jsonClone, jsonEqual, type JsonRecord } from "../util/json.js";
import { combineSas, mergeSas, splitSas, type SasSignatures } from "../util/sas.js";
import { containsUnknown } from "../util/unknown.js";
import type { InputFailure } from "../validation/failure.js";
import { validateVmPricingInputs } from "../validation/vm-pricing.js";
import type { VmPricingInputs, VmPricingOutputs } from "../vm-pricing/types.js";
import { accountFailures } from "./account-check.js";
import { api, client, configuredApi, readOfferForRefresh } from "./context.js";
import { applyOnPia, piaPricingFailures, readOnPia } from "./vm-pricing-pia.js";
import { describeFailure, ResourceError } from "./errors.js";
import { info } from "./log.js";
import { PROVIDER_VERSION } from "./version.js";

/** Read-modify-write attempts before giving up on an offer that keeps changing. */
const MAX_ATTEMPTS = 6;

function pricingId(i: { publisherId: string; offerId: string; planId: string }): string {
  return `${i.publisherId}/${i.offerId}/${i.planId}`;
}

/** check: validation, and the canonical form of the pricing so reads compare equal. */
export async function check(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ inputs: Record<string, unknown>; failures?: InputFailure[] }> {
  const failures = [...validateVmPricingInputs(news), ...accountFailures(news)];
  if (failures.length > 0) return { inputs: news, failures };
  if (containsUnknown(news.pricing)) return { inputs: news };
  const pricing = normalizePricing(news.pricing as VmPricingSpec);
  if (configuredApi(typeof news.account === "string" ? news.account : undefined) === "productIngestion") {
    const onPia = piaPricingFailures(news.planId, toWirePricing(pricing));
    if (onPia.length > 0) return { inputs: news, failures: onPia };
  }
  return { inputs: { ...news, pricing } };
}

/** diff: the plan's identity replaces; a different pricing updates. */
export async function diff(_id: string, olds: VmPricingOutputs, news: VmPricingInputs): Promise<ResourceDiff> {
  const replaces = (["publisherId", "offerId", "planId"] as const).filter(
    (k) => !containsUnknown(news[k]) && olds[k] !== news[k],
  );
  if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
  const account = containsUnknown(news.account) || olds.account !== news.account;
  const changes =
    account ||
    containsUnknown(news.pricing) ||
    containsUnknown(news.sasSignatures) ||
    !jsonEqual(splitSas(olds.pricing).value, splitSas(news.pricing).value) ||
    (olds.signatureFingerprint ?? fingerprint(signaturesOf(olds))) !== fingerprint(signaturesOf(news)) ||
    olds.providerVersion !== PROVIDER_VERSION;
  return { changes, replaces: [] };
}

/** create: write the plan's pricing (read-modify-write with If-Match). */
export async function create(inputs: VmPricingInputs): Promise<{ id: string; outs: VmPricingOutputs }> {
  return { id: pricingId(inputs), outs: await apply(inputs) };
}

/** update: the same read-modify-write. */
export async function update(
  _id: string,
  _olds: VmPricingOutputs,
  news: VmPricingInputs,
): Promise<{ outs: VmPricingOutputs }> {
  return { outs: await apply(news) };
}

/**
 * GET the offer, set one plan's `virtualMachinePricing`, PUT it back with the ETag just read.
 * A 412 means another writer (often a sibling VmPricing applied in parallel) got in between:
 * read again and retry, bounded, so every parallel write lands and nothing else changes.
 */
async function apply(inputs: VmPricingInputs): Promise<VmPricingOutputs> {
  const name = `VmPricing ${pricingId(inputs)}`;
  const wire = toWirePricing(mergeSas(inputs.pricing, inputs.sasSignatures));
  if (api(inputs.account) === "productIngestion") {
    try {
      await applyOnPia(inputs, wire, name);
      return outputs(inputs, wire, undefined);
    } catch (e) {
      throw describeFailure(name, e);
    }
  }
  const c = client(inputs.account);
  try {
    for (let attempt = 1; ; attempt++) {
      const current = await c.getOffer(inputs.publisherId, inputs.offerId, { includeAllPricing: true });
      const doc = jsonClone(current.value) as WireOffer;
      const plan = findPlan(doc, inputs.planId);
      if (!plan) {
        throw new ResourceError(
          `${name}: offer ${inputs.publisherId}/${inputs.offerId} has no plan "${inputs.planId}". Add the plan (without pricing) to the Offer's definition.plans, and make this VmPricing depend on the Offer.`,
          "CPP_PLAN_NOT_FOUND",
        );
      }
      if (attempt === 1) await enforceLiveRules(inputs, doc, wire);
      const v2 = plan.virtualMachinePricingV2 !== undefined;
      if (jsonEqual(plan.virtualMachinePricing, wire) && (!v2 || jsonEqual(plan.virtualMachinePricingV2, wire))) {
        return outputs(inputs, wire, current.etag);
      }
      plan.virtualMachinePricing = wire;
      // V1 and V2 must not disagree (docs/internals/api-notes.md §13.9): when the plan carries V2, write both.
      if (v2) plan.virtualMachinePricingV2 = wire;
      stripForPut(doc);
      try {
        const put = await c.putOffer(inputs.publisherId, inputs.offerId, doc as OfferDocument, {
          concurrency: current.etag ? { mode: "ifMatch", etag: current.etag } : { mode: "lastWriterWins" },
        });
        return outputs(inputs, wire, put.etag);
      } catch (e) {
        if (!isCloudPartnerError(e, "CPP_PRECONDITION_FAILED") || attempt >= MAX_ATTEMPTS) throw e;
        info(`${name}: the offer changed while pricing was written (attempt ${attempt}); reading it again.`);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 100 * attempt)));
      }
    }
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) {
      throw new ResourceError(
        `${name}: offer ${inputs.publisherId}/${inputs.offerId} does not exist. Create it with an Offer resource and make this VmPricing depend on it.`,
        "CPP_OFFER_NOT_FOUND",
        e,
      );
    }
    if (isCloudPartnerError(e, "CPP_PRECONDITION_FAILED")) {
      throw new ResourceError(
        `${name}: the offer kept changing during ${MAX_ATTEMPTS} read-modify-write attempts; run \`pulumi up\` again.`,
        "CPP_CHANGED_OUTSIDE",
        e,
      );
    }
    throw describeFailure(name, e);
  }
}

/** §6.6 rules, checked only when the offer has gone live (its version was bumped by a go-live). */
async function enforceLiveRules(inputs: VmPricingInputs, doc: WireOffer, wire: WireVmPricing): Promise<void> {
  if (!(typeof doc.version === "number" && doc.version > 1)) return;
  let live: WireVmPricing | undefined;
  try {
    const production = await client(inputs.account).getOffer(inputs.publisherId, inputs.offerId, {
      slot: "Production",
      includeAllPricing: true,
    });
    live = findPlan(production.value as WireOffer, inputs.planId)?.virtualMachinePricing as WireVmPricing | undefined;
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return;
    throw e;
  }
  const problems = liveRuleViolations(inputs.planId, live, wire);
  if (problems.length > 0)
    throw new ResourceError(`VmPricing ${pricingId(inputs)}: ${problems.join(" ")}`, "CPP_PRICING_RULE");
}

function findPlan(doc: WireOffer, planId: string): JsonRecord | undefined {
  return doc.definition?.plans?.find((p) => p.planId === planId);
}

function outputs(inputs: VmPricingInputs, wire: WireVmPricing, etag: string | undefined): VmPricingOutputs {
  const masked = splitSas(wire).value;
  const { sasSignatures: _sas, ...small } = inputs;
  return {
    ...small,
    pricing: splitSas(inputs.pricing).value,
    signatureFingerprint: fingerprint(signaturesOf(inputs)),
    virtualMachinePricing: masked,
    fingerprint: fingerprint(masked),
    // The engine's host rejects undefined members (the Product Ingestion API has no ETag).
    ...(etag !== undefined ? { etag } : {}),
    providerVersion: PROVIDER_VERSION,
  };
}

/** Every SAS signature of the pricing: the split-out ones and any still inside it (state of 0.1.0). */
function signaturesOf(i: { pricing?: VmPricingSpec; sasSignatures?: SasSignatures }): SasSignatures {
  return combineSas(i.pricing ? splitSas(i.pricing).signatures : {}, i.sasSignatures);
}

/** read (refresh): the plan's pricing as the typed union; a vanished offer or plan drops the resource. */
export async function read(
  id: string,
  props?: VmPricingOutputs,
): Promise<{ id: string; props?: VmPricingOutputs; inputs?: VmPricingInputs }> {
  if (!props?.publisherId || !props.offerId || !props.planId) return { id, props };
  try {
    let plan: JsonRecord | undefined;
    let etag: string | undefined;
    if (api(props.account) === "productIngestion") {
      const onPia = await readOnPia(props);
      if (!onPia) return { id: "" };
      plan = { virtualMachinePricing: onPia.wire };
    } else {
      const current = await readOfferForRefresh(props.publisherId, props.offerId, props.account);
      plan = findPlan(current.value as WireOffer, props.planId);
      etag = current.etag;
    }
    if (!plan) return { id: "" };
    const wire = splitSas(plan.virtualMachinePricing as WireVmPricing | undefined);
    // A shape this package does not model reads as null: the next up rewrites it.
    const spec = splitSas(fromWirePricing(plan.virtualMachinePricing as WireVmPricing | undefined) ?? null);
    const pricing = spec.value as VmPricingSpec;
    const inputs: VmPricingInputs = {
      publisherId: props.publisherId,
      offerId: props.offerId,
      planId: props.planId,
      pricing,
      sasSignatures: spec.signatures,
      ...(props.account ? { account: props.account } : {}),
    };
    // The fingerprint stays as applied: a refresh never moves it (drift is OfferPublish's to see).
    const { sasSignatures: _sas, ...small } = inputs;
    const outs: VmPricingOutputs = {
      ...props,
      ...small,
      signatureFingerprint: fingerprint(spec.signatures),
      virtualMachinePricing: wire.value,
      ...((etag ?? props.etag) !== undefined ? { etag: etag ?? props.etag } : {}),
    };
    return { id, props: outs, inputs };
  } catch (e) {
    if (isCloudPartnerError(e, "CPP_NOT_FOUND")) return { id: "" };
    throw describeFailure(`VmPricing ${id}`, e);
  }
}

/**
 * delete: the plan keeps its pricing. A plan cannot be left without pricing (publish would
 * fail validation) and a live plan's billing model cannot change, so nothing is written.
 */
export async function remove(id: string): Promise<void> {
  info(
    `VmPricing ${id} removed from the stack; the plan keeps its current pricing on the service (a plan cannot be left without pricing). Manage it with another VmPricing or in the Offer's definition.`,
  );
}
