// SPDX-License-Identifier: Apache-2.0
/**
 * CPP offer definition → Product Ingestion API resources (docs/internals/api-notes.md §P4, the
 * mapping table; §P3.2–§P3.4 the resources). Every key of the definition is translated,
 * reported as a problem (unsupported.ts) or, for the few read-only keys the service sets,
 * ignored. Pure: no I/O.
 *
 * Fields the definition leaves out are left out of the resources (whether the service then
 * keeps or clears them is §P10.2's open question); fields a schema requires get their default
 * (`visibility: visible`, `audience: public`, `termsConditions: custom`, `categories: {}`,
 * `previewAudiences: []`, a plan's `alias` = its plan id when it has no title).
 */
import { isCoreSizeKey } from "../schema/core-sizes.js";
import { isNoLeadDestination, leadTargetOf } from "../schema/leads.js";
import { COREVM_NS, COREVM_OFFER_TYPE, MARKETPLACE_NS, TESTDRIVE_NS, VM_NS } from "../schema/offer-types.js";
import type { PiaResource, PiaResourceRef } from "../pia/models.js";
import { schemaUrl } from "../pia/schema.js";
import { isRecord, jsonClone, type JsonRecord } from "../util/json.js";
import { LANGUAGE_ID, listingResourceName, planResourceName, productResourceName, referenceTo } from "./names.js";
import { Findings, itemPath, KeyReader, planIndexPath } from "./reader.js";
import type { DefinitionToPiaInput, DefinitionToPiaResult, PiaOfferTypeId } from "./types.js";
import {
  DISK_GENERATIONS,
  GUESSED_VM_OFFER_KEYS,
  IGNORED_KEYS,
  TEST_DRIVE,
  UNKNOWN_KEY,
  UNSUPPORTED_COREVM_PLAN_KEYS,
  UNSUPPORTED_LISTING_KEYS,
  UNSUPPORTED_PRICING,
  wrongNamespace,
  type Unsupported,
} from "./unsupported.js";
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

/** The key namespaces of an offer type: listing keys, plan keys. */
export interface OfferNamespaces {
  listing: string;
  plan: string;
}

/**
 * The key namespaces: `microsoft-azure-marketplace.` (listing) and `microsoft-azure-virtualmachines.`
 * (plans) for VM offers, `microsoft-azure-corevm.` for both in core-VM offers (§5.6).
 */
export function namespacesOf(offerTypeId: PiaOfferTypeId): OfferNamespaces {
  return offerTypeId === COREVM_OFFER_TYPE
    ? { listing: COREVM_NS, plan: COREVM_NS }
    : { listing: MARKETPLACE_NS, plan: VM_NS };
}

/** `product.type` of each offer type (§P4). */
export const PRODUCT_TYPES: Readonly<Record<PiaOfferTypeId, string>> = {
  "microsoft-azure-virtualmachines": "azureVirtualMachine",
  "microsoft-azure-corevm": "coreVirtualMachine",
};

/** The technical-configuration resource type of each offer type (§P3.2). */
export const TECHNICAL_CONFIGURATION_TYPES: Readonly<Record<PiaOfferTypeId, string>> = {
  "microsoft-azure-virtualmachines": "virtual-machine-plan-technical-configuration",
  "microsoft-azure-corevm": "core-virtual-machine-plan-technical-configuration",
};

/** `softwareType` of core-VM technical configurations: core-VM offers are OS images [I]. */
export const COREVM_SOFTWARE_TYPE = "operatingSystem";

/** A disk version as PIA takes it (`versionNumber`, §P3.4). */
const VERSION_NUMBER = /^\d+\.\d+\.\d+$/;

/**
 * Translates a CPP offer definition into the resources of one configure request: product,
 * property, en-us listing, one listing asset per logo, price-and-availability-offer,
 * customer-leads (when `leadDestination` is set), reseller (when `cspOfferOptIn` is set), and per
 * plan: plan, plan listing, price-and-availability-plan (pricing and trial only when the plan
 * carries `virtualMachinePricing`) and technical configuration (image versions only when the plan
 * carries its image map). Resources that exist are referenced by the durable ids in `known`, new
 * ones by the `resourceName`s of names.ts. Whatever PIA cannot hold is in `problems`.
 */
export function definitionToPia(input: DefinitionToPiaInput): DefinitionToPiaResult {
  const findings = new Findings();
  const t = new Translation(input, findings);
  const resources = t.run();
  return { resources, problems: findings.problems, ignored: findings.ignored };
}

class Translation {
  private readonly ns: OfferNamespaces;
  private readonly isCore: boolean;
  private readonly productRef: PiaResourceRef;
  private readonly resources: PiaResource[] = [];

