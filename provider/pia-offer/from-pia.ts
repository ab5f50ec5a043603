// SPDX-License-Identifier: Apache-2.0
/**
 * Product Ingestion API resource tree → CPP-shaped offer definition: the inverse of
 * {@link definitionToPia} (docs/internals/api-notes.md §P4), for refresh and export. Pure.
 *
 * The definition comes out in the normal form of {@link supportedDefinition} (normal-form.ts), so
 * that `piaToDefinition(definitionToPia(d).resources)` equals `supportedDefinition(d)`.
 *
 * Read and compared: every field definitionToPia writes from a definition key, i.e. the product's
 * alias; the listing's texts, links, contacts and support websites; the logo URLs; categories and
 * terms; preview audiences; the lead destination and its configuration without its secret
 * fields; the reseller opt-in; per plan its external id, clouds, plan-listing texts, visibility,
 * audience, markets, pricing and trial, operating system, sizes, ports, VM properties set to
 * true, the main SKU's image type (core VM: `generation`) and the image versions.
 *
 * Not read (so a round trip never differs on them): ids and references, `resourceName`s,
 * `$schema` versions, `validations`, the plan's `alias` (`skuTitle` comes from the plan listing's
 * `name`), asset `fileName`/`friendlyName`/`description`/`displayOrder`, `softwareType`,
 * `customerMarkets`, listings in other languages, `submission` resources, lead secrets (the
 * service reads them masked), VM properties set to `false` (a published sticky flag can read as a
 * stale `false`, §P3.4), lifecycle states other than an image version's `deprecated`. Asset URLs
 * are read as the tree holds them: the real service rewrites them to its own storage (§P3.2), so a
 * caller comparing logos with what it wrote should compare the keys of {@link REWRITTEN_LISTING_KEYS}
 * by presence only.
 */
import { toWirePricing } from "../pricing/mapping.js";
import type { FreeTrialMonths, VmPricingSpec } from "../pricing/spec.js";
import { isCoreSizeKey } from "../schema/core-sizes.js";
import { COREVM_OFFER_TYPE } from "../schema/offer-types.js";
import type { OfferDefinition } from "../offer/types.js";
import type { PiaResource, PiaResourceRef, PiaResourceTree } from "../pia/models.js";
import { parseDurableId } from "../pia/ids.js";
import { parseSchemaUrl } from "../pia/schema.js";
import { isRecord, jsonClone, type JsonRecord } from "../util/json.js";
import { isSecretKey } from "../util/secrets.js";
import { LANGUAGE_ID } from "./names.js";
import { namespacesOf, PRODUCT_TYPES } from "./to-pia.js";
import type { PiaOfferIds, PiaOfferTypeId, PiaToDefinitionResult, TranslationProblem } from "./types.js";
import {
  AUDIENCE_TYPES,
  CLOUDS,
  COREVM_PROPERTIES,
  DEFAULT_IMAGE_TYPE,
  DEFAULT_OS_TYPE,
  GENERATIONS,
  LINUX_OS_TYPES,
  LOGO_TYPES,
  NO_LEADS,
  OS_FAMILIES,
  PIA_LEAD_TARGETS,
  RESELLER_ALL,
  RESELLER_NONE,
  VM_PROPERTIES,
  WINDOWS_OS_TYPES,
} from "./vocabulary.js";

/** Options of {@link piaToDefinition}. */
export interface PiaToDefinitionOptions {
  /** The offer type the definition is written for (its key namespaces). */
  offerTypeId: PiaOfferTypeId;
}

/** Listing key suffixes whose values the service rewrites (asset URLs, §P3.2): compare by presence. */
export const REWRITTEN_LISTING_KEYS: readonly string[] = LOGO_TYPES.map(([suffix]) => suffix);

