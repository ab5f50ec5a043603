// SPDX-License-Identifier: Apache-2.0
/**
 * One store, two APIs: an offer's CPP document seen as Product Ingestion API resources, and PIA
 * writes applied to that document (docs/internals/api-notes.md §P4, the mapping table). Partner
 * Center serves migrated offers through both APIs; that they share every field of this table is
 * our inference (§P10 question 9), written down in docs/guides/emulator.md. The emulator never
 * imports provider/: this mapping is written a second time there, on purpose, so that each
 * implementation catches the other's mistakes.
 *
 * Fields both APIs have live in the document; the rest of a PIA resource (a second image
 * generation, lifecycle states, asset kinds the document has no key for, whole resource types
 * such as reseller or listing-trailer) is kept per durable id in `PiaRecord.extras`.
 */
import { isSecretKey } from "../secrets.js";
import type { Doc, OfferRecord, PiaRecord } from "../state.js";
import { assetId, PLAN_SINGLETONS, PRODUCT_SINGLETONS, schemaUrl } from "./ids.js";

const MP = "microsoft-azure-marketplace.";
/** The language every listing of a CPP document is in (the document has one listing). */
export const LANGUAGE = "en-us";
/** What a masked secret reads as (§P3.2 customer-leads; its exact wire form is open, §P10 question 4). */
export const MASKED_SECRET = "**********";

/** Logo keys of the document and their PIA asset types (§P4). */
const LOGOS: ReadonlyArray<[string, string]> = [
  ["smallLogo", "azureLogoSmall"],
  ["mediumLogo", "azureLogoMedium"],
  ["largeLogo", "azureLogoLarge"],
  ["wideLogo", "azureLogoWide"],
  ["heroLogo", "azureLogoHero"],
];
const CLOUDS: ReadonlyArray<[string, string]> = [
  ["PublicAzure", "azureGlobal"],
  ["Fairfax", "azureGovernment"],
  ["Mooncake", "azureChina"],
  ["Blackforest", "azureGermany"],
];
/** vmProperties that have a CPP plan key of the same name. */
const VM_PROPERTIES = [
  "supportsExtensions",
  "supportsBackup",
  "supportsAcceleratedNetworking",
  "isNetworkVirtualAppliance",
  "supportsNVMe",
  "supportsCloudInit",
  "supportsAadLogin",
  "supportsHibernation",
  "supportsRemoteConnection",
  "requiresCustomArmTemplate",
  "supportsSriov",
];

/**
 * Lead destinations (§P4, customer-leads): CPP's spelling, PIA's value, and the configuration
 * keys of each (two are renamed).
 */
const LEADS: ReadonlyArray<{ cpp: string; pia: string; cppConfig: string; piaConfig: string }> = [
  { cpp: "AzureTable", pia: "table", cppConfig: "tableLeadConfiguration", piaConfig: "tableLeadConfiguration" },
  { cpp: "AzureBlob", pia: "blob", cppConfig: "blobLeadConfiguration", piaConfig: "blobLeadConfiguration" },
  { cpp: "Dynamics", pia: "dynamics", cppConfig: "crmLeadConfiguration", piaConfig: "dynamicsLeadConfiguration" },
  { cpp: "Marketo", pia: "marketo", cppConfig: "marketoLeadConfiguration", piaConfig: "marketoLeadConfiguration" },
  {
    cpp: "Salesforce",
    pia: "salesforce",
    cppConfig: "salesForceLeadConfiguration",
    piaConfig: "salesforceLeadConfiguration",
  },
  {
    cpp: "HttpsEndpoint",
    pia: "httpsEndpoint",
    cppConfig: "httpsEndpointLeadConfiguration",
    piaConfig: "httpsEndpointLeadConfiguration",
  },
];
/** A CPP destination spelling, matched without case or separators (its enum is undocumented, §5.2). */
const leadOf = (cpp: unknown) =>
  typeof cpp === "string"
    ? LEADS.find((l) => l.cpp.toLowerCase() === cpp.toLowerCase().replace(/[^a-z]/g, ""))
    : undefined;
/** Private audience entry types: CPP `restrictedAudience.manualEntries[].type` ⇄ PIA `privateAudiences[].type`. */
const AUDIENCE_TYPES: ReadonlyArray<[string, string]> = [
  ["subscriptionId", "subscription"],
  ["tenantId", "tenant"],
];