  constructor(
    private readonly input: DefinitionToPiaInput,
    private readonly findings: Findings,
  ) {
    this.ns = namespacesOf(input.offerTypeId);
    this.isCore = input.offerTypeId === COREVM_OFFER_TYPE;
    this.productRef = referenceTo(input.known?.product, productResourceName(input.offerId));
  }

  private problem(path: string, u: Unsupported): void {
    this.findings.problem(path, u.reason, u.fix);
  }

  run(): PiaResource[] {
    const def = isRecord(this.input.definition) ? this.input.definition : {};
    if (!isRecord(this.input.definition)) this.findings.wrongType("definition", "an object", this.input.definition);
    const d = new KeyReader(def, "definition", this.findings);
    const displayText = d.string("displayText");
    const offer = d.record("offer") ?? {};
    const plans = d.array("plans") ?? [];
    for (const key of d.rest()) {
      this.findings.problem(
        d.pathOf(key),
        "not part of an offer definition (displayText, offer, plans); PIA has nowhere to put it",
        "remove the key (read-only fields such as status or version are the service's)",
      );
    }
    if (displayText === undefined) {
      this.findings.problem(
        "definition.displayText",
        "the product's alias is required (docs/internals/api-notes.md §P3.2); without displayText the offer id stands in",
        "set definition.displayText to the offer's name",
      );
    }
    this.product(displayText ?? this.input.offerId);
    this.offer(new KeyReader(offer, "definition.offer", this.findings));
    const seen = new Set<string>();
    plans.forEach((plan, i) => this.plan(plan, i, seen));
    return this.resources;
  }

  private add(type: string, fields: JsonRecord): PiaResource {
    const resource = { $schema: schemaUrl(type), ...fields } as PiaResource;
    this.resources.push(resource);
    return resource;
  }

  private product(alias: string): void {
    const known = this.input.known?.product;
    this.add("product", {
      ...(known ? { id: known } : {}),
      resourceName: productResourceName(this.input.offerId),
      identity: { externalId: this.input.offerId },
      type: PRODUCT_TYPES[this.input.offerTypeId],
      alias,
    });
  }

  // ---- the listing: definition.offer ----

  private offer(o: KeyReader): void {
    const ns = this.ns.listing;
    const k = (suffix: string) => ns + suffix;

    for (const key of IGNORED_KEYS.offer) if (o.take(key) !== undefined) this.findings.ignore(o.pathOf(key));
    // A test drive switched off is no test drive: nothing to write. Any other test-drive key is a problem (rest).
    if (o.has(TESTDRIVE_NS + "enabled") && o.value[TESTDRIVE_NS + "enabled"] === false)
      o.take(TESTDRIVE_NS + "enabled");
    for (const [suffix, u] of Object.entries(UNSUPPORTED_LISTING_KEYS)) {
      const v = o.take(k(suffix));
      if (v !== undefined && !isEmptyList(v)) this.problem(o.pathOf(k(suffix)), u);
    }

    // property
    const categories = this.categories(o, k("categoryMap"));
    const termsOfUse = o.string(k("termsOfUse"));
    const standard = o.boolean(k("useEnterpriseContract"));
    this.add("property", {
      kind: "azureVM",
      product: this.productRef,
      categories,
      termsConditions: standard ? "standardMicrosoft" : "custom",
      ...(termsOfUse !== undefined ? { termsOfUse } : {}),
    });

    // listing
    const listingName = listingResourceName(this.input.offerId);
    const listing: JsonRecord = {
      resourceName: listingName,
      kind: "azureVM",
      product: this.productRef,
      languageId: LANGUAGE_ID,
    };
    const text: Array<[string, string]> = [
      ["title", "title"],
      ["summary", "searchResultSummary"],
      ["longSummary", "shortDescription"],
      ["description", "description"],
      ["privacyURL", "privacyPolicyLink"],
    ];
    for (const [suffix, field] of text) setIf(listing, field, o.string(k(suffix)));
    const links = this.usefulLinks(o, k("usefulLinks"));
    if (links) listing.generalLinks = links;
    for (const who of ["support", "engineering"]) {
      const contact: JsonRecord = {};
      for (const part of ["Name", "Email", "Phone"])
        setIf(contact, part.toLowerCase(), o.string(k(`${who}Contact${part}`)));
      if (Object.keys(contact).length > 0) listing[`${who}Contact`] = contact;
    }
    setIf(listing, "globalSupportWebsite", o.string(k("publicAzureSupportUrl")));
    setIf(listing, "governmentSupportWebsite", o.string(k("fairfaxSupportUrl")));
    this.add("listing", listing);

    // listing assets
    const listingRef = referenceTo(this.input.known?.listing, listingName);
    for (const [suffix, type] of LOGO_TYPES) {
      const url = o.string(k(suffix));
      if (url === undefined) continue;
      this.add("listing-asset", {
        kind: "azure",
        product: this.productRef,
        listing: listingRef,
        languageId: LANGUAGE_ID,
        type,
        fileName: fileNameOf(url, type),
        url,
      });
    }

    // price-and-availability-offer
    const subscriptions = o.strings(k("allowedSubscriptions")) ?? [];
    this.add("price-and-availability-offer", {
      product: this.productRef,
      // The label is what Partner Center shows for the audience; CPP has only the id [I].
      previewAudiences: subscriptions.map((id) => ({ type: "subscription", id, label: id })),
    });

    this.leads(o);

    const csp = o.boolean(k("cspOfferOptIn"));
    if (csp !== undefined) {
      this.add("reseller", { product: this.productRef, resellerChannelState: csp ? RESELLER_ALL : RESELLER_NONE });
    }

    for (const key of o.rest()) this.problem(o.pathOf(key), this.unknownOfferKey(key));
  }