/** The resource type of a resource: from its `$schema`, else from its durable id's prefix. */
export function resourceTypeOf(resource: PiaResource): string | undefined {
  const fromSchema = typeof resource.$schema === "string" ? parseSchemaUrl(resource.$schema)?.type : undefined;
  if (fromSchema) return fromSchema;
  return typeof resource.id === "string" ? parseDurableId(resource.id)?.type : undefined;
}

/** A reference as a lookup key: `id:<durable id>`, `name:<resourceName>` or `ext:<externalId>`. */
export function referenceKey(ref: PiaResourceRef | unknown): string | undefined {
  if (typeof ref === "string") return `id:${ref}`;
  if (isRecord(ref) && typeof ref.resourceName === "string") return `name:${ref.resourceName}`;
  if (isRecord(ref) && typeof ref.externalId === "string") return `ext:${ref.externalId}`;
  return undefined;
}

/**
 * The plan id each plan reference of `resources` means: a plan's durable id, its `resourceName`
 * and its external id all map to its external id (`identity.externalId`).
 */
export function planIdsByReference(resources: readonly PiaResource[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of resources) {
    if (resourceTypeOf(r) !== "plan") continue;
    const planId = isRecord(r.identity) ? r.identity.externalId : undefined;
    if (typeof planId !== "string") continue;
    if (typeof r.id === "string") out.set(`id:${r.id}`, planId);
    if (typeof r.resourceName === "string") out.set(`name:${r.resourceName}`, planId);
    out.set(`ext:${planId}`, planId);
  }
  return out;
}

/**
 * Reads a resource tree (`GET resource-tree`'s answer, or its `resources`) back into the CPP
 * definition `definitionToPia` would have written it from, with the product's and plans' durable
 * ids. What the tree holds and a CPP definition cannot is listed in `problems`; see the module
 * comment for which fields are read.
 */
export function piaToDefinition(
  tree: PiaResourceTree | readonly PiaResource[],
  options: PiaToDefinitionOptions,
): PiaToDefinitionResult {
  const resources: readonly PiaResource[] = Array.isArray(tree) ? tree : (tree as PiaResourceTree).resources;
  return new Reading(resources ?? [], options.offerTypeId).run();
}

class Reading {
  private readonly problems: TranslationProblem[] = [];
  private readonly ns: { listing: string; plan: string };
  private readonly isCore: boolean;
  private readonly planIds: Map<string, string>;

  constructor(
    private readonly resources: readonly PiaResource[],
    private readonly offerTypeId: PiaOfferTypeId,
  ) {
    this.ns = namespacesOf(offerTypeId);
    this.isCore = offerTypeId === COREVM_OFFER_TYPE;
    this.planIds = planIdsByReference(resources);
  }

  private problem(resource: PiaResource | undefined, field: string, reason: string, fix: string): void {
    const where = resource
      ? String(resource.id ?? resource.resourceName ?? resourceTypeOf(resource) ?? "resource")
      : "tree";
    this.problems.push({ path: field ? `${where}.${field}` : where, reason, fix });
  }

  private unreadable(resource: PiaResource, field: string, what: string): void {
    this.problem(
      resource,
      field,
      `${what} has no place in a CPP offer definition, so the definition read does not show it`,
      "manage it in Partner Center, or remove it there if the offer should not have it",
    );
  }

  private ofType(type: string): PiaResource[] {
    return this.resources.filter((r) => resourceTypeOf(r) === type);
  }

  private planOf(resource: PiaResource): string | undefined {
    const key = referenceKey(resource.plan);
    return key === undefined ? undefined : this.planIds.get(key);
  }

