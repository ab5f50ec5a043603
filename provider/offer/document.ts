// SPDX-License-Identifier: Apache-2.0
import { isRecord, jsonClone, jsonEqual, type JsonRecord } from "../util/json.js";
import { fingerprint } from "../util/fingerprint.js";
import { splitSas } from "../util/sas.js";
import { isSecretKey } from "../util/secrets.js";
import type { OfferDefinition, OfferInputs } from "./types.js";

/** Plan keys that hold pricing; a plan without them leaves pricing to VmPricing. */
export const PRICING_KEYS = ["virtualMachinePricing", "virtualMachinePricingV2"] as const;

/** Plan keys that hold the image map (VM, core-VM); a plan without them leaves images to VmImageVersion. */
export const IMAGE_KEYS = [
  "microsoft-azure-virtualmachines.vmImages",
  "microsoft-azure-corevm.vmImagesPublicAzure",
] as const;

/**
 * Parts of a plan another resource may own, each a group of keys: a plan that sets none of a
 * group's keys leaves that part to its resource (pricing to VmPricing, images to VmImageVersion),
 * and the Offer keeps what is on the service for it.
 */
export const DELEGABLE_KEY_GROUPS: readonly (readonly string[])[] = [PRICING_KEYS, IMAGE_KEYS];

/** The plan keys this plan leaves to other resources. */
export function delegatedKeys(plan: JsonRecord): string[] {
  return DELEGABLE_KEY_GROUPS.filter((group) => group.every((k) => plan[k] === undefined)).flat();
}

/** Plan ids that leave some part (pricing, images) to other resources, with the keys they leave. */
export function plansWithDelegatedParts(def: OfferDefinition): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const plan of def.plans) {
    const keys = delegatedKeys(plan);
    if (keys.length > 0) out.set(plan.planId, keys);
  }
  return out;
}

/**
 * Envelope keys the service owns (docs/internals/api-notes.md §5.8) plus the core-VM keys GET returns but PUT
 * refuses. Stripped before every PUT.
 */
export const READ_ONLY_ENVELOPE_KEYS = [
  "status",
  "version",
  "changedTime",
  "pcMigrationStatus",
  "pcRedirectUri",
  "isvUpgradeRequest",
  "eTag",
];
const READ_ONLY_OFFER_KEYS = ["microsoft-azure-corevm.legacyOfferId", "microsoft-azure-corevm.legacyPublisherId"];

/** The wire document as far as this module needs it. */
export interface WireOffer {
  id?: string;
  publisherId?: string;
  offerTypeId?: string;
  offerTypeVersions?: JsonRecord;
  definition?: { displayText?: string; offer?: JsonRecord; plans?: JsonRecord[] };
  [key: string]: unknown;
}

/** True when the plan sets its own pricing (so the Offer owns it). */
export function planOwnsPricing(plan: JsonRecord): boolean {
  return PRICING_KEYS.some((k) => plan[k] !== undefined);
}

/** Plan ids whose pricing the Offer's inputs leave to someone else. */
export function plansWithDelegatedPricing(def: OfferDefinition): Set<string> {
  return new Set(def.plans.filter((p) => !planOwnsPricing(p)).map((p) => p.planId));
}

/**
 * Builds the document to PUT from the Offer's inputs: secrets merged in, read-only keys absent,
 * and — for plans whose pricing or images the inputs omit — what is currently on the service
 * kept, so the full-replacement PUT does not wipe what VmPricing or VmImageVersion wrote.
 */