  private unknownOfferKey(key: string): Unsupported {
    if (key.startsWith(TESTDRIVE_NS)) return TEST_DRIVE;
    if (!this.isCore && key.startsWith(VM_NS)) return GUESSED_VM_OFFER_KEYS[key.slice(VM_NS.length)] ?? UNKNOWN_KEY;
    if (!key.startsWith(this.ns.listing) && key.includes(".")) {
      return wrongNamespace(this.input.offerTypeId, this.isCore ? [COREVM_NS] : [MARKETPLACE_NS, VM_NS]);
    }
    return UNKNOWN_KEY;
  }

  private categories(o: KeyReader, key: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const list = o.array(key);
    if (!list) return out;
    list.forEach((entry, i) => {
      const path = itemPath(o.pathOf(key), i);
      if (!isRecord(entry)) return this.findings.wrongType(path, "an object { categoryL1, categoryL2-<l1> }", entry);
      const e = new KeyReader(entry, path, this.findings);
      const l1 = e.string("categoryL1");
      if (l1 === undefined) {
        for (const rest of e.rest()) e.take(rest);
        this.findings.problem(path, "a category needs its categoryL1 to be translated", "set categoryL1");
        return;
      }
      if (out[l1]) {
        this.findings.problem(
          path,
          `category "${l1}" is listed twice; property.categories holds each top-level category once`,
          "merge the two entries",
        );
        for (const rest of e.rest()) e.take(rest);
        return;
      }
      out[l1] = e.strings(`categoryL2-${l1}`) ?? [];
      for (const rest of e.rest()) {
        this.findings.problem(
          e.pathOf(rest),
          `only categoryL2-${l1} holds the subcategories of "${l1}"; this key would be lost`,
          `move its subcategories into a category entry of their own top-level category, or remove it`,
        );
      }
    });
    return out;
  }

  private usefulLinks(o: KeyReader, key: string): JsonRecord[] | undefined {
    const list = o.array(key);
    if (!list) return undefined;
    const out: JsonRecord[] = [];
    list.forEach((item, i) => {
      const path = itemPath(o.pathOf(key), i);
      if (!isRecord(item)) return this.findings.wrongType(path, "an object { linkTitle, linkUrl }", item);
      const l = new KeyReader(item, path, this.findings);
      const displayText = l.string("linkTitle");
      const link = l.string("linkUrl");
      if (displayText === undefined || link === undefined) {
        this.findings.problem(path, "a general link needs both linkTitle and linkUrl", "set both, or remove the link");
      } else out.push({ displayText, link });
      for (const rest of l.rest()) this.problem(l.pathOf(rest), UNKNOWN_KEY);
    });
    return out;
  }