  run(): PiaToDefinitionResult {
    const ids: PiaOfferIds = { plans: {} };
    const products = this.ofType("product");
    const product = products[0];
    if (!product) this.problem(undefined, "", "the tree holds no product resource", "read the tree of a product");
    if (products.length > 1)
      this.problem(products[1], "", "the tree holds more than one product", "read one product's tree");
    if (product && typeof product.id === "string") ids.product = product.id;
    if (product && product.type !== PRODUCT_TYPES[this.offerTypeId]) {
      this.problem(
        product,
        "type",
        `the product is a ${String(product.type)}, not the ${PRODUCT_TYPES[this.offerTypeId]} a ${this.offerTypeId} offer is`,
        "read it with the offer type of its product type",
      );
    }
    const offer = this.offer();
    const plans: JsonRecord[] = [];
    for (const plan of this.ofType("plan")) {
      const planId = isRecord(plan.identity) ? plan.identity.externalId : undefined;
      if (typeof planId !== "string") {
        this.problem(
          plan,
          "identity.externalId",
          "a plan without an external id cannot be a CPP plan",
          "give the plan an external id",
        );
        continue;
      }
      if (typeof plan.id === "string") ids.plans[planId] = plan.id;
      plans.push(this.plan(plan, planId));
    }
    const definition = {
      displayText: product && typeof product.alias === "string" ? product.alias : "",
      offer,
      plans,
    } as OfferDefinition;
    for (const r of this.resources) {
      const type = resourceTypeOf(r);
      if (type === undefined || !KNOWN_TYPES.has(type)) {
        this.problem(
          r,
          "",
          `a ${type ?? "resource of unknown type"} has no place in a CPP offer definition`,
          "manage it in Partner Center",
        );
      }
    }
    return { definition, ids, problems: this.problems };
  }

  // ---- offer ----

  private offer(): JsonRecord {
    const k = (suffix: string) => this.ns.listing + suffix;
    const out: JsonRecord = {};
    const listing = this.listing();
    if (listing) {
      const texts: Array<[string, string]> = [
        ["title", "title"],
        ["searchResultSummary", "summary"],
        ["shortDescription", "longSummary"],
        ["description", "description"],
      ];
      for (const [field, suffix] of texts) if (typeof listing[field] === "string") out[k(suffix)] = listing[field];
    }
    const audiences = this.ofType("price-and-availability-offer")[0];
    if (audiences && Array.isArray(audiences.previewAudiences)) {
      const ids: string[] = [];
      audiences.previewAudiences.forEach((a, i) => {
        if (isRecord(a) && a.type === "subscription" && typeof a.id === "string") ids.push(a.id);
        else if (isRecord(a) && a.type !== "none")
          this.unreadable(audiences, `previewAudiences[${i}]`, `a ${String(a.type)} preview audience`);
      });
      if (ids.length > 0) out[k("allowedSubscriptions")] = ids;
    }
    if (listing && Array.isArray(listing.generalLinks)) {
      const links = listing.generalLinks
        .filter(isRecord)
        .map((l) => ({ linkTitle: String(l.displayText ?? ""), linkUrl: String(l.link ?? "") }));
      if (links.length > 0) out[k("usefulLinks")] = links;
    }
    const property = this.ofType("property")[0];
    if (property && isRecord(property.categories)) {
      const map = Object.entries(property.categories).map(([l1, l2]) => ({
        categoryL1: l1,
        ...(Array.isArray(l2) && l2.length > 0 ? { [`categoryL2-${l1}`]: l2.map(String) } : {}),
      }));
      if (map.length > 0) out[k("categoryMap")] = map;
    }
    this.logos(out);
    this.leads(out);
    if (listing && typeof listing.privacyPolicyLink === "string") out[k("privacyURL")] = listing.privacyPolicyLink;
    if (property) {
      if (typeof property.termsOfUse === "string") out[k("termsOfUse")] = property.termsOfUse;
      if (property.termsConditions === "standardMicrosoft") out[k("useEnterpriseContract")] = true;
      for (const field of ["termsOfUseUrl", "standardContractAmendment", "customAmendments"]) {
        if (hasContent(property[field])) this.unreadable(property, field, `the property's ${field}`);
      }
    }
    const reseller = this.ofType("reseller")[0];
    if (reseller) {
      const state = reseller.resellerChannelState;
      if (state === RESELLER_ALL) out[k("cspOfferOptIn")] = true;
      else if (state !== RESELLER_NONE && state !== "notSet" && state !== undefined) {
        this.unreadable(reseller, "resellerChannelState", `reseller channel state "${String(state)}"`);
      }
    }
    if (listing) {
      for (const who of ["engineering", "support"]) {
        const contact = listing[`${who}Contact`];
        if (!isRecord(contact)) continue;
        for (const part of ["Name", "Email", "Phone"]) {
          const v = contact[part.toLowerCase()];
          if (typeof v === "string") out[k(`${who}Contact${part}`)] = v;
        }
        if (hasContent(contact.url)) this.unreadable(listing, `${who}Contact.url`, `the ${who} contact's url`);
      }
      if (typeof listing.globalSupportWebsite === "string")
        out[k("publicAzureSupportUrl")] = listing.globalSupportWebsite;
      if (typeof listing.governmentSupportWebsite === "string")
        out[k("fairfaxSupportUrl")] = listing.governmentSupportWebsite;
      for (const field of ["cloudSolutionProviderContact", "cloudSolutionProviderMarketingMaterials"]) {
        if (hasContent(listing[field])) this.unreadable(listing, field, `the listing's ${field}`);
      }
    }
    for (const r of this.ofType("test-drive")) {
      if (r.enabled === true) this.unreadable(r, "enabled", "a test drive");
    }
    return out;
  }