export function buildPutDocument(inputs: OfferInputs, current?: WireOffer): WireOffer {
  const definition = jsonClone(inputs.definition) as OfferDefinition;
  stripReadOnlyKeys(definition.offer);
  const currentPlans = new Map<string, JsonRecord>();
  for (const plan of current?.definition?.plans ?? []) {
    if (typeof plan.planId === "string") currentPlans.set(plan.planId, plan);
  }
  for (const plan of definition.plans) {
    const remote = currentPlans.get(plan.planId);
    for (const key of delegatedKeys(plan)) {
      if (remote?.[key] !== undefined) (plan as JsonRecord)[key] = jsonClone(remote[key]);
    }
  }
  for (const [path, value] of Object.entries(inputs.secrets ?? {})) setSecret(definition, path, value);
  const doc: WireOffer = {
    id: inputs.offerId,
    publisherId: inputs.publisherId,
    offerTypeId: inputs.offerTypeId,
    definition,
  };
  if (current?.offerTypeVersions) doc.offerTypeVersions = jsonClone(current.offerTypeVersions);
  return doc;
}

/** Removes the read-only envelope and listing keys from a document read from the service, before it is PUT back. */
export function stripForPut(doc: WireOffer): void {
  for (const key of READ_ONLY_ENVELOPE_KEYS) delete doc[key];
  if (doc.definition?.offer) stripReadOnlyKeys(doc.definition.offer);
}

/** Removes keys the service refuses on PUT (docs/internals/api-notes.md §5.6, §5.8). */
export function stripReadOnlyKeys(offer: JsonRecord): void {
  for (const key of READ_ONLY_OFFER_KEYS) delete offer[key];
}

function setSecret(def: OfferDefinition, path: string, value: string): void {
  const [head, ...rest] = path.split("/");
  let target: JsonRecord | undefined;
  if (head === "offer") target = def.offer;
  else if (head === "plans") target = def.plans.find((p) => p.planId === rest.shift());
  if (!target) return;
  for (const segment of rest.slice(0, -1)) {
    if (!isRecord(target[segment])) target[segment] = {};
    target = target[segment] as JsonRecord;
  }
  target[rest[rest.length - 1]] = value;
}

/**
 * What the Offer resource sees of a document read from the service: its definition in the
 * normal form of {@link normalizeDefinition}, with the parts the Offer delegates removed. An
 * unchanged offer reads back with the same owned content as the definition applied; anything
 * else shows as drift.
 */
export function projectRemoteDefinition(
  remote: WireOffer,
  delegated: DelegatedParts = { pricing: [] },
): OfferDefinition {
  return normalizeDefinition((remote.definition ?? {}) as Partial<OfferDefinition>, delegated);
}

/**
 * The normal form shared by definitions as applied and as read: delegated parts removed,
 * read-only listing keys and secret-named keys removed (secrets live in `secrets`; GET never
 * returns them), empty listing objects dropped (the service fills some in, e.g. lead
 * configurations). SAS signatures are kept.
 */
export function normalizeDefinition(def: Partial<OfferDefinition>, delegated: DelegatedParts): OfferDefinition {
  const offer = jsonClone(isRecord(def.offer) ? def.offer : {}) as JsonRecord;
  stripReadOnlyKeys(offer);
  dropSecrets(offer);
  for (const [key, value] of Object.entries(offer)) {
    if (isRecord(value) && Object.keys(value).length === 0) delete offer[key];
  }
  const pricing = new Set(delegated.pricing);
  const images = new Set(delegated.images ?? []);
  const plans = (Array.isArray(def.plans) ? def.plans : []).map((p) => {
    const plan = jsonClone(p) as JsonRecord & { planId: string };
    dropSecrets(plan);
    if (pricing.has(plan.planId)) for (const key of PRICING_KEYS) delete plan[key];
    if (images.has(plan.planId)) for (const key of IMAGE_KEYS) delete plan[key];
    return plan;
  });
  return { displayText: typeof def.displayText === "string" ? def.displayText : "", offer, plans };
}

function dropSecrets(value: unknown): void {
  if (Array.isArray(value)) value.forEach(dropSecrets);
  else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (isSecretKey(key)) delete value[key];
      else dropSecrets(value[key]);
    }
  }
}