  private leads(o: KeyReader): void {
    const ns = this.ns.listing;
    const destination = o.string(ns + "leadDestination");
    const configs = new Map<string, JsonRecord>();
    for (const t of PIA_LEAD_TARGETS) {
      const value = o.record(ns + t.cppConfig);
      if (value) configs.set(t.cppConfig, value);
    }
    let chosen: string | undefined;
    if (destination !== undefined) {
      if (isNoLeadDestination(destination)) {
        this.add("customer-leads", { product: this.productRef, leadDestination: NO_LEADS });
      } else {
        const target = leadTargetOf(destination);
        const pia = target && PIA_LEAD_TARGETS.find((p) => p.cppConfig === target.config);
        if (!pia) {
          this.findings.problem(
            o.pathOf(ns + "leadDestination"),
            `"${destination}" is not a lead destination this translation knows, so customer-leads cannot be written`,
            `use one of None, ${PIA_LEAD_TARGETS.map((p) => p.cppDestination).join(", ")}`,
          );
        } else {
          chosen = pia.cppConfig;
          this.add("customer-leads", {
            product: this.productRef,
            leadDestination: pia.piaDestination,
            [pia.piaConfig]: jsonClone(configs.get(pia.cppConfig) ?? {}),
          });
        }
      }
    }
    for (const [config, value] of configs) {
      if (config === chosen) continue;
      const path = o.pathOf(ns + config);
      if (Object.keys(value).length === 0) this.findings.ignore(path);
      else {
        this.findings.problem(
          path,
          "customer-leads holds exactly one configuration, that of leadDestination (docs/internals/api-notes.md §P3.2); this one would be lost",
          "set leadDestination to this configuration's target, or remove the configuration",
        );
      }
    }
  }

  // ---- plans ----

  private plan(value: unknown, index: number, seen: Set<string>): void {
    const indexPath = planIndexPath(index);
    if (!isRecord(value)) return this.findings.wrongType(indexPath, "a plan object with a planId", value);
    const planId = value.planId;
    if (typeof planId !== "string" || planId === "") {
      this.findings.problem(indexPath, "a plan needs a planId (the plan's external id)", "set planId");
      return;
    }
    if (seen.has(planId)) {
      this.findings.problem(
        indexPath,
        `plan id "${planId}" is used twice; a product's plans have distinct external ids`,
        "give each plan its own planId",
      );
      return;
    }
    seen.add(planId);
    const p = new KeyReader(value, itemPath("definition.plans", planId), this.findings);
    p.take("planId");
    const ns = this.ns.plan;
    const k = (suffix: string) => ns + suffix;
    const known = this.input.known?.plans?.[planId];
    const planRef = referenceTo(known, planResourceName(planId));

    for (const key of IGNORED_KEYS.plan) if (p.take(key) !== undefined) this.findings.ignore(p.pathOf(key));

    // plan
    const title = p.string(k("skuTitle"));
    const clouds = this.clouds(p, k("cloudAvailability"));
    const certifications = p.array(k("certificationsFairfax"));
    if (certifications && certifications.length > 0) {
      this.findings.problem(
        p.pathOf(k("certificationsFairfax")),
        "CPP Azure Government certification elements have no documented shape to translate into plan.azureGovernmentCertifications",
        "remove them and set the certifications in Partner Center",
      );
    }
    this.add("plan", {
      ...(known ? { id: known } : {}),
      resourceName: planResourceName(planId),
      product: this.productRef,
      identity: { externalId: planId },
      alias: title ?? planId,
      ...(clouds ? { azureRegions: clouds } : {}),
    });

    // plan listing
    const planListing: JsonRecord = {
      kind: "azureVM-plan",
      product: this.productRef,
      plan: planRef,
      languageId: LANGUAGE_ID,
    };
    setIf(planListing, "name", title);
    setIf(planListing, "summary", p.string(k("skuSummary")));
    setIf(planListing, "description", p.string(k(this.isCore ? "skuDescriptionPublicAzure" : "skuDescription")));
    this.add("plan-listing", planListing);

    // price and availability
    const hidden = p.boolean(k("hideSKUForSolutionTemplate"));
    const availability: JsonRecord = {
      product: this.productRef,
      plan: planRef,
      visibility: hidden ? "hidden" : "visible",
      audience: "public",
    };
    const privateAudiences = this.restrictedAudience(p);
    if (privateAudiences) {
      availability.audience = "private";
      availability.privateAudiences = privateAudiences;
    }
    const regions = p.strings("regions");
    if (regions) availability.markets = regions.map((r) => r.toLowerCase());
    if (p.has("virtualMachinePricing")) {
      const priced = this.pricing(p.take("virtualMachinePricing"), p.pathOf("virtualMachinePricing"));
      if (priced) Object.assign(availability, priced);
    }
    this.add("price-and-availability-plan", availability);

    // technical configuration
    const tc: JsonRecord = { product: this.productRef, plan: planRef };
    if (this.isCore) tc.softwareType = COREVM_SOFTWARE_TYPE;
    const os = this.operatingSystem(p);
    if (os) tc.operatingSystem = os;
    const sizes = p.strings(k("recommendedVMSizes"));
    if (sizes) tc.recommendedVmSizes = sizes;
    const ports = this.openPorts(p, k("openPorts"));
    if (ports) tc.openPorts = ports;
    const properties = this.vmProperties(p);
    if (properties) tc.vmProperties = properties;
    const imageType = this.imageType(p);
    tc.skus = [{ skuId: planId, imageType }];
    const imageKey = this.isCore ? k("vmImagesPublicAzure") : k("vmImages");
    if (p.has(imageKey)) {
      const versions = this.imageVersions(p.take(imageKey), p.pathOf(imageKey), imageType);
      if (versions) tc.vmImageVersions = versions;
    }
    this.add(TECHNICAL_CONFIGURATION_TYPES[this.input.offerTypeId], tc);

    // the rest
    if (p.take("virtualMachinePricingV2") !== undefined) {
      this.problem(p.pathOf("virtualMachinePricingV2"), UNSUPPORTED_PRICING.virtualMachinePricingV2);
    }
    if (this.isCore && p.has("diskGenerations")) {
      const children = p.take("diskGenerations");
      if (!isEmptyList(children)) this.problem(p.pathOf("diskGenerations"), DISK_GENERATIONS);
    }
    for (const key of p.rest()) this.problem(p.pathOf(key), this.unknownPlanKey(key));
  }