  private listing(): PiaResource | undefined {
    let found: PiaResource | undefined;
    for (const l of this.ofType("listing")) {
      const lang = typeof l.languageId === "string" ? l.languageId.toLowerCase() : undefined;
      if (lang === LANGUAGE_ID && !found) found = l;
      else this.unreadable(l, "languageId", `a listing in ${String(l.languageId)} (CPP listings are en-us only)`);
    }
    return found;
  }

  private logos(out: JsonRecord): void {
    for (const asset of this.ofType("listing-asset")) {
      const lang = typeof asset.languageId === "string" ? asset.languageId.toLowerCase() : LANGUAGE_ID;
      const row = LOGO_TYPES.find(([, type]) => type === asset.type);
      const key = row && this.ns.listing + row[0];
      if (lang !== LANGUAGE_ID) this.unreadable(asset, "languageId", `an asset in ${String(asset.languageId)}`);
      else if (!key) this.unreadable(asset, "type", `a ${String(asset.type)} listing asset`);
      else if (out[key] !== undefined) this.unreadable(asset, "type", `a second ${String(asset.type)}`);
      else if (typeof asset.url === "string") out[key] = asset.url;
    }
  }

  private leads(out: JsonRecord): void {
    const leads = this.ofType("customer-leads")[0];
    if (!leads) return;
    const destination = leads.leadDestination;
    if (destination === NO_LEADS || destination === undefined) return;
    const target = PIA_LEAD_TARGETS.find((t) => t.piaDestination === destination);
    if (!target) {
      this.unreadable(leads, "leadDestination", `lead destination "${String(destination)}"`);
      return;
    }
    out[this.ns.listing + "leadDestination"] = target.cppDestination;
    const config = leads[target.piaConfig];
    if (isRecord(config)) {
      const open = withoutSecrets(jsonClone(config));
      if (Object.keys(open).length > 0) out[this.ns.listing + target.cppConfig] = open;
    }
  }

  // ---- plans ----