/**
 * The parts of an offer that the Offer's definition leaves to other resources: the pricing of
 * plans whose definition omits it (owned by VmPricing) and the image maps of plans that omit them
 * (owned by VmImageVersion). This is the one place that decides delegation.
 */
export interface DelegatedParts {
  /** Plan ids whose `virtualMachinePricing`/`V2` belong to a VmPricing. */
  pricing: string[];
  /** Plan ids whose image map belongs to VmImageVersion resources (absent in state of 0.1.0). */
  images?: string[];
}

/** What `def` delegates (see {@link DelegatedParts}). */
export function delegatedParts(def: OfferDefinition): DelegatedParts {
  const images = def.plans
    .filter((p) => IMAGE_KEYS.every((k) => (p as JsonRecord)[k] === undefined))
    .map((p) => p.planId);
  return { pricing: [...plansWithDelegatedPricing(def)].sort(), images: images.sort() };
}

/**
 * The content of a definition that the Offer owns, in the normal form of
 * {@link normalizeDefinition}, with SAS signatures replaced by the placeholder: what the public
 * `fingerprint` covers.
 */
export function ownedContent(def: OfferDefinition, delegated: DelegatedParts = delegatedParts(def)): OfferDefinition {
  return splitSas(normalizeDefinition(def, delegated)).value;
}

/**
 * The fingerprint of a definition's owned content with its SAS signatures in place (pass the
 * definition as sent, or as read): what the Offer compares to tell whether the Draft still holds
 * what it applied. SAS signatures are long random values (HMACs), so their hash reveals nothing.
 */
export function contentFingerprint(def: OfferDefinition, delegated: DelegatedParts = delegatedParts(def)): string {
  return fingerprint(normalizeDefinition(def, delegated));
}

/**
 * The Offer's public `fingerprint`: its owned content as applied, SAS signatures and `secrets`
 * left out. Renewing a signature grants access to the same blob; and a hash of a secret, which
 * would sit in outputs, OfferPublish inputs and `--debug` logs, could give a short secret away.
 */
export function offerFingerprint(def: OfferDefinition): string {
  return fingerprint(ownedContent(def));
}

/**
 * Whether two definitions are the same for the Offer: pricing and images of plans that
 * `desired` leaves to VmPricing and VmImageVersion are not compared, and key order does not matter.
 */
export function sameDefinition(applied: OfferDefinition, desired: OfferDefinition): boolean {
  const delegated = plansWithDelegatedParts(desired);
  return jsonEqual(withoutDelegated(applied, delegated), withoutDelegated(desired, delegated));
}

function withoutDelegated(def: OfferDefinition, delegated: Map<string, string[]>): unknown {
  return {
    ...def,
    plans: def.plans.map((plan) => {
      const keys = delegated.get(plan.planId);
      if (!keys) return plan;
      const copy: JsonRecord = { ...plan };
      for (const key of keys) delete copy[key];
      return copy;
    }),
  };
}

/**
 * Top-level listing keys and plan ids that differ between two definitions, for the one-line
 * summary printed when an existing offer is adopted or drift is corrected.
 */
export function changedPaths(from: OfferDefinition, to: OfferDefinition): string[] {
  const out: string[] = [];
  if (from.displayText !== to.displayText) out.push("displayText");
  const keys = new Set([...Object.keys(from.offer), ...Object.keys(to.offer)]);
  for (const key of [...keys].sort()) if (!jsonEqual(from.offer[key], to.offer[key])) out.push(`offer.${key}`);
  const fromPlans = new Map(from.plans.map((p) => [p.planId, p]));
  const toPlans = new Map(to.plans.map((p) => [p.planId, p]));
  for (const id of new Set([...fromPlans.keys(), ...toPlans.keys()])) {
    const a = fromPlans.get(id);
    const b = toPlans.get(id);
    if (!a) out.push(`plans[${id}] (added)`);
    else if (!b) out.push(`plans[${id}] (removed)`);
    else if (!jsonEqual(a, b)) out.push(`plans[${id}]`);
  }
  return out;
}