  private unknownPlanKey(key: string): Unsupported {
    if (key.startsWith(TESTDRIVE_NS)) return TEST_DRIVE;
    if (key.startsWith(this.ns.plan)) {
      const suffix = key.slice(this.ns.plan.length);
      if (this.isCore && UNSUPPORTED_COREVM_PLAN_KEYS[suffix]) return UNSUPPORTED_COREVM_PLAN_KEYS[suffix];
      return UNKNOWN_KEY;
    }
    if (key.includes(".")) return wrongNamespace(this.input.offerTypeId, [this.ns.plan]);
    return UNKNOWN_KEY;
  }

  private clouds(p: KeyReader, key: string): string[] | undefined {
    const list = p.strings(key);
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((cloud, i) => {
      const region = CLOUDS.toPia(cloud);
      if (region === undefined) {
        this.findings.problem(
          itemPath(p.pathOf(key), i),
          `"${cloud}" is not a cloud plan.azureRegions knows`,
          `use ${CLOUDS.spellings.join(", ")}`,
        );
      } else if (!out.includes(region)) out.push(region);
    });
    return out;
  }

  private restrictedAudience(p: KeyReader): JsonRecord[] | undefined {
    const audience = p.record("restrictedAudience");
    if (!audience || Object.keys(audience).length === 0) return undefined;
    const a = new KeyReader(audience, p.pathOf("restrictedAudience"), this.findings);
    const csv = a.take("uploadedCsvUri");
    if (csv !== undefined) {
      this.findings.problem(
        a.pathOf("uploadedCsvUri"),
        "PIA private audiences are listed in privateAudiences, not uploaded as a CSV (docs/internals/api-notes.md §P3.2)",
        "list the audience in restrictedAudience.manualEntries",
      );
    }
    const out: JsonRecord[] = [];
    (a.array("manualEntries") ?? []).forEach((entry, i) => {
      const path = itemPath(a.pathOf("manualEntries"), i);
      if (!isRecord(entry)) return this.findings.wrongType(path, "an object { type, id, description }", entry);
      const e = new KeyReader(entry, path, this.findings);
      const typeName = e.string("type");
      const id = e.string("id");
      const description = e.string("description");
      const type = typeName === undefined ? undefined : AUDIENCE_TYPES.toPia(typeName);
      if (type === undefined || id === undefined) {
        this.findings.problem(
          path,
          "a private audience entry needs a type (subscriptionId or tenantId) and an id",
          "set type and id, or remove the entry",
        );
      } else out.push({ type, id, ...(description !== undefined ? { label: description } : {}) });
      for (const rest of e.rest()) this.problem(e.pathOf(rest), UNKNOWN_KEY);
    });
    for (const rest of a.rest()) this.problem(a.pathOf(rest), UNKNOWN_KEY);
    return out.length > 0 ? out : undefined;
  }