  private plan(plan: PiaResource, planId: string): JsonRecord {
    const k = (suffix: string) => this.ns.plan + suffix;
    const out: JsonRecord = { planId };
    const mine = (type: string) => this.ofType(type).filter((r) => this.planOf(r) === planId);
    const listing = mine("plan-listing").find(
      (l) => typeof l.languageId !== "string" || l.languageId.toLowerCase() === LANGUAGE_ID,
    );
    const availability = mine("price-and-availability-plan")[0];
    const tcType = this.isCore
      ? "core-virtual-machine-plan-technical-configuration"
      : "virtual-machine-plan-technical-configuration";
    const tc = mine(tcType)[0];

    if (availability && Array.isArray(availability.markets) && availability.markets.length > 0) {
      out.regions = availability.markets.map((m) => String(m).toUpperCase());
    }
    if (availability?.customerMarkets === "allMarkets" || availability?.customerMarkets === "allTaxRemittedMarkets") {
      this.unreadable(availability, "customerMarkets", `customerMarkets "${String(availability.customerMarkets)}"`);
    }
    if (listing) {
      if (typeof listing.name === "string") out[k("skuTitle")] = listing.name;
      if (typeof listing.summary === "string") out[k("skuSummary")] = listing.summary;
      const descriptionKey = this.isCore ? "skuDescriptionPublicAzure" : "skuDescription";
      if (typeof listing.description === "string") out[k(descriptionKey)] = listing.description;
    }
    if (availability?.visibility === "hidden") out[k("hideSKUForSolutionTemplate")] = true;
    if (Array.isArray(plan.azureRegions) && plan.azureRegions.length > 0) {
      const clouds: string[] = [];
      for (const region of plan.azureRegions) {
        const cloud = typeof region === "string" ? CLOUDS.toCpp(region) : undefined;
        if (cloud === undefined) this.unreadable(plan, "azureRegions", `azure region ${JSON.stringify(region)}`);
        else if (!clouds.includes(cloud)) clouds.push(cloud);
      }
      if (clouds.length > 0) out[k("cloudAvailability")] = clouds;
    }
    if (hasContent(plan.azureGovernmentCertifications)) {
      this.unreadable(plan, "azureGovernmentCertifications", "Azure Government certifications");
    }
    if (plan.lifecycleState !== undefined && plan.lifecycleState !== "generallyAvailable") {
      this.unreadable(plan, "lifecycleState", `a plan lifecycle state "${String(plan.lifecycleState)}"`);
    }
    if (availability) {
      const audience = this.restrictedAudience(availability);
      if (audience) out.restrictedAudience = audience;
      const pricing = this.pricing(availability);
      if (pricing) out.virtualMachinePricing = pricing;
      for (const field of ["softwareReservation", "billingTag"]) {
        if (hasContent(availability[field])) this.unreadable(availability, field, `the plan's ${field}`);
      }
    }
    if (tc) this.technicalConfiguration(tc, planId, out);
    else if (this.isCore) out[k("generation")] = GENERATIONS[0][0];
    return out;
  }

  private restrictedAudience(availability: PiaResource): JsonRecord | undefined {
    if (availability.audience !== "private" || !Array.isArray(availability.privateAudiences)) return undefined;
    const manualEntries: JsonRecord[] = [];
    availability.privateAudiences.forEach((a, i) => {
      const type = isRecord(a) && typeof a.type === "string" ? AUDIENCE_TYPES.toCpp(a.type) : undefined;
      if (!isRecord(a) || type === undefined || typeof a.id !== "string") {
        this.unreadable(
          availability,
          `privateAudiences[${i}]`,
          `a private audience of type ${JSON.stringify(isRecord(a) ? a.type : a)}`,
        );
        return;
      }
      manualEntries.push({ type, id: a.id, ...(typeof a.label === "string" ? { description: a.label } : {}) });
    });
    return manualEntries.length > 0 ? { manualEntries } : undefined;
  }

