// SPDX-License-Identifier: Apache-2.0
/**
 * One plan's pricing as the Product Ingestion API holds it: the `pricing` and `trial` fields of
 * its `price-and-availability-plan` resource (docs/internals/api-notes.md §P3.3), for VmPricing.
 * Built by the offer translation itself, so VmPricing and the Offer never translate a price two
 * ways. Pure.
 */
import type { WireVmPricing } from "../pricing/spec.js";
import type { JsonRecord } from "../util/json.js";
import { itemPath } from "./reader.js";
import { resourceTypeOf } from "./from-pia.js";
import { definitionToPia } from "./to-pia.js";
import type { PiaOfferTypeId, TranslationProblem } from "./types.js";

/** What a plan's pricing becomes on PIA. */
export interface PiaPlanPricing {
  /** The fields to set on the plan's price-and-availability-plan resource (`trial: null`: no trial). */
  fields: { pricing?: JsonRecord; trial: JsonRecord | null };
  /** What of the pricing PIA cannot hold, by path under `pricing`. */
  problems: TranslationProblem[];
}

/** The PIA `pricing` and `trial` of a plan's wire pricing (VmPricing's `virtualMachinePricing`). */
export function piaPlanPricing(
  offerTypeId: PiaOfferTypeId,
  planId: string,
  wire: WireVmPricing | Record<string, unknown>,
): PiaPlanPricing {
  const { resources, problems } = definitionToPia({
    offerId: "pricing",
    offerTypeId,
    definition: { displayText: "pricing", offer: {}, plans: [{ planId, virtualMachinePricing: wire }] },
  });
  const base = `${itemPath("definition.plans", planId)}.virtualMachinePricing`;
  const own = problems
    .filter((p) => p.path === base || p.path.startsWith(`${base}.`))
    .map((p) => ({ ...p, path: `pricing${p.path.slice(base.length)}` }));
  const resource = resources.find((r) => resourceTypeOf(r) === "price-and-availability-plan");
  const pricing = resource?.pricing as JsonRecord | undefined;
  const trial = (resource?.trial as JsonRecord | null | undefined) ?? null;
  return { fields: { ...(pricing ? { pricing } : {}), trial }, problems: own };
}