  /** `virtualMachinePricing` → `pricing` and `trial` (§P3.3, §P4). */
  private pricing(value: unknown, path: string): JsonRecord | undefined {
    if (!isRecord(value)) {
      this.findings.wrongType(path, "an object { isByol, freeTrialDurationInMonths, coreMultiplier }", value);
      return undefined;
    }
    const w = new KeyReader(value, path, this.findings);
    const byol = w.boolean("isByol");
    const trialValue = w.take("freeTrialDurationInMonths");
    let months = 0;
    if (trialValue !== undefined) {
      if (trialValue === 0 || trialValue === 1 || trialValue === 3) months = trialValue;
      else {
        this.findings.problem(
          w.pathOf("freeTrialDurationInMonths"),
          `a free trial of ${JSON.stringify(trialValue)} months has no PIA form: trials are 0, 1 or 3 months`,
          "use 0, 1 or 3",
        );
      }
    }
    for (const key of ["spreadSheetPricing", "regionPrices"]) {
      const v = w.take(key);
      if (v !== undefined && !(isRecord(v) && Object.keys(v).length === 0))
        this.problem(w.pathOf(key), UNSUPPORTED_PRICING[key]);
    }
    const multiplier = w.record("coreMultiplier");
    for (const rest of w.rest()) this.problem(w.pathOf(rest), UNKNOWN_KEY);
    if (byol === undefined) {
      this.findings.problem(
        path,
        "pricing needs isByol (true or false) to choose the licence model; it is not written",
        "set isByol",
      );
      return undefined;
    }
    const trial = months > 0 ? { type: "month", value: months } : null;
    if (byol) {
      if (months > 0) {
        this.findings.problem(
          w.pathOf("freeTrialDurationInMonths"),
          "a bring-your-own-licence plan has no free trial",
          "set freeTrialDurationInMonths to 0",
        );
      }
      if (multiplier && Object.keys(multiplier).length > 0) {
        this.findings.problem(
          w.pathOf("coreMultiplier"),
          "a bring-your-own-licence plan has no software price (PIA refuses corePricing with licenseModel byol, §P3.3)",
          "remove coreMultiplier, or set isByol to false",
        );
      }
      return { pricing: { licenseModel: "byol" }, trial: null };
    }
    const corePricing = multiplier ? this.corePricing(multiplier, w.pathOf("coreMultiplier")) : undefined;
    if (!corePricing) {
      this.findings.problem(
        path,
        "a pay-as-you-go plan needs a price PIA can hold, coreMultiplier.single or coreMultiplier.individually in USD; without one the plan's pricing is not written",
        "price the plan per core or per core size",
      );
      return undefined;
    }
    return { pricing: { licenseModel: "payAsYouGo", corePricing }, trial };
  }

  private corePricing(cm: JsonRecord, path: string): JsonRecord | undefined {
    const c = new KeyReader(cm, path, this.findings);
    const currency = c.string("currency");
    const single = c.take("single");
    const individually = c.take("individually");
    for (const rest of c.rest()) this.problem(c.pathOf(rest), UNKNOWN_KEY);
    // Whatever stops the prices from being written is reported on coreMultiplier as a whole.
    const fail = (reason: string, fix: string) => (this.findings.problem(path, reason, fix), undefined);
    if (currency !== undefined && currency.toUpperCase() !== "USD") {
      return fail(
        `PIA's per-core prices are in USD (corePricing has no currency, docs/internals/api-notes.md §P3.3); prices in ${currency} cannot be written`,
        "give the prices in USD",
      );
    }
    if (single !== undefined && individually !== undefined) {
      return fail(
        "corePricing holds exactly one kind of price (§P3.3): single and individually cannot both be written",
        "keep one of single and individually",
      );
    }
    if (single !== undefined) {
      if (typeof single !== "number" || !(single >= 0)) {
        return fail(
          `the price per core must be a non-negative number, and is ${JSON.stringify(single)}`,
          "give a number",
        );
      }
      return { priceInputOption: "perCore", pricePerCore: single };
    }
    if (individually !== undefined) {
      if (!isRecord(individually)) {
        return fail("individually must be an object of core-size prices", 'give e.g. { "1core": 0.02, "2core": 0.04 }');
      }
      const prices: Record<string, number> = {};
      for (const [size, price] of Object.entries(individually)) {
        const p = itemPath(c.pathOf("individually"), size);
        if (!isCoreSizeKey(size)) {
          this.findings.problem(
            p,
            `"${size}" is not a core-size key (sharedcore, 1core, 2core, …)`,
            "use the core-size keys of §6.3",
          );
        } else if (typeof price !== "number" || !(price >= 0))
          this.findings.wrongType(p, "a non-negative number", price);
        else prices[size] = price;
      }
      return { priceInputOption: "perCoreSize", pricePerCoreSize: prices };
    }
    return fail(
      "coreMultiplier has neither single nor individually: there is no price to write",
      "set coreMultiplier.single or coreMultiplier.individually",
    );
  }