  /** `pricing` + `trial` → `virtualMachinePricing`, in the wire form VmPricing writes (pricing/mapping.ts). */
  private pricing(availability: PiaResource): JsonRecord | undefined {
    const pricing = availability.pricing;
    if (!isRecord(pricing)) return undefined;
    let months: FreeTrialMonths | undefined;
    const trial = availability.trial;
    if (isRecord(trial)) {
      if (trial.type === "month" && (trial.value === 1 || trial.value === 3)) months = trial.value;
      else if (!(trial.value === 0)) {
        this.unreadable(
          availability,
          "trial",
          `a free trial of ${JSON.stringify(trial.value)} ${String(trial.type)}(s)`,
        );
      }
    }
    if (pricing.licenseModel === "byol") return toWirePricing({ kind: "byol" }) as JsonRecord;
    const core = isRecord(pricing.corePricing) ? pricing.corePricing : undefined;
    let spec: VmPricingSpec | undefined;
    if (
      pricing.licenseModel === "payAsYouGo" &&
      core?.priceInputOption === "perCore" &&
      typeof core.pricePerCore === "number"
    ) {
      spec = { kind: "perCore", pricePerCoreUsd: core.pricePerCore };
    } else if (
      pricing.licenseModel === "payAsYouGo" &&
      core?.priceInputOption === "perCoreSize" &&
      isRecord(core.pricePerCoreSize)
    ) {
      const prices: Record<string, number> = {};
      for (const [size, price] of Object.entries(core.pricePerCoreSize)) {
        if (isCoreSizeKey(size) && typeof price === "number") prices[size] = price;
        else
          this.unreadable(
            availability,
            `pricing.corePricing.pricePerCoreSize.${size}`,
            `a price for core size "${size}"`,
          );
      }
      spec = { kind: "perCoreSize", pricesUsd: prices };
    }
    if (!spec) {
      const option = core?.priceInputOption ?? pricing.licenseModel;
      this.unreadable(availability, "pricing", `pricing "${String(option)}"`);
      return undefined;
    }
    if (months) spec = { ...spec, freeTrialMonths: months } as VmPricingSpec;
    return toWirePricing(spec) as JsonRecord;
  }

  private technicalConfiguration(tc: PiaResource, planId: string, out: JsonRecord): void {
    const k = (suffix: string) => this.ns.plan + suffix;
    const os = tc.operatingSystem;
    if (isRecord(os) && typeof os.family === "string") {
      const family = OS_FAMILIES.toCpp(os.family);
      if (family === undefined) this.unreadable(tc, "operatingSystem.family", `operating system family "${os.family}"`);
      else {
        out[k("operatingSystemFamily")] = family;
        const table = os.family === "linux" ? LINUX_OS_TYPES : WINDOWS_OS_TYPES;
        if (typeof os.type === "string" && os.type !== DEFAULT_OS_TYPE) {
          const type = table.toCpp(os.type);
          if (type === undefined) this.unreadable(tc, "operatingSystem.type", `OS type "${os.type}"`);
          else out[k("osType")] = type;
        }
      }
      if (typeof os.friendlyName === "string")
        out[k(this.isCore ? "osFriendlyName" : "operationSystem")] = os.friendlyName;
    }
    if (Array.isArray(tc.recommendedVmSizes) && tc.recommendedVmSizes.length > 0) {
      out[k("recommendedVMSizes")] = tc.recommendedVmSizes.map(String);
    }
    if (Array.isArray(tc.openPorts) && tc.openPorts.length > 0) {
      out[k("openPorts")] = tc.openPorts
        .filter(isRecord)
        .map((p) => ({ label: p.label, portRange: p.portRange, protocol: p.protocol }));
    }
    if (isRecord(tc.vmProperties)) {
      const known = this.isCore ? COREVM_PROPERTIES : VM_PROPERTIES;
      for (const [name, value] of Object.entries(tc.vmProperties)) {
        const row = known.find(([pia]) => pia === name);
        if (!row) {
          if (value === true) this.unreadable(tc, `vmProperties.${name}`, `VM property ${name}`);
        } else if (value === true) out[k(row[1])] = true;
      }
    }
    for (const field of ["basePlan", "reuseTechnicalConfigurationState"]) {
      if (hasContent(tc[field])) this.unreadable(tc, field, `a reused technical configuration (${field})`);
    }
    if (this.isCore && tc.softwareType !== undefined && tc.softwareType !== "operatingSystem") {
      this.unreadable(tc, "softwareType", `software type "${String(tc.softwareType)}"`);
    }
    // The plan's SKU: the one named after the plan, else the first.
    const skus = Array.isArray(tc.skus) ? tc.skus.filter(isRecord) : [];
    const main = skus.find((s) => s.skuId === planId) ?? skus[0];
    const imageType = typeof main?.imageType === "string" ? main.imageType : DEFAULT_IMAGE_TYPE;
    for (const other of skus) {
      if (other !== main)
        this.unreadable(
          tc,
          `skus[${skus.indexOf(other)}]`,
          `a second SKU (${String(other.skuId)}, ${String(other.imageType)})`,
        );
    }
    if (this.isCore) {
      const row = GENERATIONS.find(([, type]) => type === imageType);
      if (!row) this.unreadable(tc, "skus", `image type ${imageType}`);
      out[k("generation")] = (row ?? GENERATIONS[0])[0];
    } else if (imageType !== DEFAULT_IMAGE_TYPE) {
      this.unreadable(tc, "skus", `image type ${imageType} (a CPP VM plan holds ${DEFAULT_IMAGE_TYPE} images)`);
    }
    // An empty list reads as no image map: a tree holds one for every plan, also for plans whose
    // images other resources own (VmImageVersion), so "none" and "not ours" look the same.
    if (Array.isArray(tc.vmImageVersions)) {
      const images = this.images(tc, tc.vmImageVersions, imageType);
      if (Object.keys(images).length > 0) out[k(this.isCore ? "vmImagesPublicAzure" : "vmImages")] = images;
    }
  }