/** Resource types whose fields (some or all) live in the document. */
export const MAPPED_TYPES: ReadonlySet<string> = new Set([
  "product",
  "property",
  "listing",
  "price-and-availability-offer",
  "reseller",
  "customer-leads",
  "plan",
  "plan-listing",
  "price-and-availability-plan",
  "virtual-machine-plan-technical-configuration",
  "core-virtual-machine-plan-technical-configuration",
  "submission",
]);

/** True for a CPP core-VM offer (its plan keys and its technical configuration type differ). */
export function isCoreVm(doc: Doc): boolean {
  return doc.offerTypeId === "microsoft-azure-corevm";
}

function planNs(doc: Doc): string {
  return isCoreVm(doc) ? "microsoft-azure-corevm." : "microsoft-azure-virtualmachines.";
}

/** The namespace of offer-level keys: a core-VM offer's are its own (docs/internals/api-notes.md §5.6). */
function offerNs(doc: Doc): string {
  return isCoreVm(doc) ? "microsoft-azure-corevm." : MP;
}

/** The plan key of the OS friendly name: `osFriendlyName` on core-VM offers (§5.6), else `operationSystem` (sic). */
function friendlyKey(doc: Doc): string {
  return isCoreVm(doc) ? "microsoft-azure-corevm.osFriendlyName" : "microsoft-azure-virtualmachines.operationSystem";
}

/** The plan key of the image map: `vmImagesPublicAzure` on core-VM offers (§5.6). */
function imagesKey(doc: Doc): string {
  return isCoreVm(doc) ? "microsoft-azure-corevm.vmImagesPublicAzure" : "microsoft-azure-virtualmachines.vmImages";
}

/** The technical configuration type of an offer's plans. */
export function techConfigType(doc: Doc): string {
  return isCoreVm(doc)
    ? "core-virtual-machine-plan-technical-configuration"
    : "virtual-machine-plan-technical-configuration";
}