  private operatingSystem(p: KeyReader): JsonRecord | undefined {
    const ns = this.ns.plan;
    const familyKey = ns + "operatingSystemFamily";
    const family = p.string(familyKey);
    const osType = p.string(ns + "osType");
    const windowsType = p.string(ns + "windowsOSType");
    const friendlyKey = ns + (this.isCore ? "osFriendlyName" : "operationSystem");
    const friendlyName = p.string(friendlyKey);
    if (osType !== undefined && windowsType !== undefined) {
      this.findings.problem(
        p.pathOf(ns + "windowsOSType"),
        "operatingSystem.type is one field: osType and windowsOSType cannot both be written",
        "keep one of them (osType)",
      );
    }
    const typeKey = osType !== undefined ? ns + "osType" : ns + "windowsOSType";
    const type = osType ?? windowsType;
    if (family === undefined) {
      for (const [key, v] of [
        [typeKey, type],
        [friendlyKey, friendlyName],
      ] as const) {
        if (v !== undefined) {
          this.findings.problem(
            p.pathOf(key),
            "operatingSystem needs its family (docs/internals/api-notes.md §P3.4); without operatingSystemFamily this key cannot be written",
            "set operatingSystemFamily (Linux or Windows)",
          );
        }
      }
      return undefined;
    }
    const piaFamily = OS_FAMILIES.toPia(family);
    if (piaFamily === undefined) {
      for (const key of [familyKey, typeKey, friendlyKey]) {
        if (!p.has(key)) continue;
        this.findings.problem(
          p.pathOf(key),
          `"${family}" is not an operating system family PIA knows, so operatingSystem is not written`,
          "set operatingSystemFamily to Linux or Windows",
        );
      }
      return undefined;
    }
    const table = piaFamily === "linux" ? LINUX_OS_TYPES : WINDOWS_OS_TYPES;
    let piaType = DEFAULT_OS_TYPE;
    if (type !== undefined) {
      const mapped = table.toPia(type);
      if (mapped === undefined) {
        this.findings.problem(
          p.pathOf(typeKey),
          `"${type}" is not a ${family} OS type PIA knows; it would be written as "other"`,
          `use one of ${table.spellings.join(", ")}`,
        );
      } else piaType = mapped;
    }
    return { family: piaFamily, type: piaType, ...(friendlyName !== undefined ? { friendlyName } : {}) };
  }

  private openPorts(p: KeyReader, key: string): JsonRecord[] | undefined {
    const list = p.array(key);
    if (!list) return undefined;
    const out: JsonRecord[] = [];
    list.forEach((item, i) => {
      const path = itemPath(p.pathOf(key), i);
      const ok =
        isRecord(item) &&
        typeof item.label === "string" &&
        typeof item.portRange === "string" &&
        typeof item.protocol === "string" &&
        ["tcp", "udp", "both"].includes(item.protocol.toLowerCase()) &&
        Object.keys(item).every((f) => ["label", "portRange", "protocol"].includes(f));
      if (!ok || !isRecord(item)) {
        this.findings.problem(
          path,
          "CPP open-port elements have no documented shape; the translation takes { label, portRange, protocol (tcp, udp or both) }, which PIA's openPorts holds (§P3.4)",
          'write the port as { label: "https", portRange: "443", protocol: "tcp" }',
        );
        return;
      }
      out.push({ label: item.label, portRange: item.portRange, protocol: String(item.protocol).toLowerCase() });
    });
    return out;
  }

