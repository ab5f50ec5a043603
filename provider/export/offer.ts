// SPDX-License-Identifier: Apache-2.0
/**
 * One offer as read from the service → what the generated program declares for it. The Offer's
 * definition is exactly what the Offer resource compares (provider/offer/document.ts):
 * read-only and service-filled keys and secrets left out, so adopting it writes nothing. Pure.
 */
import {
  delegatedParts,
  PRICING_KEYS,
  projectRemoteDefinition,
  sameDefinition,
  type WireOffer,
} from "../offer/document.js";
import type { OfferDefinition } from "../offer/types.js";
import type { VmPricingSpec } from "../pricing/spec.js";
import { VM_OFFER_TYPE } from "../schema/offer-types.js";
import { isRecord, pathKey } from "../util/json.js";
import { validateOfferInputs } from "../validation/offer.js";
import { secretConfigKey } from "./names.js";
import { classifyPlanImages, type ExportedImage } from "./images.js";
import { classifyPlanPricing } from "./pricing.js";
import { findSecretFields } from "./secrets.js";

/** Something the export could not express as typed resources, or that the user must know. */
export interface ExportNote {
  /** Where, e.g. `contoso/vm-offer plans[payg].virtualMachinePricing.freeTrialDurationInMonths`. */
  path: string;
  why: string;
}

/** A secret field the program reads from stack config. */
export interface ExportSecret {
  /** Path in the Offer's `secrets` input. */
  path: string;
  /** Stack config key (`pulumi config set --secret <key> …`). */
  configKey: string;
}

/** What the generated program declares for one offer. */
export interface ExportedOffer {
  publisherId: string;
  offerId: string;
  offerTypeId: string;
  /** The Offer's definition (pricing of typed plans left out: their VmPricing owns it). */
  definition: OfferDefinition;
  /** One VmPricing per plan whose pricing the typed union reproduces exactly. */
  pricing: Array<{ planId: string; spec: VmPricingSpec }>;
  /** VmImageVersion resources by plan, where the image map is reproduced exactly. */
  images: Array<{ planId: string; images: ExportedImage[] }>;
  /** Plans whose pricing stays in wire form inside the Offer's definition. */
  wirePricing: string[];
  secrets: ExportSecret[];
  notes: ExportNote[];
  /** Whether the offer was migrated to Partner Center (`pcMigrationStatus`). */
  migrated: boolean;
}

/** Builds the export of one offer document (GET with includeAllPricing=true). */
export function exportOffer(doc: WireOffer, now = Date.now()): ExportedOffer {
  const publisherId = String(doc.publisherId ?? "");
  const offerId = String(doc.id ?? "");
  const offerTypeId = typeof doc.offerTypeId === "string" ? doc.offerTypeId : VM_OFFER_TYPE;
  const where = `${publisherId}/${offerId}`;
  const definition = projectRemoteDefinition(doc);
  const notes: ExportNote[] = [];
  const pricing: ExportedOffer["pricing"] = [];
  const wirePricing: string[] = [];
  const images: ExportedOffer["images"] = [];
  // SAS signatures anywhere in what index.ts will hold (the image maps included, split or not).
  const sas = [
    ...sasPaths(definition.offer, "offer"),
    ...definition.plans.flatMap((p) => sasPaths(p, `plans[${p.planId}]`)),
  ];
  // Each part of a plan another resource can own is split the same way: typed when that resource
  // would write back exactly what the service holds, else kept in the plan with a note.
  for (const plan of definition.plans) {
    const imageVerdict = classifyPlanImages({ publisherId, offerId, offerTypeId }, plan, now);
    if (imageVerdict.kind === "typed") {
      images.push({ planId: plan.planId, images: imageVerdict.images });
      delete plan[imageVerdict.mapKey];
    } else if (imageVerdict.kind === "wire") {
      notes.push({
        path: `${where} plans[${plan.planId}].${imageVerdict.path}`,
        why: `images kept in the Offer's plan: ${imageVerdict.why}`,
      });
    }
  }
  for (const plan of definition.plans) {
    const verdict = classifyPlanPricing(plan);
    if (verdict.kind === "none") continue;
    if (offerTypeId !== VM_OFFER_TYPE) {
      wirePricing.push(plan.planId);
      continue;
    }
    if (verdict.kind === "typed") {
      pricing.push({ planId: plan.planId, spec: verdict.spec });
      for (const key of PRICING_KEYS) delete plan[key];
    } else {
      wirePricing.push(plan.planId);
      notes.push({
        path: `${where} plans[${plan.planId}].${verdict.path}`,
        why: `kept in wire form inside the ` + `Offer's plan: ${verdict.why}`,
      });
    }
  }
  const found = findSecretFields(isRecord(doc.definition?.offer) ? doc.definition.offer : {});
  const secrets = found.paths.map((path) => ({ path, configKey: secretConfigKey(offerId, path) }));
  for (const [key, value] of found.unknown) {
    notes.push({
      path: `${where} ${pathKey("offer", key)}`,
      why:
        `lead destination "${value}" is not one the export ` +
        `knows, so it cannot tell which secret fields it uses; the service never returns them — add them to the ` +
        `Offer's secrets if it has any`,
    });
  }
  if (!adoptionMatches(doc, definition)) {
    notes.push({
      path: where,
      why:
        "the Offer's reading of this document differs from the exported definition; the " +
        "first `pulumi up` would write it",
    });
  }
  const secretInputs = Object.fromEntries(secrets.map((s) => [s.path, "secret"]));
  const inputs = {
    publisherId,
    offerId,
    offerTypeId,
    definition,
    ...(secrets.length > 0 ? { secrets: secretInputs } : {}),
  };
  for (const failure of validateOfferInputs(inputs)) {
    notes.push({
      path: `${where} ${failure.property}`,
      why:
        `the Offer resource refuses this value, so \`pulumi up\` ` +
        `stops until it is fixed in index.ts: ${failure.reason}`,
    });
  }
  for (const path of sas) {
    notes.push({
      path: `${where} ${path}`,
      why:
        "holds a SAS signature (sig=…) written into index.ts as the " +
        "service returned it: keep the project private, or move the URL to a secret config value",
    });
  }
  const migrated = doc.pcMigrationStatus === "migrated";
  return { publisherId, offerId, offerTypeId, definition, pricing, images, wirePricing, secrets, notes, migrated };
}

/**
 * The invariant adoption relies on: the Offer, adopting `doc` with `definition`, sees nothing to
 * write (provider/handlers/offer.ts, adopt).
 */
export function adoptionMatches(doc: WireOffer, definition: OfferDefinition): boolean {
  return sameDefinition(projectRemoteDefinition(doc, delegatedParts(definition)), definition);
}

/** Property paths of strings carrying a SAS signature. */
function sasPaths(value: unknown, path: string): string[] {
  if (typeof value === "string") return /[?&]sig=/i.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => sasPaths(v, pathKey(path, i)));
  if (isRecord(value)) return Object.keys(value).flatMap((k) => sasPaths(value[k], pathKey(path, k)));
  return [];
}