/** The PIA ids of an offer, given on first sight; plans added through CPP get theirs here too. */
export function ensurePia(record: OfferRecord, newGuid: () => string): { pia: PiaRecord; changed: boolean } {
  let changed = false;
  if (!record.pia) {
    record.pia = { product: newGuid(), plans: {}, extras: {} };
    changed = true;
  }
  for (const plan of plansOf(record.draft)) {
    if (typeof plan.planId === "string" && !Object.hasOwn(record.pia.plans, plan.planId)) {
      Object.defineProperty(record.pia.plans, plan.planId, {
        value: newGuid(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      changed = true;
    }
  }
  return { pia: record.pia, changed };
}

function plansOf(doc: Doc | undefined): Doc[] {
  const plans = doc?.definition?.plans;
  return Array.isArray(plans) ? plans.filter((p) => p && typeof p === "object") : [];
}

/** Lower-camel form of a CPP enum word (`Ubuntu` → `ubuntu`, `RedHat` → `redHat`). */
function lowerFirst(s: unknown): string | undefined {
  return typeof s === "string" && s !== "" ? s[0].toLowerCase() + s.slice(1) : undefined;
}
function upperFirst(s: unknown): string | undefined {
  return typeof s === "string" && s !== "" ? s[0].toUpperCase() + s.slice(1) : undefined;
}

/** Sets the mapped keys of `mapped` over a copy of what was stored (an undefined mapped value removes it). */
function overlay(stored: Doc | undefined, mapped: Doc): Doc {
  const out: Doc = stored ? JSON.parse(JSON.stringify(stored)) : {};
  for (const [k, v] of Object.entries(mapped)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function contact(o: Doc, M: string, prefix: string): Doc | undefined {
  const c = { name: o[`${M}${prefix}Name`], email: o[`${M}${prefix}Email`], phone: o[`${M}${prefix}Phone`] };
  return Object.values(c).some((v) => v !== undefined) ? c : undefined;
}

/** CPP `virtualMachinePricing` → PIA `pricing` (§P3.3, §P4); undefined when it has no PIA form. */
export function pricingToPia(p: Doc | undefined): Doc | undefined {
  if (!p || typeof p !== "object") return undefined;
  if (p.isByol === true) return { licenseModel: "byol" };
  const m = p.coreMultiplier;
  if (m && typeof m.single === "number")
    return { licenseModel: "payAsYouGo", corePricing: { priceInputOption: "perCore", pricePerCore: m.single } };
  if (m && m.individually && typeof m.individually === "object")
    return {
      licenseModel: "payAsYouGo",
      corePricing: { priceInputOption: "perCoreSize", pricePerCoreSize: { ...m.individually } },
    };
  return undefined;
}

/** PIA `pricing` + `trial` → CPP `virtualMachinePricing`; undefined when CPP cannot hold it. */
export function pricingFromPia(pricing: Doc | undefined, trial: Doc | null | undefined): Doc | undefined {
  if (!pricing || typeof pricing !== "object") return undefined;
  const months = trial && trial.type === "month" && typeof trial.value === "number" ? trial.value : 0;
  if (pricing.licenseModel === "byol") return { isByol: true, freeTrialDurationInMonths: months };
  const c = pricing.corePricing ?? {};
  if (c.priceInputOption === "perCore")
    return {
      isByol: false,
      freeTrialDurationInMonths: months,
      coreMultiplier: { currency: "USD", single: c.pricePerCore },
    };
  if (c.priceInputOption === "perCoreSize")
    return {
      isByol: false,
      freeTrialDurationInMonths: months,
      coreMultiplier: { currency: "USD", individually: { ...c.pricePerCoreSize } },
    };
  return undefined;
}

/**
 * The image of a version that the CPP document holds: the one of the main SKU's image type,
 * else the first SAS one (a version written before a second SKU was added). Both directions use
 * it, so a version never gains an image it was not written with.
 */
function documentImageIndex(images: Doc[], primaryType: string): number {
  const main = images.findIndex((i) => i?.imageType === primaryType);
  return main >= 0 ? main : images.findIndex((i) => i?.source?.sourceType === "sasUri");
}

function imageVersionsToPia(plan: Doc, key: string, stored: Doc | undefined, primaryType: string): Doc[] {
  const images = plan[key];
  const storedVersions: Doc[] = Array.isArray(stored?.vmImageVersions) ? stored.vmImageVersions : [];
  const out: Doc[] = [];
  const seen = new Set<string>();
  if (images && typeof images === "object") {
    for (const [version, image] of Object.entries(images as Record<string, Doc>)) {
      if (!image || typeof image !== "object") continue;
      seen.add(version);
      const before = storedVersions.find((v) => v?.versionNumber === version);
      const disks = Array.isArray(image.lunVhdDetails) ? image.lunVhdDetails : [];
      const source = {
        sourceType: "sasUri",
        osDisk: { uri: image.osVhdUrl },
        dataDisks: disks.map((d: Doc) => ({ lunNumber: Number(d?.lun), uri: d?.uri })),
      };
      // The document's disk goes into the image it came from; the version's other images stay.
      const list: Doc[] = Array.isArray(before?.vmImages) ? JSON.parse(JSON.stringify(before.vmImages)) : [];
      const at = documentImageIndex(list, primaryType);
      if (at >= 0) list[at] = { ...list[at], source: { ...list[at].source, ...source } };
      else list.unshift({ imageType: primaryType, source });
      out.push({
        ...(before ?? {}),
        versionNumber: version,
        vmImages: list,
        lifecycleState: before?.lifecycleState ?? (image.showInGui === false ? "deprecated" : "generallyAvailable"),
      });
    }
  }
  // Versions whose main image is not a SAS URI (a shared image gallery) have no CPP form.
  for (const v of storedVersions) {
    const list: Doc[] = Array.isArray(v?.vmImages) ? v.vmImages : [];
    const main = list[documentImageIndex(list, primaryType)];
    if (typeof v?.versionNumber === "string" && !seen.has(v.versionNumber) && main?.source?.sourceType !== "sasUri")
      out.push(v);
  }
  return out;
}

/**
 * Every resource of the product in one slot (`resource-tree`, §P5): the document's fields in
 * PIA form over what PIA writes stored, secret fields masked unless `mask` is false. Pure.
 */
export function projectResources(doc: Doc, pia: PiaRecord, extras: Record<string, Doc>, mask = true): Doc[] {
  const coreVm = isCoreVm(doc);
  const P = pia.product;
  const product = `product/${P}`;
  const o: Doc = doc.definition?.offer ?? {};
  const M = offerNs(doc);
  const out: Doc[] = [];
  const made = new Set<string>();
  const add = (type: string, id: string, mapped: Doc) => {
    made.add(id);
    out.push(overlay(extras[id], { $schema: schemaUrl(type), id, ...mapped }));
  };
  add("product", product, {
    identity: { externalId: doc.id },
    type: coreVm ? "coreVirtualMachine" : "azureVirtualMachine",
    alias: doc.definition?.displayText,
    lifecycleState: extras[product]?.lifecycleState ?? "generallyAvailable",
  });
  const categories: Doc = {};
  for (const entry of Array.isArray(o[`${M}categoryMap`]) ? o[`${M}categoryMap`] : []) {
    const l1 = entry?.categoryL1;
    if (typeof l1 === "string")
      categories[l1] = Array.isArray(entry[`categoryL2-${l1}`]) ? entry[`categoryL2-${l1}`] : [];
  }
  add("property", PRODUCT_SINGLETONS.property(P, LANGUAGE), {
    kind: "azureVM",
    product,
    categories,
    termsConditions: o[`${M}useEnterpriseContract`] === true ? "standardMicrosoft" : "custom",
    termsOfUse: o[`${M}termsOfUse`],
  });
  const listing = PRODUCT_SINGLETONS.listing(P, LANGUAGE);
  add("listing", listing, {
    kind: "azureVM",
    product,
    languageId: LANGUAGE,
    title: o[`${M}title`],
    searchResultSummary: o[`${M}summary`],
    shortDescription: o[`${M}longSummary`],
    description: o[`${M}description`],
    privacyPolicyLink: o[`${M}privacyURL`],
    generalLinks: Array.isArray(o[`${M}usefulLinks`])
      ? o[`${M}usefulLinks`].map((l: Doc) => ({ displayText: l?.linkTitle, link: l?.linkUrl }))
      : undefined,
    supportContact: contact(o, M, "supportContact"),
    engineeringContact: contact(o, M, "engineeringContact"),
    globalSupportWebsite: o[`${M}publicAzureSupportUrl`] || undefined,
    governmentSupportWebsite: o[`${M}fairfaxSupportUrl`] || undefined,
  });
  for (const [key, type] of LOGOS) {
    const url = o[`${M}${key}`];
    if (typeof url !== "string" || url === "") continue;
    add("listing-asset", assetId(P, LANGUAGE, type, 1), {
      kind: "azure",
      product,
      listing,
      languageId: LANGUAGE,
      type,
      url,
      fileName: url.split("?")[0].split("/").pop() || `${type}.png`,
    });
  }
  const audiences: Doc[] = Array.isArray(extras[`price-and-availability-offer/${P}`]?.previewAudiences)
    ? extras[`price-and-availability-offer/${P}`].previewAudiences
    : [];
  const subs = Array.isArray(o[`${M}allowedSubscriptions`]) ? o[`${M}allowedSubscriptions`] : [];
  add("price-and-availability-offer", PRODUCT_SINGLETONS["price-and-availability-offer"](P, LANGUAGE), {
    product,
    previewAudiences: [
      ...subs.map((id: string) => ({
        type: "subscription",
        id,
        label: audiences.find((a) => a?.type === "subscription" && a.id === id)?.label ?? id,
      })),
      ...audiences.filter((a) => a?.type !== "subscription"),
    ],
  });
  const resellerId = PRODUCT_SINGLETONS.reseller(P, LANGUAGE);
  const csp = o[`${M}cspOfferOptIn`];
  if (typeof csp === "boolean" || extras[resellerId])
    add("reseller", resellerId, {
      product,
      ...(typeof csp === "boolean"
        ? { resellerChannelState: csp ? "all" : (extras[resellerId]?.resellerChannelState ?? "none") }
        : {}),
    });
  const leadsId = PRODUCT_SINGLETONS["customer-leads"](P, LANGUAGE);
  const lead = leadOf(o[`${M}leadDestination`]);
  if (lead || extras[leadsId]) {
    const mapped: Doc = { product };
    if (lead) {
      mapped.leadDestination = lead.pia;
      for (const l of LEADS) mapped[l.piaConfig] = undefined;
      mapped[lead.piaConfig] = o[`${M}${lead.cppConfig}`] ?? {};
    }
    add("customer-leads", leadsId, mapped);
  }
  out.push(
    overlay(extras[`submission/${P}/0`], {
      $schema: schemaUrl("submission"),
      id: `submission/${P}/0`,
      product,
      target: { targetType: "draft" },
      lifecycleState: "generallyAvailable",
    }),
  );
  made.add(`submission/${P}/0`);
  const ns = planNs(doc);
  const tcType = coreVm
    ? "core-virtual-machine-plan-technical-configuration"
    : "virtual-machine-plan-technical-configuration";
  for (const plan of plansOf(doc)) {
    const L = pia.plans[plan.planId];
    if (!L) continue;
    const planRef = `plan/${P}/${L}`;
    const clouds = Array.isArray(plan[`${ns}cloudAvailability`]) ? plan[`${ns}cloudAvailability`] : [];
    add("plan", planRef, {
      product,
      identity: { externalId: plan.planId },
      alias: plan[`${ns}skuTitle`],
      azureRegions: clouds.map((c: string) => CLOUDS.find(([cpp]) => cpp === c)?.[1] ?? lowerFirst(c)),
      lifecycleState: extras[planRef]?.lifecycleState ?? "generallyAvailable",
    });
    add("plan-listing", PLAN_SINGLETONS["plan-listing"](P, L, LANGUAGE), {
      kind: "azureVM-plan",
      product,
      plan: planRef,
      languageId: LANGUAGE,
      name: plan[`${ns}skuTitle`],
      summary: plan[`${ns}skuSummary`],
      description: plan[`${ns}skuDescription`],
    });
    const paId = PLAN_SINGLETONS["price-and-availability-plan"](P, L, LANGUAGE);
    const vmPricing = plan.virtualMachinePricing ?? plan.virtualMachinePricingV2;
    const months = vmPricing?.freeTrialDurationInMonths;
    add("price-and-availability-plan", paId, {
      product,
      plan: planRef,
      visibility: plan[`${ns}hideSKUForSolutionTemplate`] === true ? "hidden" : "visible",
      audience: plan.restrictedAudience ? "private" : "public",
      privateAudiences: Array.isArray(plan.restrictedAudience?.manualEntries)
        ? plan.restrictedAudience.manualEntries.map((m: Doc) => ({
            type: AUDIENCE_TYPES.find(([cpp]) => cpp === m?.type)?.[1] ?? m?.type,
            id: m?.id,
            label: m?.description ?? m?.id,
          }))
        : extras[paId]?.privateAudiences,
      markets: Array.isArray(plan.regions) ? plan.regions.map((r: string) => String(r).toLowerCase()) : [],
      pricing: pricingToPia(vmPricing) ?? extras[paId]?.pricing,
      trial:
        typeof months === "number" && months > 0 ? { type: "month", value: months } : (extras[paId]?.trial ?? null),
    });
    const tcId = PLAN_SINGLETONS[tcType](P, L, LANGUAGE);
    const stored = extras[tcId];
    const skus: Doc[] =
      Array.isArray(stored?.skus) && stored.skus.length > 0
        ? stored.skus
        : [{ skuId: plan.planId, imageType: plan[`${ns}generation`] === "2" ? "x64Gen2" : "x64Gen1" }];
    const props: Doc = { ...(stored?.vmProperties ?? {}) };
    for (const k of VM_PROPERTIES) if (typeof plan[`${ns}${k}`] === "boolean") props[k] = plan[`${ns}${k}`];
    const family = plan[`${ns}operatingSystemFamily`];
    add(tcType, tcId, {
      product,
      plan: planRef,
      ...(coreVm ? { softwareType: stored?.softwareType ?? "operatingSystem" } : {}),
      operatingSystem:
        family !== undefined || stored?.operatingSystem
          ? {
              ...(stored?.operatingSystem ?? {}),
              family: lowerFirst(family) ?? stored?.operatingSystem?.family,
              // PIA requires a type; a CPP plan without one reads as `other` (and `other` is not written back).
              type:
                lowerFirst(plan[`${ns}osType`] ?? plan[`${ns}windowsOSType`]) ??
                stored?.operatingSystem?.type ??
                "other",
              friendlyName: plan[friendlyKey(doc)] ?? stored?.operatingSystem?.friendlyName,
            }
          : undefined,
      recommendedVmSizes: plan[`${ns}recommendedVMSizes`] ?? stored?.recommendedVmSizes ?? [],
      openPorts: plan[`${ns}openPorts`] ?? stored?.openPorts ?? [],
      vmProperties: props,
      skus,
      vmImageVersions: imageVersionsToPia(plan, imagesKey(doc), stored, skus[0].imageType ?? "x64Gen1"),
    });
  }
  // Whatever else PIA wrote: resource types the document has no field of, assets beyond logos.
  for (const [id, res] of Object.entries(extras)) {
    if (made.has(id) || !res || typeof res !== "object") continue;
    const type = id.split("/")[0];
    const logo = type === "listing-asset" && LOGOS.some(([, t]) => t === res.type);
    if (MAPPED_TYPES.has(type) || logo) continue;
    out.push(JSON.parse(JSON.stringify(res)));
  }
  return mask ? out.map(maskSecrets) : out;
}

/** Secret fields (lead credentials) read masked, as the service masks them (§P3.2 customer-leads). */
export function maskSecrets(res: Doc): Doc {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== "object") return v;
    const out: Doc = {};
    for (const [k, x] of Object.entries(v as Doc)) {
      Object.defineProperty(out, k, {
        value: isSecretKey(k) && typeof x === "string" && x !== "" ? MASKED_SECRET : walk(x),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return walk(res) as Doc;
}

/** Puts stored secret values back where a write echoes the mask (so echoing a read keeps them). */
export function keepMaskedSecrets(next: Doc, stored: Doc | undefined): Doc {
  const walk = (v: unknown, before: unknown): unknown => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, Array.isArray(before) ? before[i] : undefined));
    if (!v || typeof v !== "object") return v;
    const prev = before && typeof before === "object" ? (before as Doc) : {};
    const out: Doc = {};
    for (const [k, x] of Object.entries(v as Doc)) {
      const value =
        isSecretKey(k) && x === MASKED_SECRET ? prev[k] : walk(x, Object.hasOwn(prev, k) ? prev[k] : undefined);
      Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(next, stored) as Doc;
}

/**
 * The document keys each PIA field is written to, by resource type: offer-level (`o`) or
 * plan-level (`p`) suffixes after the namespace (`M` offer keys, `ns` plan keys). Mode
 * piaOmittedFields `clear` removes them when a write leaves the field out.
 */
const CLEARED: Readonly<Record<string, Readonly<Record<string, ReadonlyArray<["o" | "p" | "raw", string]>>>>> = {
  property: { categories: [["o", "categoryMap"]], termsOfUse: [["o", "termsOfUse"]] },
  listing: {
    title: [["o", "title"]],
    searchResultSummary: [["o", "summary"]],
    shortDescription: [["o", "longSummary"]],
    description: [["o", "description"]],
    privacyPolicyLink: [["o", "privacyURL"]],
    generalLinks: [["o", "usefulLinks"]],
    globalSupportWebsite: [["o", "publicAzureSupportUrl"]],
    governmentSupportWebsite: [["o", "fairfaxSupportUrl"]],
    supportContact: [
      ["o", "supportContactName"],
      ["o", "supportContactEmail"],
      ["o", "supportContactPhone"],
    ],
    engineeringContact: [
      ["o", "engineeringContactName"],
      ["o", "engineeringContactEmail"],
      ["o", "engineeringContactPhone"],
    ],
  },
  "plan-listing": { name: [["p", "skuTitle"]], summary: [["p", "skuSummary"]], description: [["p", "skuDescription"]] },
  "price-and-availability-plan": {
    markets: [["raw", "regions"]],
    pricing: [["raw", "virtualMachinePricing"]],
  },
  technicalConfiguration: {
    operatingSystem: [
      ["p", "operatingSystemFamily"],
      ["p", "osType"],
      ["p", "operationSystem"],
      ["p", "osFriendlyName"],
    ],
    recommendedVmSizes: [["p", "recommendedVMSizes"]],
    openPorts: [["p", "openPorts"]],
  },
};

/**
 * Applies one resolved PIA resource (its `id`, `product` and `plan` are durable ids) to the
 * offer's document: the fields both APIs have. What only PIA has is kept by the caller in
 * `extras`. A plan resource for a new external id adds a plan. `cleared` names fields the write
 * left out that mode piaOmittedFields `clear` removes.
 */
export function applyToDocument(doc: Doc, pia: PiaRecord, res: Doc, cleared: readonly string[] = []): void {
  const type = String(res.id).split("/")[0];
  doc.definition ??= {};
  doc.definition.offer ??= {};
  doc.definition.plans ??= [];
  const o: Doc = doc.definition.offer;
  const M = offerNs(doc);
  const offerTable = CLEARED[type] ?? {};
  if (type === "property" || type === "listing")
    for (const field of cleared)
      for (const [, key] of Object.hasOwn(offerTable, field) ? offerTable[field] : []) delete o[`${M}${key}`];
  const set = (target: Doc, key: string, value: unknown) => {
    if (value === undefined) delete target[key];
    else target[key] = value;
  };
  // A value that only says "nothing" (an empty list, false) is not added where the document has
  // no such key: it reads the same, and echoing a read must not change the document.
  const setSome = (target: Doc, key: string, value: unknown) => {
    const empty = value === false || (Array.isArray(value) && value.length === 0);
    if (empty && !Object.hasOwn(target, key)) return;
    set(target, key, value);
  };
  if (type === "product") {
    if (res.alias !== undefined) doc.definition.displayText = res.alias;
    return;
  }
  if (type === "property") {
    if (res.categories && typeof res.categories === "object")
      setSome(
        o,
        `${M}categoryMap`,
        Object.entries(res.categories as Record<string, unknown>).map(([l1, l2]) => ({
          categoryL1: l1,
          [`categoryL2-${l1}`]: Array.isArray(l2) ? l2 : [],
        })),
      );
    if ("termsOfUse" in res) set(o, `${M}termsOfUse`, res.termsOfUse);
    // Written only when it changes what the document means: an absent key already reads as custom terms.
    const standard = res.termsConditions === "standardMicrosoft";
    if (res.termsConditions !== undefined && standard !== (o[`${M}useEnterpriseContract`] === true))
      o[`${M}useEnterpriseContract`] = standard;
    return;
  }
  if (type === "listing") {
    if (res.languageId !== undefined && String(res.languageId).toLowerCase() !== LANGUAGE) return;
    const map: Array<[string, string]> = [
      ["title", "title"],
      ["searchResultSummary", "summary"],
      ["shortDescription", "longSummary"],
      ["description", "description"],
      ["privacyPolicyLink", "privacyURL"],
      ["globalSupportWebsite", "publicAzureSupportUrl"],
      ["governmentSupportWebsite", "fairfaxSupportUrl"],
    ];
    for (const [pia, cpp] of map) if (pia in res) set(o, `${M}${cpp}`, res[pia]);
    if ("generalLinks" in res)
      set(
        o,
        `${M}usefulLinks`,
        Array.isArray(res.generalLinks)
          ? res.generalLinks.map((l: Doc) => ({ linkTitle: l?.displayText, linkUrl: l?.link }))
          : undefined,
      );
    for (const [pia, cpp] of [
      ["supportContact", "supportContact"],
      ["engineeringContact", "engineeringContact"],
    ]) {
      const c = res[pia];
      if (c && typeof c === "object") {
        set(o, `${M}${cpp}Name`, c.name);
        set(o, `${M}${cpp}Email`, c.email);
        set(o, `${M}${cpp}Phone`, c.phone);
      }
    }
    return;
  }
  if (type === "listing-asset") {
    const logo = LOGOS.find(([, t]) => t === res.type);
    if (!logo) return;
    if (res.lifecycleState === "deleted") delete o[`${M}${logo[0]}`];
    else if (typeof res.url === "string") o[`${M}${logo[0]}`] = res.url;
    return;
  }
  if (type === "price-and-availability-offer") {
    if (Array.isArray(res.previewAudiences))
      setSome(
        o,
        `${M}allowedSubscriptions`,
        res.previewAudiences
          .filter((a: Doc) => a?.type === "subscription" && typeof a.id === "string")
          .map((a: Doc) => a.id),
      );
    return;
  }
  if (type === "reseller") {
    const state = res.resellerChannelState;
    if (typeof state === "string") setSome(o, `${M}cspOfferOptIn`, state === "all" || state === "some");
    return;
  }
  if (type === "customer-leads") {
    const lead = LEADS.find((l) => l.pia === res.leadDestination);
    if (res.leadDestination === "none") {
      if (o[`${M}leadDestination`] !== undefined) o[`${M}leadDestination`] = "None";
    } else if (lead) {
      o[`${M}leadDestination`] = lead.cpp;
      const config = res[lead.piaConfig];
      if (config && typeof config === "object") o[`${M}${lead.cppConfig}`] = JSON.parse(JSON.stringify(config));
    }
    return;
  }
  const ns = planNs(doc);
  const planGuid = String(type === "plan" ? res.id : res.plan).split("/")[2];
  const planId = Object.keys(pia.plans).find((k) => pia.plans[k] === planGuid);
  const plan = plansOf(doc).find((p) => p.planId === planId);
  const table = CLEARED[type.endsWith("plan-technical-configuration") ? "technicalConfiguration" : type] ?? {};
  for (const field of cleared) {
    for (const [where, key] of Object.hasOwn(table, field) ? table[field] : []) {
      if (where === "o") delete o[`${M}${key}`];
      else if (plan) delete plan[where === "p" ? `${ns}${key}` : key];
    }
  }
  if (type === "plan") {
    if (!plan) return;
    if (res.alias !== undefined) plan[`${ns}skuTitle`] = res.alias;
    if (Array.isArray(res.azureRegions))
      plan[`${ns}cloudAvailability`] = res.azureRegions.map(
        (r: string) => CLOUDS.find(([, pia]) => pia === r)?.[0] ?? upperFirst(r),
      );
    return;
  }
  if (!plan) return;
  if (type === "plan-listing") {
    if (res.languageId !== undefined && String(res.languageId).toLowerCase() !== LANGUAGE) return;
    if ("name" in res) set(plan, `${ns}skuTitle`, res.name);
    if ("summary" in res) set(plan, `${ns}skuSummary`, res.summary);
    if ("description" in res) set(plan, `${ns}skuDescription`, res.description);
    return;
  }
  if (type === "price-and-availability-plan") {
    if (Array.isArray(res.markets))
      setSome(
        plan,
        "regions",
        res.markets.map((m: string) => String(m).toUpperCase()),
      );
    if (res.visibility !== undefined) setSome(plan, `${ns}hideSKUForSolutionTemplate`, res.visibility === "hidden");
    const pricing = pricingFromPia(res.pricing, res.trial);
    if (pricing) plan.virtualMachinePricing = pricing;
    if (res.audience === "private" && Array.isArray(res.privateAudiences))
      plan.restrictedAudience = {
        manualEntries: res.privateAudiences.map((a: Doc) => ({
          type: AUDIENCE_TYPES.find(([, pia]) => pia === a?.type)?.[0] ?? a?.type,
          id: a?.id,
          description: a?.label ?? a?.id,
        })),
      };
    else if (res.audience === "public") delete plan.restrictedAudience;
    return;
  }
  if (type === techConfigType(doc)) {
    const os = res.operatingSystem;
    if (os && typeof os === "object") {
      set(plan, `${ns}operatingSystemFamily`, upperFirst(os.family));
      if (!(os.type === "other" && plan[`${ns}osType`] === undefined)) set(plan, `${ns}osType`, upperFirst(os.type));
      set(plan, friendlyKey(doc), os.friendlyName);
    }
    if (Array.isArray(res.recommendedVmSizes)) setSome(plan, `${ns}recommendedVMSizes`, res.recommendedVmSizes);
    if (Array.isArray(res.openPorts)) setSome(plan, `${ns}openPorts`, res.openPorts);
    if (res.vmProperties && typeof res.vmProperties === "object")
      for (const k of VM_PROPERTIES)
        if (typeof res.vmProperties[k] === "boolean") plan[`${ns}${k}`] = res.vmProperties[k];
    const skuType = Array.isArray(res.skus) ? res.skus[0]?.imageType : undefined;
    if (isCoreVm(doc) && (skuType === "x64Gen1" || skuType === "x64Gen2")) {
      // The core-VM plan's generation is its main SKU's image type; an absent key reads as "1".
      const generation = skuType === "x64Gen2" ? "2" : "1";
      if ((plan[`${ns}generation`] ?? "1") !== generation) plan[`${ns}generation`] = generation;
    }
    if (Array.isArray(res.vmImageVersions)) {
      const primaryType = (Array.isArray(res.skus) ? res.skus[0]?.imageType : undefined) ?? "x64Gen1";
      const key = imagesKey(doc);
      const before: Doc = plan[key] && typeof plan[key] === "object" ? plan[key] : {};
      const images: Doc = {};
      for (const v of res.vmImageVersions as Doc[]) {
        if (!v || typeof v.versionNumber !== "string" || v.lifecycleState === "deleted") continue;
        const list: Doc[] = Array.isArray(v.vmImages) ? v.vmImages : [];
        const image = list[documentImageIndex(list, primaryType)];
        if (image?.source?.sourceType !== "sasUri") continue;
        const disks: Doc[] = Array.isArray(image.source.dataDisks) ? image.source.dataDisks : [];
        Object.defineProperty(images, v.versionNumber, {
          value: {
            ...(Object.hasOwn(before, v.versionNumber) ? before[v.versionNumber] : {}),
            osVhdUrl: image.source.osDisk?.uri,
            lunVhdDetails: disks.map((d) => ({ lun: d?.lunNumber, uri: d?.uri })),
            ...(isCoreVm(doc) ? { showInGui: v.lifecycleState !== "deprecated" } : {}),
          },
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      plan[key] = images;
    }
  }
}

/** A new CPP plan for a PIA plan resource (its external id is the planId). */
export function newPlan(doc: Doc, externalId: string): Doc {
  const ns = planNs(doc);
  return { planId: externalId, regions: [], [`${ns}cloudAvailability`]: ["PublicAzure"], [imagesKey(doc)]: {} };
}
