// SPDX-License-Identifier: Apache-2.0
/**
 * VmPricing on the Product Ingestion API: it owns the `pricing` and `trial` of its plan's
 * `price-and-availability-plan` resource (docs/internals/api-notes.md §P3.3). Markets, visibility
 * and audience of that resource stay the Offer's (its plan's `regions` and audiences), as on CPP.
 * PIA has no ETag: the write is serialised with every other write of this process to the offer,
 * sends the resource as just read with only those two fields changed, and is read back after its
 * job (a write lost to another writer fails as CPP_LOST_UPDATE).
 */
import { liveRuleViolations } from "../pricing/live-rules.js";
import type { WireVmPricing } from "../pricing/spec.js";
import { piaPlanPricing } from "../pia-offer/pricing.js";
import { planIdsByReference, referenceKey, resourceTypeOf } from "../pia-offer/index.js";
import type { PiaResource } from "../pia/models.js";
import { jsonEqual, type JsonRecord } from "../util/json.js";
import type { InputFailure } from "../validation/failure.js";
import type { VmPricingInputs } from "../vm-pricing/types.js";
import { piaClient, settings } from "./context.js";
import { ResourceError } from "./errors.js";
import { offerTypeOfProduct, productLock, readDraft } from "./pia-draft.js";

const RESOURCE = "price-and-availability-plan";

/** check on PIA: a pricing PIA cannot express (a spreadsheet, prices per region) fails at preview. */
export function piaPricingFailures(planId: unknown, wire: WireVmPricing): InputFailure[] {
  if (typeof planId !== "string") return [];
  return piaPlanPricing("microsoft-azure-virtualmachines", planId, wire).problems.map((p) => ({
    property: p.path,
    reason: `${p.reason} (cloudpartner:api is "productIngestion"); ${p.fix}`,
  }));
}

/**
 * Writes the plan's pricing and trial unless the draft already holds them. Returns when the
 * draft, read again after the job, holds what was written.
 */
export async function applyOnPia(inputs: VmPricingInputs, wire: WireVmPricing, name: string): Promise<void> {
  await productLock(inputs.account, inputs.offerId, async () => {
    const pia = piaClient(inputs.account);
    const product = await pia.findProduct(inputs.offerId);
    if (!product?.id) {
      throw new ResourceError(
        `${name}: offer ${inputs.publisherId}/${inputs.offerId} does not exist in Partner Center. Create it with an Offer resource and make this VmPricing depend on it.`,
        "CPP_OFFER_NOT_FOUND",
      );
    }
    const productId = product.id;
    const offerTypeId = offerTypeOfProduct(product.type);
    if (!offerTypeId) {
      throw new ResourceError(
        `${name}: the product is of type "${product.type}", whose pricing the Product Ingestion API back end does not manage; use cloudpartner:api "cpp" for it.`,
        "CPP_API_UNSUPPORTED",
      );
    }
    const { fields, problems } = piaPlanPricing(offerTypeId, inputs.planId, wire);
    if (problems.length > 0) {
      throw new ResourceError(
        `${name}: ${problems.map((p) => `${p.path}: ${p.reason}; ${p.fix}`).join("; ")}`,
        "CPP_API_UNSUPPORTED",
      );
    }
    const current = await pia.getResourceTree(productId);
    const slot = pricingResource(current.resources, inputs.planId);
    if (!slot.plan) {
      throw new ResourceError(
        `${name}: offer ${inputs.publisherId}/${inputs.offerId} has no plan "${inputs.planId}". Add the plan (without pricing) to the Offer's definition.plans, and make this VmPricing depend on the Offer.`,
        "CPP_PLAN_NOT_FOUND",
      );
    }
    await enforceLiveRules(inputs, offerTypeId, productId, wire, name);
    if (slot.resource && holds(slot.resource, fields)) return;
    const { validations: _read, ...kept } = slot.resource ?? { product: productId, plan: slot.plan.id };
    const resource: PiaResource = { ...kept, $schema: pia.schemaUrl(RESOURCE), ...fields };
    const deadline = Date.now() + settings(inputs.account).operationTimeoutSeconds * 1000;
    const job = await pia.configureAndWait([resource], { deadline });
    const after = pricingResource((await pia.getResourceTree(productId)).resources, inputs.planId).resource;
    if (!after || !holds(after, fields)) {
      throw new ResourceError(
        `${name}: after configure job ${job.jobId} the plan's pricing is not what was written: another writer changed it in between, and one of the two updates is lost. Run \`pulumi refresh\`, then \`pulumi up\`.`,
        "CPP_LOST_UPDATE",
      );
    }
  });
}

/** The plan's pricing as the draft holds it (wire form), or undefined when the offer or the plan is gone. */
export async function readOnPia(
  inputs: Pick<VmPricingInputs, "offerId" | "planId" | "account">,
): Promise<{ wire: WireVmPricing | undefined } | undefined> {
  const product = await piaClient(inputs.account).findProduct(inputs.offerId);
  const offerTypeId = offerTypeOfProduct(product?.type);
  if (!product || !offerTypeId) return undefined;
  const draft = await readDraft(inputs, offerTypeId, product.id);
  const plan = draft?.definition.plans.find((p) => p.planId === inputs.planId);
  if (!plan) return undefined;
  return { wire: plan.virtualMachinePricing as WireVmPricing | undefined };
}

/** §6.6 rules against what is live, once the offer went live. */
async function enforceLiveRules(
  inputs: VmPricingInputs,
  offerTypeId: Parameters<typeof readDraft>[1],
  productId: string,
  wire: WireVmPricing,
  name: string,
): Promise<void> {
  const live = await readDraft(inputs, offerTypeId, productId, "live");
  const plan = live?.definition.plans.find((p) => p.planId === inputs.planId);
  const problems = liveRuleViolations(inputs.planId, plan?.virtualMachinePricing as WireVmPricing | undefined, wire);
  if (problems.length > 0) throw new ResourceError(`${name}: ${problems.join(" ")}`, "CPP_PRICING_RULE");
}

function pricingResource(
  resources: readonly PiaResource[],
  planId: string,
): { plan?: PiaResource; resource?: PiaResource } {
  const planIds = planIdsByReference(resources);
  const plan = resources.find(
    (r) => resourceTypeOf(r) === "plan" && (r.identity as JsonRecord | undefined)?.externalId === planId,
  );
  const resource = resources.find(
    (r) => resourceTypeOf(r) === RESOURCE && planIds.get(referenceKey(r.plan) ?? "") === planId,
  );
  return { plan, resource };
}

function holds(resource: PiaResource, fields: { pricing?: JsonRecord; trial: JsonRecord | null }): boolean {
  return jsonEqual(resource.pricing ?? undefined, fields.pricing) && jsonEqual(resource.trial ?? null, fields.trial);
}