  private vmProperties(p: KeyReader): JsonRecord | undefined {
    const known = this.isCore ? COREVM_PROPERTIES : VM_PROPERTIES;
    const ns = this.ns.plan;
    const out: JsonRecord = {};
    for (const key of p.rest()) {
      if (!key.startsWith(ns)) continue;
      const suffix = key.slice(ns.length).toLowerCase();
      const property = known.find(([pia]) => pia.toLowerCase() === suffix);
      if (!property) continue;
      const v = p.boolean(key);
      if (v !== undefined) out[property[0]] = v;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private imageType(p: KeyReader): string {
    if (!this.isCore) return DEFAULT_IMAGE_TYPE;
    const ns = this.ns.plan;
    const generation = p.take(ns + "generation");
    const architecture = p.take(ns + "vmImagesArchitecture");
    if (architecture !== undefined && String(architecture).toUpperCase() !== "X64") {
      this.findings.problem(
        p.pathOf(ns + "vmImagesArchitecture"),
        `the translation writes x64 image types only (x64Gen1, x64Gen2); ${JSON.stringify(architecture)} images would be written as x64`,
        "remove the key for x64 images; manage other architectures in Partner Center",
      );
    }
    const models = p.take(ns + "deploymentModels");
    if (models !== undefined) {
      const list = Array.isArray(models) ? models : [models];
      list.forEach((m, i) => {
        if (typeof m !== "string" || m.toUpperCase() !== "ARM") {
          this.findings.problem(
            Array.isArray(models) ? itemPath(p.pathOf(ns + "deploymentModels"), i) : p.pathOf(ns + "deploymentModels"),
            `PIA products deploy through Azure Resource Manager only; ${JSON.stringify(m)} has no PIA form`,
            'keep deploymentModels ["ARM"] or remove the key',
          );
        }
      });
    }
    if (generation === undefined) return DEFAULT_IMAGE_TYPE;
    const row = GENERATIONS.find(([g]) => g === String(generation));
    if (!row) {
      this.findings.problem(
        p.pathOf(ns + "generation"),
        `generation ${JSON.stringify(generation)} has no image type: PIA knows generation "1" (x64Gen1) and "2" (x64Gen2)`,
        'use "1" or "2"',
      );
      return DEFAULT_IMAGE_TYPE;
    }
    return row[1];
  }

  /** The image map → `vmImageVersions` (§P3.4): one image of the plan's image type per version. */
  private imageVersions(value: unknown, path: string, imageType: string): JsonRecord[] | undefined {
    if (!isRecord(value)) {
      this.findings.wrongType(path, 'an object of disk versions ("1.0.0") to { osVhdUrl, lunVhdDetails }', value);
      return undefined;
    }
    const out: JsonRecord[] = [];
    for (const [version, entry] of Object.entries(value)) {
      const vpath = itemPath(path, version);
      if (!VERSION_NUMBER.test(version) || version.length > 32) {
        this.findings.problem(
          vpath,
          `"${version}" is not a PIA version number (X.Y.Z of digits)`,
          "use a version such as 1.0.0",
        );
        continue;
      }
      if (!isRecord(entry)) {
        this.findings.wrongType(vpath, "an object { osVhdUrl, lunVhdDetails }", entry);
        continue;
      }
      const e = new KeyReader(entry, vpath, this.findings);
      const osVhdUrl = e.string("osVhdUrl");
      const showInGui = e.boolean("showInGui");
      const dataDisks: JsonRecord[] = [];
      (e.array("lunVhdDetails") ?? []).forEach((disk, i) => {
        const dpath = itemPath(e.pathOf("lunVhdDetails"), i);
        if (!isRecord(disk)) return this.findings.wrongType(dpath, "an object { lun, uri }", disk);
        const d = new KeyReader(disk, dpath, this.findings);
        const lun = d.take("lun");
        const uri = d.has("uri") ? d.string("uri") : d.string("lunVhdUrl");
        if (d.has("uri") && d.has("lunVhdUrl")) {
          d.take("lunVhdUrl");
          this.findings.problem(
            d.pathOf("lunVhdUrl"),
            "a data disk has one URL: uri and lunVhdUrl cannot both be written",
            "keep uri",
          );
        }
        if (typeof lun !== "number" || !Number.isInteger(lun) || lun < 0 || lun > 15 || uri === undefined) {
          this.findings.problem(dpath, "a data disk needs a LUN number (an integer 0–15) and a uri", "set lun and uri");
        } else dataDisks.push({ lunNumber: lun, uri });
        for (const rest of d.rest()) this.problem(d.pathOf(rest), UNKNOWN_KEY);
      });
      for (const field of ["mediaName", "label", "description", "publishedDate"]) {
        if (e.take(field) !== undefined) {
          this.findings.problem(
            e.pathOf(field),
            `PIA image versions have no ${field} (docs/internals/api-notes.md §P3.4: a version number, a lifecycle state and its images)`,
            "remove the field",
          );
        }
      }
      for (const rest of e.rest()) this.problem(e.pathOf(rest), UNKNOWN_KEY);
      if (osVhdUrl === undefined) {
        this.findings.problem(
          vpath,
          "an image version needs its OS disk URL (osVhdUrl); this one is not written",
          "set osVhdUrl",
        );
        continue;
      }
      out.push({
        versionNumber: version,
        lifecycleState: showInGui === false ? "deprecated" : "generallyAvailable",
        vmImages: [{ imageType, source: { sourceType: "sasUri", osDisk: { uri: osVhdUrl }, dataDisks } }],
      });
    }
    return out;
  }
}

function setIf(target: JsonRecord, field: string, value: unknown): void {
  if (value !== undefined) target[field] = value;
}

function isEmptyList(v: unknown): boolean {
  return Array.isArray(v) && v.length === 0;
}

/** The file name of an asset: the URL's last path segment, or `<type>.png`. */
function fileNameOf(url: string, type: string): string {
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).pop();
    if (last) return decodeURIComponent(last);
  } catch {
    // not a URL: the service will say so
  }
  return `${type}.png`;
}