  private images(tc: PiaResource, versions: unknown[], imageType: string): JsonRecord {
    const map: JsonRecord = {};
    versions.forEach((v, i) => {
      const where = `vmImageVersions[${i}]`;
      if (!isRecord(v) || typeof v.versionNumber !== "string")
        return this.unreadable(tc, where, "an image version without a version number");
      if (v.lifecycleState === "deleted") return;
      const images = Array.isArray(v.vmImages) ? v.vmImages.filter(isRecord) : [];
      const image = images.find((im) => im.imageType === imageType);
      for (const other of images) {
        if (other !== image)
          this.unreadable(tc, `${where}.vmImages`, `a ${String(other.imageType)} image of version ${v.versionNumber}`);
      }
      const source = isRecord(image?.source) ? image.source : undefined;
      const osDisk = isRecord(source?.osDisk) ? source.osDisk : undefined;
      if (!source || source.sourceType !== "sasUri" || typeof osDisk?.uri !== "string") {
        this.unreadable(tc, where, `version ${v.versionNumber} without a ${imageType} image from a SAS URI`);
        return;
      }
      const disks = Array.isArray(source.dataDisks) ? source.dataDisks.filter(isRecord) : [];
      const entry: JsonRecord = {
        osVhdUrl: osDisk.uri,
        lunVhdDetails: disks.map((d) => ({ lun: d.lunNumber, uri: d.uri })),
      };
      if (v.lifecycleState === "deprecated") entry.showInGui = false;
      if (hasContent(v.deprecationSchedule))
        this.unreadable(tc, `${where}.deprecationSchedule`, "a deprecation schedule");
      map[v.versionNumber] = entry;
    });
    return map;
  }
}

/** Resource types whose content the reading covers (submissions carry no definition content). */
const KNOWN_TYPES = new Set([
  "product",
  "property",
  "listing",
  "listing-asset",
  "plan",
  "plan-listing",
  "price-and-availability-offer",
  "price-and-availability-plan",
  "virtual-machine-plan-technical-configuration",
  "core-virtual-machine-plan-technical-configuration",
  "customer-leads",
  "reseller",
  "submission",
  "test-drive",
]);

function hasContent(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.values(v).some(hasContent);
  return true;
}

function withoutSecrets(config: JsonRecord): JsonRecord {
  for (const key of Object.keys(config)) {
    if (isSecretKey(key)) delete config[key];
    else if (isRecord(config[key])) withoutSecrets(config[key] as JsonRecord);
  }
  return config;
}
